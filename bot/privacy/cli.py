"""``participa privacy``: retention purge, and access or erasure requests received outside the bot."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.config import get_settings
from bot.identity import telegram_sender
from bot.privacy.purge import purge as run_purge
from bot.privacy.rights import erase as erase_data
from bot.privacy.rights import export as export_data
from bot.storage.db import upgrade

SENDER_HELP = f"identificador de la conversación, p. ej. {telegram_sender(123456789)}"
app = typer.Typer(help="Privacidad: plazos de conservación y derechos de las personas.",
                  no_args_is_help=True)


def _upgraded() -> None:
    upgrade(get_settings().database_url)


@app.command("purge")
def purge(
    months: Annotated[int | None, typer.Option(
        "--months", min=0,
        help="meses tras el cierre de una propuesta (CONTACT_RETENTION_MONTHS)")] = None,
    tracker_days: Annotated[int | None, typer.Option(
        "--tracker-days", min=1,
        help="días sin mensajes de una conversación (TRACKER_RETENTION_DAYS)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="solo contar, no borrar")] = False,
) -> None:
    """Borra los contactos de propuestas cerradas y las conversaciones inactivas (seguro en cron)."""
    _upgraded()
    report = run_purge(months=months, tracker_days=tracker_days, dry_run=dry_run)
    for line in report.lines():
        typer.echo(line)


@app.command("export")
def export(
    sender: Annotated[str, typer.Argument(help=SENDER_HELP)],
) -> None:
    """Imprime en JSON todo lo que se guarda de una persona (derecho de acceso)."""
    _upgraded()
    typer.echo(json.dumps(export_data(sender), ensure_ascii=False, indent=2))


@app.command("erase")
def erase(
    sender: Annotated[str, typer.Argument(help=SENDER_HELP)],
    yes: Annotated[bool, typer.Option("--yes", help="confirmar sin preguntar")] = False,
) -> None:
    """Borra los datos de una persona, como /borrar (sus propuestas quedan anonimizadas)."""
    if not yes and not typer.confirm(f"¿Borrar todos los datos de {sender}?"):
        raise typer.Exit(1)
    _upgraded()
    report = erase_data(sender)
    for label, count in report.counts.items():
        typer.echo(f"{label}: {count}")
    if report.failed:
        typer.echo(f"✗ no se pudo borrar: {', '.join(report.failed)} (vuelve a intentarlo)", err=True)
        raise typer.Exit(1)
    typer.echo("✓ listo." if report.total else "No había datos de esa persona.")
