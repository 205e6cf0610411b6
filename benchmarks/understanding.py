"""How well Participa understands citizens as they really write (issue 14).

Runs a frozen evaluation slice (``benchmarks/data/fresh/<slice>/``: messages written by people who
never saw the training data, each labelled with the answers a correct reply carries) through
``participa ask --json``, one new conversation per message, and reports per topic:

- answer rate: the reply carries one of the expected answers;
- fallback rate: the reply is the generic "No estoy segura…" menu;
- misroutes: any other reply (for violence topics, the worst kind).

A label is ``faq:<id>`` (the reply contains that entry's answer) or a behaviour (``emergency``,
``proposal``, ``subscribe`` …) judged by the turn's intent and emergency flag; see BEHAVIOURS.
Never train on these files: they measure understanding only while nobody tuned to them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FRESH = ROOT / "benchmarks" / "data" / "fresh"
RESULTS = ROOT / "benchmarks" / "results"

# Behaviour label -> intents (as `participa ask --json` reports them) whose reply is right.
# Prefixes end with "*".
BEHAVIOURS: dict[str, tuple[str, ...]] = {
    "centre_finder": ("buscar_centro*",),
    "proposal": ("proponer",),
    "my_proposals": ("mis_propuestas",),
    "procurement_search": ("buscar_contratos",),
    "procurement_emergency": ("contratos_emergencia",),
    "procurement_download": ("descargar_contratos",),
    "data_request": ("pedir_datos", "solicitud_*"),
    "human": ("hablar_persona", "atencion*"),
    "subscribe": ("suscribir*",),
    "unsubscribe": ("baja*",),
    "privacy_notice": ("privacidad",),
    "my_data": ("mis_datos",),
    "delete_data": ("borrar",),
    "quick_exit": ("salida_rapida",),
    "greet": ("greet",),
    "goodbye": ("goodbye",),
    "thanks": ("thanks",),
    "help": ("help",),
    "bot_challenge": ("bot_challenge",),
    "out_of_scope": ("out_of_scope",),
    "cancel": ("cancelar",),
}
# Rasa's default pipeline (the one `rasa init` writes, its comments made explicit) with the FAQ
# retrieval intent: the column the tuned pipeline is compared with. Same data, domain and policies.
BASELINE_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "retrieval_intent": "faq", "epochs": 100, "constrain_similarities": True},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]
BASELINE_DIR = ROOT / "var" / "baseline"
# The crisis line must come first in a reply to a person who talks about suicide or self-harm.
CRISIS_LINE_DIGITS = "8009112000"
VIOLENCE_TOPICS = {"violencia_info", "violencia_ayuda", "emergencia"}
# Topics whose messages are in scope (the generic fallback there is a failure to understand).
OUT_OF_SCOPE_LABELS = {"out_of_scope"}


def fold(text: str) -> str:
    """Lower case, no accents, no markup, single spaces: for substring checks only."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[*_`«»\"“”'‘’]", "", text)
    return " ".join(text.split())


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass
class Item:
    text: str
    expect: list[str]
    topic: str
    register: str
    source: str
    file: str


@dataclass
class Verdict:
    item: Item
    intent: str | None
    emergency: bool
    ok: bool
    fallback: bool
    reply: str
    matched: str | None = None


@dataclass
class Judge:
    """Decides whether a turn's replies carry one of the expected answers."""

    answers: dict[str, str]  # faq id -> folded fingerprint of its answer
    not_sure: str  # folded fingerprint of the generic fallback
    missing: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_content(cls, content: Path) -> Judge:
        answers: dict[str, str] = {}
        for path in sorted((content / "faq").glob("*.yml")):
            if path.name == "topics.yml":
                continue
            for entry in yaml.safe_load(path.read_text("utf-8")) or []:
                if isinstance(entry, dict) and entry.get("id") and entry.get("answer"):
                    answers[entry["id"]] = fold(entry["answer"])[:60]
        chat = yaml.safe_load((content / "chat.yml").read_text("utf-8"))
        return cls(answers=answers, not_sure=fold(chat["core"]["not_sure"])[:40])

    def label_ok(self, label: str, turn: dict[str, Any], replies: str) -> bool:
        intent = turn.get("intent") or ""
        if label == "emergency":
            return bool(turn.get("emergency"))
        if label == "crisis_suicide":
            first = turn["replies"][0]["text"] if turn.get("replies") else ""
            return CRISIS_LINE_DIGITS in digits(first)
        if label.startswith("faq:"):
            faq_id = label[4:]
            fingerprint = self.answers.get(faq_id)
            if fingerprint is None:
                self.missing[faq_id] += 1
                return False
            return fingerprint in replies
        wanted = BEHAVIOURS.get(label)
        if wanted is None:
            raise ValueError(f"unknown label {label!r}")
        if turn.get("emergency"):
            return False
        for name in wanted:
            if name.endswith("*") and intent.startswith(name[:-1]) or intent == name:
                return self.not_sure not in replies or label in OUT_OF_SCOPE_LABELS
        # An honest "not sure" is an acceptable answer to an out-of-scope message.
        return label in OUT_OF_SCOPE_LABELS and self.not_sure in replies

    def judge(self, item: Item, turn: dict[str, Any]) -> Verdict:
        replies = fold(" \n ".join(r.get("text") or "" for r in turn.get("replies") or []))
        matched = next((lab for lab in item.expect if self.label_ok(lab, turn, replies)), None)
        return Verdict(
            item=item,
            intent=turn.get("intent"),
            emergency=bool(turn.get("emergency")),
            ok=matched is not None,
            fallback=self.not_sure in replies,
            reply=replies[:160],
            matched=matched,
        )


def load_slice(folder: Path) -> list[Item]:
    items: list[Item] = []
    for path in sorted(folder.rglob("*.yml")):
        if path.name.startswith("_"):
            continue
        for raw in yaml.safe_load(path.read_text("utf-8")) or []:
            items.append(
                Item(
                    text=" ".join(str(raw["text"]).split()),
                    expect=[str(x) for x in raw["expect"]],
                    topic=str(raw["topic"]),
                    register=str(raw.get("register", "")),
                    source=str(raw.get("source", "")),
                    file=str(path.relative_to(folder)),
                )
            )
    return items


def ask(texts: list[str], participa: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each text as the first message of a new conversation, through the real bot."""
    proc = subprocess.run(
        [str(participa), "ask", "--json"],
        input="\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"participa ask failed ({proc.returncode})")
    turns = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if len(turns) != len(texts):
        raise SystemExit(f"participa ask answered {len(turns)} of {len(texts)} messages")
    return turns


def baseline_env() -> dict[str, str]:
    """A copy of nlu/ with the default pipeline; `participa` trains it once (cached by hash)."""
    nlu = BASELINE_DIR / "nlu"
    if nlu.exists():
        shutil.rmtree(nlu)
    shutil.copytree(ROOT / "nlu", nlu, ignore=shutil.ignore_patterns("generated", "__pycache__"))
    config = yaml.safe_load((ROOT / "nlu" / "config.yml").read_text("utf-8"))
    config["pipeline"] = BASELINE_PIPELINE
    (nlu / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return {**os.environ, "NLU_DIR": str(nlu), "MODELS_DIR": str(BASELINE_DIR / "models")}


def side_by_side(ours: dict[str, Any], base: dict[str, Any]) -> str:
    lines = ["| tema | n | Participa | pipeline por defecto |", "|---|---:|---:|---:|"]
    for topic, row in ours["topics"].items():
        other = base["topics"].get(topic, {"ok": 0})["ok"]
        n = row["n"]
        lines.append(f"| {topic} | {n} | {rate(row['ok'], n)} | {rate(other, n)} |")
    total = ours["n"]
    lines.append(f"| **total** | {total} | **{rate(ours['ok'], total)}** | {rate(base['ok'], total)} |")
    return "\n".join(lines)


def rate(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else "—"


def report(verdicts: list[Verdict], title: str, judge: Judge) -> tuple[str, dict[str, Any]]:
    by_topic: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        by_topic[v.item.topic].append(v)
    lines = [f"### {title}", "", "| tema | n | respuesta correcta | menú genérico | otra respuesta |",
             "|---|---:|---:|---:|---:|"]
    summary: dict[str, Any] = {"topics": {}}
    for topic in sorted(by_topic):
        vs = by_topic[topic]
        ok = sum(v.ok for v in vs)
        fb = sum((not v.ok) and v.fallback for v in vs)
        mis = len(vs) - ok - fb
        n = len(vs)
        lines.append(f"| {topic} | {n} | {rate(ok, n)} | {rate(fb, n)} | {rate(mis, n)} |")
        summary["topics"][topic] = {"n": len(vs), "ok": ok, "fallback": fb, "misroute": mis}
    total = len(verdicts)
    ok = sum(v.ok for v in verdicts)
    in_scope = [v for v in verdicts if not set(v.item.expect) & OUT_OF_SCOPE_LABELS]
    fb_in_scope = sum(v.fallback and not v.ok for v in in_scope)
    violence = [v for v in verdicts if v.item.topic in VIOLENCE_TOPICS]
    violence_misrouted = [v for v in violence if not v.ok and not v.fallback]
    danger = [v for v in verdicts if "emergency" in v.item.expect]
    lookalikes = [v for v in verdicts if v.item.topic == "emergencia_parecidos"]
    alarm_labels = {"emergency", "crisis_suicide"}
    non_danger = [v for v in verdicts if not alarm_labels & set(v.item.expect)]
    false_alarms = sum(v.emergency for v in non_danger)
    fb_all = sum(v.fallback and not v.ok for v in verdicts)
    lines += [
        f"| **total** | {total} | **{rate(ok, total)}** | {rate(fb_all, total)} | "
        f"{rate(total - ok - fb_all, total)} |",
        "",
        f"- Menú genérico en mensajes dentro del alcance: {fb_in_scope} de {len(in_scope)} "
        f"({rate(fb_in_scope, len(in_scope))}).",
        f"- Mensajes de violencia con otra respuesta (lo peor): {len(violence_misrouted)} "
        f"de {len(violence)}.",
        f"- Red de seguridad: {sum(v.emergency for v in danger)} de {len(danger)} mensajes de peligro "
        f"({rate(sum(v.emergency for v in danger), len(danger))}); falsas alarmas en {false_alarms} de "
        f"{len(non_danger)} mensajes sin peligro ({rate(false_alarms, len(non_danger))}), "
        f"{sum(v.emergency for v in lookalikes)} de {len(lookalikes)} parecidos.",
    ]
    if judge.missing:
        lines.append(f"- Respuestas que todavía no existen en content/: {', '.join(sorted(judge.missing))}.")
    summary.update(
        n=total, ok=ok, answer_rate=ok / total if total else 0.0,
        fallback_in_scope=fb_in_scope, in_scope=len(in_scope),
        violence_misrouted=len(violence_misrouted), violence=len(violence),
        danger=len(danger), danger_caught=sum(v.emergency for v in danger),
        false_alarms=false_alarms, non_danger=len(non_danger),
    )
    return "\n".join(lines), summary


def errors_table(verdicts: list[Verdict], limit: int = 400) -> str:
    lines = ["| tema | esperado | intención | mensaje | respuesta |", "|---|---|---|---|---|"]
    for v in [v for v in verdicts if not v.ok][:limit]:
        cell = lambda s: s.replace("|", "/")[:110]  # noqa: E731
        lines.append(
            f"| {v.item.topic} | {', '.join(v.item.expect)} | {v.intent}{' 🚨' if v.emergency else ''} | "
            f"{cell(v.item.text)} | {'(menú genérico)' if v.fallback else cell(v.reply)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slice", default="a",
                        help="folder under benchmarks/data/fresh/, or several joined by commas "
                        "(default: a)")
    parser.add_argument("--topics", help="only these topics, joined by commas (datos_abiertos,privacidad)")
    parser.add_argument("--smoke", action="store_true", help="a few messages: checks that it runs")
    parser.add_argument("--participa", type=Path, default=ROOT / ".venv" / "bin" / "participa")
    parser.add_argument("--label", default="Participa", help="name of this run in the report")
    parser.add_argument("--errors", type=Path, help="write the wrong answers to this Markdown file")
    parser.add_argument("--json", type=Path, help="write the summary to this JSON file")
    parser.add_argument("--baseline", action="store_true",
                        help="also run Rasa's default pipeline on the same data (trains it once)")
    args = parser.parse_args(argv)

    items = [item for name in args.slice.split(",") for item in load_slice(FRESH / name.strip())]
    if args.topics:
        wanted = {t.strip() for t in args.topics.split(",")}
        items = [item for item in items if item.topic in wanted]
    if not items:
        raise SystemExit(f"no messages in {FRESH / args.slice}")
    if args.smoke:
        items = items[:: max(1, len(items) // 12)][:12]
    judge = Judge.from_content(ROOT / "content")
    started = time.monotonic()
    turns = ask([i.text for i in items], args.participa)
    verdicts = [judge.judge(i, t) for i, t in zip(items, turns, strict=True)]
    text, summary = report(verdicts, f"{args.label} — corte «{args.slice}» ({len(items)} mensajes)", judge)
    summary["seconds"] = round(time.monotonic() - started, 1)
    print(text)
    if args.baseline:
        base_turns = ask([i.text for i in items], args.participa, env=baseline_env())
        base_verdicts = [judge.judge(i, t) for i, t in zip(items, base_turns, strict=True)]
        base_title = f"Pipeline por defecto de Rasa — corte «{args.slice}» ({len(items)} mensajes)"
        base_text, base_summary = report(base_verdicts, base_title, judge)
        summary["baseline"] = base_summary
        print(f"\n{base_text}\n\n{side_by_side(summary, base_summary)}")
    if args.errors:
        args.errors.write_text(errors_table(verdicts) + "\n", "utf-8")
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
