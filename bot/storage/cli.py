"""``participa db``: apply the pending migrations."""

from __future__ import annotations

import typer

from bot.config import get_settings
from bot.storage.db import upgrade

app = typer.Typer(help="Base de datos.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Aplica las migraciones pendientes (Alembic)."""
    upgrade(get_settings().database_url)
    typer.echo("✓ base de datos al día.")
