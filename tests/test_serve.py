"""`participa serve` applies the retention rules itself, once a day, and never dies of it."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.config import get_settings
from bot.proposals import service as svc
from bot.serve import EVENT_LOOP_ENV, loop_name, purge_daily, run_on_loop
from bot.storage.db import engine_for, session_scope
from bot.storage.models import StatusChange


def closed_long_ago() -> str:
    draft = svc.Draft(theme="movilidad", municipality_code="15106", municipality="Toluca",
                      problem="Baches en la avenida Colón", causes=None, effects=None,
                      affected=None, solution="Bachear")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender="tg-8080", channel="telegram",
                          consent=True, contact_info="ana@example.org")
    assert proposal.folio
    svc.set_status(proposal.folio, "integrada", "STL", note="Ya es compromiso")
    with session_scope() as session:
        session.execute(update(StatusChange).values(created_at=dt.datetime(2020, 1, 1)))
    return proposal.folio


async def test_the_daily_purge_runs_and_stops_with_the_bot(app_db: str) -> None:
    folio = closed_long_ago()
    stop = asyncio.Event()
    task = asyncio.create_task(purge_daily(stop, first_delay=0.05, interval=3600))
    for _ in range(100):
        await asyncio.sleep(0.05)
        found = svc.get(folio)
        if found is not None and found.contact is None:
            break
    stop.set()
    await asyncio.wait_for(task, 5)
    found = svc.get(folio)
    assert found is not None and found.contact is None


async def test_a_failing_purge_is_logged_and_retried_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no-such-dir' / 'x' / 'nada.db'}")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    engine_for.cache_clear()
    (tmp_path / "no-such-dir").write_text("a file where a folder should be")
    stop = asyncio.Event()
    try:
        task = asyncio.create_task(purge_daily(stop, first_delay=0.01, interval=0.05))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if sum(r.getMessage() == "privacy.purge_failed" for r in caplog.records) >= 2:
                break
        assert not task.done(), "still running: it will try again"
        stop.set()
        await asyncio.wait_for(task, 5)
    finally:
        get_settings.cache_clear()
        engine_for.cache_clear()
    assert sum(r.getMessage() == "privacy.purge_failed" for r in caplog.records) >= 2


async def _loop_module() -> str:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__


def test_serve_runs_on_uvloop_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("uvloop")
    monkeypatch.delenv(EVENT_LOOP_ENV, raising=False)
    assert loop_name() == "uvloop"
    assert run_on_loop(_loop_module()).startswith("uvloop")


def test_the_standard_loop_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EVENT_LOOP_ENV, "asyncio")
    assert loop_name() == "asyncio"
    assert run_on_loop(_loop_module()).startswith("asyncio")
