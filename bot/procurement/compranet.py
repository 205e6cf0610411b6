"""Read CompraNet contract exports (SFP, datos.gob.mx) as OCDS releases.

CompraNet publishes one CSV row per contract, not OCDS. Each readable row becomes
one release of the process ``compranet-`` + NUMERO_PROCEDIMIENTO, with release id
``compranet-`` + CODIGO_CONTRATO, so loading a file twice adds nothing and the
contracts of one procedure (several rows) are merged into one process. The
mapping follows shared/data/README.md (section 6), as PODER's QuiénEsQuién and
OCP's training material do it. Three layouts are understood: the 45 columns of
2017–2018 with their header row or without it (the 2017 file has none), and the
2019+ layout, whose readable headers include "Fundamento legal". Rows that cannot
be read are returned as :class:`BadRow` with a reason in Spanish; the whole file
is refused (:class:`CompranetFormatError`) when it is not a CompraNet export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.textnorm import normalize_words

OCID_PREFIX = "compranet-"
PUBLISHER = "Secretaría de la Función Pública (CompraNet, datos.gob.mx)"

# The SFP's 45 columns, in file order (the header of the 2018 export; the 2017 one has none).
COLUMNS_45 = (
    "GOBIERNO", "SIGLAS", "DEPENDENCIA", "CLAVEUC", "NOMBRE_DE_LA_UC", "RESPONSABLE",
    "CODIGO_EXPEDIENTE", "TITULO_EXPEDIENTE", "PLANTILLA_EXPEDIENTE", "NUMERO_PROCEDIMIENTO",
    "EXP_F_FALLO", "PROC_F_PUBLICACION", "FECHA_APERTURA_PROPOSICIONES", "CARACTER",
    "TIPO_CONTRATACION", "TIPO_PROCEDIMIENTO", "FORMA_PROCEDIMIENTO", "CODIGO_CONTRATO",
    "TITULO_CONTRATO", "FECHA_INICIO", "FECHA_FIN", "IMPORTE_CONTRATO", "MONEDA",
    "ESTATUS_CONTRATO", "ARCHIVADO", "CONVENIO_MODIFICATORIO", "RAMO", "CLAVE_PROGRAMA",
    "APORTACION_FEDERAL", "FECHA_CELEBRACION", "CONTRATO_MARCO", "IDENTIFICADOR_CM",
    "COMPRA_CONSOLIDADA", "PLURIANUAL", "CLAVE_CARTERA_SHCP", "ESTRATIFICACION_MUC",
    "FOLIO_RUPC", "PROVEEDOR_CONTRATISTA", "ESTRATIFICACION_MPC", "SIGLAS_PAIS",
    "ESTATUS_EMPRESA", "CUENTA_ADMINISTRADA_POR", "C_EXTERNO", "ORGANISMO", "ANUNCIO",
)

# Readable headers of the 2019+ exports, mapped to the names above. Written from the layout
# journalists describe; ⚠ not checked against a real 2019+ file (none was reachable).
HEADERS_2019 = {
    "orden de gobierno": "GOBIERNO",
    "siglas de la institucion": "SIGLAS",
    "institucion": "DEPENDENCIA",
    "clave de la uc": "CLAVEUC",
    "nombre de la uc": "NOMBRE_DE_LA_UC",
    "responsable de la uc": "RESPONSABLE",
    "codigo del expediente": "CODIGO_EXPEDIENTE",
    "titulo del expediente": "TITULO_EXPEDIENTE",
    "plantilla del expediente": "PLANTILLA_EXPEDIENTE",
    "fundamento legal": "FUNDAMENTO_LEGAL",
    "numero del procedimiento": "NUMERO_PROCEDIMIENTO",
    "fecha de fallo": "EXP_F_FALLO",
    "fecha de publicacion": "PROC_F_PUBLICACION",
    "fecha de apertura": "FECHA_APERTURA_PROPOSICIONES",
    "caracter del procedimiento": "CARACTER",
    "tipo de contratacion": "TIPO_CONTRATACION",
    "tipo de procedimiento": "TIPO_PROCEDIMIENTO",
    "forma de participacion": "FORMA_PROCEDIMIENTO",
    "codigo del contrato": "CODIGO_CONTRATO",
    "titulo del contrato": "TITULO_CONTRATO",
    "descripcion del contrato": "DESCRIPCION_CONTRATO",
    "fecha de inicio del contrato": "FECHA_INICIO",
    "fecha de fin del contrato": "FECHA_FIN",
    "importe del contrato": "IMPORTE_CONTRATO",
    "moneda del contrato": "MONEDA",
    "estatus del contrato": "ESTATUS_CONTRATO",
    "fecha de firma del contrato": "FECHA_CELEBRACION",
    "folio en el rupc": "FOLIO_RUPC",
    "rfc": "RFC",
    "proveedor o contratista": "PROVEEDOR_CONTRATISTA",
    "direccion del anuncio": "ANUNCIO",
}
REQUIRED = ("NUMERO_PROCEDIMIENTO", "CODIGO_CONTRATO", "DEPENDENCIA", "IMPORTE_CONTRATO", "MONEDA")

METHODS = (("licitacion", "open"), ("invitacion", "selective"), ("adjudicacion directa", "direct"))
CATEGORIES = (
    ("obra", "works"), ("servicios relacionados", "works"), ("servicio", "services"),
    ("adquisicion", "goods"), ("arrendamiento", "goods"),
)
STATUS = {"activo": "active", "expirado": "terminated", "terminado": "terminated"}
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?")
DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?")


class CompranetFormatError(ValueError):
    """Not a CompraNet export (unknown columns, or no readable row)."""


@dataclass
class BadRow:
    record: int  # 1 = the first row of the file, header included
    line: int  # where the row starts (a quoted cell may span lines)
    reason: str

    def __str__(self) -> str:
        where = f"fila {self.record}"
        if self.line != self.record:
            where += f" (empieza en la línea {self.line})"
        return f"{where}: {self.reason}"


@dataclass
class CompranetRow:
    record: int
    release: dict[str, Any]


def looks_like_csv(path: Path) -> bool:
    """A .csv name, or a file whose first character is not JSON's ``{`` or ``[``."""
    if path.suffix.lower() == ".csv":
        return True
    with path.open("rb") as handle:
        start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(start) and start[:1] not in (b"{", b"[")


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # older exports from Excel on Windows


def _header_key(cell: str) -> str:
    return normalize_words(cell.replace("_", " "))


def _columns(first: list[str]) -> tuple[list[str], bool]:
    """The column names for this file and whether the first row is a header."""
    known = {_header_key(c): c for c in COLUMNS_45} | HEADERS_2019
    keys = [_header_key(c) for c in first]
    matched = [known.get(k) for k in keys]
    if sum(1 for m in matched if m) >= len(REQUIRED):
        names = [m or f"_{i}" for i, m in enumerate(matched)]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise CompranetFormatError(
                "la fila de encabezados no trae las columnas " + ", ".join(missing)
            )
        return names, True
    if len(first) == len(COLUMNS_45):
        return list(COLUMNS_45), False
    raise CompranetFormatError(
        f"no parece una exportación de CompraNet: la primera fila tiene {len(first)} columnas, "
        f"sin encabezados conocidos (se esperaban {len(COLUMNS_45)} columnas o los encabezados "
        "de CompraNet)"
    )


def _date(value: str) -> str:
    """An ISO 8601 date-time, from ``2017-08-11 18:34``, ``2017-08-11`` or ``11/08/2017``."""
    value = value.strip()
    if match := DATE_RE.match(value):
        y, m, d, hh, mm = match.groups()
    elif match := DMY_RE.match(value):
        d, m, y, hh, mm = match.groups()
    else:
        return ""
    try:
        return dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0)).isoformat()
    except ValueError:
        return ""


def _amount(value: str) -> float | None:
    cleaned = value.replace("$", "").replace(",", "").strip()
    if not cleaned:
        return None
    return float(cleaned)


def _pick(table: tuple[tuple[str, str], ...], text: str) -> str:
    norm = normalize_words(text)
    return next((code for word, code in table if word in norm), "")


def _clean_name(name: str) -> str:
    """CompraNet writes state and municipal buyers with a leading underscore ("_Gobierno del …")."""
    return name.strip().lstrip("_").strip()


def to_release(row: dict[str, str]) -> dict[str, Any]:
    """One CompraNet row as an OCDS 1.1 release (with the original row kept under ``compranet``)."""
    procedure = row["NUMERO_PROCEDIMIENTO"].strip()
    contract_code = row["CODIGO_CONTRATO"].strip()
    amount = _amount(row.get("IMPORTE_CONTRATO", ""))
    currency = row.get("MONEDA", "").strip().upper()[:3]
    buyer = _clean_name(row.get("DEPENDENCIA", ""))
    unit = row.get("NOMBRE_DE_LA_UC", "").strip()
    supplier = row.get("PROVEEDOR_CONTRATISTA", "").strip()
    supplier_id = row.get("RFC", "").strip() or row.get("FOLIO_RUPC", "").strip() or supplier
    signed = _date(row.get("FECHA_CELEBRACION", ""))
    start, end = _date(row.get("FECHA_INICIO", "")), _date(row.get("FECHA_FIN", ""))
    award_date = _date(row.get("EXP_F_FALLO", ""))
    details = row.get("TIPO_PROCEDIMIENTO", "").strip()
    legal_basis = row.get("FUNDAMENTO_LEGAL", "").strip()
    tender: dict[str, Any] = {
        "id": row.get("CODIGO_EXPEDIENTE", "").strip() or procedure,
        "title": row.get("TITULO_EXPEDIENTE", "").strip(),
        "procurementMethod": _pick(METHODS, details),
        "procurementMethodDetails": details,
        "procurementMethodRationale": row.get("PLANTILLA_EXPEDIENTE", "").strip(),
        "mainProcurementCategory": _pick(CATEGORIES, row.get("TIPO_CONTRATACION", "")),
        "procuringEntity": {"id": row.get("CLAVEUC", "").strip(), "name": unit},
    }
    if legal_basis:
        tender["legalBasis"] = legal_basis  # not in OCDS 1.1: read by ocds_state for emergencies
    published = _date(row.get("PROC_F_PUBLICACION", ""))
    opening = _date(row.get("FECHA_APERTURA_PROPOSICIONES", ""))
    if published or opening:
        tender["tenderPeriod"] = {
            k: v for k, v in (("startDate", published), ("endDate", opening)) if v
        }
    notice = row.get("ANUNCIO", "").strip()
    documents = (
        [{"id": "anuncio", "documentType": "tenderNotice", "url": notice}]
        if notice.startswith(("http://", "https://"))
        else []
    )
    value = {"amount": amount, "currency": currency} if amount is not None else {}
    award: dict[str, Any] = {
        "id": contract_code,
        "status": "active",
        "suppliers": [{"id": supplier_id, "name": supplier}] if supplier else [],
    }
    if award_date:
        award["date"] = award_date
    if value:
        award["value"] = value
    contract: dict[str, Any] = {
        "id": contract_code,
        "awardID": contract_code,
        "title": row.get("TITULO_CONTRATO", "").strip(),
        "description": row.get("DESCRIPCION_CONTRATO", "").strip(),
        "status": STATUS.get(normalize_words(row.get("ESTATUS_CONTRATO", "")), ""),
        "statusDetails": row.get("ESTATUS_CONTRATO", "").strip(),
        "documents": documents,
    }
    if value:
        contract["value"] = value
    if signed:
        contract["dateSigned"] = signed
    if start or end:
        contract["period"] = {k: v for k, v in (("startDate", start), ("endDate", end)) if v}
    parties = [
        {"id": f"dependencia-{normalize_words(buyer)}", "name": buyer, "roles": ["buyer"]},
        {"id": f"uc-{tender['procuringEntity']['id']}", "name": unit, "roles": ["procuringEntity"]},
    ]
    if supplier:
        parties.append({"id": f"proveedor-{supplier_id}", "name": supplier, "roles": ["supplier"]})
    return {
        "ocid": OCID_PREFIX + procedure,
        "id": OCID_PREFIX + contract_code,
        "date": signed or start or award_date or published or "1970-01-01T00:00:00",
        "tag": ["contract"],
        "initiationType": "tender",
        "language": "es",
        "buyer": {"id": parties[0]["id"], "name": buyer},
        "parties": [p for p in parties if p["name"]],
        "tender": tender,
        "awards": [award],
        "contracts": [contract],
        "compranet": {k: v for k, v in row.items() if not k.startswith("_") and v.strip()},
    }


def read_compranet(path: Path) -> tuple[list[CompranetRow], list[BadRow]]:
    """Every row as a release, and the rows that could not be read (with the reason)."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    try:
        first = next(reader)
    except StopIteration:
        raise CompranetFormatError("el archivo está vacío") from None
    except csv.Error as exc:
        raise CompranetFormatError(f"no es un CSV legible ({exc})") from exc
    names, has_header = _columns(first)
    good: list[CompranetRow] = []
    bad: list[BadRow] = []
    pending = [] if has_header else [(1, 1, first)]

    def rows() -> Iterator[tuple[int, int, list[str]]]:
        yield from pending
        record = 1
        while True:
            start = reader.line_num + 1
            record += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                bad.append(BadRow(record, start, f"no se pudo leer como CSV ({exc})"))
                continue
            yield record, start, cells

    for record, line, cells in rows():
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            who = _clean_name(cells[2]) if len(cells) > 2 else ""
            bad.append(
                BadRow(
                    record,
                    line,
                    f"tiene {len(cells)} columnas y se esperaban {len(names)}"
                    + (f" ({who})" if who else ""),
                )
            )
            continue
        row = dict(zip(names, cells, strict=True))
        missing = [c for c in ("NUMERO_PROCEDIMIENTO", "CODIGO_CONTRATO") if not row[c].strip()]
        if missing:
            bad.append(BadRow(record, line, "le falta " + " y ".join(missing)))
            continue
        try:
            release = to_release(row)
        except ValueError:
            bad.append(BadRow(record, line, f"el importe «{row['IMPORTE_CONTRATO']}» no es un número"))
            continue
        good.append(CompranetRow(record, release))
    if not good:
        raise CompranetFormatError("ninguna fila se pudo leer")
    return good, bad
