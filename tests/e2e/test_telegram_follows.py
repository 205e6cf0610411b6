"""Following a buyer on Telegram: consent, then the next load's new contracts arrive once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from bot.channels.telegram import channel_of
from bot.cli import app as cli
from bot.conversation.core import ConversationCore
from bot.procurement import follows
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Consent, ProcurementContract
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

PERSON = 7_400_001
SAMPLE = (Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
          / "compranet_contratos_2017_muestra1pct.raw.csv")
CFE = "Comisión Federal de Electricidad"


def _halves(tmp_path: Path) -> tuple[Path, Path]:
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)
    first, second = tmp_path / "primera.csv", tmp_path / "segunda.csv"
    first.write_text("".join(lines[:300]), "utf-8")
    second.write_text("".join(lines[300:400]), "utf-8")
    return first, second


def _load(path: Path) -> str:
    result = CliRunner().invoke(cli, ["procurement", "load", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


async def test_follow_a_buyer_and_get_the_next_load_once(
    emulator: BotApiEmulator, app_db: str, tmp_path: Path
) -> None:
    engine = engine_for(app_db)
    first, second = _halves(tmp_path)
    _load(first)
    core = ConversationCore(None, record_usage=False, engine=engine)
    async with running_bot(core, emulator, engine=engine) as app:
        emulator.message(PERSON, "Avísame de los contratos nuevos de la Comisión Federal de Electricidad")
        [notice] = await emulator.wait_for(PERSON, 1)
        assert "Aviso de privacidad simplificado" in notice.text and CFE in notice.text
        assert follows.following(PERSON, engine) == [], "nothing stored before consent"
        emulator.press(PERSON, "Sí, acepto")
        [_, done] = await emulator.wait_for(PERSON, 2)
        assert f"contratos nuevos de {CFE}" in done.text
        with session_scope(engine) as session:
            assert session.scalar(select(Consent.purpose)) == follows.PURPOSE

        channel = channel_of(app)
        assert await channel.deliver_follow_alerts(app.bot) == 0, "nothing new yet"
        output = _load(second)
        assert "avisos de contratos nuevos" in output
        with session_scope(engine) as session:
            new = session.scalar(select(ProcurementContract.title).where(
                ProcurementContract.buyer_name == CFE,
                ProcurementContract.source_url != "").order_by(ProcurementContract.id.desc()))
        # Two senders at once (two replicas): only one delivers.
        sent = await asyncio.gather(channel.deliver_follow_alerts(app.bot),
                                    channel.deliver_follow_alerts(app.bot))
        assert sorted(sent) == [0, 1]
        [*_, alert] = await emulator.wait_for(PERSON, 3)
        assert "6 contratos nuevos de Comisión Federal de Electricidad" in alert.text
        assert "para revisar" in alert.text and "compranet" in alert.text.lower()
        assert new is not None

        _load(second)  # the same file again: nothing new, nothing sent
        assert await channel.deliver_follow_alerts(app.bot) == 0
        await asyncio.sleep(0.2)
        assert len(emulator.sent_to(PERSON)) == 3

        emulator.message(PERSON, "/baja")
        [*_, bye] = await emulator.wait_for(PERSON, 4)
        assert CFE in bye.text and "lo borré" in bye.text
        assert follows.following(PERSON, engine) == []
