"""CSV, XLSX and JSON files from export rows, safe to open in a spreadsheet.

Citizens write the proposal texts, so a cell starting with ``=``, ``+``, ``-``, ``@`` (or a
tab or carriage return) would run as a formula in Excel or LibreOffice ("CSV injection").
In CSV and XLSX such a cell gets a leading apostrophe; JSON keeps the text as written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from bot.textclean import clean

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def inert(value: Any) -> Any:
    """A cell that cannot run as a formula nor carry a character the file format refuses."""
    value = clean(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows accents right."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: inert(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(rows: Sequence[dict[str, Any]], meta: dict[str, Any] | None = None) -> bytes:
    data: Any = {**meta, "datos": list(rows)} if meta is not None else list(rows)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def to_xlsx(rows: Sequence[dict[str, Any]], fields: Sequence[str], sheet_title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    sheet.append(list(fields))
    for row in rows:
        sheet.append([inert(row.get(field, "")) for field in fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
