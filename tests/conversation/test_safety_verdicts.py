"""The safety net gives a text read before the same verdict without reading it again."""

from __future__ import annotations

from bot.conversation.safety import Level, load_safety_net
from tests.conversation.test_safety_speed import MESSAGES


class _SureModel:
    """A stand-in learned model that finds danger in anything long enough to weigh."""

    threshold = 0.5

    def probabilities(self, features: str) -> tuple[float, float]:
        return 0.9, 0.0


def test_a_text_asked_again_gets_the_verdict_it_got_when_first_read() -> None:
    net = load_safety_net()
    first = [net.assess_with_rule(t) for t in MESSAGES]
    assert [net.assess_with_rule(t) for t in MESSAGES] == first
    assert [net._assess_with_rule(t) for t in MESSAGES] == first  # read afresh: the same
    assert {level for level, _ in first} == set(Level)


def test_a_model_taken_later_reads_every_text_afresh() -> None:
    net = load_safety_net()
    text = "oigan mi vecino se la pasa gritando en la calle de noche"
    assert net.assess(text) < Level.CRISIS  # the patterns alone
    net.adopt(_SureModel())  # type: ignore[arg-type]
    assert net.assess(text) == Level.EMERGENCY  # not the verdict remembered from before


def test_no_text_is_kept_only_its_digest() -> None:
    net = load_safety_net()
    net.assess("me está pegando mi esposo ahorita")
    assert all(isinstance(k, bytes) and len(k) == 16 for k in net._verdicts)
    assert not any(isinstance(k, str) for k in net._verdicts)
