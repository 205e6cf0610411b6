"""How well danger is spotted: recall and false alarms on the dev, held-out and fresh sets.

Two layers are measured. The safety net (patterns in content/emergency.yml, in the core, works
with Rasa down) is tuned on benchmarks/data/emergency_dev.yml only. benchmarks/data/
emergency_heldout.yml was written first and is never tuned on; benchmarks/data/
emergency_fresh.yml was written after tuning and is never tuned on either. With --with-rasa, the
whole path is measured too (core, then Rasa). Rasa has no danger intent any more: trained on the
dev set, it raised false alarms on 23 % of the fresh hard negatives ("qué es la Puerta Violeta"),
so danger is the patterns' job alone and this run checks the whole path adds nothing wrong.
Targets on the held-out set: recall >= 0.98 and false alarms <= 0.03
(tests/conversation/test_safety.py fails below them).

Usage: .venv/bin/python benchmarks/emergency_recall.py [--with-rasa] [--dev-only] [--smoke]
Writes benchmarks/results/emergency_recall.{md,json}.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DATA, machine, percentile, smoke, smoke_option, write_result  # noqa: E402
from benchmarks.understanding import FRESH, load_slice  # noqa: E402
from bot.conversation.safety import SafetyNet, load_safety_net, with_model  # noqa: E402

TARGET_RECALL = 0.98
TARGET_FALSE_ALARMS = 0.03
SETS = {
    "dev": DATA / "emergency_dev.yml",
    "heldout": DATA / "emergency_heldout.yml",
    "fresh": DATA / "emergency_fresh.yml",
    # Round 5 (helper safety5): batch 1 scored before tuning, then tuned on; batch 2 written at
    # the same time and never tuned on (its row is the round's own held-out figure).
    "r5-batch1": DATA / "safety" / "batch1.yml",
    "r5-batch2": DATA / "safety" / "batch2.yml",
    # written after batch 2 was scored and before the second pass tuned on batch 2's kinds
    "r5-batch3": DATA / "safety" / "batch3.yml",
    # written after batch 3 was scored and before the third pass tuned on batch 3's kinds
    "r5-batch4": DATA / "safety" / "batch4.yml",
    # Round 6 (helper safety6): written before any change of round 6, scored once, then tuned on
    "r6-batch5": DATA / "safety" / "batch5.yml",
    # written after batch 5 was scored and tuned on, before the second pass of round 6
    "r6-batch6": DATA / "safety" / "batch6.yml",
    # written after the second pass of round 6; never tuned on (the round's own held-out figure)
    "r6-batch7": DATA / "safety" / "batch7.yml",
    # Round 7 (helper safety7): written before any change of round 7, scored once with main's
    # code, never tuned on (the round's own held-out figure)
    "r7-batch8": DATA / "safety" / "batch8.yml",
    # Round 8: written blind by a writer who saw neither the code nor the other batches, kept out
    # of the repository until the lead scored it (main 822ecb5: 44/60, 4/60 false alarms; the
    # merged round 8: 50/60, 4/60). Round 9 (safety9): development data, renamed from
    # heldout9.yml to batch9.yml, so the learned second opinion (bot/conversation/
    # safety_model.py) trains on it and its kinds were tuned on: its row no longer says how
    # unseen wording scores (the sealed batch 10 does).
    "r8-batch9": DATA / "safety" / "batch9.yml",
    # Round 9: written blind like batch 9 and kept out of the repository until the lead scored it
    # (main 0ac1c92: 45/60, 10/60 false alarms; the merged round 9: 48/60, 8/60). Round 10
    # (safety10): development data, renamed from heldout10.yml to batch10.yml, so the learned
    # second opinion trains on it and its kinds were tuned on: its row no longer says how unseen
    # wording scores (the sealed batch 11 does).
    "r9-heldout10": DATA / "safety" / "batch10.yml",
    # Round 10 (safety10): its own examples of the round's kinds, written with the ones it trained
    # on (content/safety_examples_round10.yml) and kept aside: never tuned on, not batch*.yml.
    "r10-aside": DATA / "safety" / "aside10.yml",
    # Round 10: written blind and kept out of the repository until the lead scored it (main
    # 0babddd: 51/60, 5/60 false alarms; the merged round 10: 52/60, 5/60). Not batch*.yml.
    "r10-heldout11": DATA / "safety" / "heldout11.yml",
    # Round 11: written blind and kept out of the repository until the lead scored it (main
    # 5bcec82: 47/60, 0/60 false alarms; the merged round 11: 47/60, 0/60). Not batch*.yml.
    "r11-heldout12": DATA / "safety" / "heldout12.yml",
    # Round 12: written blind and kept out of the repository until the lead scored it (main
    # 94e8917: 50/60, 6/60 false alarms; the merged round 12: 51/60, 6/60). Not batch*.yml.
    "r12-heldout13": DATA / "safety" / "heldout13.yml",
}
# The fresh evaluation of issue 14 (other writers; never tuned on): its danger messages and
# their look-alikes. Slices a, b and c are development slices now: read to learn what kinds fail,
# never copied.
FRESH_TOPICS = ("emergencia", "emergencia_parecidos", "violencia_ayuda", "violencia_info")
DANGER_LABELS = {"emergency", "crisis_suicide"}
# Recall of each fresh batch before it was tuned on (see the comments in emergency_dev.yml).
# The safety net on main before issue 14's work (cc6e5e3), same sets.
BEFORE = (
    "Before (main cc6e5e3): dev 100 % / 0 %, heldout 100 % / 0 %, fresh 73.3 % / 6.7 %, "
    "fresh-a 76.0 % / 25.6 % (recall / false alarms). Before the cue weighing (main 8c70bd1, "
    "same sets as the table): dev 91.8 % / 3.6 %, heldout 100 % / 0 %, fresh 96.7 % / 0 %, "
    "fresh-a 100 % / 0 %, fresh-b 96.4 % / 6.6 %, fresh-c 93.3 % / 8.3 %."
)
FRESH_BATCHES = (
    "batch 2: 32/40 (80 %), batch 3: 29/40 (72 %), batch 4: 22/40 (55 %), "
    "batch 5: 26/45 (58 %), batch 6: 2/23 (9 %), batch 7: 17/22 (77 %), "
    "batch 8: 19/36 (53 %) with 7/33 false alarms, batch 9 (written after tuning on batch 8): "
    "13/20 (65 %) with 5/20 false alarms, batch 10 (after tuning on 8 and 9): 8/15 (53 %) with "
    "1/15 false alarms, batch 11 (after tuning on 8-10): 7/12 (58 %) with 1/12 false alarms; "
    "round 5 (helper safety5, rows r5-batch1-4): batch 1 before any change 36/60 (60.0 %) with 4/60 "
    "false alarms; batch 2 held out while tuning on batch 1: 44/60 (73.3 %) with 2/60 (main: 35/60, "
    "4/60); batch 3 held out while tuning on batch 2: 33/40 (82.5 %) with 2/40 (main: 30/40, 3/40); "
    "batch 4 held out while tuning on batch 3: 24/30 (80.0 %) with 2/30 (main: 19/30, 6/30); "
    "round 6 (helper safety6, rows r6-batch5-6): batch 5 before any change of round 6 35/40 "
    "(87.5 %) with 6/40 false alarms; batch 6 held out while tuning on batch 5: 20/30 (66.7 %) "
    "with 1/30; each was then tuned on, so its row now says only that its kinds are fixed"
)


@dataclass
class Score:
    danger: int = 0
    caught: int = 0
    negatives: int = 0
    false_alarms: int = 0
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.danger if self.danger else float("nan")

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else float("nan")

    def meets_targets(self) -> bool:
        return self.recall >= TARGET_RECALL and self.false_alarm_rate <= TARGET_FALSE_ALARMS

    def as_dict(self) -> dict[str, Any]:
        return {
            "danger": self.danger, "caught": self.caught, "recall": round(self.recall, 4),
            "negatives": self.negatives, "false_alarms": self.false_alarms,
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "missed": self.missed, "alarms": self.alarms,
        }


def load_set(path: Path) -> tuple[list[str], list[str]]:
    """(danger, not danger) from one of our YAML sets or from a fresh slice folder."""
    if path.is_dir():
        items = [i for i in load_slice(path) if i.topic in FRESH_TOPICS]
        return (
            [i.text for i in items if DANGER_LABELS & set(i.expect)],
            [i.text for i in items if not DANGER_LABELS & set(i.expect)],
        )
    data = yaml.safe_load(path.read_text("utf-8"))
    return [str(m) for m in data["danger"]], [str(m) for m in data["not_danger"]]


def fresh_slices() -> dict[str, Path]:
    """Every fresh slice on disk (the sealed slice b only where the lead unpacked it)."""
    return {f"fresh-{p.name}": p for p in sorted(FRESH.iterdir()) if p.is_dir()} if FRESH.is_dir() else {}


def crisis_first(net: SafetyNet, folder: Path) -> tuple[int, int]:
    """Suicide and self-harm messages of a fresh slice answered with the crisis block."""
    items = [i for i in load_slice(folder) if "crisis_suicide" in i.expect]
    crisis = net.crisis_reply().text
    return sum(net.reply_for(net.assess(i.text)).text == crisis for i in items), len(items)


def score_with(is_danger: Callable[[str], bool], path: Path) -> Score:
    danger, negatives = load_set(path)
    result = Score(danger=len(danger), negatives=len(negatives))
    for message in danger:
        if is_danger(message):
            result.caught += 1
        else:
            result.missed.append(message)
    for message in negatives:
        if is_danger(message):
            result.false_alarms += 1
            result.alarms.append(message)
    return result


def score(net: SafetyNet, path: Path) -> Score:
    return score_with(net.is_emergency, path)


def time_per_message_us(net: SafetyNet, messages: list[str], rounds: int = 20) -> dict[str, float]:
    timings: list[float] = []
    for _ in range(rounds):
        for message in messages:
            started = time.perf_counter()
            net.is_emergency(message)
            timings.append((time.perf_counter() - started) * 1e6)
    return {"mean": sum(timings) / len(timings), "p50": percentile(timings, 0.5),
            "p95": percentile(timings, 0.95)}


async def answers_with_rasa(messages: list[str]) -> dict[str, bool]:
    """Each message as the first of a new conversation, through the core and a real Rasa."""
    from bot.conversation.core import ConversationCore
    from bot.conversation.rasa_client import RasaClient
    from bot.rasa.servers import start_servers

    workdir = Path(tempfile.mkdtemp(prefix="bench-emergency-"))
    servers = start_servers(database_url=f"sqlite:///{workdir / 'bench.db'}")
    client = RasaClient(servers.rasa_url, timeout=30)
    core = ConversationCore(client, record_usage=False)
    try:
        out: dict[str, bool] = {}
        for i, message in enumerate(messages):
            out[message] = (await core.handle(f"bench-emergency-{i}", message)).emergency
        return out
    finally:
        await client.aclose()
        servers.stop()


def table(rows: dict[str, Score]) -> list[str]:
    lines = [
        "| set | danger | caught | recall | hard negatives | false alarms | rate |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in rows.items():
        lines.append(
            f"| {name} | {s.danger} | {s.caught} | {s.recall:.1%} | {s.negatives} | "
            f"{s.false_alarms} | {s.false_alarm_rate:.1%} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-rasa", action="store_true", help="also measure core + Rasa")
    parser.add_argument(
        "--dev-only", action="store_true", help="while tuning: score the dev set only, write nothing"
    )
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.with_rasa = False
    patterns = load_safety_net()
    net = with_model(patterns)  # round 8: the patterns and the learned second opinion
    sets = {**SETS, **fresh_slices()}
    if args.smoke:
        for name, path in sets.items():
            danger, negatives = load_set(path)
            flagged = sum(net.is_emergency(m) for m in danger[:5] + negatives[:5])
            print(f"smoke {name:8} {len(danger)} danger, {len(negatives)} not; {flagged}/10 flagged")
        return 0
    if args.dev_only:
        dev = score(net, SETS["dev"])
        print(f"dev recall {dev.recall:.1%} ({dev.caught}/{dev.danger})  "
              f"false alarms {dev.false_alarm_rate:.1%} ({dev.false_alarms}/{dev.negatives})")
        for m in dev.missed:
            print(f"   missed: {m}")
        for m in dev.alarms:
            print(f"   alarm:  {m}  <- {net.matching_rule(m).match.pattern[:80]}")  # type: ignore[union-attr]
        return 0
    scores = {name: score(net, path) for name, path in sets.items()}
    alone = {name: score(patterns, path) for name, path in sets.items()}
    learned = {name: score_with(lambda m: net.learned_level(m) is not None, path)
               for name, path in sets.items()} if net.model is not None else {}
    cv = net.model.cv if net.model is not None else {}
    everything = [m for path in sets.values() for part in load_set(path) for m in part]
    crisis = {name: crisis_first(net, path) for name, path in sets.items() if path.is_dir()}
    timing = time_per_message_us(net, everything)
    held = scores["heldout"]
    data: dict[str, Any] = {
        "machine": machine(),
        "targets": {"recall": TARGET_RECALL, "false_alarms": TARGET_FALSE_ALARMS},
        "rules": len(net.rules),
        "time_per_message_us": timing,
        "safety_net": {name: s.as_dict() for name, s in scores.items()},
        "fresh_batches_before_tuning": FRESH_BATCHES,
        "heldout_meets_targets": held.meets_targets(),
        "crisis_line_first": {name: {"crisis": c, "of": n} for name, (c, n) in crisis.items()},
        "patterns_alone": {name: s.as_dict() for name, s in alone.items()},
        "model_alone": {name: s.as_dict() for name, s in learned.items()},
        "model_cross_validation": cv,
    }
    with_rasa: dict[str, Score] = {}
    if args.with_rasa:
        measured = [m for name in ("heldout", "fresh") for part in load_set(SETS[name]) for m in part]
        verdicts = asyncio.run(answers_with_rasa(measured))
        with_rasa = {name: score_with(verdicts.__getitem__, SETS[name]) for name in ("heldout", "fresh")}
        data["core_and_rasa"] = {name: s.as_dict() for name, s in with_rasa.items()}
    lines = [
        "# Danger detection: recall and false alarms",
        "",
        f"Run: {data['machine']['date']} · {len(net.rules)} patterns in content/emergency.yml "
        "+ learned model · "
        f"`.venv/bin/python benchmarks/emergency_recall.py{' --with-rasa' if args.with_rasa else ''}`",
        "",
        "## Safety net: patterns and learned model together (the core; works with Rasa down)",
        "",
        *table(scores),
        "",
        "## Patterns alone (content/emergency.yml)",
        "",
        *table(alone),
        "",
        "## Learned model alone (bot/conversation/safety_model.py; trained on content/"
        "safety_examples*.yml, emergency_dev.yml, batches 1-10 and the FAQ examples as everyday "
        "negatives: its rows dev and r5-r7 are training data, heldout, fresh and fresh-* are not)",
        "",
        *(table(learned) if learned else ["(no model: patterns alone)"]),
        "",
        "Cross-validated on its training examples (4 folds, out-of-fold probabilities; "
        "threshold chosen so that the look-alikes it alone flags stay ≤ 1.5 % and everyday "
        f"questions ≤ 0.2 %): {cv}",
        "",
        f"Targets on held-out: recall ≥ {TARGET_RECALL:.0%}, false alarms ≤ {TARGET_FALSE_ALARMS:.0%} "
        f"→ **{'met' if held.meets_targets() else 'NOT met'}**.",
        "",
        "**Read this before trusting the held-out figure.** The patterns are tuned on the dev set "
        "only, and the held-out set was written and committed before any tuning. But the same "
        "author wrote both sets and the patterns, having read the held-out set first, so its "
        "figure is optimistic. Fairer estimates for wording the patterns were not written for: "
        f"each new dev batch, scored before it was tuned on ({FRESH_BATCHES}), and the fresh set, "
        "written after all tuning and never tuned on (row `fresh`). Only a set written by other "
        "people, or anonymised real messages, will tell.",
        "",
        "Rows `fresh-a`, `fresh-b`, `fresh-c`: the danger (`emergency`, `crisis_suicide`) and "
        "other messages of topics " + ", ".join(FRESH_TOPICS) + " in benchmarks/data/fresh/<slice>/ "
        "(issue 14; other writers). All three slices and `fresh` were read to learn which kinds of "
        "message fail (weapons and fire, kidnapping, misspellings, suicide said indirectly, "
        "questions about violence; then violence that is over, safe-now stories, shelter "
        "requests, jokes, hiding after a break-in); dev batches 5, 6 and 8-11 are new examples of "
        "those kinds in other words, nothing was copied — so none of these rows is unseen any "
        "more: their 100 % says the kinds are fixed, not how the next slice will score; the "
        "figures of batches 9-11 above (53-65 % of new wordings caught) are the fairer estimate. "
        f"{BEFORE} Suicide and self-harm messages answered with the crisis "
        "block (crisis line first): "
        + (", ".join(f"{name} {c}/{n}" for name, (c, n) in crisis.items()) or "no fresh slice")
        + ".",
        "",
        f"Time per message: mean {timing['mean'] / 1000:.2f} ms (target ≤ 2 ms), p50 {timing['p50']:.0f} µs, "
        f"p95 {timing['p95']:.0f} µs (wall clock; load average {data['machine']['load_average']}).",
        "",
    ]
    if with_rasa:
        lines += [
            "## Core and Rasa (the whole path; Rasa has no danger intent)",
            "",
            *table(with_rasa),
            "",
            "Fresh misses: " + (", ".join(f"«{m}»" for m in with_rasa["fresh"].missed) or "none"),
            "",
            "Fresh false alarms: " + (", ".join(f"«{m}»" for m in with_rasa["fresh"].alarms) or "none"),
            "",
        ]
    lines += [
        "## Safety net errors (held-out and fresh)",
        "",
        "Held-out missed: " + (", ".join(f"«{m}»" for m in held.missed) or "none"),
        "",
        "Held-out false alarms: " + (", ".join(f"«{m}»" for m in held.alarms) or "none"),
        "",
        "Fresh missed: " + (", ".join(f"«{m}»" for m in scores["fresh"].missed) or "none"),
        "",
        "Fresh false alarms: " + (", ".join(f"«{m}»" for m in scores["fresh"].alarms) or "none"),
        "",
    ]
    write_result("emergency_recall", data, "\n".join(lines))
    print(f"time per message: mean {timing['mean'] / 1000:.2f} ms, p95 {timing['p95'] / 1000:.2f} ms")
    for name, s in scores.items():
        print(f"net       {name:8} recall {s.recall:.1%} ({s.caught}/{s.danger})  "
              f"false alarms {s.false_alarm_rate:.1%} ({s.false_alarms}/{s.negatives})")
    for name, s in alone.items():
        print(f"patterns  {name:8} recall {s.recall:.1%} ({s.caught}/{s.danger})  "
              f"false alarms {s.false_alarm_rate:.1%} ({s.false_alarms}/{s.negatives})")
    for name, s in learned.items():
        print(f"model     {name:8} recall {s.recall:.1%} ({s.caught}/{s.danger})  "
              f"false alarms {s.false_alarm_rate:.1%} ({s.false_alarms}/{s.negatives})")
    print(f"model cross-validation: {cv}")
    for name, s in with_rasa.items():
        print(f"net+rasa  {name:8} recall {s.recall:.1%} ({s.caught}/{s.danger})  "
              f"false alarms {s.false_alarm_rate:.1%} ({s.false_alarms}/{s.negatives})")
    return 0 if args.smoke or held.meets_targets() else 1


if __name__ == "__main__":
    raise SystemExit(main())
