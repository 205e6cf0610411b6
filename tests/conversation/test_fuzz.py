"""Fuzz: over 10,000 random and malicious inputs through the core and the Telegram rendering.

The core runs offline (``rasa=None``: deterministic and fast) on a real SQLite database, so
``/mis_datos`` and ``/borrar`` with garbage really query it. Inputs: random unicode with
control characters, emoji, huge strings, HTML and Markdown markup, SQL-looking text,
commands with garbage, and button payloads with JSON garbage. For every one: no exception;
every reply is non-empty Spanish; every chunk the renderer makes is HTML that Telegram reads
as plain text (no tag, comment or entity the renderer did not mean, checked with
html.parser), fits one message and loses no visible character; every button's callback data
fits 64 bytes and leads back to its payload.

``derandomize=True`` makes the examples the same on every run (CI repeatable) and
``database=None`` leaves no ``.hypothesis`` folder behind.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram import normalise_command
from bot.channels.telegram_render import PayloadKeys, html_chunks, keyboard
from bot.conversation.core import COMMANDS, ConversationCore
from bot.conversation.replies import Button, Turn
from bot.privacy import dialogue as privacy_flows
from bot.storage.db import make_engine, upgrade
from bot.textnorm import normalize_words

ALLOWED_TAGS: frozenset[str] = frozenset()  # telegram_render escapes everything; it emits no tag
SPANISH = frozenset(["de", "la", "el", "que", "tu", "te", "no", "y", "en", "un", "una", "tus", "lo",
                     "para", "con", "por", "mi", "me", "es", "se", "los", "las", "esto", "puedo",
                     "escribe", "aqui", "ya", "borre", "guardo", "ningun", "dato"])
SETTINGS = {"deadline": None, "derandomize": True, "database": None,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.large_base_example]}
EXAMPLES = {"text": 4_000, "commands": 3_000, "render": 2_500, "buttons": 1_000}

MARKUP = ["<b>", "</b>", "<i>x</i>", "<script>alert(1)</script>", "<a href='javascript:x'>", "&",
          "&amp;", "&lt;", "&#60;", "&#x3c;", "&nbsp", "<!--", "-->", "<![CDATA[", "<?xml?>", "<!DOCTYPE",
          "*negritas*", "_cursiva_", "`código`", "```", "[enlace](http://x.mx)", "~~", "||spoiler||",
          "\\", "<", ">", "</", "<tg-spoiler>", "<pre><code>", "\u202e", "\u200b", "\ufeff", "\x00",
          "\r\n", "\n\n", "\t"]
SQL = ["'; DROP TABLE proposals; --", "1 OR 1=1", "\" OR \"\"=\"", "UNION SELECT * FROM consents",
       "'); DELETE FROM events; --", "%' OR '%'='", "admin'--", "; SELECT pg_sleep(5);"]
EMOJI = ["😀", "🆘", "👩‍👧", "🏳️‍🌈", "❤️", "🇲🇽", "🙏🏽", "🔥"]
SPANISH_WORDS = ["hola", "quiero", "borrar", "mis datos", "privacidad", "propuesta", "ayuda",
                 "baches", "Toluca", "¿qué", "es?", "sí", "no", "cancelar", "salida rápida"]
KNOWN_COMMANDS = [*COMMANDS, *privacy_flows.COMMANDS, privacy_flows.CONFIRM, privacy_flows.CANCEL,
                  "/elegir_tema", "/ver_tema", "/buscar_centro", "/salida_rapida", "/apoyar_propuesta",
                  "/confirmar_propuesta", "/suscribir", "/ubicacion"]

fragment = st.one_of(
    st.text(max_size=40),
    st.sampled_from(MARKUP), st.sampled_from(SQL), st.sampled_from(EMOJI),
    st.sampled_from(SPANISH_WORDS),
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=10),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"]),
            max_size=10),
)
message = st.one_of(
    st.lists(fragment, max_size=8).map("".join),
    st.builds(lambda piece, times: piece * times, fragment, st.integers(50, 1_500)),  # huge
)
json_garbage = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
command = st.one_of(
    st.builds(lambda c, sep, rest: c + sep + rest, st.sampled_from(KNOWN_COMMANDS),
              st.sampled_from(["", " ", "@Participa_bot ", "\n"]), message),
    st.builds(lambda c, data: c + json.dumps(data, ensure_ascii=False),
              st.sampled_from(KNOWN_COMMANDS), json_garbage),
    st.builds(lambda c, raw: c + "{" + raw + "}", st.sampled_from(KNOWN_COMMANDS), st.text(max_size=30)),
    st.builds(lambda raw: "/" + raw, st.text(max_size=30)),
    st.builds(lambda t: '/borrar_si{"t":"' + t + '"}', st.text(max_size=40)),
)


class StrictHtml(HTMLParser):
    """Everything Telegram's HTML parser would treat as markup, collected for inspection."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp"):
            self.problems.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.problems.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("unknown declaration")


def assert_safe_html(chunk: str) -> None:
    parser = StrictHtml()
    parser.feed(chunk)
    parser.close()
    assert not parser.problems, (parser.problems, chunk[:200])
    assert {t.lstrip("/") for t in parser.tags} <= ALLOWED_TAGS, (parser.tags, chunk[:200])
    assert "<" not in chunk and ">" not in chunk, chunk[:200]
    assert not re.search(r"&(?!(?:amp|lt|gt);)", chunk), chunk[:200]
    assert len(html.unescape(chunk)) <= 4096


def assert_renders(text: str) -> None:
    chunks = html_chunks(text)
    for chunk in chunks:
        assert_safe_html(chunk)
    visible = re.sub(r"\s", "", "".join(html.unescape(c) for c in chunks))
    assert visible == re.sub(r"\s", "", text), "no character lost or added"


def assert_spanish_turn(turn: Turn, keys: PayloadKeys) -> None:
    assert turn.replies, "always an answer"
    for reply in turn.replies:
        words = set(normalize_words(reply.text).split())
        assert reply.text.strip() and words & SPANISH, reply.text[:200]
        assert_renders(reply.text)
        markup = keyboard(reply.buttons, keys)
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                assert button.text.strip() and button.callback_data
                assert len(str(button.callback_data).encode()) <= 64


@pytest.fixture(scope="module")
def fuzz_core(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ConversationCore, asyncio.Runner]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    with asyncio.Runner() as runner:
        yield ConversationCore(None, record_usage=False, engine=engine), runner
    engine.dispose()


def run_turn(fuzz_core: tuple[ConversationCore, asyncio.Runner], text: str) -> Turn:
    core, runner = fuzz_core
    return runner.run(core.handle("tg-4242", text, channel="telegram"))


def test_any_text_gets_a_safe_spanish_answer(fuzz_core: tuple[ConversationCore, asyncio.Runner]) -> None:
    keys, seen = PayloadKeys.with_content_payloads(), []

    @settings(max_examples=EXAMPLES["text"], **SETTINGS)
    @given(message)
    def check(text: str) -> None:
        seen.append(text)
        assert_spanish_turn(run_turn(fuzz_core, text), keys)

    check()
    assert len(seen) >= EXAMPLES["text"]


def test_commands_and_payloads_with_garbage(fuzz_core: tuple[ConversationCore, asyncio.Runner]) -> None:
    keys, seen = PayloadKeys.with_content_payloads(), []

    @settings(max_examples=EXAMPLES["commands"], **SETTINGS)
    @given(command)
    def check(text: str) -> None:
        seen.append(text)
        normalised, _ = normalise_command(text)  # what the Telegram channel does first
        turn = run_turn(fuzz_core, normalised)
        assert_spanish_turn(turn, keys)
        if turn.intent == "borrar_confirmado":
            assert "Ese botón ya venció" in turn.replies[0].text, "a forged confirmation is refused"

    check()
    assert len(seen) >= EXAMPLES["commands"]


def test_rendering_any_text_is_safe_html(fuzz_core: tuple[ConversationCore, asyncio.Runner]) -> None:
    seen = []

    @settings(max_examples=EXAMPLES["render"], **SETTINGS)
    @given(message)
    def check(text: str) -> None:
        seen.append(text)
        assert_renders(text)

    check()
    assert len(seen) >= EXAMPLES["render"]


def test_any_button_fits_telegram_and_leads_back_to_its_payload() -> None:
    seen = []

    @settings(max_examples=EXAMPLES["buttons"], **SETTINGS)
    @given(st.lists(st.tuples(st.text(max_size=80), st.one_of(command, st.text(max_size=200))),
                    min_size=1, max_size=8))
    def check(pairs: list[tuple[str, str]]) -> None:
        seen.append(pairs)
        keys = PayloadKeys()
        buttons = [Button(title, payload) for title, payload in pairs]
        markup = keyboard(buttons, keys)
        assert markup is not None
        for button, [rendered] in zip(buttons, markup.inline_keyboard, strict=True):
            assert rendered.text.strip()
            data = str(rendered.callback_data)
            assert 1 <= len(data.encode()) <= 64
            assert (keys.payload_for(data) or "") == button.payload

    check()
    assert len(seen) >= EXAMPLES["buttons"]
