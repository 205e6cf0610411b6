"""`participa campaign`: what an editor does from the command line, on a real database and emulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions
from bot.cli import app
from bot.config import get_settings
from tests.e2e.emulator import BotApiEmulator

runner = CliRunner()
CHATS = range(7_100, 7_106)


@pytest.fixture
def campaign_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The application database with subscribers, and no Telegram token (previews print)."""
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    get_settings.cache_clear()
    for chat in CHATS:
        subscriptions.subscribe(chat, "convocatorias")
    return app_db


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["campaign", *args])


def create(*extra: str) -> int:
    result = invoke("create", "--title", "Mesa de movilidad", "--topic", "convocatorias",
                    "--text", "*Mesa de cocreación*: 3 de diciembre <Toluca> & [registro](https://example.org)",
                    *extra)
    assert result.exit_code == 0, result.output
    return int(result.output.split("Campaña ")[1].split(" ")[0])


def test_create_explains_mistakes_in_spanish(campaign_db: str) -> None:
    wrong = invoke("create", "--title", "x", "--topic", "futbol", "--text", "hola")
    assert wrong.exit_code == 1 and "No existe el tema «futbol»" in wrong.output
    both = invoke("create", "--title", "x", "--topic", "convocatorias")
    assert both.exit_code == 2 and "--text o con --text-file" in both.output
    past = invoke("create", "--title", "x", "--topic", "convocatorias", "--text", "hola",
                  "--at", "2020-01-01T10:00")
    assert past.exit_code == 1 and "ya pasó" in past.output
    assert campaigns.list_campaigns() == []


def test_create_preview_status(campaign_db: str, tmp_path: Path) -> None:
    text_file = tmp_path / "mensaje.txt"
    text_file.write_text("Hola _a todas las personas_ [programa](ftp://x.org)", "utf-8")
    created = invoke("create", "--title", "Semana", "--topic", "convocatorias", "--text-file",
                     str(text_file), "--municipality", "Toluca", "--at", "2099-12-01T10:00")
    assert created.exit_code == 0, created.output
    assert "programada para 2099-12-01 10:00" in created.output and "llegaría a 0 personas" in created.output
    assert "no empieza con https://" in created.output, "the warning is shown"
    campaign_id = create("--button", "Regístrate", "--url", "https://example.org/r")
    preview = invoke("preview", str(campaign_id))
    assert preview.exit_code == 0
    assert "Mesa de cocreación: 3 de diciembre <Toluca> & registro" in preview.output
    assert "Llegaría a: 6 personas" in preview.output
    assert "[ Regístrate ] → https://example.org/r" in preview.output
    listed = invoke("status")
    assert "programada" in listed.output and "borrador" in listed.output
    status = invoke("status", str(campaign_id))
    assert "borrador" in status.output and "llegaría a 6 personas" in status.output
    assert invoke("status", "999").exit_code == 1


def test_send_needs_a_token(campaign_db: str) -> None:
    campaign_id = create("--at", "2099-12-01T10:00")
    assert invoke("send", str(campaign_id)).exit_code == 2, "no TELEGRAM_BOT_TOKEN"


async def test_send_with_progress_and_report_then_cancel(
    campaign_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator = BotApiEmulator(rate_limit=30, per_chat_interval=1.0)
    await emulator.start()
    try:
        for chat in CHATS:
            emulator.add_chat(chat)
        emulator.block(CHATS[0], notify=False)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", emulator.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", emulator.base_url)
        get_settings.cache_clear()
        campaign_id = create()
        scheduled = create("--at", "2099-12-01T10:00")

        later = await asyncio.to_thread(invoke, "send", str(scheduled))
        assert later.exit_code == 1 and "programada para 2099-12-01 10:00" in later.output

        sent = await asyncio.to_thread(invoke, "send", str(campaign_id))
        assert sent.exit_code == 0, sent.output
        assert "enviados: 5   bloqueados: 1   fallidos: 0   desconocidos: 0" in sent.output
        assert "Campaña" in sent.output and "mensajes/s" in sent.output
        assert [len(emulator.sent_to(chat)) for chat in CHATS] == [0, 1, 1, 1, 1, 1]
        preview = await asyncio.to_thread(invoke, "preview", str(campaign_id), "--chat", str(CHATS[1]))
        assert preview.exit_code == 0 and "Prueba enviada" in preview.output
        assert len(emulator.sent_to(CHATS[1])) == 2
        again = await asyncio.to_thread(invoke, "send", str(campaign_id))
        assert again.exit_code == 0 and "terminada" in again.output
        assert len(emulator.sent_to(CHATS[2])) == 1, "sending again sends nothing"

        cancelled = invoke("cancel", str(scheduled))
        assert cancelled.exit_code == 0 and "cancelada" in cancelled.output
        assert invoke("cancel", str(scheduled)).exit_code == 1
        nothing_due = await asyncio.to_thread(invoke, "send")
        assert nothing_due.exit_code == 0
    finally:
        await emulator.stop()
