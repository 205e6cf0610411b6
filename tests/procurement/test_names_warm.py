"""The names index (buyers, suppliers, words of what was bought) is built before a citizen asks.

At a million contracts it takes about ten seconds; it was built by the first search after each
load, so that citizen waited. ``participa serve`` (and ``participa chat``) keep it warm: built at
start, rebuilt in the background after a load while searches use the previous one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.procurement import service as svc
from bot.procurement import text
from bot.procurement.replies import answer_text

SAMPLE = (Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
          / "compranet_contratos_2017_muestra1pct.raw.csv")
SLOW_BUILD_SECONDS = 1.5


def _part(tmp_path: Path, start: int, end: int) -> str:
    part = tmp_path / f"parte-{start}.csv"
    part.write_text("".join(SAMPLE.read_text("utf-8").splitlines(keepends=True)[start:end]), "utf-8")
    return str(part)


async def _until(condition: Callable[[], bool], limit: float = 20.0) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < limit, "the names index was not built in time"
        await asyncio.sleep(0.02)


async def test_after_a_load_the_first_search_does_not_wait_for_the_names(
        db_engine: Engine, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    svc.load_source(_part(tmp_path, 0, 300), engine=db_engine)
    stop = asyncio.Event()
    warm = asyncio.create_task(text.keep_names_warm(stop, interval=0.05, engine=db_engine))
    try:
        await _until(lambda: text.names_ready(db_engine))  # built at start, before anyone asks
        real_build = text.build_index

        def slow_build(engine: Engine | None = None) -> text.NameIndex:  # as with a million contracts
            time.sleep(SLOW_BUILD_SECONDS)
            return real_build(engine)

        monkeypatch.setattr(text, "build_index", slow_build)
        svc.load_source(_part(tmp_path, 300, 600), engine=db_engine)
        started = time.monotonic()
        answer = await asyncio.to_thread(answer_text, "contratos de la CFE", db_engine)
        waited = time.monotonic() - started
        assert "Comisión Federal de Electricidad" in answer.text
        assert waited < SLOW_BUILD_SECONDS, f"the search waited {waited:.1f} s for the names index"
        await _until(lambda: text.names_ready(db_engine))  # and the new names come in behind it
    finally:
        stop.set()
        await warm


def test_without_a_warm_index_a_search_builds_it_once(db_engine: Engine, tmp_path: Path) -> None:
    """Outside serve and chat (tests, `participa ask`) the first search builds it, as before."""
    svc.load_source(_part(tmp_path, 0, 300), engine=db_engine)
    first = text.name_index(db_engine)
    assert text.names_ready(db_engine) and text.name_index(db_engine) is first
    svc.load_source(_part(tmp_path, 300, 600), engine=db_engine)
    assert not text.names_ready(db_engine)
    assert text.name_index(db_engine) is not first, "a load is seen by the next search"
