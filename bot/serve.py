"""``participa serve``: the bot, Rasa's supervisor and one HTTP server, stopped cleanly on SIGTERM.

The HTTP server (Starlette on uvicorn, ``HTTP_HOST``:``HTTP_PORT``) carries:

- ``GET /healthz``: always 200 while the process runs, with Rasa's state
  ("up", "down", "starting") and the Telegram mode; ``GET /readyz``: 503 until
  the bot listens (Rasa and the action server up, Telegram started) and
  whenever Rasa is down (the bot still answers then, with the menu and the
  emergency lines, but a load balancer may prefer another replica);
- ``POST /telegram`` in webhook mode (``PUBLIC_URL`` set): Telegram's updates,
  accepted only with the right ``X-Telegram-Bot-Api-Secret-Token``, and only
  once the bot listens (503 before: Telegram keeps the update and sends it again);

Ready before it listens: at start the bot takes no update (no polling, webhook
calls refused) until Rasa has loaded its model, so nobody gets "problema
técnico" during a restart or a deploy; Telegram keeps the pending updates
meanwhile (they are never dropped). If Rasa is still not up after
``READY_WAIT_SECONDS`` the bot listens anyway and answers with the offline reply.
- the web dashboard and public board, mounted at ``/``.

Alongside: the notification outbox every few seconds, the privacy retention
purge once a day, and the campaign sender, which sends scheduled campaigns when
they are due (``BROADCAST_IN_SERVE``; bot/campaigns/broadcast/loop.py).

Without ``PUBLIC_URL`` the bot long-polls ``getUpdates`` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import re
import signal
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

import bot.domains  # noqa: F401  (serve answers /borrar: every privacy provider registered)
from bot.campaigns.broadcast.loop import run_scheduled_campaigns
from bot.channels.telegram import ALLOWED_UPDATES, build_application, channel_of, sync_commands
from bot.config import Settings, get_settings
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.privacy.purge import purge
from bot.procurement.text import keep_names_warm
from bot.rasa.servers import RasaSupervisor
from bot.storage.db import upgrade
from bot.web import create_app
from bot.web.server import proxy_options

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_PATH = "/telegram"
BROADCAST_STOP_SECONDS = 40.0  # a message in flight times out after 30 s
READY_WAIT_SECONDS = 300.0  # Rasa loads in ~30-90 s; past this, listen anyway (degraded answers)


class RasaState:
    """What /healthz reports about Rasa; the supervisor (or a test) keeps it current."""

    def __init__(self, state: str = "starting") -> None:
        self.state = state


async def wait_until_ready(rasa: Any, stop: asyncio.Event, limit: float = READY_WAIT_SECONDS) -> bool:
    """Wait until Rasa (with its action server) is up, serve stops, or ``limit`` passes."""
    deadline = time.monotonic() + limit
    logged = False
    while rasa.state != "up" and not stop.is_set() and time.monotonic() < deadline:
        if not logged:
            log.info("serve.waiting_for_rasa", extra={"limit_s": limit})
            logged = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)
    if rasa.state != "up" and not stop.is_set():
        log.error("serve.listening_without_rasa", extra={"waited_s": limit})
    return rasa.state == "up"


def web_routes() -> list[BaseRoute]:
    """The STL web dashboard and public board, served at ``/`` next to the health check and webhook."""
    return [Mount("/", app=create_app())]


def http_app(
    application: Application,  # type: ignore[type-arg]
    rasa: Any,
    webhook_secret: str | None,
    mode: str,
    listening: asyncio.Event | None = None,
) -> Starlette:
    started = time.monotonic()
    listening = listening or asyncio.Event()

    async def healthz(request: Request) -> Response:
        status = "ok" if rasa.state == "up" else "degraded"
        return JSONResponse(
            {
                "status": status,
                "rasa": rasa.state,
                "telegram": mode,
                "uptime_seconds": round(time.monotonic() - started, 1),
            }
        )

    async def readyz(request: Request) -> Response:
        ready = rasa.state == "up" and listening.is_set()
        return JSONResponse({"ready": ready, "rasa": rasa.state, "listening": listening.is_set()},
                            status_code=200 if ready else 503)

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if webhook_secret is None or not hmac.compare_digest(given.encode(), webhook_secret.encode()):
            log.warning("telegram.webhook_bad_secret")
            return Response(status_code=403)
        if not listening.is_set():  # still loading: Telegram keeps the update and retries
            return Response(status_code=503, headers={"Retry-After": "5"})
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (json.JSONDecodeError, TypeError, ValueError, KeyError):
            log.warning("telegram.webhook_bad_body")
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    if webhook_secret is not None:
        routes.append(Route(WEBHOOK_PATH, telegram_webhook, methods=["POST"]))
    return Starlette(routes=routes + web_routes())


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ``run`` decides when to stop, and in which order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def check_webhook_settings(settings: Settings) -> str | None:
    """The secret for webhook mode, or None for polling; raises if webhook mode is misconfigured."""
    if not settings.public_url:
        return None
    secret = settings.webhook_secret or ""
    if not SECRET_RE.match(secret):
        raise RuntimeError(
            "Con PUBLIC_URL hace falta WEBHOOK_SECRET (1 a 256 caracteres: A-Z a-z 0-9 _ -)."
        )
    return secret


async def start_telegram(
    application: Application, settings: Settings, stop: asyncio.Event,  # type: ignore[type-arg]
    listening: asyncio.Event | None = None,
) -> bool:
    """initialize (getMe), commands, then webhook or polling; retried until it works or we stop.

    Called once Rasa is ready (:func:`wait_until_ready`); ``listening`` is set when updates flow.
    """
    delay = 2.0
    while not stop.is_set():
        try:
            await application.initialize()
            break
        except TelegramError as exc:
            log.error("telegram.unreachable", extra={"error": type(exc).__name__, "retry_in_s": delay})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 60.0)
    if stop.is_set():
        return False
    await application.start()
    await sync_commands(application.bot)
    secret = check_webhook_settings(settings)
    if secret is not None:
        url = f"{(settings.public_url or '').rstrip('/')}{WEBHOOK_PATH}"
        if listening is not None:
            listening.set()
        await application.bot.set_webhook(
            url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info("telegram.webhook_set")
    else:
        # Pending updates are kept (no drop_pending_updates): what came in while loading is answered.
        await application.bot.delete_webhook()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        if listening is not None:
            listening.set()
        log.info("telegram.polling")
    return True


async def stop_telegram(application: Application) -> None:  # type: ignore[type-arg]
    with contextlib.suppress(Exception):
        await channel_of(application).core.flush_usage()
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    with contextlib.suppress(Exception):
        await application.shutdown()


async def deliver_notifications_forever(
    application: Application, stop: asyncio.Event, settings: Settings  # type: ignore[type-arg]
) -> None:
    """Every few seconds, tell people who consented what changed (e.g. their proposal's status)."""
    channel = channel_of(application)
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), settings.notify_interval_seconds)
        if stop.is_set():
            return
        try:
            delivered = await channel.deliver_notifications(application.bot)
            delivered += await channel.deliver_attention(application.bot)  # talk to a person
        except Exception as exc:  # never let a delivery problem stop the bot
            log.error("notify.failed", extra={"error": type(exc).__name__})
            continue
        if delivered:
            log.info("notify.delivered", extra={"count": delivered})


PURGE_FIRST_DELAY_SECONDS = 60.0
PURGE_INTERVAL_SECONDS = 24 * 3600.0


async def purge_daily(stop: asyncio.Event, first_delay: float = PURGE_FIRST_DELAY_SECONDS,
                      interval: float = PURGE_INTERVAL_SECONDS) -> None:
    """Apply the retention rules once a day (bot/privacy/purge.py), so the privacy
    notice's promises hold even where nobody scheduled ``participa privacy purge``."""
    delay = first_delay
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return
        delay = interval
        try:
            report = await asyncio.to_thread(purge)
        except Exception as exc:  # retried tomorrow; never stops the bot
            log.error("privacy.purge_failed", extra={"error": type(exc).__name__})
            continue
        log.info("privacy.purged", extra={"contacts": report.contacts,
                                          "conversations": report.conversations})


async def run(settings: Settings | None = None) -> None:
    """Everything ``participa serve`` runs, until SIGTERM or SIGINT."""
    settings = settings or get_settings()
    secret = check_webhook_settings(settings)
    await asyncio.to_thread(upgrade, settings.database_url)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    supervisor = RasaSupervisor(
        settings.rasa_url, settings.database_url, check_interval=settings.rasa_check_seconds
    )
    await supervisor.start()
    client = RasaClient(supervisor.url, timeout=settings.rasa_timeout_seconds)
    application = build_application(ConversationCore(client), settings)
    mode = "webhook" if secret else "polling"
    listening = asyncio.Event()
    server = _Server(
        uvicorn.Config(
            http_app(application, supervisor, secret, mode, listening),
            host=settings.http_host,
            port=settings.http_port,
            log_config=None,
            access_log=False,
            lifespan="off",
            **proxy_options(settings),
        )
    )
    server_task = asyncio.create_task(server.serve())
    notifier = asyncio.create_task(deliver_notifications_forever(application, stop, settings))
    purger = asyncio.create_task(purge_daily(stop))
    names = asyncio.create_task(keep_names_warm(stop))  # no citizen waits for it after a load
    broadcaster = (
        asyncio.create_task(run_scheduled_campaigns(stop, settings))
        if settings.broadcast_in_serve
        else None
    )
    log.info("serve.started", extra={"telegram": mode, "http_port": settings.http_port})
    try:
        await wait_until_ready(supervisor, stop)
        if not stop.is_set() and await start_telegram(application, settings, stop, listening):
            stopped = asyncio.create_task(stop.wait())
            await asyncio.wait({stopped, server_task}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
    finally:
        log.info("serve.stopping")
        stop.set()
        notifier.cancel()
        purger.cancel()
        names.cancel()
        if broadcaster is not None:  # lets the messages in flight finish (nothing left unknown)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(broadcaster, BROADCAST_STOP_SECONDS)
        await stop_telegram(application)
        server.should_exit = True
        with contextlib.suppress(Exception):
            await server_task
        await client.aclose()
        await supervisor.stop()
        log.info("serve.stopped")


# -- the event loop ---------------------------------------------------------------------------
# ``participa serve`` spends much of its CPU in the event loop itself and in the socket work of
# its HTTP calls (getUpdates, sendMessage, the call to Rasa: several per message). uvloop (already
# in requirements.lock, as uvicorn's loop) runs the same coroutines with a loop written in C: the
# same replies in the same order, less CPU per message (benchmarks/bot_cpu.py). Where uvloop is
# missing, or ``PARTICIPA_EVENT_LOOP=asyncio`` is set (to compare, or to rule the loop out when
# chasing a problem), the standard loop runs as before.

T = TypeVar("T")
EVENT_LOOP_ENV = "PARTICIPA_EVENT_LOOP"


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's ``new_event_loop``, or None for the standard loop."""
    if os.environ.get(EVENT_LOOP_ENV, "").strip().lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop  # type: ignore[no-any-return]


def loop_name() -> str:
    return "asyncio" if loop_factory() is None else "uvloop"


def run_on_loop(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on the loop :func:`loop_factory` picks."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
