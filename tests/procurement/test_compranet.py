"""CompraNet contract exports (SFP CSV) loaded as OCDS releases, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from bot.config import get_settings
from bot.procurement import service as svc
from bot.procurement.cli import app
from bot.procurement.compranet import COLUMNS_45
from bot.procurement.replies import answer_emergency, answer_text
from bot.storage.db import session_scope
from bot.storage.models.procurement import ProcurementContract, ProcurementProcess

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
SAMPLE_2017 = BUNDLED / "compranet_contratos_2017_muestra1pct.raw.csv"
SAMPLE_2018 = BUNDLED / "compranet_contratos_2018_muestra1pct.raw.csv"

# The 2019+ layout: readable headers, "Fundamento legal" among them (a subset is enough).
HEADERS_2019 = [
    "Orden de gobierno", "Institución", "Nombre de la UC", "Código del expediente",
    "Título del expediente", "Plantilla del expediente", "Fundamento legal",
    "Número del procedimiento", "Tipo de procedimiento", "Código del contrato",
    "Título del contrato", "Fecha de inicio del contrato", "Importe del contrato",
    "Moneda del contrato", "Fecha de firma del contrato", "RFC", "Proveedor o contratista",
]


def contracts(engine: Engine, *where: object) -> list[ProcurementContract]:
    with session_scope(engine) as session:
        rows = session.scalars(select(ProcurementContract).where(*where)).all()
        session.expunge_all()
        return list(rows)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def row_2019(
    procedure: str, contract: str, title: str, basis: str, amount: str, signed: str = "2020-04-01"
) -> list[str]:
    return [
        "APF", "Secretaría de Salud", "SSA-Dirección de Adquisiciones", f"EXP-{contract}", title,
        "05. Adjudicación Directa LAASSP", basis, procedure, "Adjudicación Directa", contract,
        title, signed, amount, "MXN", signed, "XAXX010101000",
        "Insumos Médicos del Valle SA de CV",
    ]


def test_the_2017_sample_loads_its_good_rows_reports_the_bad_one_and_once_only(
    db_engine: Engine,
) -> None:
    report = svc.load_source(str(SAMPLE_2017), engine=db_engine)
    assert report.kind == "compranet"
    assert (report.rows_read, report.new_releases) == (2205, 2205)
    assert report.bad_rows == [
        "fila 1083: tiene 78 columnas y se esperaban 45 (Instituto Mexicano del Seguro Social)"
    ]
    summary = svc.data_summary(db_engine)
    assert summary.contracts == 2205 and summary.processes == 2164  # some procedures, 2+ contracts
    again = svc.load_source(str(SAMPLE_2017), engine=db_engine)
    assert (again.new_releases, again.duplicate_releases) == (0, 2205)
    assert svc.data_summary(db_engine).contracts == 2205

    # Estado de México buyers: 4 of the state government, 6 municipal.
    edomex = contracts(db_engine, ProcurementContract.buyer_name.like("%Estado de México"))
    assert len(edomex) == 10
    assert sum(c.buyer_name.startswith("Gobierno Municipal") for c in edomex) == 6
    # Dollars stay dollars, next to their currency.
    usd = contracts(db_engine, ProcurementContract.currency == "USD")
    assert len(usd) == 23 and all(c.amount_cents for c in usd)

    # The five FONDEN direct awards after the September 2017 earthquakes, recognised by their titles.
    emergency = contracts(db_engine, ProcurementContract.emergency.is_(True))
    fonden = [c for c in emergency if "fonden" in c.search_text]
    assert len(fonden) == 5
    assert {c.method for c in fonden} == {"direct"}
    assert sum(c.amount_cents or 0 for c in fonden) == 187_301_069
    with session_scope(db_engine) as session:
        reasons = set(
            session.scalars(
                select(ProcurementProcess.emergency_reason).where(
                    ProcurementProcess.ocid.in_([c.ocid for c in fonden])
                )
            )
        )
    assert reasons == {
        "posible emergencia por palabras en el título: «FONDEN», el Fondo de Desastres Naturales"
    }

    answer = answer_text("contratos del fonden por el sismo", db_engine)
    assert answer.text.startswith("Encontré 5 contratos")
    assert "Suman $1,873,010.69 MXN" in answer.text
    assert "$554,443.43 MXN" in answer.text and "Gobierno del Estado de Morelos" in answer.text
    assert "100% de estos contratos fueron adjudicación directa" in answer.text
    assert "por palabras en el título" in answer.text
    assert "compranet.funcionpublica.gob.mx" in answer.text
    # No flag here, and the reply says why: CompraNet does not publish what the flags need.
    assert "Que no haya señales no quiere decir que no haya riesgo: en 5 de estos 5" in answer.text
    assert (
        "R018 · una sola oferta: ningún contrato cargado trae los datos de cuántas empresas"
        in answer.text
    )

    # R003 (OCP's short tender period) where the export has both dates: open tenders only.
    tenders = answer_text("licitaciones publicas", db_engine)
    assert "Encontré 303 contratos por licitación pública" in tenders.text
    assert (
        "R003 · plazo corto para presentar ofertas: 72 de 280 (menos de 15 días para presentar "
        "ofertas en una licitación pública, el umbral de la OCP). Esta señal solo se puede calcular "
        "en el 13% de los contratos cargados y en 280 de estos 303."
    ) in tenders.text


def test_header_row_or_none_gives_the_same_contracts(db_engine: Engine, tmp_path: Path) -> None:
    lines = SAMPLE_2018.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("GOBIERNO,SIGLAS,DEPENDENCIA")
    headless = tmp_path / "sin_encabezado.csv"
    headless.write_text("".join(lines[1:]), encoding="utf-8")
    first = svc.load_source(str(headless), engine=db_engine)
    assert (first.rows_read, first.new_releases, first.bad_rows) == (169, 169, [])
    with_header = svc.load_source(str(SAMPLE_2018), engine=db_engine)
    assert (with_header.rows_read, with_header.new_releases) == (169, 0)  # same contracts
    assert svc.data_summary(db_engine).contracts == 169


def test_2019_layout_recognises_an_emergency_by_its_legal_basis(
    db_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "compranet_2020.csv",
        [
            HEADERS_2019,
            row_2019("AA-012-E1-2020", "C-1", "Adquisición de cubrebocas", "Art. 41 fracc. II LAASSP",
                     "1,250,000.50"),
            row_2019("AA-012-E2-2020", "C-2", "Insumos por la contingencia", "Art. 42 LAASSP",
                     "80000"),
            # Before the COVID-19 period: neither its legal basis nor its title says emergency.
            row_2019("AA-012-E3-2019", "C-3", "Servicio de limpieza", "Art. 42 LAASSP", "5000",
                     signed="2019-11-05"),
        ],
    )
    report = svc.load_source(str(path), engine=db_engine)
    assert (report.rows_read, report.new_releases, report.bad_rows) == (3, 3, [])
    with session_scope(db_engine) as session:
        reasons = dict(
            session.execute(
                select(ProcurementProcess.ocid, ProcurementProcess.emergency_reason)
            ).all()
        )
    assert reasons["compranet-AA-012-E1-2020"] == (
        "posible emergencia por fundamento legal: «Art. 41 fracc. II LAASSP» "
        "(artículo 41, fracción II o V, de la Ley de Adquisiciones (LAASSP))"
    )
    assert reasons["compranet-AA-012-E2-2020"] == (
        "posible emergencia por palabras en el título: «contingencia»"
    )
    assert reasons["compranet-AA-012-E3-2019"] == ""
    answer = answer_emergency(db_engine)
    assert "encontré 2 contratos que parecen de emergencia" in answer.text
    assert "$1,250,000.50 MXN" in answer.text


def test_files_that_are_not_compranet_load_nothing_and_say_why(
    db_engine: Engine, tmp_path: Path
) -> None:
    other = write_csv(tmp_path / "otra.csv", [["municipio", "poblacion"], ["Toluca", "910608"]])
    with pytest.raises(svc.LoadError, match="no parece una exportación de CompraNet.*No se cargó nada"):
        svc.load_source(str(other), engine=db_engine)
    header = list(COLUMNS_45)
    header.remove("CODIGO_CONTRATO")
    missing = write_csv(tmp_path / "sin_contrato.csv", [header])
    with pytest.raises(svc.LoadError, match="no trae las columnas CODIGO_CONTRATO"):
        svc.load_source(str(missing), engine=db_engine)
    # Mostly unreadable rows: probably another layout, so not even the good row is kept.
    good = next(csv.reader(SAMPLE_2017.open(encoding="utf-8", newline="")))
    mostly_bad = write_csv(tmp_path / "rota.csv", [good, good[:30], good[:30], good[:30]])
    with pytest.raises(svc.LoadError, match="3 de 4 filas no se pudieron leer"):
        svc.load_source(str(mostly_bad), engine=db_engine)
    assert svc.data_summary(db_engine).releases == 0


def test_cli_lists_the_rows_it_could_not_read(
    db_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        reader = csv.reader(SAMPLE_2017.open(encoding="utf-8", newline=""))
        good = [next(reader) for _ in range(3)]
        path = write_csv(tmp_path / "muestra.csv", [*good, good[0][:44]])
        result = CliRunner().invoke(app, [str(path)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "1 fila no se pudo leer y no se cargó" in result.output
    assert "fila 4: tiene 44 columnas y se esperaban 45" in result.output
    assert "3 releases nuevos" in result.output
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count(ProcurementContract.id))) == 3
