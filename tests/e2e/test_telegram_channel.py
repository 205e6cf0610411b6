"""The Telegram front through PTB's real HTTP stack, against the Bot API emulator.

The conversation core here is the real one with scripted answers instead of
Rasa (ScriptedCore), so these tests are about what the channel does: HTML,
splitting, buttons, venues, documents, quick exit, typing, limits, blocks,
flood control, commands, webhook. tests/e2e/test_telegram_with_rasa.py runs
the same front with the real Rasa stack.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.campaigns import telegram_chats
from bot.campaigns.dialogue import COMMANDS as SUBSCRIPTION_COMMANDS
from bot.channels.telegram import channel_of
from bot.config import get_settings
from bot.content.chat import chat_content, telegram_commands
from bot.conversation.core import COMMANDS, ConversationCore, payload_intents
from bot.conversation.replies import Button, Reply
from bot.i18n import configured_locale
from bot.identity import chat_hash
from bot.inforequests.dialogue import MINE as MY_REQUESTS
from bot.inforequests.dialogue import START as NEW_REQUEST
from bot.privacy.dialogue import COMMANDS as PRIVACY_COMMANDS
from bot.procurement.follow_dialogue import COMMANDS as FOLLOW_COMMANDS
from bot.rasa.servers import free_port
from bot.serve import RasaState, _Server, http_app
from bot.storage.db import session_scope
from bot.storage.models import TelegramBlockedChat, TelegramDeepLink
from tests.e2e.conftest import ScriptedCore, running_bot
from tests.e2e.emulator import BotApiEmulator

CHAT = 5550001


async def test_command_menu_comes_from_content(emulator: BotApiEmulator) -> None:
    async with running_bot(ScriptedCore(), emulator):
        expected = [
            {"command": c.command, "description": c.description}
            for c in telegram_commands().commands
        ]
        assert emulator.commands == expected
        assert {"/start", "/ayuda", "/propuesta", "/mis_propuestas", "/cancelar", "/suscribir",
                "/baja", "/privacidad", "/mis_datos", "/borrar"} <= set(telegram_commands().names())
        assert emulator.commands_by_language["es"] == expected
        english = {c["command"]: c["description"] for c in emulator.commands_by_language["en"]}
        assert english["start"] == "Start and see what I can do for you"
        assert set(english) == {c["command"] for c in expected}, "the same commands in each language"


async def test_commands_not_built_yet_say_soon_and_show_the_menu(
    emulator: BotApiEmulator,
) -> None:
    pending = [
        name for name in telegram_commands().names()
        if name not in COMMANDS and name[1:] not in payload_intents()
        and name not in PRIVACY_COMMANDS and name not in SUBSCRIPTION_COMMANDS
        and name not in FOLLOW_COMMANDS and name not in {NEW_REQUEST, MY_REQUESTS}
    ]
    async with running_bot(ScriptedCore(), emulator):
        for i, command in enumerate(pending):
            emulator.message(CHAT + i, command)
        for i, command in enumerate(pending):
            [reply] = await emulator.wait_for(CHAT + i)
            assert "pronto" in reply.text and command in reply.text
            assert [b["text"] for b in reply.buttons] == [b.title for b in chat_content().menu.buttons]


async def test_an_oversize_answer_is_split_on_paragraphs(emulator: BotApiEmulator) -> None:
    paragraphs = [f"Párrafo {i}: " + "palabra " * 300 for i in range(6)]  # ~2,400 characters each
    long_text = "\n\n".join(paragraphs)
    script = {"largo": [Reply(long_text, buttons=[Button("Ver el menú", "/help")])]}
    async with running_bot(ScriptedCore(script), emulator):
        emulator.message(CHAT, "largo")
        await emulator.wait_for(CHAT, 6)
        await emulator.settle()
    parts = emulator.sent_to(CHAT)
    assert all(len(p.text) <= 4096 for p in parts)
    assert "\n\n".join(p.text for p in parts) == long_text.strip()
    assert [bool(p.buttons) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_every_dynamic_text_is_escaped(emulator: BotApiEmulator) -> None:
    # The emulator parses HTML like Telegram: an unescaped tag or "&" would be a 400.
    tricky = "Usa <b>negritas</b> & <script>alert(1)</script> y «comillas» 'simples' < 5 > 3 &amp;"
    async with running_bot(ScriptedCore({"x": [Reply(tricky)]}), emulator):
        emulator.message(CHAT, "x")
        [reply] = await emulator.wait_for(CHAT)
    assert reply.text == tricky
    assert reply.params["parse_mode"] == "HTML"


async def test_long_button_payloads_travel_as_short_keys(emulator: BotApiEmulator) -> None:
    payload = '/elegir_tema{"tema":"participación_ciudadana_en_la_mesa_de_cocreación_año_2026"}'
    assert len(payload.encode()) > 64
    core = ScriptedCore({"botones": [Reply("Elige:", buttons=[Button("Mesa", payload)])]})
    async with running_bot(core, emulator):
        emulator.message(CHAT, "botones")
        [menu] = await emulator.wait_for(CHAT)
        assert len(menu.buttons[0]["callback_data"].encode()) <= 64
        update = emulator.press(CHAT, "Mesa")
        await emulator.wait_for(CHAT, 2)
    assert core.seen[-1] == payload
    assert emulator.callback_answered(update["callback_query"]["id"])


class _CountingNet:
    """The real safety net, counting the texts it is asked to assess."""

    def __init__(self, net: object) -> None:
        self._net = net
        self.assessed: list[str] = []

    def assess(self, text: str) -> object:
        self.assessed.append(text)
        return self._net.assess(text)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._net, name)


async def test_a_tapped_button_is_read_by_the_safety_net_once(emulator: BotApiEmulator) -> None:
    """Flood control and the core share one verdict on a tap, as on a typed message."""
    payload = "/cancelar"
    core = ScriptedCore({"botones": [Reply("Elige:", buttons=[Button("Cancelar", payload)])]})
    counting = _CountingNet(core.net)
    core.net = counting  # type: ignore[assignment]
    async with running_bot(core, emulator):
        emulator.message(CHAT, "botones")
        await emulator.wait_for(CHAT)
        counting.assessed.clear()
        emulator.press(CHAT, "Cancelar")
        [_, reply] = await emulator.wait_for(CHAT, 2)
    assert core.seen[-1] == payload
    assert reply.text, "the tap got its answer"
    assert counting.assessed == [payload]


async def test_a_stale_button_gets_a_polite_reply(emulator: BotApiEmulator) -> None:
    async with running_bot(ScriptedCore(), emulator):
        update = emulator.callback(CHAT, "k:0123456789abcdef")
        [reply] = await emulator.wait_for(CHAT)
    assert reply.text == chat_content().core_text("stale_button")
    assert reply.buttons, "the menu comes with it"
    assert emulator.callback_answered(update["callback_query"]["id"]), "no endless spinner"


async def test_menu_buttons_survive_a_restart(emulator: BotApiEmulator) -> None:
    """Keys of content/ payloads are stable, so yesterday's menu still works today."""
    core = ScriptedCore()
    async with running_bot(core, emulator):
        emulator.message(CHAT, "/comando_que_no_existe")  # answered with the menu
        [soon] = await emulator.wait_for(CHAT)
    async with running_bot(core, emulator):  # a new process: nothing in memory
        emulator.callback(CHAT, soon.buttons[0]["callback_data"], soon.message["message_id"])
        await emulator.wait_for(CHAT, 2)
    assert core.seen[-1] == chat_content().menu.buttons[0].payload


async def test_a_location_reply_sends_the_venue_after_the_text(emulator: BotApiEmulator) -> None:
    place = {"lat": 19.2826, "lon": -99.6557, "title": "Centro de prueba", "address": "Calle 1, Toluca"}
    script = {"centro": [Reply("El centro más cercano:", custom={"location": place})]}
    async with running_bot(ScriptedCore(script), emulator):
        emulator.message(CHAT, "centro")
        text, venue = await emulator.wait_for(CHAT, 2)
    assert (text.method, venue.method) == ("sendMessage", "sendVenue")
    assert venue.message["venue"]["title"] == "Centro de prueba"
    assert venue.message["location"] == {"latitude": 19.2826, "longitude": -99.6557}


async def test_quick_exit_deletes_the_conversation(emulator: BotApiEmulator) -> None:
    script = {
        "hola": [Reply("Hola, te escucho.")],
        "salir": [Reply("Listo.", custom={"quick_exit": True})],
    }
    async with running_bot(ScriptedCore(script), emulator):
        first = emulator.message(CHAT, "hola")
        await emulator.wait_for(CHAT, 1)
        emulator.message(CHAT, "salir")
        await emulator.wait_for(CHAT, 2)
    hello, note = emulator.sent_to(CHAT)
    deleted = emulator.deleted(CHAT)
    assert hello.message["message_id"] in deleted
    assert first["message"]["message_id"] in deleted, "the person's own words go too"
    assert [s.text for s in emulator.visible(CHAT)] == ["Listo."]
    assert note.message["message_id"] not in deleted


async def test_a_document_reply_is_sent_as_a_file(emulator: BotApiEmulator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "aviso.pdf"
    path.write_bytes(b"%PDF-1.4 prueba")
    script = {"doc": [Reply("Aquí está:", custom={"document": {"filename": "aviso.pdf", "path": str(path)}})]}
    async with running_bot(ScriptedCore(script), emulator):
        emulator.message(CHAT, "doc")
        _, document = await emulator.wait_for(CHAT, 2)
    assert document.method == "sendDocument"
    assert document.message["document"]["file_name"] == "aviso.pdf"
    assert document.message["document"]["file_size"] == len(b"%PDF-1.4 prueba")


async def test_typing_shows_only_while_a_slow_reply_is_prepared(emulator: BotApiEmulator) -> None:
    async with running_bot(ScriptedCore(delay=0.8), emulator, telegram_typing_delay_seconds=0.2):
        emulator.message(CHAT, "hola")
        [reply] = await emulator.wait_for(CHAT)
    [typing] = emulator.calls_to("sendChatAction", CHAT)
    assert typing.params["action"] == "typing"
    assert typing.at < reply.at
    async with running_bot(ScriptedCore(), emulator, telegram_typing_delay_seconds=0.5):
        emulator.message(CHAT + 1, "hola")
        await emulator.wait_for(CHAT + 1)
    assert emulator.calls_to("sendChatAction", CHAT + 1) == [], "a fast reply needs no indicator"


async def test_unsupported_messages_get_a_clear_reply(emulator: BotApiEmulator) -> None:
    async with running_bot(ScriptedCore(), emulator):
        emulator.photo(CHAT)
        [reply] = await emulator.wait_for(CHAT)
    assert reply.text == chat_content().core_text("only_text")
    assert reply.buttons


async def test_a_voice_note_or_sticker_is_told_what_the_bot_reads(emulator: BotApiEmulator) -> None:
    async with running_bot(ScriptedCore(), emulator):
        emulator.voice(CHAT)
        [voice] = await emulator.wait_for(CHAT)
        emulator.sticker(CHAT)
        [_, sticker] = await emulator.wait_for(CHAT, 2)
    assert voice.text == chat_content().core_text("only_text_sound")
    assert "escuchar" in voice.text and voice.buttons
    assert sticker.text == chat_content().core_text("only_text") and sticker.buttons


async def test_a_photo_keeps_the_buttons_of_the_open_question(emulator: BotApiEmulator) -> None:
    """In the middle of a question a photo gets no menu that would lead away: its buttons stay."""
    async with running_bot(ScriptedCore(), emulator):
        emulator.message(CHAT, "/suscribir")
        [topics] = await emulator.wait_for(CHAT)
        emulator.photo(CHAT)
        [_, reply] = await emulator.wait_for(CHAT, 2)
        emulator.press(CHAT, topics.buttons[0]["text"])  # the question is still answerable
        [*_, notice] = await emulator.wait_for(CHAT, 3)
    assert reply.text == chat_content().core_text("only_text_question")
    assert reply.buttons == topics.buttons
    assert "Aviso de privacidad" in notice.text


async def test_the_words_under_a_photo_are_read(emulator: BotApiEmulator) -> None:
    """A caption is a message: answered (after a note that the picture is not seen), and an
    emergency in it gets the emergency reply first, with no note before it."""
    script = {"hay un bache enorme en mi calle": [Reply("Puedes proponer que lo arreglen.")]}
    async with running_bot(ScriptedCore(script), emulator):
        emulator.photo(CHAT, caption="hay un bache enorme en mi calle")
        note, answer = await emulator.wait_for(CHAT, 2)
        emulator.photo(CHAT + 1, caption="mi esposo me golpea y tengo miedo, ayuda")
        [emergency, *_] = await emulator.wait_for(CHAT + 1)
    assert note.text == chat_content().core_text("caption_only")
    assert answer.text == "Puedes proponer que lo arreglen."
    assert "911" in emergency.text


async def test_an_edited_message_is_not_answered_twice_unless_it_is_an_emergency(
    emulator: BotApiEmulator,
) -> None:
    script = {"hola": [Reply("¡Hola!")]}
    async with running_bot(ScriptedCore(script), emulator):
        sent = emulator.message(CHAT, "hola")
        await emulator.wait_for(CHAT)
        emulator.edit(CHAT, sent["message"]["message_id"], "hola, una pregunta")
        [_, note] = await emulator.wait_for(CHAT, 2)
        emulator.edit(CHAT, sent["message"]["message_id"], "me quiere matar, está afuera con un cuchillo")
        [*_, emergency] = await emulator.wait_for(CHAT, 3)
    assert note.text == chat_content().core_text("edited")
    assert "911" in emergency.text


async def test_429_is_waited_out_and_the_reply_arrives(emulator: BotApiEmulator) -> None:
    emulator.fail_next("sendMessage", times=2, retry_after=1)
    async with running_bot(ScriptedCore({"hola": [Reply("¡Hola!")]}), emulator):
        emulator.message(CHAT, "hola")
        [reply] = await emulator.wait_for(CHAT, timeout=15)
    attempts = emulator.calls_to("sendMessage", CHAT)
    assert [a.status for a in attempts] == [429, 429, 200]
    assert attempts[-1].at - attempts[0].at >= 2.0, "retry_after honoured each time"
    assert reply.text == "¡Hola!"


async def test_a_burst_over_telegrams_rate_gets_every_reply(emulator: BotApiEmulator) -> None:
    emulator.rate_limit = 8  # Telegram answering 429 above 8 messages a second
    chats = [CHAT + i for i in range(20)]
    async with running_bot(ScriptedCore({"hola": [Reply("¡Hola!")]}), emulator):
        for chat in chats:
            emulator.message(chat, "hola")
        for chat in chats:
            assert [s.text for s in await emulator.wait_for(chat, timeout=30)] == ["¡Hola!"]
    assert any(c.status == 429 for c in emulator.calls_to("sendMessage")), "the burst did hit 429"


async def test_a_user_who_blocked_the_bot_is_recorded_and_not_retried(
    emulator: BotApiEmulator, sqlite_engine: Engine
) -> None:
    script = {"hola": [Reply("uno"), Reply("dos")]}
    emulator.block(CHAT, notify=False)  # blocked while the bot was preparing its answer
    async with running_bot(ScriptedCore(script), emulator, engine=sqlite_engine):
        emulator.message(CHAT, "hola")
        await emulator.settle(0.5)
    attempts = emulator.calls_to("sendMessage", CHAT)
    assert [a.status for a in attempts] == [403], "one attempt, the second reply not tried"
    assert telegram_chats.is_blocked(CHAT, sqlite_engine)
    with session_scope(sqlite_engine) as session:
        stored = session.scalars(select(TelegramBlockedChat.chat_hash)).all()
    assert stored == [chat_hash(CHAT)]
    assert str(CHAT) not in stored[0], "only a keyed hash, never the chat id"


async def test_block_and_unblock_updates_are_recorded(
    emulator: BotApiEmulator, sqlite_engine: Engine
) -> None:
    async with running_bot(ScriptedCore(), emulator, engine=sqlite_engine):
        emulator.block(CHAT)
        await emulator.settle()
        assert telegram_chats.is_blocked(CHAT, sqlite_engine)
        emulator.unblock(CHAT)
        await emulator.settle()
    assert not telegram_chats.is_blocked(CHAT, sqlite_engine)


async def test_deep_link_is_recorded_once_without_personal_data(
    emulator: BotApiEmulator, sqlite_engine: Engine
) -> None:
    core = ScriptedCore()
    async with running_bot(core, emulator, engine=sqlite_engine):
        emulator.message(CHAT, "/start campana_agua-2026")
        await emulator.wait_for(CHAT)
        emulator.message(CHAT, "/start campana_agua-2026")
        emulator.message(CHAT + 1, "/start <script>")  # not a valid start parameter: ignored
        await emulator.wait_for(CHAT, 2)
        await emulator.wait_for(CHAT + 1)
    assert core.seen[0] == "/start", "the code is not sent on to Rasa"
    assert telegram_chats.deep_link_counts(sqlite_engine) == {"campana_agua-2026": 1}
    with session_scope(sqlite_engine) as session:
        [row] = session.scalars(select(TelegramDeepLink)).all()
        assert row.chat_hash == chat_hash(CHAT) != str(CHAT)


async def test_flooding_gets_one_notice_and_is_slowed_not_banned(emulator: BotApiEmulator) -> None:
    core = ScriptedCore()
    async with running_bot(core, emulator, telegram_flood_messages_per_minute=20) as app:
        started = time.monotonic()
        for i in range(21):
            emulator.message(CHAT, f"mensaje {i}")
        await emulator.wait_for(CHAT, 21)  # 20 answers and one notice, right away
        quick = time.monotonic() - started
        emulator.message(CHAT, "me quiere matar mi pareja")  # help is never slowed down
        await emulator.wait_for(CHAT, 22)
        assert core.seen[-1] == "me quiere matar mi pareja", "the emergency jumped the queue"
        await emulator.wait_for(CHAT, 23, timeout=10)  # the 21st, three seconds later
        slow = time.monotonic() - started
        assert channel_of(app).timings.flood_delayed == 1
    texts = emulator.texts(CHAT)
    assert texts.count(chat_content().core_text("flood")) == 1
    assert "911" in texts[21]
    assert quick < 3.0 <= slow
    assert core.seen[-1] == "mensaje 20", "answered in the end: slowed down, not banned"


async def test_webhook_needs_the_secret_and_health_reports_rasa(emulator: BotApiEmulator) -> None:
    from bot.channels.telegram import build_application, sync_commands
    from tests.e2e.conftest import bot_settings

    secret = "s3cr3t_de-prueba"
    application = build_application(ScriptedCore({"hola": [Reply("¡Hola!")]}), bot_settings(emulator))
    port = free_port()
    listening = asyncio.Event()
    server = _Server(uvicorn.Config(
        http_app(application, RasaState("down"), secret, "webhook", listening),
        host="127.0.0.1", port=port, log_config=None, lifespan="off",
    ))
    task = asyncio.create_task(server.serve())
    async with application:
        await application.start()
        await sync_commands(application.bot)
        while not server.started:
            await asyncio.sleep(0.02)
        url = f"http://127.0.0.1:{port}/telegram"
        early = {"update_id": 98, "message": {"message_id": 1, "date": 0, "text": "hola",
                                              "chat": {"id": CHAT + 2, "type": "private"}}}
        async with httpx.AsyncClient() as client:
            loading = await client.post(url, json=early,
                                        headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        listening.set()
        await application.bot.set_webhook(url, secret_token=secret)
        emulator.message(CHAT, "hola")
        [reply] = await emulator.wait_for(CHAT)
        assert reply.text == "¡Hola!"
        async with httpx.AsyncClient() as client:
            forged = {"update_id": 99, "message": {"message_id": 1, "date": 0, "text": "hola",
                                                   "chat": {"id": CHAT + 1, "type": "private"}}}
            wrong = await client.post(url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "no"})
            missing = await client.post(url, json=forged)
            health = (await client.get(f"http://127.0.0.1:{port}/healthz")).json()
            ready = await client.get(f"http://127.0.0.1:{port}/readyz")
        await application.stop()
    server.should_exit = True
    await task
    assert loading.status_code == 503, "before the bot listens Telegram is told to retry"
    assert emulator.sent_to(CHAT + 2) == []
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert emulator.sent_to(CHAT + 1) == [], "a forged update is not answered"
    assert emulator.webhook_statuses == [200]
    assert health["rasa"] == "down" and health["status"] == "degraded" and health["telegram"] == "webhook"
    assert ready.status_code == 503


async def test_a_shared_location_gets_the_nearest_centres_as_map_messages(
    emulator: BotApiEmulator,
) -> None:
    async with running_bot(ScriptedCore(), emulator):
        emulator.location(CHAT, 19.29, -99.65)  # Toluca
        await emulator.wait_for(CHAT, count=2)
        await emulator.settle(0.5)
    body = "\n".join(emulator.texts(CHAT))
    assert "km" in body
    maps = emulator.calls_to("sendVenue", CHAT) + emulator.calls_to("sendLocation", CHAT)
    assert maps, "each centre comes with its place on the map"


async def test_the_bot_speaks_participa_locale_whatever_the_telegram_app_language(
    emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers come from Spanish content, so an English phone must not get a half-English bot."""
    emulator.add_chat(CHAT, language_code="en")
    async with running_bot(ScriptedCore(), emulator):
        emulator.photo(CHAT)
        [reply] = await emulator.wait_for(CHAT)
    assert reply.text.startswith("Por ahora entiendo mensajes de texto")

    monkeypatch.setenv("PARTICIPA_LOCALE", "en")  # the operator chooses the interface language
    get_settings.cache_clear()
    configured_locale.cache_clear()
    try:
        async with running_bot(ScriptedCore(), emulator):
            emulator.photo(CHAT + 1)
            [reply] = await emulator.wait_for(CHAT + 1)
            assert emulator.commands[0]["description"] == "Start and see what I can do for you"
    finally:
        monkeypatch.delenv("PARTICIPA_LOCALE")
        get_settings.cache_clear()
        configured_locale.cache_clear()
    assert reply.text.startswith("For now I understand text messages, buttons and locations.")
    assert [b["text"] for b in reply.buttons][0] == "What is open government?"


async def test_the_location_is_asked_with_a_one_time_button_taken_away_afterwards(
    emulator: BotApiEmulator,
) -> None:
    async with running_bot(ScriptedCore(), emulator):
        emulator.message(CHAT, "/buscar_centro")
        [ask] = await emulator.wait_for(CHAT)
        emulator.location(CHAT, 19.29, -99.65)  # Toluca, with the button
        await emulator.wait_for(CHAT, count=5)
        await emulator.settle(0.5)
    markup = ask.message["reply_markup"]
    assert markup["keyboard"] == [[{"text": "📍 Compartir mi ubicación", "request_location": True}]]
    assert markup["one_time_keyboard"] is True
    after = [s for s in emulator.sent_to(CHAT)[1:] if s.method == "sendMessage"]
    assert after[0].message["reply_markup"] == {"remove_keyboard": True}, "gone once she shared it"
    # no location key comes back; the list's inline «Ver más lugares» (beh10) is no keyboard
    assert all("keyboard" not in s.message.get("reply_markup", {}) for s in after[1:])
    assert len(after) >= 4, "every centre arrives after the keyboard is taken away"


async def test_after_a_restart_the_location_key_is_still_taken_away(
    emulator: BotApiEmulator, sqlite_engine: Engine
) -> None:
    """walk10: which chats show «Compartir mi ubicación» lived in the process's memory; after a
    restart the key stayed on her screen and a typed «chalco» got «problema técnico»."""
    async with running_bot(ConversationCore(None, record_usage=False, engine=sqlite_engine),
                           emulator, engine=sqlite_engine):
        emulator.message(CHAT, "/buscar_centro")
        [ask] = await emulator.wait_for(CHAT)
    assert "keyboard" in ask.message["reply_markup"]
    async with running_bot(ConversationCore(None, record_usage=False, engine=sqlite_engine),
                           emulator, engine=sqlite_engine):  # a new process on the same database
        emulator.message(CHAT, "chalco")
        await emulator.wait_for(CHAT, count=2)
        await emulator.settle(0.5)
    after = [s for s in emulator.sent_to(CHAT)[1:] if s.method == "sendMessage"]
    assert "Chalco" in "\n".join(s.text for s in after), [s.text for s in after]
    assert after[0].message["reply_markup"] == {"remove_keyboard": True}
