"""Word searches at scale: exact sums up to SEARCH_CAP, «más de …» beyond it, a clear reply when
PostgreSQL gives up, and the PostgreSQL words index answering what a substring scan answers."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from bot.procurement import service as svc
from bot.procurement.replies import answer_saved, answer_text
from bot.storage.db import session_scope
from bot.storage.models.procurement import ProcurementContract
from tests.procurement.test_service import emergency_release, load_bundled, write_package


@pytest.fixture
def loaded(db_engine: Engine) -> Engine:
    load_bundled(db_engine)
    return db_engine


def expected(engine: Engine, query: svc.SearchQuery) -> svc.SearchResult:
    """What the database itself sums over every matching contract (no cap, no index tricks)."""
    C = ProcurementContract
    result = svc.SearchResult(query=query, count=0, page=0)
    result.flagged = dict.fromkeys(svc.FLAGS, 0)
    result.known = dict.fromkeys(svc.FLAGS, 0)
    with session_scope(engine) as session:
        rows = session.execute(
            select(C.currency, *svc._aggregates())
            .where(*svc._conditions(query, engine.dialect.name))
            .group_by(C.currency)
        ).all()
        svc._add_up(result, [tuple(r) for r in rows])
        order = C.date_signed if query.order == "date" else C.amount_cents
        result.hits = [
            svc.ContractHit(c.ocid, c.title, "", "", c.amount_cents, c.currency, c.date_signed,
                            c.method, "", "", "", False, False, None)
            for c in session.scalars(
                select(C)
                .where(*svc._conditions(query, engine.dialect.name))
                .order_by(order.desc().nulls_last() if engine.dialect.name != "sqlite"
                          else order.desc(), C.id)
            ).all()
        ]
    return result


QUERIES = [
    svc.SearchQuery(words=(("limpieza",),)),
    svc.SearchQuery(words=(("computadora", "computo", "laptop"),)),
    svc.SearchQuery(words=(("forma",), ("impres",))),
    svc.SearchQuery(words=(("cubre boca", "impres"),), order="date"),
    svc.SearchQuery(words=(("servicio",),), years=(2017,)),
    svc.SearchQuery(suppliers=("grupo siayec",)),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "+".join("/".join(g) for g in q.words) or "supplier")
def test_word_searches_add_up_exactly_up_to_the_cap_and_say_more_than_beyond_it(
    loaded: Engine, query: svc.SearchQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = expected(loaded, query)
    assert truth.count > 0
    result = svc.search(query, engine=loaded)
    assert not result.capped
    assert (result.count, result.totals, result.no_amount, result.direct, result.above_median) == (
        truth.count, truth.totals, truth.no_amount, truth.direct, truth.above_median
    )
    assert (result.flagged, result.known) == (truth.flagged, truth.known)
    assert [h.ocid for h in result.hits] == [h.ocid for h in truth.hits[: svc.PAGE_SIZE]]
    second = svc.search(query, page=1, engine=loaded)
    assert [h.ocid for h in second.hits] == [h.ocid for h in truth.hits[5:10]]

    monkeypatch.setattr(svc, "SEARCH_CAP", truth.count - 1)
    capped = svc.search(query, engine=loaded)
    assert capped.capped and capped.count == truth.count - 1
    assert capped.totals == {} and capped.has_more == (truth.count > svc.PAGE_SIZE)
    # Still the largest (or newest) of all of them, in the same order.
    assert [h.ocid for h in capped.hits] == [h.ocid for h in truth.hits[: svc.PAGE_SIZE]]


def test_a_search_with_more_matches_than_the_cap_says_so_in_spanish(
    loaded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "SEARCH_CAP", 3)
    answer = answer_text("¿cuánto se gastó en limpieza?", loaded)  # 6 contracts
    assert answer.text.startswith(
        "Encontré más de 3 contratos sobre «limpieza». Son demasiados para sumarlos al momento"
    )
    assert "por ejemplo «limpieza en 20" in answer.text
    assert "Te muestro los más grandes, del 1 al 5:" in answer.text
    assert "Suman" not in answer.text
    assert "Junto a cada contrato van sus señales para revisar" in answer.text
    more = next(b for b in answer.buttons if b["title"] == "Ver más resultados")
    entities = json.loads(more["payload"].removeprefix("/ver_mas_contratos"))
    second = answer_saved(entities["q"], entities["p"], loaded)
    assert "Te muestro los más grandes, del 6 al 6:" in second.text
    assert not any(b["title"] == "Ver más resultados" for b in second.buttons)


def test_a_search_postgresql_gives_up_on_gets_a_clear_spanish_reply(
    loaded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loaded.dialect.name != "postgresql":
        pytest.skip("statement timeouts are PostgreSQL's")
    answer_text("¿cuánto se gastó en limpieza?", loaded)  # names index built before the lock
    monkeypatch.setattr(svc, "SEARCH_TIMEOUT_MS", 300)
    locked, release = threading.Event(), threading.Event()

    def hold_the_table() -> None:
        """A load rebuilding contracts holds them: the search waits past its timeout."""
        with loaded.connect() as conn:
            conn.execute(text("LOCK TABLE procurement_contracts IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(10)
            conn.rollback()

    holder = threading.Thread(target=hold_the_table)
    holder.start()
    try:
        assert locked.wait(10)
        answer = answer_text("¿cuánto se gastó en limpieza?", loaded)
    finally:
        release.set()
        holder.join()
    assert answer.text.startswith("La búsqueda de contratos sobre «limpieza» tardó demasiado")
    assert "Prueba con palabras más precisas" in answer.text
    assert any(b["title"] == "Los contratos más grandes" for b in answer.buttons)


def test_words_loaded_later_are_found_inside_longer_words(db_engine: Engine, tmp_path: Path) -> None:
    """PostgreSQL looks words up in a vocabulary that each load extends (migration 0013)."""
    release = emergency_release("ocds-words-1", 250.0, "compra")
    package = json.loads(
        json.dumps(release).replace("Compra de cubrebocas KN95", "Compra de zarzaparrilla y agua")
    )
    svc.load_source(str(write_package(tmp_path / "a.json", [package])), engine=db_engine)
    for words, count in [
        (("parril",), 1),  # inside «zarzaparrilla»
        (("zarzaparrilla y agua",), 1),  # a phrase with spaces
        (("parril", "xyzzy"), 1),
        (("xyzzy",), 0),
        (("rrilla agua",), 0),  # across two words, but not as written
    ]:
        assert svc.search(svc.SearchQuery(words=(words,)), engine=db_engine).count == count, words
    if db_engine.dialect.name == "postgresql":
        with db_engine.connect() as conn:
            vocabulary = set(conn.execute(text("SELECT word FROM procurement_search_words")).scalars())
        assert {"zarzaparrilla", "agua", "kn95"} <= vocabulary
