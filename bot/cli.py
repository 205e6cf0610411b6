"""The ``participa`` command: chat, ask, serve, content and NLU tools, database."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Annotated

import typer

from bot.accounts.cli import app as reviewer_app
from bot.campaigns.cli import app as campaign_app
from bot.config import get_settings
from bot.privacy.cli import app as privacy_app
from bot.proposals.cli import app as review_app

app = typer.Typer(
    help="Participa: bot de gobierno abierto del Estado de México.", no_args_is_help=True
)
content_app = typer.Typer(help="Contenido editable (content/).", no_args_is_help=True)
nlu_app = typer.Typer(help="Proyecto de Rasa (nlu/).", no_args_is_help=True)
db_app = typer.Typer(help="Base de datos.", no_args_is_help=True)
telegram_app = typer.Typer(help="Telegram.", no_args_is_help=True)
app.add_typer(content_app, name="content")
app.add_typer(telegram_app, name="telegram")
app.add_typer(nlu_app, name="nlu")
app.add_typer(db_app, name="db")
app.add_typer(review_app, name="review")
app.add_typer(reviewer_app, name="reviewer")
app.add_typer(privacy_app, name="privacy")
app.add_typer(campaign_app, name="campaign")


def _logging(level: int = logging.WARNING) -> None:
    from bot.logs import cap_library_loggers

    logging.basicConfig(
        stream=sys.stderr, level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    cap_library_loggers()


async def _with_core(run) -> None:  # type: ignore[no-untyped-def]
    from bot.conversation.core import ConversationCore
    from bot.conversation.rasa_client import RasaClient
    from bot.rasa.servers import rasa_available
    from bot.storage.db import upgrade

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
    from bot.channels.terminal import ask as ask_texts

    _logging()
    inputs = texts if texts else [line.rstrip("\n") for line in sys.stdin]
    asyncio.run(_with_core(lambda core: ask_texts(core, inputs, sender, as_json)))


@app.command()
def chat() -> None:
    """Conversación interactiva en la terminal."""
    from bot.channels.terminal import chat as chat_loop

    _logging()
    asyncio.run(_with_core(chat_loop))


@app.command()
def serve() -> None:
    """Producción: Rasa, servidor de acciones, Telegram (polling, o webhook con PUBLIC_URL) y /healthz."""
    from bot.channels.telegram import serve as serve_telegram
    from bot.config import production_secret_problems
    from bot.logs import configure_json_logging
    from bot.serve import check_webhook_settings

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
        check_webhook_settings(settings)
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    configure_json_logging(logging.INFO)
    serve_telegram()


@app.command()
def web(
    host: Annotated[str, typer.Option("--host", help="dirección donde escuchar")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="puerto")] = 8000,
) -> None:
    """Solo el sitio web: tablero público en / y tablero del STL (con cuenta) en /login."""
    from bot.web.server import serve as serve_web

    _logging(logging.INFO)
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


@content_app.command("check")
def content_check() -> None:
    """Valida todo content/ contra su esquema."""
    from bot.content.checks import check_all

    problems = check_all(get_settings().content_dir)
    if problems:
        for problem in problems:
            typer.echo(f"✗ {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("✓ content/ está bien.")


@nlu_app.command("build")
def nlu_build() -> None:
    """Genera los datos de entrenamiento y las respuestas de Rasa desde content/."""
    from bot.rasa.nlu_build import build

    settings = get_settings()
    for path in build(settings.content_dir, settings.nlu_dir):
        typer.echo(f"escrito {path.relative_to(settings.nlu_dir.parent)}")


@nlu_app.command("train")
def nlu_train(
    force: Annotated[bool, typer.Option(help="entrenar aunque ya exista")] = False,
) -> None:
    """Entrena el modelo si sus datos o su configuración cambiaron (caché por hash)."""
    from bot.rasa.training import ensure_model

    path = ensure_model(force=force)
    typer.echo(f"modelo: {path}")


@nlu_app.command("endpoints")
def nlu_endpoints(
    output: Annotated[str, typer.Option("--output", "-o", help="archivo donde escribirlo")],
) -> None:
    """endpoints.yml para Rasa en su propio contenedor (lo usa el Dockerfile; valores del entorno)."""
    from pathlib import Path

    from bot.rasa.servers import write_container_endpoints

    typer.echo(f"escrito {write_container_endpoints(Path(output))}")


@telegram_app.command("commands")
def telegram_commands_file(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="archivo donde escribirla")
    ] = None,
) -> None:
    """La lista de comandos para /setcommands de BotFather (desde content/telegram_commands.yml)."""
    from pathlib import Path

    from bot.content.chat import telegram_commands

    text = telegram_commands().botfather()
    if output:
        Path(output).write_text(text, encoding="utf-8")
        typer.echo(f"escrito {output}", err=True)
    else:
        typer.echo(text, nl=False)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Aplica las migraciones pendientes (Alembic)."""
    from bot.storage.db import upgrade

    upgrade(get_settings().database_url)
    typer.echo("✓ base de datos al día.")


# --- procurement (participa procurement …) -------------------------------------------------
procurement_app = typer.Typer(help="Contrataciones públicas (datos OCDS / EDCA-MX).", no_args_is_help=True)
app.add_typer(procurement_app, name="procurement")


@procurement_app.command("load")
def procurement_load(
    sources: Annotated[
        list[str] | None, typer.Argument(help="archivos o URL con paquetes OCDS 1.1 (JSON)")
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="los datos que trae Participa (content/procurement)")
    ] = False,
) -> None:
    """Carga releases OCDS; volver a cargar el mismo archivo no duplica nada."""
    from bot.procurement.service import LoadError, bundled_files, data_summary, load_source
    from bot.storage.db import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    items = [(str(p), str(p.relative_to(settings.content_dir))) for p in bundled_files()]
    if not bundled:
        items = [(s, s) for s in sources or []]
    elif sources:
        typer.echo("Usa --bundled o indica archivos, no ambos.", err=True)
        raise typer.Exit(2)
    if not items:
        typer.echo("Indica uno o más archivos o URL, o usa --bundled.", err=True)
        raise typer.Exit(2)
    failed = 0
    new = 0

    def load_one(source: str, label: str, by_bytes: bool) -> None:
        nonlocal failed, new
        bars: list = []  # type: ignore[type-arg]

        def on_size(size: int) -> None:
            if by_bytes:
                bar = typer.progressbar(length=max(size, 1), label=label[-50:], file=sys.stderr)
                bars.append(bar.__enter__())

        try:
            report = load_source(
                source,
                label=label,
                on_size=on_size,
                progress=lambda n: bars[0].update(n) if bars else None,
            )
            new += report.new_releases
        except LoadError as exc:
            failed += 1
            typer.echo(f"\n✗ {exc}", err=True)
        finally:
            for bar in bars:
                bar.__exit__(None, None, None)

    if bundled:
        with typer.progressbar(
            length=len(items), label="Datos OCDS incluidos", file=sys.stderr
        ) as files_bar:
            for source, label in items:
                load_one(source, label, by_bytes=False)
                files_bar.update(1)
    else:
        for source, label in items:
            load_one(source, label, by_bytes=True)
    summary = data_summary()
    typer.echo(
        f"✓ {new} releases nuevos; en la base: {summary.releases} releases, "
        f"{summary.processes} procedimientos, {summary.contracts} contratos."
    )
    if failed:
        typer.echo(f"✗ {failed} fuente(s) no se cargaron (no quedó nada a medias).", err=True)
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
