"""The safety net reads a message once: each normalisation of its text is worked out a single
time per message (`reading`), with the same verdicts and the same model features as before."""

from __future__ import annotations

import zlib

import pytest

from bot.conversation import safety
from bot.conversation.safety import load_safety_net, reading
from tests.conversation.test_safety_speed import MESSAGES


class _FeatureModel:
    """A stand-in learned model whose verdict depends on every character of its features."""

    threshold = 0.5

    def probabilities(self, features: str) -> tuple[float, float]:
        spread = zlib.crc32(features.encode()) % 100 / 100
        return spread, (1 - spread) / 3


def _everything(net: safety.SafetyNet, text: str) -> tuple[object, ...]:
    stripped = text.strip()
    return (net._assess_with_rule(text), net.is_quick_exit(stripped), net.without_figures(text),
            net.is_violence_story(stripped), net.about_someone_else(text), net.features(text),
            net._second_opinion(text, safety.Level.NONE), net._is_sensitive_text(text))


def test_reading_once_gives_every_verdict_and_feature_it_gave_before() -> None:
    net = load_safety_net()
    net.adopt(_FeatureModel())  # type: ignore[arg-type]
    afresh = [_everything(net, t) for t in MESSAGES]
    with_memo = []
    for text in MESSAGES:
        with reading():
            with_memo.append(_everything(net, text))
    assert with_memo == afresh


def test_a_message_is_normalised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    net = load_safety_net()
    net.adopt(_FeatureModel())  # type: ignore[arg-type]
    text = "mi pareja me pegaba hace años, hoy me encerró, ¿qué hago? me muero de miedo"
    seen: list[str] = []
    normalise = safety.SafetyNet._normalise

    def counted(self: safety.SafetyNet, value: str) -> str:
        seen.append(value)
        return normalise(self, value)

    monkeypatch.setattr(safety.SafetyNet, "_normalise", counted)
    _everything(net, text)
    assert seen.count(text) > 3  # without a reading: afresh every time (as before)
    seen.clear()
    with reading():
        _everything(net, text)
    assert seen.count(text) == 1


def test_nothing_read_outlives_the_message() -> None:
    net = load_safety_net()
    with reading():
        net.assess("me está pegando mi esposo ahorita")
        assert safety._READING.get()  # the readings of this message, while it is read
    assert safety._READING.get() is None
    net.assess("ya viene y trae un cuchillo")  # the net's own reading ends with its verdict
    assert safety._READING.get() is None
