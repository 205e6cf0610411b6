"""Proposals collected outside the chat (in-person sessions, paper, the state's online survey).

``participa review import FILE`` reads CSV or JSON lines with the columns of ``review export``,
matches themes and municipalities the way the chat does, checks every row with the chat's own
limits and stores the whole file or nothing: a half-imported file would leave the STL guessing
which rows made it. Imported proposals get folios like any other, ``channel = "importada"`` as
their origin, no author and no contact. A file imported twice is recognised and not stored again.

A name several municipalities share («Atizapan», «Cuautitlan») cannot be asked about, as the chat
does: the row is rejected unless ``clave_municipio`` (the INEGI code ``review export`` writes) says
which, or the name is written exactly as one of them is officially («Atizapán»; kept, flagged).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from bot.content.municipalities import Municipality, match_municipality, municipality_index
from bot.content.place import place
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Proposal, StatusChange
from bot.textnorm import normalize_words

ORIGIN = svc.ORIGIN_IMPORTED
ACTOR = "importación"
FIELDS = ("tema", "municipio", "problema", "causas", "efectos", "personas_afectadas", "solucion", "fecha",
          "clave_municipio")
REQUIRED = ("tema", "municipio", "problema", "solucion")
# Columns of ``review export`` that an import does not take (the database assigns them).
IGNORED = ("folio", "estado", "razon_estado", "adhesiones", "origen", "contacto",
           "acepto_contacto")
TEXT_STEPS = {"problema": "proposal_problem", "causas": "proposal_causes", "efectos": "proposal_effects",
              "personas_afectadas": "proposal_affected", "solucion": "proposal_solution"}
# What people write in an optional box when they have nothing to say (as the chat accepts it).
NOTHING = {"", "no se", "nose", "ni idea", "no lo se", "no sabria", "no tengo idea", "ninguno", "ninguna",
           "n a", "na", "sin dato", "sin datos", "—", "-"}
_WHAT = {"problema": "un problema", "solucion": "una solución"}
# C0 control characters (and DEL) except tab and line breaks, which are turned into spaces/kept.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, columns), said in Spanish."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"campo «{self.field}»: " if self.field else ""
        return f"Línea {self.line}, {where}{self.reason}"


@dataclass
class ImportReport:
    """What happened: problems (nothing stored), folios stored, or an earlier import found."""

    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    # Kept as people wrote them, flagged for the STL (a short answer on a paper form is still theirs).
    warnings: list[RowProblem] = field(default_factory=list)
    folios: list[str] = field(default_factory=list)
    already_imported: bool = False
    ignored_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportRow:
    line: int
    draft: svc.Draft
    day: dt.date | None
    warnings: tuple[RowProblem, ...] = ()


def clean_text(value: str) -> str:
    """Text without control characters: tabs become spaces, line breaks stay, NUL and the like go."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = CONTROL_RE.sub("", value)
    return "\n".join(" ".join(line.split()) for line in value.split("\n")).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in Mexico often saves CSV as Windows-1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("No pude leer el archivo: guárdalo como texto UTF-8.")


def _is_jsonl(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    if suffix in (".csv", ".txt"):
        return False
    return text.lstrip().startswith("{")


def _as_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """(line, raw row) pairs and the column names found, from a CSV or JSON lines file."""
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise ImportFileError(f"No pude abrir el archivo {path}: {exc.strerror or exc}.") from exc
    rows: list[tuple[int, dict[str, Any]]] = []
    columns: list[str] = []
    if text.lstrip().startswith("["):  # a JSON array, as ``review export --format json`` writes it
        rows = _json_array(text)
        for _, data in rows:
            columns.extend(k for k in data if k != "__error__" and k not in columns)
        return rows, columns
    if _is_jsonl(path, text):
        for number, content in enumerate(text.splitlines(), start=1):
            if not content.strip():
                continue
            try:
                data = json.loads(content)
            except json.JSONDecodeError as exc:
                rows.append((number, {"__error__": f"no es JSON válido ({exc.msg})"}))
                continue
            if not isinstance(data, dict):
                rows.append((number, {"__error__": "cada línea debe ser un objeto JSON {…}"}))
                continue
            columns.extend(k for k in data if k not in columns)
            rows.append((number, data))
        return rows, columns
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    next_start = 2
    for record in reader:
        start = next_start
        next_start = reader.line_num + 1
        if None in record:
            rows.append((start, {"__error__": "tiene más valores que columnas el encabezado"}))
            continue
        if all(not (v or "").strip() for v in record.values()):
            continue
        rows.append((start, dict(record)))
    return rows, columns


def _json_array(text: str) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a JSON array, each with the line where it starts."""
    decoder = json.JSONDecoder()
    rows: list[tuple[int, dict[str, Any]]] = []
    at = text.index("[") + 1
    while True:
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text) or text[at] == "]":
            return rows
        line = text.count("\n", 0, at) + 1
        try:
            data, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            rows.append((line, {"__error__": f"no es JSON válido ({exc.msg}); no pude leer lo que sigue"}))
            return rows
        rows.append((line, data if isinstance(data, dict) else
                     {"__error__": "cada elemento debe ser un objeto JSON {…}"}))


def _parse_day(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _theme_names() -> str:
    return ", ".join(t.title for t in svc.proposal_content().themes)


def _municipality(line: int, name: str, code: str) -> tuple[
        Municipality | None, RowProblem | None, RowProblem | None]:
    """(municipality, problem, warning) for a row's «municipio» and optional «clave_municipio»."""
    by_code = {m.code: m for m in municipality_index().municipalities}
    if code.isdigit() and len(code) < 5:  # a spreadsheet dropped the leading zeros
        code = code.zfill(5)
    if code and code not in by_code:
        return None, RowProblem(line, "clave_municipio", f"«{code[:10]}» no es la clave de ningún "
                                                         f"municipio del {place().state}"), None
    if not name:
        if code:
            return by_code[code], None, None
        return None, RowProblem(line, "municipio", "falta; es obligatorio"), None
    match = match_municipality(name)
    candidates = [match.best] if match.best is not None else match.candidates
    if code:
        chosen = by_code[code]
        if candidates and chosen not in candidates:
            said = " o ".join(m.name for m in candidates)
            return None, RowProblem(line, "clave_municipio", f"{code} es {chosen.name}, pero el "
                                                             f"municipio dice «{name[:60]}» ({said})"), None
        return chosen, None, None
    if match.best is not None:
        return match.best, None, None
    official = [m for m in candidates if m.name.casefold() == name.casefold()]
    if official:  # «Atizapán» written exactly: that municipality, though people may mean another
        others = " o ".join(m.name for m in candidates if m is not official[0])
        return official[0], None, RowProblem(line, "municipio", f"«{name[:60]}» es el nombre oficial de "
                                                                f"{official[0].name}, pero también puede "
                                                                f"ser {others}; lo guardé en "
                                                                f"{official[0].name}")
    if candidates:
        names = " o ".join(m.name for m in candidates)
        return None, RowProblem(line, "municipio", f"«{name[:60]}» puede ser {names}; escribe el nombre "
                                                   "completo o agrega la columna clave_municipio"), None
    return None, RowProblem(line, "municipio", f"no encontré «{name[:60]}» entre los municipios del "
                                               f"{place().state}"), None


def validate_row(line: int, raw: dict[str, Any], today: dt.date) -> tuple[ImportRow | None, list[RowProblem]]:
    """One row checked as the chat checks each answer; every problem of the row is reported."""
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    if "__error__" in raw:
        return None, [RowProblem(line, "", str(raw["__error__"]))]
    values: dict[str, str] = {}
    for name in FIELDS:
        text = _as_text(raw.get(name))
        if text is None:
            problems.append(RowProblem(line, name, "debe ser texto, no una lista ni un objeto"))
            text = ""
        values[name] = clean_text(text)
    steps = svc.proposal_content().steps

    theme = None
    if not values["tema"]:
        problems.append(RowProblem(line, "tema", "falta; es obligatorio"))
    else:
        theme = svc.match_theme(values["tema"].replace("_", " "))
        if theme is None:
            problems.append(RowProblem(line, "tema", f"«{values['tema'][:60]}» no corresponde a ningún tema; "
                                                     f"usa uno de: {_theme_names()}"))

    municipality, problem, warning = _municipality(line, values["municipio"], values["clave_municipio"])
    if problem is not None:
        problems.append(problem)
    if warning is not None:
        warnings.append(warning)

    texts: dict[str, str | None] = {}
    for name, step_id in TEXT_STEPS.items():
        step = steps[step_id]
        text = values[name]
        if normalize_words(text) in NOTHING or not normalize_words(text):
            if name in REQUIRED and text:  # «nose» as the solution: the chat would ask for one
                problems.append(RowProblem(line, name, f"dice «{text[:30]}», que no es {_WHAT[name]}; "
                                                       "es obligatorio, como en el chat: escribe lo "
                                                       "que la persona dijo o quita la fila"))
            elif name in REQUIRED:
                problems.append(RowProblem(line, name, "falta; es obligatorio"))
            texts[name] = None
            continue
        size = len(text)
        if size < step.min:
            # The chat asks for more; a paper form cannot, so the text is kept and flagged.
            warnings.append(RowProblem(line, name, f"es corto ({size} caracteres; en el chat se piden "
                                                   f"al menos {step.min}); lo guardé tal como está"))
        elif size > step.max:
            problems.append(RowProblem(line, name, f"es muy largo ({size} caracteres; máximo {step.max})"))
        texts[name] = text

    day = None
    if values["fecha"]:
        day = _parse_day(values["fecha"])
        if day is None:
            problems.append(RowProblem(line, "fecha", f"«{values['fecha'][:30]}» no es una fecha; "
                                                      "usa AAAA-MM-DD (por ejemplo 2026-11-30)"))
        elif day > today:
            problems.append(RowProblem(line, "fecha", f"{day.isoformat()} todavía no llega"))
            day = None

    if problems or theme is None or municipality is None:
        return None, problems
    draft = svc.Draft(
        theme=theme, municipality_code=municipality.code, municipality=municipality.name,
        problem=texts["problema"] or "", causes=texts["causas"], effects=texts["efectos"],
        affected=texts["personas_afectadas"], solution=texts["solucion"] or "",
    )
    return ImportRow(line, draft, day, tuple(warnings)), []


def _fingerprint(rows: list[ImportRow]) -> str:
    """The same proposals (whatever the file's format or name) give the same fingerprint."""
    canonical = json.dumps(
        [[r.draft.theme, r.draft.municipality_code, r.draft.problem, r.draft.causes, r.draft.effects,
          r.draft.affected, r.draft.solution, r.day.isoformat() if r.day else None] for r in rows],
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _intake_key(fingerprint: str, index: int) -> str:
    digest = hashlib.sha256(f"{fingerprint}:{index}".encode()).hexdigest()
    return f"{ORIGIN}:{digest[:54]}"


def import_file(path: Path, engine: Engine | None = None, today: dt.date | None = None) -> ImportReport:
    """Validate every row; store them all in one transaction, or none when any row is wrong."""
    raw_rows, columns = read_rows(path)
    report = ImportReport(rows=len(raw_rows))
    unknown = [c for c in columns if c and c not in FIELDS and c not in IGNORED]
    if unknown:
        raise ImportFileError(
            "Columnas desconocidas: " + ", ".join(f"«{c}»" for c in unknown)
            + ". Las columnas válidas son: " + ", ".join(FIELDS) + "."
        )
    missing = [c for c in REQUIRED if c not in columns]
    if raw_rows and missing:
        raise ImportFileError("Faltan columnas obligatorias: " + ", ".join(missing) + ".")
    if not raw_rows:
        raise ImportFileError("El archivo no tiene propuestas.")
    report.ignored_columns = [c for c in columns if c in IGNORED]
    today = today or svc.local_today()
    valid: list[ImportRow] = []
    for line, raw in raw_rows:
        row, problems = validate_row(line, raw, today)
        report.problems.extend(problems)
        if row is not None:
            valid.append(row)
            report.warnings.extend(row.warnings)
    if report.problems:
        return report
    fingerprint = _fingerprint(valid)
    keys = [_intake_key(fingerprint, i) for i in range(len(valid))]
    with session_scope(engine) as session:
        found = session.scalars(select(Proposal.folio).where(Proposal.intake_key.in_(keys[:1000]))
                                .order_by(Proposal.id)).all()
        if found:
            report.already_imported = True
            report.folios = [f for f in found if f]
            return report
        for row, key in zip(valid, keys, strict=True):
            created = svc.local_day_start(row.day) if row.day else None
            proposal = Proposal(
                intake_key=key, author_key=key, channel=ORIGIN, theme=row.draft.theme,
                municipality_code=row.draft.municipality_code, municipality=row.draft.municipality,
                problem=row.draft.problem, causes=row.draft.causes, effects=row.draft.effects,
                affected=row.draft.affected, solution=row.draft.solution, status="recibida",
            )
            if created is not None:
                proposal.created_at = created
            session.add(proposal)
            session.flush()
            proposal.folio = svc.folio_for(proposal.id, proposal.created_at)
            note = f"Propuesta importada de {path.name}, línea {row.line}"
            if row.warnings:
                note += "; revisar: " + "; ".join(f"«{w.field}» {w.reason}" for w in row.warnings)
            session.add(StatusChange(proposal_id=proposal.id, from_status=None, to_status="recibida",
                                     actor=ACTOR, note=note))
            report.folios.append(proposal.folio)
    return report
