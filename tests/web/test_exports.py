"""Export files: spreadsheet formulas in citizen text stay inert; accents survive in Excel."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from bot.web import exports

ROWS = [{"folio": "P-2026-000001", "problema": "=1+1", "solucion": "@SUM(A1)", "municipio": "Nezahualcóyotl"},
        {"folio": "P-2026-000002", "problema": "-2 baches", "solucion": "+ luz", "municipio": "Toluca"}]
FIELDS = ["folio", "problema", "solucion", "municipio"]


def test_csv_neutralises_formulas_and_starts_with_a_bom() -> None:
    text = exports.to_csv(ROWS, FIELDS).decode("utf-8")
    assert text.startswith("\ufefffolio,problema")
    assert "'=1+1" in text and "'@SUM(A1)" in text and "'-2 baches" in text and "'+ luz" in text
    assert "Nezahualcóyotl" in text


def test_xlsx_has_no_formula_cells() -> None:
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(ROWS, FIELDS, "Propuestas"))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["P-2026-000001", "'=1+1", "'@SUM(A1)", "Nezahualcóyotl"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_json_keeps_text_as_written() -> None:
    assert json.loads(exports.to_json(ROWS))[0]["problema"] == "=1+1"
    assert json.loads(exports.to_json(ROWS, {"fuente": "x"}))["datos"][1]["folio"] == "P-2026-000002"
