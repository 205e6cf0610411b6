"""``participa telegram``: the bot's command list for BotFather."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.content.chat import telegram_commands

app = typer.Typer(help="Telegram.", no_args_is_help=True)


@app.command("commands")
def telegram_commands_file(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="archivo donde escribirla")
    ] = None,
) -> None:
    """La lista de comandos para /setcommands de BotFather (desde content/telegram_commands.yml)."""
    text = telegram_commands().botfather()
    if output:
        Path(output).write_text(text, encoding="utf-8")
        typer.echo(f"escrito {output}", err=True)
    else:
        typer.echo(text, nl=False)
