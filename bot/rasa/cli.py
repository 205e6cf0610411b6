"""``participa nlu``: build Rasa's data from ``content/``, train the model, write endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.config import get_settings
from bot.conversation.safety import build_model
from bot.rasa.nlu_build import build
from bot.rasa.servers import write_container_endpoints
from bot.rasa.training import SharedModelsError, ensure_model

app = typer.Typer(help="Proyecto de Rasa (nlu/).", no_args_is_help=True)


@app.command("build")
def nlu_build() -> None:
    """Genera los datos de entrenamiento y las respuestas de Rasa desde content/."""
    settings = get_settings()
    for path in build(settings.content_dir, settings.nlu_dir):
        typer.echo(f"escrito {path.relative_to(settings.nlu_dir.parent)}")
    _safety_model()


def _safety_model() -> None:
    """The safety net's learned model, built here so the bot only reads it (a build on the
    first message held back the emergency reply 15-20 s); reused when its inputs are unchanged."""
    content = get_settings().content_dir
    model = build_model(content)
    if model is None:
        typer.echo(f"modelo de seguridad: no se pudo construir ({content}); "
                   "la red de seguridad usa solo los patrones", err=True)
    else:
        typer.echo(f"modelo de seguridad: {model.digest} (umbral {model.threshold:.2f})")


@app.command("train")
def nlu_train(
    force: Annotated[bool, typer.Option(help="entrenar aunque ya exista")] = False,
    shared_models: Annotated[bool, typer.Option(
        "--shared-models",
        help="entrenar aunque la carpeta de modelos sea un enlace o esté fuera de este checkout "
             "(no borra ningún modelo que ya esté ahí)")] = False,
) -> None:
    """Entrena el modelo si sus datos o su configuración cambiaron (caché por hash)."""
    try:
        path = ensure_model(force=force, shared_ok=shared_models)
    except SharedModelsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"modelo: {path}")
    _safety_model()


@app.command("endpoints")
def nlu_endpoints(
    output: Annotated[str, typer.Option("--output", "-o", help="archivo donde escribirlo")],
) -> None:
    """endpoints.yml para Rasa en su propio contenedor (lo usa el Dockerfile; valores del entorno)."""
    typer.echo(f"escrito {write_container_endpoints(Path(output))}")
