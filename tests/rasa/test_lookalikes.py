"""The look-alikes' training examples (nlu/data/lookalikes.yml, issue 14): words of danger that
ask something else. The model learns them as questions, so the safety net must not take any for
danger, or the model would be taught to answer what the bot would never let through."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.conversation.safety import Level, safety_net

LOOKALIKES = Path(__file__).resolve().parents[2] / "nlu" / "data" / "lookalikes.yml"


def _examples() -> list[tuple[str, str]]:
    data = yaml.safe_load(LOOKALIKES.read_text("utf-8"))
    return [(block["intent"], line.removeprefix("- ").strip())
            for block in data["nlu"] for line in block["examples"].splitlines() if line.strip()]


def test_no_look_alike_raises_the_alarm_or_reads_as_violence_told() -> None:
    net = safety_net()
    assert [text for _intent, text in _examples() if net.assess(text) >= Level.DISCLOSURE] == []


def test_the_examples_of_a_violence_answer_are_kept_out_of_storage() -> None:
    net = safety_net()
    violence = [text for intent, text in _examples()
                if intent in ("faq/programas_violencia", "faq/como_denunciar_violencia",
                              "faq/tipos_violencia")]
    assert violence and [text for text in violence if not net.is_sensitive(text)] == []
