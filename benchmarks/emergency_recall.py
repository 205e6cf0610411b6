"""How well the safety net spots danger: recall and false alarms on the dev and held-out sets.

The patterns (content/emergency.yml) are tuned on benchmarks/data/emergency_dev.yml only;
benchmarks/data/emergency_heldout.yml was written first and is never tuned on, so its numbers
estimate what real messages will get. Targets on the held-out set: recall >= 0.98 and false
alarms <= 0.03 (tests/conversation/test_safety.py fails below them).

Usage: .venv/bin/python benchmarks/emergency_recall.py [--show-errors]
Writes benchmarks/results/emergency_recall.{md,json}.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DATA, machine, percentile, write_result  # noqa: E402
from bot.conversation.safety import SafetyNet, load_safety_net  # noqa: E402

TARGET_RECALL = 0.98
TARGET_FALSE_ALARMS = 0.03
SETS = {"dev": DATA / "emergency_dev.yml", "heldout": DATA / "emergency_heldout.yml"}


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


def load_set(path: Path) -> tuple[list[str], list[str]]:
    data = yaml.safe_load(path.read_text("utf-8"))
    return [str(m) for m in data["danger"]], [str(m) for m in data["not_danger"]]


def score(net: SafetyNet, path: Path) -> Score:
    danger, negatives = load_set(path)
    result = Score(danger=len(danger), negatives=len(negatives))
    for message in danger:
        if net.is_emergency(message):
            result.caught += 1
        else:
            result.missed.append(message)
    for message in negatives:
        if net.is_emergency(message):
            result.false_alarms += 1
            result.alarms.append(message)
    return result


def time_per_message_us(net: SafetyNet, messages: list[str], rounds: int = 20) -> dict[str, float]:
    timings: list[float] = []
    for _ in range(rounds):
        for message in messages:
            started = time.perf_counter()
            net.is_emergency(message)
            timings.append((time.perf_counter() - started) * 1e6)
    return {"p50": percentile(timings, 0.5), "p95": percentile(timings, 0.95)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="print the dev set's errors")
    parser.add_argument(
        "--dev-only", action="store_true", help="while tuning: score the dev set only, write nothing"
    )
    args = parser.parse_args()
    net = load_safety_net()
    if args.dev_only:
        dev = score(net, SETS["dev"])
        print(f"dev recall {dev.recall:.1%} ({dev.caught}/{dev.danger})  "
              f"false alarms {dev.false_alarm_rate:.1%} ({dev.false_alarms}/{dev.negatives})")
        for m in dev.missed:
            print(f"   missed: {m}")
        for m in dev.alarms:
            print(f"   alarm:  {m}  <- {net.matching_rule(m).match.pattern[:80]}")  # type: ignore[union-attr]
        return 0
    scores = {name: score(net, path) for name, path in SETS.items()}
    everything = [m for path in SETS.values() for part in load_set(path) for m in part]
    timing = time_per_message_us(net, everything)
    held = scores["heldout"]
    data = {
        "machine": machine(),
        "targets": {"recall": TARGET_RECALL, "false_alarms": TARGET_FALSE_ALARMS},
        "rules": len(net.rules),
        "time_per_message_us": timing,
        "sets": {
            name: {
                "danger": s.danger, "caught": s.caught, "recall": round(s.recall, 4),
                "negatives": s.negatives, "false_alarms": s.false_alarms,
                "false_alarm_rate": round(s.false_alarm_rate, 4),
                "missed": s.missed, "alarms": s.alarms,
            }
            for name, s in scores.items()
        },
        "heldout_meets_targets": held.meets_targets(),
    }
    lines = [
        "# Emergency safety net: recall and false alarms",
        "",
        f"Run: {data['machine']['date']} · {len(net.rules)} patterns in content/emergency.yml · "
        f"`.venv/bin/python benchmarks/emergency_recall.py`",
        "",
        "Patterns are tuned on the dev set only. The held-out set was written (and committed) before "
        "any tuning and is never tuned on. But both sets and the patterns were written by the same "
        "author, who had read the held-out set before writing the patterns: its figures are an "
        "optimistic estimate. The dev set's second batch, written after the first tuning round, "
        "scored 96 % recall before it was tuned on, which is a fairer guess for new wording. "
        "A held-out set written by other people (or anonymised real messages) is the real test.",
        "",
        "| set | danger | caught | recall | hard negatives | false alarms | rate |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        lines.append(
            f"| {name} | {s.danger} | {s.caught} | {s.recall:.1%} | {s.negatives} | "
            f"{s.false_alarms} | {s.false_alarm_rate:.1%} |"
        )
    lines += [
        "",
        f"Targets on held-out: recall ≥ {TARGET_RECALL:.0%}, false alarms ≤ {TARGET_FALSE_ALARMS:.0%} "
        f"→ **{'met' if held.meets_targets() else 'NOT met'}**.",
        "",
        f"Time per message: p50 {timing['p50']:.0f} µs, p95 {timing['p95']:.0f} µs.",
        "",
        "## Held-out errors",
        "",
        "Missed: " + (", ".join(f"«{m}»" for m in held.missed) or "none"),
        "",
        "False alarms: " + (", ".join(f"«{m}»" for m in held.alarms) or "none"),
        "",
    ]
    write_result("emergency_recall", data, "\n".join(lines))
    for name, s in scores.items():
        print(
            f"{name:8} recall {s.recall:.1%} ({s.caught}/{s.danger})  "
            f"false alarms {s.false_alarm_rate:.1%} ({s.false_alarms}/{s.negatives})"
        )
        if args.show_errors and name == "dev":
            for m in s.missed:
                print(f"   missed: {m}")
            for m in s.alarms:
                print(f"   alarm:  {m}  <- {net.matching_rule(m).match.pattern[:70]}")  # type: ignore[union-attr]
    return 0 if held.meets_targets() else 1


if __name__ == "__main__":
    raise SystemExit(main())
