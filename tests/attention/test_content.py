"""content/attention.yml: complete, short buttons, and the words that give the bot back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.attention.content import attention_content, check_attention_content
from bot.config import get_settings


@pytest.mark.parametrize("text", ["terminar", "Terminar.", "ya terminé", "volver al bot", "TERMINA"])
def test_end_words(text: str) -> None:
    assert attention_content("es_MX").is_end(text)


@pytest.mark.parametrize("text", ["no quiero terminar así", "¿cuándo terminan?", "hola"])
def test_other_messages_do_not_end_the_conversation(text: str) -> None:
    assert not attention_content("es_MX").is_end(text)


def test_the_check_reports_a_missing_message_and_a_long_button(tmp_path: Path) -> None:
    data = yaml.safe_load((get_settings().content_dir / "attention.yml").read_text("utf-8"))
    del data["messages"]["received"]
    data["buttons"]["end"] = "Terminar la conversación con el equipo, por favor"
    (tmp_path / "attention.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    problems = " ".join(check_attention_content(tmp_path))
    assert "received" in problems
    assert check_attention_content(get_settings().content_dir) == []


def test_english_interface() -> None:
    assert attention_content("en").buttons["ask"] == "Talk to a person"
