"""`participa ask` as DESIGN.md specifies it, against the shared Rasa server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.rasa.servers import RunningServers

pytestmark = pytest.mark.integration


def _ask(rasa: RunningServers, *args: str, stdin: str | None = None) -> list[dict]:  # type: ignore[type-arg]
    env = dict(os.environ, RASA_URL=rasa.rasa_url)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_each_text_is_one_json_line_with_the_contract_keys(rasa_stack: RunningServers) -> None:
    lines = _ask(rasa_stack, "que es el gobierno abierto", "como pido informacion publica")
    assert len(lines) == 2
    for line in lines:
        assert set(line) >= {"text", "intent", "confidence", "emergency", "replies"}
        assert line["emergency"] is False
        assert line["intent"] == "faq"
        assert "Fuente:" in line["replies"][0]["text"]
    assert "gobierno abierto" in lines[0]["replies"][0]["text"].lower()
    assert "Plataforma Nacional de Transparencia" in lines[1]["replies"][0]["text"]


def test_stdin_lines_are_separate_inputs(rasa_stack: RunningServers) -> None:
    lines = _ask(rasa_stack, stdin="hola\nme esta golpeando mi esposo\n")
    assert [line["intent"] for line in lines] == ["greet", "emergency"]
    assert lines[1]["emergency"] is True
    assert "911" in lines[1]["replies"][0]["text"]


def test_sender_keeps_one_conversation_and_numbers_press_buttons(rasa_stack: RunningServers) -> None:
    lines = _ask(rasa_stack, "--sender", "it-cli-sender", "/ver_temas", "1", "1")
    assert lines[0]["intent"] == "ver_temas"
    assert lines[1]["intent"] == "ver_tema"
    assert "Fuente:" in lines[2]["replies"][0]["text"]
