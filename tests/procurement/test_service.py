"""Loading and searching real OCDS data, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import http.server
import json
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SADeprecationWarning

from bot.procurement import service as svc
from bot.procurement.replies import (
    MAX_PAYLOAD_BYTES,
    answer_csv,
    answer_emergency,
    answer_saved,
    answer_text,
    money,
)
from bot.procurement.text import understand
from bot.storage.db import session_scope
from bot.storage.models.procurement import ProcurementContract, ProcurementRelease

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE_2017 = (
    Path(__file__).resolve().parents[2]
    / "content" / "procurement" / "compranet" / "compranet_contratos_2017_muestra1pct.raw.csv"
)
FICTIONAL = FIXTURES / "fictional_example_release_package_ocds-213czf-000-00001.json"


def load_bundled(engine: Engine) -> list[svc.LoadReport]:
    """The bundled OCDS files only (the CompraNet sample has its own tests, test_compranet.py)."""
    return [svc.load_source(str(p), engine=engine) for p in svc.bundled_files(compranet=False)]


def test_bundled_files_include_the_compranet_sample() -> None:
    names = [p.name for p in svc.bundled_files()]
    assert len(names) == 54 + 2
    assert names[-2:] == [
        "compranet_contratos_2017_muestra1pct.raw.csv",
        "compranet_contratos_2018_muestra1pct.raw.csv",
    ]


@pytest.fixture
def loaded(db_engine: Engine) -> Engine:
    load_bundled(db_engine)
    return db_engine


def release_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count(ProcurementRelease.id))) or 0)


def write_package(path: Path, releases: list[dict[str, Any]]) -> Path:
    package = {
        "uri": "https://example.org/paquete.json",
        "publisher": {"name": "Prueba"},
        "publishedDate": "2020-05-01T00:00:00Z",
        "version": "1.1",
        "releases": releases,
    }
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def emergency_release(ocid: str, amount: float, rationale: str, **extra: Any) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2020-04-15T10:00:00-06:00",
        "tag": ["contract"],
        "initiationType": "tender",
        "buyer": {"name": "Secretaría de Salud del Estado de México"},
        "tender": {
            "id": "t",
            "title": "Adquisición de cubrebocas",
            "procurementMethod": "direct",
            "procurementMethodRationale": rationale,
            "items": [{"id": "1", "description": "Cubrebocas KN95"}],
        },
        "awards": [{"id": "a", "suppliers": [{"name": "Insumos Médicos del Valle, S.A. de C.V."}]}],
        "contracts": [
            {
                "id": "c",
                "awardID": "a",
                "title": "Compra de cubrebocas KN95",
                "value": {"amount": amount, "currency": "MXN"},
                "dateSigned": "2020-04-16T00:00:00-06:00",
                "items": [{"id": "1", "description": "Cubrebocas KN95"}],
            }
        ],
        **extra,
    }


# ---------------------------------------------------------------- loading


def test_bundled_data_loads_once_and_twice_adds_nothing(db_engine: Engine) -> None:
    first = load_bundled(db_engine)
    assert sum(r.new_releases for r in first) == 54
    # The four CDMX records repeat 12 releases that CDMX also published one by one.
    assert sum(r.duplicate_releases for r in first) == 12
    summary = svc.data_summary(db_engine)
    assert (summary.releases, summary.processes, summary.contracts) == (54, 38, 49)
    assert (summary.first_year, summary.last_year) == (2015, 2017)
    again = load_bundled(db_engine)
    assert sum(r.new_releases for r in again) == 0
    assert sum(r.duplicate_releases for r in again) == 54 + 12
    assert svc.data_summary(db_engine).contracts == 49


def test_loading_and_searching_use_no_deprecated_sqlalchemy(db_engine: Engine) -> None:
    """``Result.tuples()`` is deprecated in SQLAlchemy 2.1: loads and searches must not call it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SADeprecationWarning)
        reports = load_bundled(db_engine)
        assert sum(r.new_releases for r in reports) == 54
        assert svc.contracts_with(["ocds-213czf-000-00001"], db_engine) == {}
        assert answer_text("contratos de la Secretaría de Salud", db_engine).text


def test_cut_or_foreign_files_load_nothing_and_say_why(db_engine: Engine, tmp_path: Path) -> None:
    whole = FICTIONAL.read_bytes()
    cut = tmp_path / "cortado.json"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(svc.LoadError, match="incompleto o cortado.*No se cargó nada"):
        svc.load_source(str(cut), engine=db_engine)
    other = tmp_path / "otro.json"
    other.write_text('{"municipios": [1, 2, 3]}', encoding="utf-8")
    with pytest.raises(svc.LoadError, match="no encontré releases OCDS"):
        svc.load_source(str(other), engine=db_engine)
    # A valid release, then one without ocid: the whole file is refused, the first is not kept.
    half_bad = write_package(
        tmp_path / "mitad.json",
        [emergency_release("ocds-x-1", 10.0, "x"), {"id": "2", "date": "2020-01-01T00:00:00Z"}],
    )
    with pytest.raises(svc.LoadError, match="falta «ocid»"):
        svc.load_source(str(half_bad), engine=db_engine)
    assert release_count(db_engine) == 0


def test_incremental_releases_are_merged_into_the_current_state(
    db_engine: Engine, tmp_path: Path
) -> None:
    report = svc.load_source(str(FICTIONAL), engine=db_engine)
    assert (report.new_releases, report.processes) == (6, 1)
    result = svc.search(svc.SearchQuery(), engine=db_engine)
    assert result.count == 1
    hit = result.hits[0]
    # The award, the contract and the tender come from different releases of the package.
    assert hit.amount_cents == 11_000_000 * 100 and hit.currency == "GBP"
    assert hit.suppliers and hit.title
    assert hit.method == "open"


def test_load_from_a_url(db_engine: Engine, tmp_path: Path) -> None:
    write_package(tmp_path / "paquete.json", [emergency_release("ocds-url-1", 5.0, "compra")])

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args: Any) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/paquete.json"
        assert svc.load_source(url, engine=db_engine).new_releases == 1
        with pytest.raises(svc.LoadError, match="no se pudo descargar"):
            svc.load_source(url.replace("paquete", "no-existe"), engine=db_engine)
    finally:
        server.shutdown()


# ---------------------------------------------------------------- search on the real data


def test_searches_in_citizens_words(loaded: Engine) -> None:
    siayec = answer_text("¿qué le compraron a grupo siayek?", loaded)  # typo on purpose
    assert "Encontré 1 contrato con el proveedor Grupo Siayec" in siayec.text
    assert "$356,152.00 MXN" in siayec.text
    assert "Servicio de digitalización de documentos" in siayec.text
    assert "Contratofirmado.pdf" in siayec.text  # the source link

    finanzas = answer_text("contratos de la secretaría de finanzas", loaded)
    assert "Encontré 8 contratos de SECRETARÍA DE FINANZAS" in finanzas.text
    assert "Suman $11,846,090.18 MXN" in finanzas.text
    assert "75,464.96 USD" in finanzas.text  # not added to the pesos
    assert any(b["title"] == "Ver más resultados" for b in finanzas.buttons)

    direct = answer_text("adjudicaciones directas en 2017", loaded)
    assert "por adjudicación directa en 2017" in direct.text
    assert "100% de estos contratos fueron adjudicación directa" in direct.text

    cleaning = answer_text("¿cuánto se gastó en limpieza?", loaded)
    assert "Encontré 6 contratos sobre «limpieza»" in cleaning.text

    largest = answer_text("los contratos más grandes", loaded)
    assert "Encontré 49 contratos" in largest.text
    assert largest.text.index("$15,537,040.00 MXN") < largest.text.index("$9,396,000.00 MXN")


def test_no_match_gets_suggestions_that_do_match(loaded: Engine) -> None:
    answer = answer_text("¿cuánto se gastó en cubrebocas?", loaded)
    assert answer.text.startswith("No encontré contratos sobre «cubrebocas»")
    searches = [b for b in answer.buttons if b["payload"].startswith("/buscar_contratos")]
    assert searches
    for button in searches:
        qid = json.loads(button["payload"].removeprefix("/buscar_contratos"))["q"]
        assert answer_saved(qid, 0, loaded).text.startswith("Encontré")


def test_flags_are_facts_from_the_data(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        early = session.scalars(
            select(ProcurementContract.ocid).where(ProcurementContract.signed_before_tender_closed)
        ).all()
        above = session.scalars(
            select(ProcurementContract.ocid).where(ProcurementContract.above_median)
        ).all()
    # CDMX signed 2,065 desktop computers on 12 Dec 2015; the tender closed on 22 Dec 2015.
    assert "OCDS-87SD3T-AD-SF-DRM-069-2015" in early
    # Jalisco's largest printed-forms contract is far above the median of the same item.
    assert "ocds-xs1qbl-SFIN-03-0016-00-2017" in above
    answer = answer_text("computadoras", loaded)
    assert "se firmó antes de que cerrara su licitación" in answer.text
    assert "no son acusaciones" in answer.text


def test_flags_carry_their_ocp_code_threshold_and_coverage(loaded: Engine) -> None:
    answer = answer_text("contratos de la secretaria de finanzas", loaded)
    assert "Open Contracting Partnership (OCP)" in answer.text  # the acronym, explained
    assert (
        "R018 · una sola oferta: 3 de 4 (solo una empresa ofertó en una licitación o invitación). "
        "Esta señal solo se puede calcular en el 51% de los contratos cargados y en 4 de estos 8."
    ) in answer.text
    # R003 needs both tender dates of an open tender: only 1 of the 49 bundled contracts has them.
    assert (
        "R003 · plazo corto para presentar ofertas: no se puede calcular aquí porque faltan las "
        "fechas de publicación y de cierre de ofertas de una licitación pública; solo se puede "
        "calcular en el 2% de los contratos cargados."
    ) in answer.text
    assert "firmado antes de que cerrara su licitación (señal de Participa, sin código OCP): 5 de 8" in (
        answer.text
    )
    assert "Que no haya señales" not in answer.text


def test_more_pages_and_stale_buttons(loaded: Engine) -> None:
    first = answer_text("contratos de la secretaria de finanzas", loaded)
    more = next(b for b in first.buttons if b["title"] == "Ver más resultados")
    assert len(more["payload"].encode()) <= MAX_PAYLOAD_BYTES
    entities = json.loads(more["payload"].removeprefix("/ver_mas_contratos"))
    second = answer_saved(entities["q"], entities["p"], loaded)
    assert "Te muestro del 6 al 8" in second.text
    assert not any(b["title"] == "Ver más resultados" for b in second.buttons)
    assert "ya no está disponible" in answer_saved("nohay12345", 1, loaded).text
    assert answer_saved("", 1, loaded).text.startswith("Primero dime qué contratos")
    for answer in (first, second):
        assert all(len(b["payload"].encode()) <= MAX_PAYLOAD_BYTES for b in answer.buttons)


def test_csv_has_every_matching_contract(loaded: Engine, tmp_path: Path) -> None:
    shown = answer_text("adjudicaciones directas", loaded)
    answer = answer_csv(shown.query_id, tmp_path, loaded)
    assert answer.document is not None
    path = Path(answer.document["path"])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 13 and "los 13 contratos" in answer.text
    assert {r["tipo_procedimiento"] for r in rows} == {"direct"}
    assert rows[0]["monto"] == "1412201.76" and rows[0]["moneda"] == "MXN"
    assert "primero dime" in answer_csv(None, tmp_path, loaded).text.lower()


def test_csv_cells_never_run_as_spreadsheet_formulas(db_engine: Engine, tmp_path: Path) -> None:
    hostile = emergency_release("ocds-csv-1", 1234.5, "compra ordinaria")
    hostile["contracts"][0]["title"] = '=HYPERLINK("http://example.org/robo","ver")'
    hostile["awards"][0]["suppliers"] = [{"name": "+cmd|' /C calc'!A0"}]
    hostile["buyer"] = {"name": "@SUM(1+1)"}
    svc.load_source(str(write_package(tmp_path / "hostil.json", [hostile])), engine=db_engine)
    path, count = svc.export_csv(svc.SearchQuery(), tmp_path / "csv", db_engine)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert count == 1
    assert row["titulo"] == "'=HYPERLINK(\"http://example.org/robo\",\"ver\")"
    assert row["proveedor"] == "'+cmd|' /C calc'!A0"
    assert row["comprador"] == "'@SUM(1+1)"
    assert row["monto"] == "1234.50"  # numbers we write ourselves stay numbers


def test_emergency_view_is_honest_about_the_bundled_data(loaded: Engine) -> None:
    answer = answer_emergency(loaded)
    assert "no encontré ninguna contratación de emergencia" in answer.text
    assert "de 2015 a 2017" in answer.text
    assert "38 procedimientos" in answer.text


def test_emergency_contracts_are_recognised_from_their_own_data(
    loaded: Engine, tmp_path: Path
) -> None:
    package = write_package(
        tmp_path / "covid.json",
        [
            emergency_release("ocds-covid-1", 1_250_000.5, "Emergencia sanitaria por COVID-19"),
            # No keyword, but a direct award inside the declared emergency period.
            emergency_release("ocds-covid-2", 80_000, "Compra urgente de insumos"),
        ],
    )
    svc.load_source(str(package), engine=loaded)
    answer = answer_emergency(loaded)
    assert "encontré 2 contratos que parecen de emergencia" in answer.text
    assert "sus datos dicen «covid»" in answer.text or "sus datos dicen «emergencia»" in answer.text
    assert "adjudicación directa durante la emergencia sanitaria por COVID-19" in answer.text
    assert "$1,250,000.50 MXN" in answer.text
    mask = answer_text("¿cuánto se gastó en cubrebocas?", loaded)
    assert "Encontré 2 contratos sobre «cubrebocas»" in mask.text
    assert "Suman $1,330,000.50 MXN" in mask.text


@pytest.mark.parametrize("typed", ["contratos de la secretaria de salu",
                                   "contratos de la secretria de salud",
                                   "que compro la SECRETARIA DE SALU en 2020"])
def test_an_institution_written_with_a_slip_is_still_its_institution(
    loaded: Engine, tmp_path: Path, typed: str
) -> None:
    """beh10: «secretaria de salu» searched the words «secretaria» and «salu» and found nothing."""
    svc.load_source(str(write_package(tmp_path / "salud.json", [
        emergency_release("ocds-salud-1", 5_000.0, "compra ordinaria")])), engine=loaded)
    answer = answer_text(typed, loaded)
    assert answer.text.startswith("Encontré 1 contrato de Secretaría de Salud del Estado de México")


def test_a_short_word_is_not_stretched_into_a_name(loaded: Engine) -> None:
    """Only a last letter dropped counts: «sal» stays a word of its own."""
    query, _ = understand("contratos de sal", loaded)
    assert query.buyers == () and query.suppliers == ()


def test_no_data_loaded_says_so(db_engine: Engine) -> None:
    assert "Todavía no hay datos de contrataciones" in answer_text("contratos de 2017", db_engine).text
    assert "Todavía no hay datos" in answer_emergency(db_engine).text


@pytest.mark.parametrize(
    ("cents", "currency", "shown"),
    [
        (123_456_789, "MXN", "$1,234,567.89 MXN"),
        (5, "MXN", "$0.05 MXN"),
        (255_200, "USD", "2,552.00 USD"),
    ],
)
def test_money_is_formatted_for_mexico(cents: int, currency: str, shown: str) -> None:
    assert money(cents, currency) == shown


@pytest.fixture
def big_package(tmp_path: Path) -> Iterator[Path]:
    releases = [
        emergency_release(f"ocds-big-{i}", 1000 + i, "compra ordinaria") for i in range(600)
    ]
    yield write_package(tmp_path / "grande.json", releases)


def test_a_package_larger_than_one_batch_is_streamed_whole(
    db_engine: Engine, big_package: Path
) -> None:
    seen: list[int] = []
    report = svc.load_source(str(big_package), engine=db_engine, progress=seen.append)
    assert report.new_releases == 600 and report.processes == 600
    assert sum(seen) == big_package.stat().st_size
    assert svc.data_summary(db_engine).contracts == 600


# ---------------------------------------------------------------- the search index


def test_the_search_index_answers_what_a_full_scan_answers(loaded: Engine) -> None:
    """Trigram index (PostgreSQL) or FTS5 table (SQLite): same contracts as reading every row."""
    with session_scope(loaded) as session:
        rows = session.execute(
            select(ProcurementContract.ocid, ProcurementContract.search_text)
        ).all()
    for words in [("limpieza",), ("computadora", "laptop"), ("salud",), ("cubre boca",), ("xyzzy",)]:
        expected = sum(any(w in text for w in words) for _, text in rows)
        assert svc.search(svc.SearchQuery(words=(words,)), engine=loaded).count == expected, words
    # Two-letter words are below the trigram size: still the same rule, answered by a scan.
    expected = sum("tv" in text for _, text in rows)
    assert svc.search(svc.SearchQuery(words=(("tv",),)), engine=loaded).count == expected


def test_the_search_index_follows_a_contract_that_changes(db_engine: Engine, tmp_path: Path) -> None:
    first = emergency_release("ocds-idx-1", 100.0, "compra")
    svc.load_source(str(write_package(tmp_path / "a.json", [first])), engine=db_engine)
    gloves = json.loads(json.dumps(first).replace("cubrebocas", "guantes").replace("Cubrebocas", "Guantes"))
    gloves["id"] = "ocds-idx-1-2"
    gloves["date"] = "2020-05-01T10:00:00-06:00"
    svc.load_source(str(write_package(tmp_path / "b.json", [gloves])), engine=db_engine)
    assert answer_text("contratos de guantes", db_engine).text.startswith("Encontré 1 contrato")
    assert not answer_text("contratos de cubrebocas", db_engine).text.startswith("Encontré")
    # Words that look like SQL or LIKE wildcards are only text.
    for text in ["%", "100% _ cubrebocas'; DROP TABLE procurement_contracts;--"]:
        assert not answer_text(text, db_engine).text.startswith("Encontré 1 contrato de cubrebocas")
    assert svc.data_summary(db_engine).contracts == 1


@pytest.mark.parametrize(
    "query",
    [
        svc.SearchQuery(),
        svc.SearchQuery(years=(2017,), methods=("direct",)),
        svc.SearchQuery(buyers=("SECRETARÍA DE FINANZAS",)),
        svc.SearchQuery(emergency=True),
        svc.SearchQuery(years=(1999,)),
    ],
    ids=["all", "direct-2017", "buyer", "emergency", "nothing"],
)
def test_searches_without_words_add_up_like_the_contracts_they_find(
    loaded: Engine, query: svc.SearchQuery
) -> None:
    """Those totals come from the per-load rollup: they must equal the sums over the rows."""
    svc.load_source(str(SAMPLE_2017), engine=loaded)
    C = ProcurementContract
    with session_scope(loaded) as session:
        found = session.scalars(select(C).where(*svc._conditions(query, loaded.dialect.name))).all()
        totals: dict[str, int] = {}
        for c in found:
            if c.amount_cents is not None:
                totals[c.currency or "?"] = totals.get(c.currency or "?", 0) + c.amount_cents
        expected = (
            len(found),
            totals,
            sum(c.amount_cents is None for c in found),
            sum(c.method == "direct" for c in found),
            sum(c.above_median for c in found),
        )
    result = svc.search(query, engine=loaded)
    assert (result.count, result.totals, result.no_amount, result.direct, result.above_median) == expected
    assert [h.amount_cents for h in result.hits] == sorted(
        [c.amount_cents for c in found if c.amount_cents is not None], reverse=True
    )[: len(result.hits)]


def test_a_new_load_shows_in_searches_without_words(loaded: Engine, tmp_path: Path) -> None:
    before = svc.search(svc.SearchQuery(emergency=True), engine=loaded)
    package = write_package(tmp_path / "nuevo.json", [emergency_release("ocds-new-1", 500.0, "COVID-19")])
    svc.load_source(str(package), engine=loaded)
    after = svc.search(svc.SearchQuery(emergency=True), engine=loaded)
    assert after.count == before.count + 1
    assert after.totals["MXN"] == before.totals.get("MXN", 0) + 50_000
    assert svc.top_buyers(50, loaded).count("Secretaría de Salud del Estado de México") == 1
