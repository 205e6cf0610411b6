"""The safety net's examples keep every level covered, so the speed-ups are checked on all of them."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.conversation.safety import Level, safety_net

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def _messages() -> list[str]:
    texts: list[str] = []
    for name in ("emergency_dev.yml", "emergency_heldout.yml", "emergency_fresh.yml"):
        data = yaml.safe_load((DATA / name).read_text("utf-8")) or {}
        texts += [t for items in data.values() if isinstance(items, list)
                  for t in items if isinstance(t, str)]
    return texts


MESSAGES = _messages()


def test_the_examples_cover_every_level() -> None:
    net = safety_net()
    assert {net.assess(t) for t in MESSAGES} == set(Level)
