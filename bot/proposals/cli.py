"""``participa review``: the STL reviews proposals from the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from openpyxl import Workbook

from bot.proposals import importing, suggestions
from bot.proposals import service as svc

app = typer.Typer(help="Revisión de propuestas por el STL.", no_args_is_help=True)

ActorOption = Annotated[str, typer.Option("--actor", help="quién hace el cambio (queda en el historial)")]


def _fail(message: str) -> None:
    typer.echo(f"✗ {message}", err=True)
    raise typer.Exit(1)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="recibida, en_revision, turnada…")] = None,
    theme: Annotated[str | None, typer.Option(help="movilidad, medio_ambiente, seguridad…")] = None,
    municipio: Annotated[str | None, typer.Option(help="parte del nombre del municipio")] = None,
    since: Annotated[str | None, typer.Option(help="AAAA-MM-DD")] = None,
    q: Annotated[str | None, typer.Option(help="texto en el problema o la solución")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Lista propuestas con filtros."""
    try:
        since_date = dt.date.fromisoformat(since) if since else None
    except ValueError:
        _fail(f"Fecha inválida {since!r}; usa AAAA-MM-DD.")
        return
    found = svc.search(
        svc.Filters(status=status, theme=theme, municipality=municipio, since=since_date, text=q)
    )
    if as_json:
        typer.echo(json.dumps(svc.export_rows(found), ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo("No hay propuestas con esos filtros.")
        return
    for p in found:
        typer.echo(
            f"{p.folio}  {p.created_at:%Y-%m-%d}  {p.status:<11} {p.theme:<15} "
            f"{p.municipality:<25} {p.problem[:60]}"
        )


@app.command()
def show(folio: str) -> None:
    """Muestra una propuesta con su árbol de problemas e historial."""
    p = svc.get(folio)
    if p is None:
        _fail(f"No existe el folio {folio}.")
        return
    c = svc.proposal_content()
    typer.echo(f"{p.folio} · {c.theme_title(p.theme)} · {p.municipality} ({p.municipality_code})")
    typer.echo(f"Estado: {c.statuses[p.status].label}" + (f" — {p.status_reason}" if p.status_reason else ""))
    for label, value in [
        ("Problema", p.problem),
        ("Causas", p.causes),
        ("Efectos", p.effects),
        ("A quiénes afecta", p.affected),
        ("Solución", p.solution),
    ]:
        typer.echo(f"{label}: {value or '—'}")
    if p.channel == importing.ORIGIN:
        typer.echo("Origen: importada (recogida fuera del chat)")
    typer.echo(f"Acepta avisos/contacto: {'sí' if p.contact else 'no'}")
    typer.echo("Historial:")
    for h in p.history:
        typer.echo(
            f"  {h.created_at:%Y-%m-%d %H:%M}  {h.from_status or '—'} → {h.to_status}  "
            f"({h.actor}){': ' + h.note if h.note else ''}"
        )


@app.command("set-status")
def set_status(
    folio: str,
    status: str,
    actor: ActorOption = "stl",
    note: Annotated[str | None, typer.Option("--note", help="por qué")] = None,
) -> None:
    """Cambia el estado (y avisa a quien la envió si aceptó avisos)."""
    try:
        p = svc.set_status(folio, status, actor=actor, note=note)
    except svc.ProposalError as exc:
        _fail(str(exc))
        return
    typer.echo(f"✓ {p.folio}: {status}")


@app.command("mark-duplicate")
def mark_duplicate(
    folio: str, of: Annotated[str, typer.Option("--of", help="folio original")], actor: ActorOption = "stl"
) -> None:
    """Marca una propuesta como duplicada de otra."""
    try:
        svc.mark_duplicate(folio, of, actor=actor)
    except svc.ProposalError as exc:
        _fail(str(exc))
        return
    typer.echo(f"✓ {folio.upper()} duplicada de {of.upper()}")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, json o xlsx")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="archivo (xlsx lo requiere)")] = None,
    with_contact: Annotated[
        bool, typer.Option("--with-contact", help="incluye contacto (datos personales)")
    ] = False,
) -> None:
    """Exporta todas las propuestas, anonimizadas salvo --with-contact."""
    rows = svc.export_rows(svc.search(svc.Filters(), limit=1_000_000), with_contact=with_contact)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        buffer = io.StringIO()
        fields = list(rows[0]) if rows else list(svc.EXPORT_FIELDS)
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)  # type: ignore[arg-type]
        text = buffer.getvalue()
    elif fmt == "xlsx":
        if output is None:
            _fail("Para xlsx indica el archivo con --output propuestas.xlsx")
            return
        book = Workbook()
        sheet = book.active
        if rows:
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append(list(row.values()))
        book.save(output)
        typer.echo(f"✓ {len(rows)} propuestas en {output}")
        return
    else:
        _fail("Formato desconocido: usa csv, json o xlsx.")
        return
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"✓ {len(rows)} propuestas en {output}")
    else:
        sys.stdout.write(text)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV o JSON lines con las columnas de «review export»")],
) -> None:
    """Importa propuestas recogidas fuera del chat (todo el archivo o nada)."""
    try:
        report = importing.import_file(file)
    except importing.ImportFileError as exc:
        _fail(f"{exc} No guardé nada.")
        return
    if report.problems:
        rows = len({p.line for p in report.problems})
        typer.echo(f"✗ {rows} de {report.rows} filas tienen problemas; no guardé ninguna propuesta "
                   "del archivo. Corrígelas y vuelve a importarlo:", err=True)
        for problem in report.problems:
            typer.echo(f"  • {problem}", err=True)
        raise typer.Exit(1)
    if report.already_imported:
        typer.echo(f"Este archivo ya se había importado ({len(report.folios)} propuestas, "
                   f"{_folio_range(report.folios)}); no guardé nada nuevo.")
        return
    if report.ignored_columns:
        typer.echo("Columnas que no se importan (las asigna el sistema): "
                   + ", ".join(report.ignored_columns) + ".")
    typer.echo(f"✓ {len(report.folios)} propuestas importadas ({_folio_range(report.folios)}), "
               f"con origen «{importing.ORIGIN}».")
    if report.warnings:
        rows = len({w.line for w in report.warnings})
        typer.echo(f"Avisos: {rows} propuestas se guardaron con textos cortos; quedan anotadas en su "
                   "historial para revisarlas:")
        for warning in report.warnings:
            typer.echo(f"  • {warning}")


def _folio_range(folios: list[str]) -> str:
    if not folios:
        return "sin folios"
    return f"folio {folios[0]}" if len(folios) == 1 else f"folios {folios[0]} a {folios[-1]}"


@app.command()
def cluster(
    theme: Annotated[str | None, typer.Option("--theme", help="un tema: movilidad, seguridad…")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="lista de grupos en JSON")] = False,
) -> None:
    """Sugiere grupos de propuestas parecidas por tema (quedan como sugerencias en el tablero)."""
    theme_id = None
    if theme:
        theme_id = svc.match_theme(theme.replace("_", " "))
        if theme_id is None:
            names = ", ".join(t.id for t in svc.proposal_content().themes)
            _fail(f"No conozco el tema «{theme}». Usa uno de: {names}.")
            return
    groups = suggestions.run(theme_id)
    if as_json:
        typer.echo(json.dumps([g.as_json() for g in groups], ensure_ascii=False, indent=2))
        return
    if not groups:
        typer.echo("No hay propuestas abiertas sin agrupar" + (f" del tema {theme_id}." if theme_id else "."))
        return
    content = svc.proposal_content()
    for theme_key in dict.fromkeys(g.theme for g in groups):
        mine = [g for g in groups if g.theme == theme_key]
        shared = [g for g in mine if len(g.folios) > 1]
        alone = len(mine) - len(shared)
        groups_text = "1 grupo sugerido" if len(shared) == 1 else f"{len(shared)} grupos sugeridos"
        alone_text = ("1 propuesta" if alone == 1 else f"{alone} propuestas") + " sin otras parecidas"
        typer.echo(f"\n{content.theme_title(theme_key)}: {groups_text} (y {alone_text})")
        for number, group in enumerate(shared, start=1):
            towns = ", ".join(group.municipalities[:5]) + (" …" if len(group.municipalities) > 5 else "")
            typer.echo(f"  {number}. «{group.label}» — {len(group.folios)} propuestas · {towns}")
            for quote in group.quotes:
                typer.echo(f"       «{quote}»")
            typer.echo(f"       folios: {', '.join(sorted(group.folios))}")
    typer.echo("\nLos grupos quedaron como sugerencias: acéptalos o renómbralos en el tablero del STL.")


@app.command()
def stats() -> None:
    """Cuenta propuestas por tema × municipio × estado."""
    rows = svc.stats()
    if not rows:
        typer.echo("Todavía no hay propuestas.")
        return
    typer.echo(f"{'tema':<16}{'municipio':<28}{'estado':<12}{'total':>6}")
    for theme, municipality, status, count in rows:
        typer.echo(f"{theme:<16}{municipality:<28}{status:<12}{count:>6}")
    typer.echo(f"{'':<56}{sum(r[3] for r in rows):>6}")
