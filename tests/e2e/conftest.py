"""End-to-end fixtures: a Bot API emulator on loopback and the real bot polling it.

The bot is the production one (``build_application``: PTB's HTTP stack, the
rate limiter, the handlers); only Telegram is replaced, by tests/e2e/emulator.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.channels.telegram import ALLOWED_UPDATES, build_application, sync_commands
from bot.config import Settings
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Reply, Turn
from bot.conversation.safety import Level
from bot.storage.db import make_engine, upgrade
from tests.e2e.emulator import BotApiEmulator


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def bot_settings(emulator: BotApiEmulator, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": emulator.token,
        "telegram_api_base_url": emulator.base_url,
        "telegram_max_retries": 5,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    core: ConversationCore, emulator: BotApiEmulator, engine: Engine | None = None, **settings: Any
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The production application, long-polling the emulator, for the duration of a test."""
    application = build_application(core, bot_settings(emulator, **settings), engine)
    await application.initialize()
    await sync_commands(application.bot)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(timeout=2, allowed_updates=ALLOWED_UPDATES)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


class ScriptedCore(ConversationCore):
    """The real core (safety net, input checks, offline replies) with scripted 'Rasa' answers.

    For channel behaviour that does not depend on what Rasa understands: rendering,
    limits, blocks. Texts not in the script get the core's own answer (Rasa down).
    """

    def __init__(self, script: dict[str, list[Reply]] | None = None, delay: float = 0.0) -> None:
        super().__init__(rasa=None, record_usage=False)
        self.script = script or {}
        self.delay = delay
        self.seen: list[str] = []

    async def handle(self, sender: str, text: str | None, channel: str = "terminal",
                     level: Level | None = None) -> Turn:
        import asyncio

        self.seen.append(text or "")
        if self.delay:
            await asyncio.sleep(self.delay)
        if text in self.script and not self.net.is_emergency(text or ""):
            return Turn(text or "", "scripted", 1.0, False, self.script[text or ""])
        return await super().handle(sender, text, channel, level=level)
