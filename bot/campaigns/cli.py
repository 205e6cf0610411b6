"""``participa campaign``: editors write, preview, send and follow campaigns from the command line."""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import signal
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bot.campaigns import service as svc
from bot.campaigns.broadcast.botapi import BotApi, CampaignMessage
from bot.campaigns.broadcast.loop import send_due
from bot.campaigns.broadcast.queue import SenderBusy
from bot.campaigns.broadcast.sender import FatalSendError, Sender, SenderConfig, api_from_settings
from bot.campaigns.subscriptions import subscription_content
from bot.config import get_settings
from bot.i18n import _
from bot.storage.db import upgrade

app = typer.Typer(help="Campañas de difusión a personas suscritas.", no_args_is_help=True)
PROGRESS_SECONDS = 0.5
PREVIEW_ATTEMPTS = 3


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"✗ {message}", err=True)
    raise typer.Exit(code)


def _upgrade() -> None:
    upgrade(get_settings().database_url)


@app.command()
def create(
    title: Annotated[str, typer.Option("--title", help="nombre interno (no lo ve la ciudadanía)")],
    topic: Annotated[str, typer.Option("--topic", help="tema: gobierno_abierto, contrataciones…")],
    text: Annotated[str | None, typer.Option(
        "--text", help="el mensaje: *negritas*, _cursivas_, [texto](https://…); lo demás, tal cual")] = None,
    text_file: Annotated[Path | None, typer.Option(
        "--text-file", help="el mensaje, desde un archivo UTF-8")] = None,
    municipality: Annotated[list[str] | None, typer.Option(
        "--municipality", help="solo a quienes dijeron vivir ahí (se repite)")] = None,
    image: Annotated[str | None, typer.Option(
        "--image", help="imagen: dirección https:// o file_id de Telegram")] = None,
    button: Annotated[str | None, typer.Option("--button", help="texto de un botón con enlace")] = None,
    url: Annotated[str | None, typer.Option("--url", help="enlace del botón (https://…)")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="programarla: 2026-12-01T10:00 (hora de PARTICIPA_TIMEZONE)")] = None,
    author: Annotated[str, typer.Option("--author", help="quién la escribe")] = "stl",
) -> None:
    """Crea una campaña (borrador, o programada con --at)."""
    if (text is None) == (text_file is None):
        _fail(_("Indica el mensaje con --text o con --text-file (uno de los dos)."), 2)
    body = text if text is not None else Path(str(text_file)).read_text("utf-8")
    draft = svc.CampaignDraft(
        title=title, text=body, topic=topic, created_by=author, municipalities=municipality or [],
        image=image, button_text=button, button_url=url, at=at,
    )
    _upgrade()
    try:
        formatted, _codes = svc.validate(draft)
        campaign = svc.create(draft)
    except svc.CampaignError as exc:
        _fail(str(exc))
        return
    for warning in formatted.warnings:
        typer.echo(f"⚠ {warning}", err=True)
    state = svc.status_label("draft")
    if campaign.scheduled_at:
        state = _("programada para {moment}").format(moment=svc.local_time(campaign.scheduled_at))
    typer.echo("✓ " + _("Campaña {id} creada ({state}); llegaría a {count} personas.").format(
        id=campaign.id, state=state, count=f"{svc.audience(campaign):,}"))
    typer.echo("  " + _("Revísala: participa campaign preview {id}").format(id=campaign.id))


@app.command()
def preview(
    campaign_id: Annotated[int, typer.Argument(help="número de la campaña")],
    chat: Annotated[int | None, typer.Option(
        "--chat", help="mandarla de prueba a este chat de Telegram")] = None,
) -> None:
    """Muestra la campaña como la leerá la gente (y, con --chat, te la manda a ti)."""
    try:
        campaign = svc.get(campaign_id)
    except svc.CampaignError as exc:
        _fail(str(exc))
        return
    formatted = svc.formatted(campaign)
    topic = subscription_content().topic(campaign.topic)
    where = ", ".join(svc.municipality_names(list(campaign.municipalities or []))) or _("todo el estado")
    console = Console()
    console.rule(_("Campaña {id}: {title}").format(id=campaign.id, title=escape(campaign.title)))
    console.print(_("Tema: {topic}   Municipios: {where}").format(
        topic=topic.title if topic else campaign.topic, where=where), highlight=False)
    state = svc.status_label(campaign.status)
    if campaign.scheduled_at and campaign.status == "scheduled":
        state += ", " + _("programada para {moment}").format(moment=svc.local_time(campaign.scheduled_at))
    console.print(_("Estado: {state}").format(state=state), highlight=False)
    console.print(_("Llegaría a: {count} personas   Largo: {length} caracteres").format(
        count=f"{svc.audience(campaign):,}", length=f"{formatted.length:,}"), highlight=False)
    if campaign.image:
        console.print(_("Imagen: {image}").format(image=escape(campaign.image)), highlight=False)
    console.rule(_("Así se verá"))
    console.print(_rich_markup(formatted.html), highlight=False)
    if campaign.button_text:
        console.print(escape(f"\n[ {campaign.button_text} ] → {campaign.button_url}"), highlight=False)
    console.rule()
    for warning in formatted.warnings:
        typer.echo(f"⚠ {warning}", err=True)
    if chat is not None:
        outcome = asyncio.run(_send_preview(campaign, chat))
        if outcome.kind != "sent":
            _fail(_("Telegram no aceptó la prueba: {error}").format(error=outcome.error or outcome.kind))
        typer.echo("✓ " + _("Prueba enviada al chat {chat}.").format(chat=chat))


def _rich_markup(html_text: str) -> str:
    """Telegram HTML → rich markup for the terminal (bold, italic, links underlined)."""
    parts = re.split(r"(<[^>]+>)", html_text)
    out: list[str] = []
    for part in parts:
        if part in ("<b>", "<i>"):
            out.append("[bold]" if part == "<b>" else "[italic]")
        elif part in ("</b>", "</i>"):
            out.append("[/bold]" if part == "</b>" else "[/italic]")
        elif part.startswith("<a "):
            out.append("[underline]")
        elif part == "</a>":
            out.append("[/underline]")
        else:
            out.append(escape(html.unescape(part)))
    return "".join(out)


async def _send_preview(campaign, chat_id: int):  # type: ignore[no-untyped-def]
    api = api_from_settings()
    try:
        for _ in range(PREVIEW_ATTEMPTS):  # Telegram may ask to wait (e.g. right after a send)
            outcome = await api.send(chat_id, CampaignMessage.of(campaign))
            if outcome.kind != "retry_after":
                break
            await asyncio.sleep(min(outcome.retry_after, 30.0))
        return outcome
    finally:
        await api.aclose()


@app.command()
def send(
    campaign_id: Annotated[int | None, typer.Argument(
        help="número de la campaña; sin él, todas las que ya toca enviar")] = None,
    wait: Annotated[bool, typer.Option(
        "--wait", help="esperar a la hora programada (sin número: seguir atento a nuevas)")] = False,
    lanes: Annotated[int | None, typer.Option(
        "--lanes", min=1, max=64, help="mensajes en vuelo a la vez (BROADCAST_LANES)")] = None,
    rate: Annotated[float | None, typer.Option(
        "--rate", min=0.1, help="mensajes por segundo (BROADCAST_MESSAGES_PER_SECOND)")] = None,
    sender_id: Annotated[str | None, typer.Option(
        "--sender-id", help="nombre de este proceso de envío (BROADCAST_SENDER_ID)")] = None,
) -> None:
    """Envía ahora (o a su hora con --wait), con barra de avance y reporte final."""
    settings = get_settings()
    if not settings.telegram_bot_token:
        _fail(_("Falta TELEGRAM_BOT_TOKEN (pídelo a @BotFather)."), 2)
    _upgrade()
    config = SenderConfig.from_settings(settings, lanes=lanes, rate=rate, sender_id=sender_id)

    async def run() -> int:
        api: BotApi = api_from_settings(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            # Outside the main thread (e.g. called from a test) there are no signals to catch.
            with contextlib.suppress(RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop.set)
        try:
            async with Sender(config, api) as sender:
                watcher = asyncio.create_task(_stop_on(stop, sender))
                try:
                    if campaign_id is None:
                        return await _send_due(sender, stop, wait, settings.broadcast_check_seconds)
                    return await _send_one(sender, campaign_id, wait, stop)
                finally:
                    watcher.cancel()
        except SenderBusy as exc:
            typer.echo("✗ " + _("Ya hay un envío activo con el nombre {name}. Usa otro --sender-id.").format(
                name=exc), err=True)
            return 1
        except FatalSendError as exc:
            typer.echo("✗ " + _("Telegram rechaza el token o la dirección de la API: {error}").format(
                error=exc), err=True)
            return 1
        finally:
            await api.aclose()

    code = asyncio.run(run())
    if code:
        raise typer.Exit(code)


async def _stop_on(stop: asyncio.Event, sender) -> None:  # type: ignore[no-untyped-def]
    await stop.wait()
    sender.stop()


async def _send_one(sender, campaign_id: int, wait: bool, stop: asyncio.Event) -> int:  # type: ignore[no-untyped-def]
    try:
        campaign = await asyncio.to_thread(svc.get, campaign_id)
        if campaign.status in ("done", "cancelled"):
            _print_report(campaign)
            return 0 if campaign.status == "done" else 1
        if campaign.status == "scheduled" and campaign.scheduled_at and wait:
            delay = (campaign.scheduled_at - svc.utcnow()).total_seconds()
            if delay > 0:
                typer.echo(_("Esperando a {moment}…").format(moment=svc.local_time(campaign.scheduled_at)),
                           err=True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                if stop.is_set():
                    return 1
        await asyncio.to_thread(svc.start, campaign_id)
    except svc.CampaignError as exc:
        typer.echo(f"✗ {exc}", err=True)
        return 1
    done = await _with_progress(sender, campaign_id)
    campaign = await asyncio.to_thread(svc.get, campaign_id)
    if done:
        _print_report(campaign)
        return 0
    if sender.stopping:
        typer.echo(_("Envío detenido. Para continuar: participa campaign send {id}").format(id=campaign_id),
                   err=True)
        return 1
    counts = await asyncio.to_thread(svc.progress, campaign_id)
    typer.echo(_("Otros envíos siguen con esta campaña ({count} en vuelo). Consulta: participa campaign "
                 "status {id}").format(count=counts["claimed"], id=campaign_id), err=True)
    return 0


async def _send_due(sender, stop: asyncio.Event, wait: bool, interval: float) -> int:  # type: ignore[no-untyped-def]
    async def run(campaign_id: int) -> bool:
        done = await _with_progress(sender, campaign_id)
        if done:
            _print_report(await asyncio.to_thread(svc.get, campaign_id))
        return done

    while not stop.is_set():
        await send_due(sender, run=run)
        if not wait:
            return 0
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
    return 0


async def _with_progress(sender, campaign_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Run the campaign with a progress bar fed from the database (all senders' work)."""
    campaign = await asyncio.to_thread(svc.get, campaign_id)
    console = Console(stderr=True)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:.1f} msg/s"), TimeElapsedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"Campaña {campaign_id}", total=campaign.total or 0, rate=0.0)
        started = time.monotonic()

        async def follow() -> None:
            while True:
                counts = await asyncio.to_thread(svc.progress, campaign_id)
                total = sum(counts.values())
                finished = total - counts["pending"] - counts["claimed"]
                elapsed = max(time.monotonic() - started, 1e-6)
                progress.update(task, total=total, completed=finished,
                                rate=sender.stats.sent / elapsed)
                await asyncio.sleep(PROGRESS_SECONDS)

        follower = asyncio.create_task(follow())
        try:
            done = bool(await sender.run_campaign(campaign_id))
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await follower
        counts = await asyncio.to_thread(svc.progress, campaign_id)
        total = sum(counts.values())
        progress.update(task, total=total, completed=total - counts["pending"] - counts["claimed"])
    return done


def _print_report(campaign) -> None:  # type: ignore[no-untyped-def]
    label = svc.status_label(campaign.status)
    typer.echo(_("Campaña {id} «{title}»: {status}").format(id=campaign.id, title=campaign.title,
                                                            status=label))
    if campaign.sent is None:
        return
    typer.echo("  " + _(
        "enviados: {sent}   bloqueados: {blocked}   fallidos: {failed}   desconocidos: {unknown}   "
        "omitidos: {skipped}   total: {total}"
    ).format(sent=f"{campaign.sent:,}", blocked=f"{campaign.blocked:,}", failed=f"{campaign.failed:,}",
             unknown=f"{campaign.unknown:,}", skipped=f"{campaign.skipped:,}", total=f"{campaign.total:,}"))
    minutes, seconds = divmod(int(round(campaign.duration_seconds or 0)), 60)
    rate = f"{campaign.rate:.1f}" if campaign.rate is not None else "—"
    typer.echo("  " + _("duración: {minutes} min {seconds} s   ritmo: {rate} mensajes/s").format(
        minutes=minutes, seconds=seconds, rate=rate))
    if campaign.unknown:
        typer.echo("  " + _("(desconocidos: el envío se interrumpió mientras salían; pudieron llegar o "
                            "no, y no se reenvían para no duplicar)"))


@app.command()
def status(
    campaign_id: Annotated[int | None, typer.Argument(
        help="número de la campaña; sin él, la lista")] = None,
) -> None:
    """El avance o el reporte de una campaña; sin número, las campañas recientes."""
    if campaign_id is None:
        found = svc.list_campaigns()
        if not found:
            typer.echo(_("Todavía no hay campañas. Crea una con: participa campaign create --help"))
        for c in found:
            when = svc.local_time(c.scheduled_at) if c.status == "scheduled" else ""
            typer.echo(f"{c.id:>4}  {svc.status_label(c.status):<11} {c.topic:<18} "
                       f"{c.title[:50]}  {when}".rstrip())
        return
    try:
        campaign = svc.get(campaign_id)
    except svc.CampaignError as exc:
        _fail(str(exc))
        return
    _print_report(campaign)
    if campaign.status in ("sending", "cancelled") or campaign.sent is None:
        counts = svc.progress(campaign_id)
        shown = {k: v for k, v in counts.items() if v}
        if shown:
            typer.echo("  " + _("ahora: {counts}").format(
                counts=", ".join(f"{k} {v:,}" for k, v in shown.items())))
        elif campaign.status in ("draft", "scheduled"):
            typer.echo("  " + _("llegaría a {count} personas").format(count=f"{svc.audience(campaign):,}"))


@app.command()
def cancel(campaign_id: Annotated[int, typer.Argument(help="número de la campaña")]) -> None:
    """Cancela una campaña: lo que falta ya no se envía."""
    try:
        stopped = svc.cancel(campaign_id)
    except svc.CampaignError as exc:
        _fail(str(exc))
        return
    typer.echo("✓ " + _("Campaña {id} cancelada; {count} mensajes ya no se enviarán.").format(
        id=campaign_id, count=f"{stopped:,}"))


if __name__ == "__main__":  # pragma: no cover
    app(sys.argv[1:])
