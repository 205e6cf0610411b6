"""The safety net's shortcuts give the verdicts of the plain reading, on every example we have."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.conversation.safety import Level, first_hit, safety_net

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


@pytest.mark.parametrize("kind", ["crisis", "danger"])
def test_the_first_rule_found_is_the_one_every_rule_in_turn_finds(kind: str) -> None:
    net = safety_net()
    rules = net.crisis_rules if kind == "crisis" else net.rules
    for text in MESSAGES:
        normalised, raw = net._read(text)
        expected = next((r for r in rules if r.hits(normalised, raw)), None)
        assert first_hit(rules, normalised, raw) is expected, text


def test_a_story_of_violence_is_sensitive_whether_or_not_its_reading_is_reused() -> None:
    net = safety_net()
    for text in MESSAGES:
        normalised, _raw = net._read(text)
        assert net._is_sensitive_text(text, normalised) == net._is_sensitive_text(text), text
