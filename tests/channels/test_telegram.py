"""Unit tests of the Telegram front's pure parts: keys, splitting, escaping, flood control."""

from __future__ import annotations

import json
import logging

import pytest

from bot.channels.flood import FloodControl
from bot.channels.telegram import normalise_command
from bot.channels.telegram_render import PayloadKeys, content_payloads, html_chunks, split_text
from bot.content.chat import load_telegram_commands, telegram_commands
from bot.logs import JsonFormatter


def test_long_payloads_get_short_keys_that_resolve_back() -> None:
    keys = PayloadKeys()
    long_payload = '/elegir_tema{"tema":"quien_resuelve_recursos_edomex_y_algo_mas_largo"}'
    key = keys.key_for(long_payload)
    assert len(key.encode()) <= 64
    assert keys.payload_for(key) == long_payload
    assert keys.key_for("/ver_temas") == "/ver_temas"


def test_unknown_keys_are_reported_as_stale() -> None:
    assert PayloadKeys().payload_for("k:0123456789abcdef") is None
    assert PayloadKeys().payload_for("") is None


def test_old_keys_are_evicted_beyond_capacity() -> None:
    keys = PayloadKeys(capacity=2)
    first = keys.key_for("/x" + "a" * 70)
    keys.key_for("/x" + "b" * 70)
    keys.key_for("/x" + "c" * 70)
    assert keys.payload_for(first) is None


def test_content_payloads_resolve_in_a_fresh_process() -> None:
    """Keys are hashes and content/ payloads are registered at start: a restart breaks no menu."""
    long_payload = '/elegir_tema{"tema":"' + "participacion_" * 5 + '"}'
    key = PayloadKeys().key_for(long_payload)
    fresh = PayloadKeys(capacity=1)
    fresh.register([long_payload])
    fresh.key_for("/x" + "z" * 80)  # fills the LRU: registered keys do not live there
    assert fresh.payload_for(key) == long_payload
    restarted = PayloadKeys.with_content_payloads()
    for payload in content_payloads():
        assert restarted.payload_for(PayloadKeys().key_for(payload)) == payload
    long_followup = '/faq_fuentes{"tema":"quien_resuelve_recursos_edomex"}'
    assert long_followup in content_payloads(), "«Fuentes» of every FAQ entry survives a restart"
    assert '/faq_detalles{"tema":"solicitud_anonima"}' not in content_payloads(), "no details"


def test_split_text_respects_the_limit_and_paragraphs() -> None:
    text = "\n\n".join(["párrafo " * 50] * 30)
    parts = split_text(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert split_text("corto") == ["corto"]


def test_escaping_happens_after_splitting() -> None:
    text = "&" * 5000  # 5,000 characters, 25,000 once escaped
    chunks = html_chunks(text)
    assert len(chunks) == 2
    assert all(chunk == "&amp;" * (len(chunk) // 5) for chunk in chunks), "no entity cut in half"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", ("/start", None)),
        ("/start campana_1", ("/start campana_1", "campana_1")),
        ("/start@participa_bot campana_1", ("/start campana_1", "campana_1")),
        ("/ayuda@participa_bot", ("/ayuda", None)),
        ("hola /start", ("hola /start", None)),
    ],
)
def test_commands_are_normalised(text: str, expected: tuple[str, str | None]) -> None:
    assert normalise_command(text) == expected


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_flood_control_allows_a_burst_then_spaces_messages_out() -> None:
    clock = FakeClock()
    flood = FloodControl(per_minute=6, clock=clock)  # one every 10 s after a burst of 6
    assert all(flood.admit(1).delay == 0 for _ in range(6))
    seventh, eighth = flood.admit(1), flood.admit(1)
    assert (seventh.delay, seventh.notify) == (10.0, True)
    assert (eighth.delay, eighth.notify) == (20.0, False), "one notice per episode"
    assert flood.admit(2).delay == 0, "other chats are not affected"
    clock.now += 120
    assert flood.admit(1) == flood.admit(2).__class__(), "back to normal after a pause"


def test_flood_control_drops_only_beyond_the_waiting_limit() -> None:
    flood = FloodControl(per_minute=2, max_waiting=3, clock=FakeClock())
    admissions = [flood.admit(1) for _ in range(7)]
    assert [a.drop for a in admissions] == [False] * 5 + [True] * 2


def test_flood_control_memory_is_bounded() -> None:
    clock = FakeClock()
    flood = FloodControl(per_minute=5, clock=clock, max_chats=100)
    for chat in range(1000):
        flood.admit(chat)
        clock.now += 0.001
    assert len(flood._chats) <= 100


def test_the_command_list_is_valid_and_makes_the_botfather_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = telegram_commands().botfather().splitlines()
    assert lines[0].startswith("start - ")
    assert len(lines) == len(telegram_commands().commands)
    bad = "commands:\n  - command: Mal-Comando\n    description: x\n"
    (tmp_path / "telegram_commands.yml").write_text(bad)
    with pytest.raises(Exception, match="telegram_commands.yml"):
        load_telegram_commands(tmp_path)


def test_json_logs_mask_tokens_and_keep_extra_fields() -> None:
    record = logging.makeLogRecord({
        "msg": "telegram.turn https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
        "levelname": "INFO",
        "name": "bot.channels.telegram",
        "intent": "faq",
        "core_ms": 12.5,
    })
    entry = json.loads(JsonFormatter().format(record))
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in entry["event"]
    assert (entry["intent"], entry["core_ms"], entry["level"]) == ("faq", 12.5, "info")
