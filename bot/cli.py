"""The ``participa`` command: the process entry points (chat, ask, serve, web, run).

Every other command group belongs to a domain and lives in its ``cli.py``; this module only
mounts them. Importing ``bot.domains`` registers every content check and privacy provider.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Annotated

import typer

import bot.domains  # noqa: F401  (registers every content check and privacy provider)
from bot import serve as serve_process
from bot.accounts.cli import app as reviewer_app
from bot.campaigns.cli import app as campaign_app
from bot.channels.cli import app as telegram_app
from bot.channels.terminal import ask as ask_texts
from bot.channels.terminal import chat as chat_loop
from bot.config import get_settings, production_secret_problems
from bot.content.cli import app as content_app
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.logs import cap_library_loggers, configure_json_logging
from bot.privacy.cli import app as privacy_app
from bot.procurement.cli import app as procurement_app
from bot.procurement.text import keep_names_warm
from bot.proposals.cli import app as review_app
from bot.rasa.cli import app as nlu_app
from bot.rasa.servers import ServerStartError, rasa_available
from bot.rasa.training import SharedModelsError
from bot.storage.cli import app as db_app
from bot.storage.db import upgrade
from bot.web.server import serve as serve_web

app = typer.Typer(
    help="Participa: bot de gobierno abierto (preguntas, propuestas ciudadanas, contrataciones).",
    no_args_is_help=True,
)
app.add_typer(content_app, name="content")
app.add_typer(telegram_app, name="telegram")
app.add_typer(nlu_app, name="nlu")
app.add_typer(db_app, name="db")
app.add_typer(review_app, name="review")
app.add_typer(reviewer_app, name="reviewer")
app.add_typer(privacy_app, name="privacy")
app.add_typer(campaign_app, name="campaign")
app.add_typer(procurement_app, name="procurement")


def _logging(level: int = logging.WARNING) -> None:
    logging.basicConfig(
        stream=sys.stderr, level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    cap_library_loggers()


def _run_with_core(run) -> None:  # type: ignore[no-untyped-def]
    """:func:`_with_core`; a models folder it must not train in is said in one line, no trace."""
    try:
        asyncio.run(_with_core(run))
    except SharedModelsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    except ServerStartError as exc:  # said in Spanish, with the log to read; no trace
        typer.echo(f"No pude arrancar los servidores del bot: {exc}", err=True)
        raise typer.Exit(1) from exc


async def _with_core(run) -> None:  # type: ignore[no-untyped-def]
    # `ask` and `chat` are for trying and measuring (benchmarks/understanding.py): the safety
    # model is built before the first message if stale, never answered without it meanwhile.
    os.environ.setdefault("PARTICIPA_SAFETY_BUILD", "now")
    settings = get_settings()
    upgrade(settings.database_url)
    with rasa_available() as url:
        client = RasaClient(url, timeout=settings.rasa_timeout_seconds)
        core = ConversationCore(client)
        try:
            await run(core)
        finally:
            await core.flush_usage()
            await client.aclose()


@app.command()
def ask(
    texts: Annotated[
        list[str] | None, typer.Argument(help="mensajes; sin ellos, una línea de stdin por mensaje")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="un objeto JSON por mensaje")] = False,
    sender: Annotated[
        str | None, typer.Option("--sender", help="todos los mensajes en una sola conversación")
    ] = None,
) -> None:
    """Envía cada TEXTO como primer mensaje de una conversación nueva e imprime las respuestas."""
    _logging()
    inputs = texts if texts else [line.rstrip("\n") for line in sys.stdin]
    _run_with_core(lambda core: ask_texts(core, inputs, sender, as_json))


@app.command()
def chat() -> None:
    """Conversación interactiva en la terminal."""
    _logging()
    _run_with_core(_chat_with_names_warm)


async def _chat_with_names_warm(core: ConversationCore) -> None:
    """The chat, with the contract names index built in the background (no search waits)."""
    stop = asyncio.Event()
    names = asyncio.create_task(keep_names_warm(stop, engine=core.engine))
    try:
        await chat_loop(core)
    finally:
        stop.set()
        names.cancel()


@app.command()
def serve() -> None:
    """Producción: Rasa, servidor de acciones, Telegram (polling, o webhook con PUBLIC_URL) y /healthz."""
    settings = get_settings()
    if not settings.telegram_bot_token:
        typer.echo("Falta TELEGRAM_BOT_TOKEN (pídelo a @BotFather).", err=True)
        raise typer.Exit(2)
    problems = production_secret_problems(settings)
    if problems:
        for problem in problems:
            typer.echo(problem, err=True)
        raise typer.Exit(2)
    try:
        serve_process.check_webhook_settings(settings)
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    configure_json_logging(logging.INFO)
    serve_process.run_on_loop(serve_process.run())


@app.command()
def web(
    host: Annotated[str, typer.Option("--host", help="dirección donde escuchar")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="puerto")] = 8000,
) -> None:
    """Solo el sitio web: tablero público en / y tablero del STL (con cuenta) en /login."""
    configure_json_logging(logging.INFO)  # the same redacting formatter as `participa serve`
    logging.getLogger("alembic").setLevel(logging.WARNING)
    typer.echo(f"Tablero público: http://{host}:{port}/  ·  STL: http://{host}:{port}/login", err=True)
    serve_web(host, port)


@app.command()
def run() -> None:
    """Lo que hace `make run`: Telegram si hay TELEGRAM_BOT_TOKEN; si no, el chat en la terminal."""
    if get_settings().telegram_bot_token:
        serve()
    else:
        chat()


if __name__ == "__main__":
    app()
