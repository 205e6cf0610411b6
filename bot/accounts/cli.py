"""``participa reviewer``: web accounts of the STL (the dashboard has no sign-up page)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.accounts import service as accounts
from bot.accounts import sessions as web_sessions
from bot.config import get_settings
from bot.storage import db

app = typer.Typer(help="Cuentas del tablero web del STL.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Contraseña", hide_input=True, confirmation_prompt=True))


@app.command()
def add(
    username: str,
    role: Annotated[str, typer.Option("--role", help="reviewer, editor o admin")] = "reviewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="lee la contraseña de la entrada estándar")
    ] = False,
) -> None:
    """Crea una cuenta del tablero web (contraseña de al menos 12 caracteres)."""
    db.upgrade(get_settings().database_url)
    try:
        if role not in accounts.ROLES:
            raise accounts.AccountError(f"Rol desconocido {role!r}. Válidos: {', '.join(accounts.ROLES)}.")
        account = accounts.create_account(username, _password(password_stdin), role)
    except accounts.AccountError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"✓ cuenta {account.username} ({account.role}) creada.")


@app.command("list")
def list_() -> None:
    """Lista las cuentas con su rol y si están activas."""
    found = accounts.list_accounts()
    if not found:
        typer.echo("No hay cuentas. Crea una con: participa reviewer add USUARIO --role admin")
        return
    for a in found:
        last = f"{a.last_login_at:%Y-%m-%d %H:%M}" if a.last_login_at else "nunca"
        typer.echo(f"{a.username:<24} {a.role:<9} {'activa' if a.active else 'desactivada':<12} {last}")


@app.command()
def passwd(
    username: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Cambia la contraseña de una cuenta (cierra sus sesiones abiertas)."""
    try:
        accounts.set_password(username, _password(password_stdin))
    except accounts.AccountError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from exc
    for a in accounts.list_accounts():
        if a.username == accounts.normalize_username(username):
            web_sessions.end_all(a.id)
    typer.echo("✓ contraseña cambiada.")
