"""``participa content``: check every file of ``content/`` against its schema."""

from __future__ import annotations

import typer

from bot.config import get_settings
from bot.content.checks import check_all, warnings_all

app = typer.Typer(help="Contenido editable (content/).", no_args_is_help=True)


@app.command("check")
def content_check() -> None:
    """Valida todo content/ contra su esquema."""
    problems = check_all(get_settings().content_dir)
    for warning in warnings_all(get_settings().content_dir):
        typer.echo(f"⚠ {warning}", err=True)
    if problems:
        for problem in problems:
            typer.echo(f"✗ {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("✓ content/ está bien.")
