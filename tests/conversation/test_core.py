"""The core's own replies: bad input, emergencies and Rasa down, without a Rasa server.

"Rasa down" is real: the client points at a closed local port.
"""

from __future__ import annotations

import pytest

from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.servers import free_port


@pytest.fixture
async def down_core():  # type: ignore[no-untyped-def]
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    yield ConversationCore(client, record_usage=False)
    await client.aclose()


async def test_rasa_down_gives_menu_and_emergency_lines(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u1", "que es el gobierno abierto")
    assert not turn.emergency
    text = turn.replies[0].text
    assert "problema técnico" in text
    assert "911" in text and "800 108 40 53" in text
    assert turn.replies[0].buttons, "the menu comes with it"


async def test_danger_is_answered_first_even_with_rasa_down(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u2", "me está pegando mi pareja, auxilio")
    assert turn.emergency
    assert turn.intent == "emergency"
    assert "911" in turn.replies[0].text
    assert turn.replies[0].buttons[0].payload == "/buscar_centro"


@pytest.mark.parametrize(
    ("text", "intent", "fragment"),
    [
        ("", "empty", "No me llegó"),
        ("   \n ", "empty", "No me llegó"),
        ("😀😀😀", "no_words", "no encuentro palabras"),
        ("???", "no_words", "no encuentro palabras"),
        ("/borrartodo", "unknown_command", "No conozco el comando /borrartodo"),
        ("/elegir_temaX", "unknown_command", "No conozco el comando"),
    ],
)
async def test_bad_input_gets_a_clear_spanish_reply(
    down_core: ConversationCore, text: str, intent: str, fragment: str
) -> None:
    turn = await down_core.handle("u3", text)
    assert turn.intent == intent
    assert fragment in turn.replies[0].text


async def test_huge_message_is_refused_politely(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u4", "a" * 100_000)
    assert turn.intent == "too_long"
    assert "100,000 caracteres" in turn.replies[0].text


async def test_huge_message_in_danger_still_gets_help(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u5", "bla " * 5_000 + " tengo miedo de que me mate")
    assert turn.emergency


async def test_no_rasa_configured_still_answers() -> None:
    core = ConversationCore(None, record_usage=False)
    turn = await core.handle("u6", "hola")
    assert "problema técnico" in turn.replies[0].text
