"""``participa procurement``: load OCDS release packages and CompraNet exports."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.config import get_settings
from bot.procurement.follows import queue_new
from bot.procurement.service import LoadError, bundled_files, data_summary, load_source
from bot.storage.db import upgrade

app = typer.Typer(
    help="Contrataciones públicas (datos OCDS / EDCA-MX y CompraNet).", no_args_is_help=True
)


@app.command("load")
def procurement_load(
    sources: Annotated[
        list[str] | None, typer.Argument(
            help="archivos o URL: paquetes OCDS 1.1 (JSON) o exportaciones de CompraNet (CSV)"
        ),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="los datos que trae Participa (content/procurement)")
    ] = False,
) -> None:
    """Carga releases OCDS o contratos de CompraNet; volver a cargar un archivo no duplica nada.

    Cada archivo se carga completo o nada. De un CSV de CompraNet se cargan las filas que se
    pueden leer y se listan las que no (si son la mitad o más, el archivo no se carga).
    """
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
            if report.bad_rows:
                n_bad = len(report.bad_rows)
                typer.echo(
                    f"\n⚠ {label}: se leyeron {report.rows_read} filas; "
                    + ("1 fila no se pudo leer y no se cargó:" if n_bad == 1
                       else f"{n_bad} filas no se pudieron leer y no se cargaron:"),
                    err=True,
                )
                for line in report.bad_rows[:20]:
                    typer.echo(f"  · {line}", err=True)
                if len(report.bad_rows) > 20:
                    typer.echo(f"  · … y {len(report.bad_rows) - 20} más", err=True)
        except LoadError as exc:
            failed += 1
            typer.echo(f"\n✗ {exc}", err=True)
        finally:
            for bar in bars:
                bar.__exit__(None, None, None)

    if bundled:
        with typer.progressbar(
            length=len(items), label="Datos incluidos (OCDS y CompraNet)", file=sys.stderr
        ) as files_bar:
            for source, label in items:
                load_one(source, label, by_bytes=False)
                files_bar.update(1)
    else:
        for source, label in items:
            load_one(source, label, by_bytes=True)
    summary = data_summary()
    # Followers' new contracts: queued once each (also after a load that crashed before this);
    # the bot's outbox sends them.
    queued = queue_new()
    if queued:
        typer.echo(f"✓ {queued} avisos de contratos nuevos para quien sigue a sus "
                   "compradores o proveedores.")
    typer.echo(
        f"✓ {new} releases nuevos; en la base: {summary.releases} releases, "
        f"{summary.processes} procedimientos, {summary.contracts} contratos."
    )
    if failed:
        typer.echo(f"✗ {failed} fuente(s) no se cargaron (no quedó nada a medias).", err=True)
        raise typer.Exit(1)
