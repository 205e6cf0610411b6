"""Inside the Rasa environment (Python 3.10): CPU per message of the real agent, by part.

Started by benchmarks/rasa_cpu.py (this folder is not a benchmark of its own: it needs the Rasa
environment) with ``cwd=nlu`` and ``PYTHONPATH=<code>/nlu:<code>``, so the code measured (our
speed-ups, the tracker store) is the checkout given there. It loads the model with the endpoints
given (tracker store, lock store, action server), applies our Rasa speed-ups as the server does
when it loads the ``participa`` channel, then runs conversations one message at a time and sums
``time.process_time`` per part. Prints one JSON object.
"""

import argparse
import asyncio
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed_async(owner: Any, name: str, totals: dict[str, float], key: str) -> None:
    original = getattr(owner, name)

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return await original(*args, **kwargs)
        finally:
            totals[key] += time.process_time() - started

    setattr(owner, name, wrapper)


def _timed_sync(owner: Any, name: str, totals: dict[str, float], key: str) -> None:
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] += time.process_time() - started

    setattr(owner, name, wrapper)


NLU_PATCHED = (
    ("rasa.nlu.classifiers.diet_classifier", "DIETClassifier", "_predict"),
    ("rasa.utils.tensorflow.models", "RasaModel", "_rasa_predict"),
    ("rasa.nlu.selectors.response_selector", "ResponseSelector", "_resolve_intent_response_key"),
)


def _methods() -> dict[Any, Any]:
    import importlib

    found = {}
    for module, cls, name in NLU_PATCHED:
        owner = getattr(importlib.import_module(module), cls)
        found[(owner, name)] = owner.__dict__[name]
    return found


async def nlu_ab(agent: Any, texts: list[str], unpatched: dict[Any, Any]) -> dict[str, Any]:
    """Each text understood with Rasa's own NLU code and with our speed-ups, alternately, in one
    process: both see the same machine load. The parse results must be identical."""
    from rasa.core.channels.channel import UserMessage

    patched = _methods()
    cpu = {"rasa": 0.0, "speedups": 0.0}
    different = 0
    for text in texts:
        results = {}
        for mode, methods in (("rasa", unpatched), ("speedups", patched)):
            for (owner, name), method in methods.items():
                setattr(owner, name, method)
            started = time.process_time()
            results[mode] = await agent.processor.parse_message(UserMessage(text))
            cpu[mode] += time.process_time() - started
        different += results["rasa"] != results["speedups"]
    for (owner, name), method in patched.items():
        setattr(owner, name, method)
    return {
        "texts": len(texts),
        "different_results": different,
        "nlu_cpu_ms_per_text": {k: round(1000 * v / len(texts), 2) for k, v in cpu.items()},
    }


async def stack_ab(agent: Any, texts: list[str]) -> dict[str, Any]:
    """Each text understood with the per-token matrices stacked (as Rasa does) and without
    (nlu/components/sentence_input.py), alternately in one process; the parse results
    (intents, FAQ answers, confidences, rankings) must be identical."""
    from components.sentence_input import _SentenceInput
    from rasa.core.channels.channel import UserMessage

    cpu = {"stacked": 0.0, "skipped": 0.0}
    different = 0
    for text in texts:
        results = {}
        for mode in cpu:
            _SentenceInput.stack_skipped = mode == "skipped"  # type: ignore[attr-defined]
            started = time.process_time()
            results[mode] = await agent.processor.parse_message(UserMessage(text))
            cpu[mode] += time.process_time() - started
        different += results["stacked"] != results["skipped"]
    _SentenceInput.stack_skipped = True  # type: ignore[attr-defined]
    return {
        "texts": len(texts),
        "different_results": different,
        "nlu_cpu_ms_per_text": {k: round(1000 * v / len(texts), 2) for k, v in cpu.items()},
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from channels import rasa_speedups
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier
    from rasa.nlu.selectors.response_selector import ResponseSelector
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment
    from tracker_stores.scrubbing import pop_understanding

    setup_tf_environment()  # what ``rasa run`` does first (thread counts from the environment)
    # Rasa's structured logs as ``rasa run`` sets them up (LOG_LEVEL, else INFO). Unconfigured,
    # structlog rendered every debug event to stdout: ≈ 5 % of a turn the server never spends.
    configure_structlog()
    unpatched = _methods()
    applied = rasa_speedups.apply()
    agent = await load_agent(
        model_path=args.model, endpoints=AvailableEndpoints.read_endpoints(args.endpoints)
    )
    texts: list[list[str]] = json.loads(Path(args.conversations).read_text(encoding="utf-8"))
    if args.nlu_ab or args.stack_ab:
        typed = [t for c in texts for t in c if not t.startswith("/")]
        if args.stack_ab:
            await stack_ab(agent, typed[:10])  # warm both paths (graphs, caches)
            return await stack_ab(agent, typed[10:])
        await nlu_ab(agent, typed[:10], unpatched)  # warm both paths (graphs, caches)
        return await nlu_ab(agent, typed[10:], unpatched)
    totals: dict[str, float] = defaultdict(float)
    processor = agent.processor
    _timed_async(processor, "parse_message", totals, "nlu")
    _timed_async(processor.tracker_store, "save", totals, "save")
    _timed_async(processor.tracker_store, "retrieve", totals, "retrieve")
    _timed_sync(processor, "_predict_next_with_tracker", totals, "predict")
    _timed_async(processor, "_run_action", totals, "actions")
    diet_process: Callable[..., Any] = DIETClassifier.process
    selector_process: Callable[..., Any] = ResponseSelector.process
    _timed_sync(DIETClassifier, "process", totals, "diet")
    _timed_sync(ResponseSelector, "process", totals, "response_selector")
    replies: list[list[dict[str, Any]]] = []

    async def one(sender: str, text: str) -> None:
        collector = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, collector, sender, input_channel="participa"))
        # What the model understood (intent, FAQ answer and both confidences, exact floats).
        understood = pop_understanding(sender) or {}
        replies.append([understood] + [
            {"text": m.get("text"), "buttons": m.get("buttons")} for m in collector.messages
        ])

    for i, conversation in enumerate(texts[: args.warmup]):  # TF graphs, caches, connections
        for text in conversation:
            await one(f"warm-{args.tag}-{i}", text)
    totals.clear()
    replies.clear()
    print("READY", flush=True)  # the driver starts every checkout's measurement at once
    sys.stdin.readline()
    messages = 0
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    wall = time.perf_counter()
    cpu = time.process_time()
    for i, conversation in enumerate(texts[args.warmup:]):
        for text in conversation:
            await one(f"bench-{args.tag}-{i}", text)
            messages += 1
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    DIETClassifier.process = diet_process  # type: ignore[method-assign]
    ResponseSelector.process = selector_process  # type: ignore[method-assign]
    per_message = {k: round(1000 * v / messages, 2) for k, v in sorted(totals.items())}
    return {
        "speedups_applied": applied,
        "messages": messages,
        "cpu_ms_per_message": round(1000 * cpu / messages, 2),
        "wall_ms_per_message": round(1000 * wall / messages, 2),
        "parts_ms_per_message": per_message,
        "replies": replies,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--endpoints", required=True)
    parser.add_argument("--conversations", required=True, help="JSON: a list of lists of texts")
    parser.add_argument("--warmup", type=int, default=5, help="conversations before measuring")
    parser.add_argument("--tag", default="x", help="sender id prefix (two runs on one database)")
    parser.add_argument("--nlu-ab", action="store_true",
                        help="only NLU: Rasa's code and ours alternately on each text")
    parser.add_argument("--stack-ab", action="store_true",
                        help="only NLU: per-token matrices stacked and not, alternately")
    parser.add_argument("--profile", help="write cProfile stats (CPU time) of the measured part here")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print("RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
