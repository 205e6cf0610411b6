"""How right the FAQ actions' decision is when the model is unsure (issue 14, point 4).

Every message of the chosen development slices is parsed once by a running Rasa
(``/model/parse``; cached in ``var/parse/`` by model and slice). The messages whose parse reaches
the FAQ actions (intent ``faq`` or ``nlu_fallback``) and that are not danger messages (the safety
net answers those first) are replayed through :func:`actions.faq.faq_reply` /
:func:`actions.unsure.reply_when_unsure`, with the metadata the core would add (its safety net's
``sensitive`` and ``violence``; what the core answers itself before Rasa, such as «baja», is
not told apart), and each decision is judged against the slice's labels:

- an answer ("sure:<id>" from the selector, "answer:<id>" from the unsure path) is right when
  ``faq:<id>`` is expected;
- a hand-over (data request, proposal, my proposals, subscribe, contracts …) when its behaviour is;
- the menu ("suggest", "tell_more", "place") is never right (``out_of_scope`` aside); whether one
  of its three buttons was expected is reported as its recall.

Precision is what the brief asks for: answering more must not mean answering wrong more. No bot,
no database: only Rasa's parse and the actions' code (so a change of decision code is measured in
seconds). The end-to-end figure stays ``benchmarks/understanding.py``.

    RASA_URL=http://127.0.0.1:5305 .venv/bin/python benchmarks/unsure_decision.py --slices a b c d e f g
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.understanding import FRESH, Item, load_slice  # noqa: E402

# Outcome of the actions -> behaviour label of the slices.
HANDOVER_LABELS = {
    "data_request": "data_request", "proposal": "proposal", "my_proposals": "my_proposals",
    "subscribe": "subscribe", "unsubscribe": "unsubscribe", "contracts": "procurement_search",
    "contracts_file": "procurement_download", "emergency_contracts": "procurement_emergency",
    "centre": "centre_finder",
}
MENUS = {"suggest", "tell_more", "place", "other"}
# A re-stated intent -> the outcome name the actions use.
INTENT_OUTCOMES = {"pedir_datos": "data_request", "proponer": "proposal", "mis_propuestas": "my_proposals",
                   "suscribir": "subscribe", "baja": "unsubscribe", "buscar_contratos": "contracts",
                   "descargar_contratos": "contracts_file", "contratos_emergencia": "emergency_contracts",
                   "buscar_centro": "centre"}
FAQ_INTENTS = {"faq", "nlu_fallback"}


def parse_all(items: list[Item], rasa_url: str, cache: Path) -> list[dict[str, Any]]:
    """Rasa's parse of every text, from the cache when this model already parsed it."""
    cached: dict[str, Any] = json.loads(cache.read_text("utf-8")) if cache.exists() else {}
    with httpx.Client(timeout=60.0) as client:
        for item in items:
            if item.text not in cached:
                response = client.post(f"{rasa_url}/model/parse", json={"text": item.text})
                response.raise_for_status()
                cached[item.text] = response.json()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(cached, ensure_ascii=False), "utf-8")
    return [cached[item.text] for item in items]


def model_name(rasa_url: str) -> str:
    status = httpx.get(f"{rasa_url}/status", timeout=10.0).json()
    return Path(str(status.get("model_file") or "model")).name.removesuffix(".tar.gz")


def decide(text: str, parse: dict[str, Any]) -> tuple[str, list[str]]:
    """The outcome the FAQ actions give this parse, and the FAQ ids of the menu's buttons.

    Read from what the action sends and returns (not from its internals), so that the same
    replay measures any version of actions/: an entry's answer, a re-stated intent, the menu."""
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.faq import FAQ_CONFIDENCE_THRESHOLD, ActionAnswerFaq, ActionFallbackTopics
    from bot.content.chat import chat_content
    from bot.content.faq import faq_catalog
    from bot.content.render import render_answer
    from bot.conversation.safety import Level, safety_net

    net = safety_net()
    metadata: dict[str, Any] = {"channel": "telegram"}
    if net.assess(text) >= Level.SENSITIVE:
        metadata["sensitive"] = True
        if net.is_violence_story(text):
            metadata["violence"] = True
    message = {**parse, "text": text, "metadata": metadata}
    events = [{"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": message, "metadata": metadata}]
    tracker = Tracker("replay", {}, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    intent = (parse.get("intent") or {}).get("name")
    action = ActionAnswerFaq() if intent == "faq" else ActionFallbackTopics()
    returned = asyncio.run(action.run(dispatcher, tracker, {}))
    buttons = [json.loads(b["payload"].removeprefix("/elegir_tema"))["tema"]
               for m in dispatcher.messages for b in m.get("buttons") or []
               if str(b.get("payload", "")).startswith("/elegir_tema")]
    restated = next((e for e in returned if e.get("event") == "user"), None)
    if restated is not None:
        name = str(restated["parse_data"]["intent"]["name"])
        return INTENT_OUTCOMES.get(name, name), buttons
    texts = [str(m.get("text") or "") for m in dispatcher.messages]
    not_sure = chat_content().core_text("not_sure")
    answers = {render_answer(e): e.id for e in faq_catalog().entries}
    given = next((answers[t] for t in texts if t in answers), None)
    if given is not None:
        ranking = ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
        top = ranking[0] if ranking else {}
        sure = (intent == "faq" and top.get("intent_response_key") == f"faq/{given}"
                and float(top.get("confidence") or 0.0) >= FAQ_CONFIDENCE_THRESHOLD)
        if not_sure in texts:
            return "violence_help", buttons
        return f"{'sure' if sure else 'answer'}:{given}", buttons
    return ("suggest" if not_sure in texts else "other"), buttons


def right(outcome: str, expect: list[str]) -> bool:
    kind, _, faq_id = outcome.partition(":")
    if kind in {"sure", "answer"}:
        return f"faq:{faq_id}" in expect
    if outcome == "violence_help":
        from actions.unsure_replies import VIOLENCE_FIRST_ENTRY
        return f"faq:{VIOLENCE_FIRST_ENTRY}" in expect
    if outcome in HANDOVER_LABELS:
        return HANDOVER_LABELS[outcome] in expect
    return outcome in MENUS and "out_of_scope" in expect


def kind_of(outcome: str) -> str:
    if outcome.startswith("sure:"):
        return "respuesta segura del selector"
    if outcome.startswith("answer:"):
        return "respuesta elegida sin seguridad"
    if outcome in MENUS:
        return "menú de temas cercanos"
    if outcome == "violence_help":
        return "qué hacer si vives violencia"
    return "cambio a otro comportamiento"


def smoke() -> int:
    """The replay on a few messages, each with the parse of a selector that knows nothing."""
    items = load_slice(FRESH / "a")[::50][:12]
    empty = {"intent": {"name": "faq", "confidence": 0.5}, "response_selector": {"faq": {"ranking": []}}}
    outcomes = Counter(decide(item.text, empty)[0].partition(":")[0] for item in items)
    print(f"smoke: {len(items)} mensajes, decisiones {dict(outcomes)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", nargs="+", default=list("abcdefg"))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5305"))
    parser.add_argument("--errors", type=Path, help="write the wrong decisions to this file")
    parser.add_argument("--model", help="replay the parses cached for this model (var/parse/) "
                        "instead of asking the running Rasa which model it has")
    parser.add_argument("--smoke", action="store_true",
                        help="a few messages of slice a with an empty parse, no Rasa: checks that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        return smoke()
    model = args.model or model_name(args.rasa_url)
    rows: list[tuple[str, Item, str, list[str], bool]] = []
    routed = Counter[str]()
    for name in args.slices:
        items = load_slice(FRESH / name)
        cache = ROOT / "var" / "parse" / f"{model}-{name}.json"
        parses = parse_all(items, args.rasa_url, cache)
        for item, parse in zip(items, parses, strict=True):
            intent = (parse.get("intent") or {}).get("name")
            if "emergency" in item.expect or "crisis_suicide" in item.expect:
                routed["peligro (red de seguridad)"] += 1
                continue
            if intent not in FAQ_INTENTS:
                routed["otra intención"] += 1
                continue
            routed[str(intent)] += 1
            outcome, buttons = decide(item.text, parse)
            rows.append((name, item, outcome, buttons, right(outcome, item.expect)))
    by_kind: dict[str, list[tuple[str, Item, str, list[str], bool]]] = defaultdict(list)
    for row in rows:
        by_kind[kind_of(row[2])].append(row)
    print(f"Modelo {model}; cortes {' '.join(args.slices)}; mensajes por ruta: {dict(routed)}\n")
    print("| decisión | n | correctas | precisión |")
    print("|---|---:|---:|---:|")
    for kind in sorted(by_kind):
        group = by_kind[kind]
        ok = sum(r[4] for r in group)
        print(f"| {kind} | {len(group)} | {ok} | {100 * ok / len(group):.1f} % |")
    total_ok = sum(r[4] for r in rows)
    print(f"| **total** | {len(rows)} | {total_ok} | {100 * total_ok / max(1, len(rows)):.1f} % |")
    menus = by_kind.get("menú de temas cercanos", [])
    with_right_button = sum(any(f"faq:{b}" in r[1].expect for b in r[3]) for r in menus)
    print(f"\nMenús con un botón correcto: {with_right_button} de {len(menus)}.")
    if args.errors:
        lines = ["| corte | tema | esperado | decisión | mensaje |", "|---|---|---|---|---|"]
        lines += [f"| {n} | {i.topic} | {', '.join(i.expect)} | {o} | {i.text[:120].replace('|', '/')} |"
                  for n, i, o, _b, ok in rows if not ok]
        args.errors.write_text("\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
