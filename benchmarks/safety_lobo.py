"""Leave-one-batch-out: how the safety net scores wording its learned model never saw.

Every dev batch (benchmarks/data/safety/batch*.yml) is trained on, so its row in
benchmarks/emergency_recall.py says only that its kinds are fixed. Here, for each batch in turn,
the learned second opinion (bot/conversation/safety_model.py) is trained on everything but that
batch and the whole net (patterns, then the model) scores the batch left out. The mean over the
batches is the figure that predicts the next sealed batch (issue 14) — for the model's part: the
patterns were written after reading every batch, so their share of each row is optimistic.

The threshold curve (recall and false alarms at each threshold, over all the folds) is printed
so the threshold is chosen on every batch at once, not on one. Each fold also scores the
held-out files (``heldout*.yml``, never trained on) with its smaller model.

Usage: .venv/bin/python benchmarks/safety_lobo.py [--batches 1,2] [--thresholds 0.9,0.95]
       [--json out.json] [--skip-examples safety_examples_round11.yml] [--no-tail] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import smoke, smoke_option  # noqa: E402
from benchmarks.emergency_recall import load_set  # noqa: E402
from bot.content.files import content_dir  # noqa: E402
from bot.conversation import safety_model  # noqa: E402
from bot.conversation.safety import Level, SafetyNet, load_safety_net  # noqa: E402

SAFETY = Path(__file__).resolve().parent / "data" / "safety"
THRESHOLDS = (0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98)


def batches() -> list[Path]:
    return sorted(SAFETY.glob("batch*.yml"), key=lambda p: int(p.stem.removeprefix("batch")))


def examples_without(net: SafetyNet, left_out: Path) -> safety_model.Examples:
    """The model's training examples, less every text of ``left_out``."""
    everything = safety_model.collect(
        content_dir(), None,
        crisis_of=lambda t: net.assess(t) == Level.CRISIS,
        violence_of=lambda t: net.assess(t) >= Level.DISCLOSURE or net.is_violence_story(t))
    danger, negatives = load_set(left_out)
    gone = set(danger) | set(negatives)
    kept = safety_model.Examples()
    for text, label, kind in zip(everything.texts, everything.labels, everything.kinds, strict=True):
        if text not in gone:
            kept.add(text, safety_model.LABELS[label], kind)
    return kept


def score(net: SafetyNet, path: Path, model_alone: bool = False) -> dict[str, Any]:
    """The net's verdicts on one set (or, with ``model_alone``, the learned model's own)."""
    danger, negatives = load_set(path)

    def flagged(message: str) -> bool:
        return net.learned_level(message) is not None if model_alone else net.is_emergency(message)

    missed = [m for m in danger if not flagged(m)]
    alarms = [m for m in negatives if flagged(m)]
    return {"danger": len(danger), "caught": len(danger) - len(missed),
            "negatives": len(negatives), "alarms": len(alarms), "missed": missed,
            "false_alarms": alarms}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", help="only these batch numbers (comma-separated)")
    parser.add_argument("--thresholds", help="comma-separated thresholds for the curve")
    parser.add_argument("--json", help="write every fold's figures and misses here")
    parser.add_argument("--skip-examples", default="",
                        help="example files left out (comma-separated names), to measure without them")
    parser.add_argument("--no-tail", action="store_true",
                        help="do not weigh a message's end on its own (SafetyNet._tail)")
    smoke_option(parser)
    args = parser.parse_args()
    tiny = smoke(args)  # one batch, one threshold, a fifth of the examples: that it runs
    skipped = {s for s in args.skip_examples.split(",") if s}
    if skipped:
        every_file = safety_model.example_files
        safety_model.example_files = lambda content: [  # type: ignore[assignment]
            p for p in every_file(content) if p.name not in skipped]
    if args.no_tail:
        SafetyNet._tail = staticmethod(lambda text: None)  # type: ignore[method-assign]
    thresholds = tuple(float(t) for t in args.thresholds.split(",")) if args.thresholds \
        else THRESHOLDS
    patterns = load_safety_net()
    chosen = sorted(batches(), key=lambda p: int(p.stem.removeprefix("batch")))
    if args.batches:
        wanted = {f"batch{n}" for n in args.batches.split(",")}
        chosen = [p for p in chosen if p.stem in wanted]
    if tiny:
        chosen, thresholds = chosen[:1], (0.97,)
    heldouts = sorted(SAFETY.glob("heldout*.yml"))
    folds: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for left_out in chosen:
        examples = examples_without(patterns, left_out)
        step = 5 if tiny else 1
        texts = [patterns.features(t) for t in examples.texts[::step]]
        pipeline = safety_model._pipeline().fit(texts, examples.labels[::step])
        fold: dict[str, Any] = {}
        for t in thresholds:
            model = safety_model.SafetyModel(pipeline, t, "lobo")
            net = replace(patterns, model=model)
            fold[str(t)] = {"left_out": score(net, left_out),
                            **{h.stem: score(net, h) for h in heldouts}}
            # the model alone: the patterns were written after reading every batch, so the
            # net's row is optimistic; this is the part that never saw the batch
            fold[f"model {t}"] = {"left_out": score(net, left_out, model_alone=True)}
        fold["patterns"] = {"left_out": score(patterns, left_out)}
        folds[left_out.stem] = fold
        row = fold[str(thresholds[len(thresholds) // 2])]["left_out"]
        print(f"{left_out.stem:8} {row['caught']}/{row['danger']} caught, "
              f"{row['alarms']}/{row['negatives']} alarms at {thresholds[len(thresholds) // 2]} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    print("\nthreshold  mean recall  mean FA  | pooled recall  pooled FA  | " +
          "  ".join(f"{h.stem} recall/FA (mean of folds)" for h in heldouts))
    curve: dict[str, Any] = {}
    for key in [*map(str, thresholds), "patterns", *(f"model {t}" for t in thresholds)]:
        rows = [f[key]["left_out"] for f in folds.values()]
        recall = sum(r["caught"] / r["danger"] for r in rows) / len(rows)
        fa = sum(r["alarms"] / r["negatives"] for r in rows) / len(rows)
        pooled_r = sum(r["caught"] for r in rows) / sum(r["danger"] for r in rows)
        pooled_fa = sum(r["alarms"] for r in rows) / sum(r["negatives"] for r in rows)
        held = []
        for h in heldouts:
            if key == "patterns" or key.startswith("model"):
                break
            hs = [f[key][h.stem] for f in folds.values()]
            held.append(f"{sum(x['caught'] for x in hs) / sum(x['danger'] for x in hs):.1%}/"
                        f"{sum(x['alarms'] for x in hs) / sum(x['negatives'] for x in hs):.1%}")
        curve[key] = {"mean_recall": recall, "mean_false_alarms": fa, "pooled_recall": pooled_r,
                      "pooled_false_alarms": pooled_fa}
        print(f"{key:>10}  {recall:10.1%}  {fa:7.1%}  | {pooled_r:13.1%}  {pooled_fa:9.1%}  | "
              + "  ".join(held))
    if args.json:
        Path(args.json).write_text(json.dumps({"curve": curve, "folds": folds},
                                              ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
