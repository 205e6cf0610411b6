"""`participa review`: what the STL does from the command line, on a real database."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import app
from bot.proposals import service as svc

runner = CliRunner()



def _submit(sender: str, theme: str = "movilidad", consent: bool = False) -> str:
    draft = svc.Draft(theme=theme, municipality_code="15106", municipality="Toluca",
                      problem="Baches en la avenida Colón", causes=None, effects=None,
                      affected=None, solution="Bachear y dar mantenimiento")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=sender, channel="telegram",
                          consent=consent, contact_info="7221234567" if consent else None)
    assert proposal.folio
    return proposal.folio


def test_list_show_and_filters(app_db: str) -> None:
    folio = _submit("tg-1")
    _submit("tg-2", theme="seguridad")
    listed = runner.invoke(app, ["review", "list", "--theme", "movilidad"])
    assert listed.exit_code == 0 and folio in listed.output and "seguridad" not in listed.output
    as_json = json.loads(runner.invoke(app, ["review", "list", "--json"]).output)
    assert len(as_json) == 2
    shown = runner.invoke(app, ["review", "show", folio])
    assert "Baches en la avenida Colón" in shown.output and "Historial" in shown.output


def test_set_status_records_history_and_refuses_bad_input(app_db: str) -> None:
    folio = _submit("tg-3", consent=True)
    ok = runner.invoke(app, ["review", "set-status", folio, "turnada", "--note", "Mesa de movilidad",
                             "--actor", "revisora"])
    assert ok.exit_code == 0
    shown = runner.invoke(app, ["review", "show", folio]).output
    assert "recibida → turnada" in shown and "revisora" in shown and "Mesa de movilidad" in shown
    assert len(svc.pending_notifications("telegram")) == 1
    bad = runner.invoke(app, ["review", "set-status", folio, "aprobadisima"])
    assert bad.exit_code == 1 and "Estado desconocido" in bad.output
    missing = runner.invoke(app, ["review", "set-status", "P-2026-999999", "turnada"])
    assert missing.exit_code == 1 and "No existe" in missing.output


def test_mark_duplicate(app_db: str) -> None:
    a, b = _submit("tg-4"), _submit("tg-5")
    result = runner.invoke(app, ["review", "mark-duplicate", b, "--of", a])
    assert result.exit_code == 0
    assert "duplicada" in runner.invoke(app, ["review", "show", b]).output.lower()


def test_exports_are_anonymised_unless_asked(app_db: str, tmp_path: Path) -> None:
    _submit("tg-6", consent=True)
    plain = runner.invoke(app, ["review", "export", "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert len(rows) == 1 and "contacto" not in rows[0] and "7221234567" not in plain
    full = runner.invoke(app, ["review", "export", "--format", "json", "--with-contact"]).output
    assert json.loads(full)[0]["contacto"] == "7221234567"
    target = tmp_path / "p.xlsx"
    runner.invoke(app, ["review", "export", "--format", "xlsx", "--output", str(target)])
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.cell(1, 1).value == "folio" and sheet.max_row == 2


def test_stats_count_by_theme_municipality_status(app_db: str) -> None:
    _submit("tg-7")
    _submit("tg-8")
    _submit("tg-9", theme="seguridad")
    output = runner.invoke(app, ["review", "stats"]).output
    assert "movilidad" in output and "seguridad" in output
    assert output.strip().splitlines()[-1].strip() == "3"
