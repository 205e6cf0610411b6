"""Start and stop the Rasa server and the action server as child processes.

``participa ask``, ``participa chat``, ``participa serve`` and the test suite
use this when ``RASA_URL`` does not point at a running Rasa server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import yaml
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT, get_settings
from bot.content.faq import faq_catalog
from bot.rasa.tracker_scrub import DEFAULT_INTENTS
from bot.rasa.training import ensure_model, rasa_env, rasa_executable
from bot.storage.db import normalize_url
from bot.storage.rasa_tracker import sqlite_tracker_path

log = logging.getLogger(__name__)


class ServerStartError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


RASA_HEALTH_PATH = "/webhooks/participa/"

# Rasa's SQL tracker store, minus the text of violence conversations (nlu/tracker_stores/).
SCRUBBING_STORE = "tracker_stores.scrubbing.ScrubbingSQLTrackerStore"
# Rasa's Redis lock store with its round trips off the event loop (nlu/tracker_stores/).
REDIS_LOCK_STORE = "tracker_stores.redis_lock.ThreadedRedisLockStore"


def sensitive_intents() -> list[str]:
    """Intents whose conversations Rasa must store without text: the violence FAQ and more."""
    faq = [f"faq/{e.id}" for e in faq_catalog().entries if e.topic == "violencia"]
    return sorted(DEFAULT_INTENTS) + faq


def tracker_store_config(database_url: str) -> dict[str, object]:
    """Rasa's SQL tracker store on the same database server as the application."""
    url = make_url(normalize_url(database_url))
    privacy: dict[str, object] = {
        "type": SCRUBBING_STORE,
        "sensitive_intents": sensitive_intents(),
    }
    if url.get_backend_name() == "sqlite":
        return {**privacy, "dialect": "sqlite", "db": str(sqlite_tracker_path(url.database))}
    config: dict[str, object] = {
        **privacy,
        "dialect": "postgresql",
        "url": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "db": url.database,
        "username": url.username or "postgres",
    }
    if url.password:
        config["password"] = url.password
    return config


def write_endpoints(path: Path, action_url: str, database_url: str) -> Path:
    endpoints: dict[str, object] = {
        "action_endpoint": {"url": action_url},
        "tracker_store": tracker_store_config(database_url),
    }
    redis_url = get_settings().redis_url
    if redis_url:
        parsed = make_url(redis_url)
        endpoints["lock_store"] = {
            "type": REDIS_LOCK_STORE,
            "url": parsed.host,
            "port": parsed.port or 6379,
            "db": int(parsed.database or 1),
            "key_prefix": "participa",
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path


# What a Rasa container reads from its own environment (docker-compose.yml sets them).
CONTAINER_ENV = (
    "ACTION_SERVER_URL", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER",
    "POSTGRES_PASSWORD", "RASA_LOCK_STORE", "REDIS_HOST",
)


def container_endpoints() -> dict[str, object]:
    """``endpoints.yml`` for Rasa in its own container (``Dockerfile``, stage ``rasa``).

    Written at build time, where the content (and so the sensitive intents) is known; the
    addresses and the password are ``${VARS}`` that Rasa fills in from its environment when it
    reads the file, so no secret is baked into the image. ``RASA_LOCK_STORE`` is ``in_memory``
    for one Rasa replica and ``redis`` for several (then ``REDIS_HOST`` is used).
    """
    return {
        "action_endpoint": {"url": "${ACTION_SERVER_URL}/webhook"},
        "tracker_store": {
            "type": SCRUBBING_STORE,
            "sensitive_intents": sensitive_intents(),
            "dialect": "postgresql",
            "url": "${POSTGRES_HOST}",
            "port": "${POSTGRES_PORT}",
            "db": "${POSTGRES_DB}",
            "username": "${POSTGRES_USER}",
            "password": "${POSTGRES_PASSWORD}",
        },
        "lock_store": {
            "type": "${RASA_LOCK_STORE}",
            "url": "${REDIS_HOST}",
            "port": 6379,
            "db": 1,
            "key_prefix": "participa",
        },
    }


def write_container_endpoints(path: Path) -> Path:
    header = "# Generado por `participa nlu endpoints`: Rasa llena los ${…} desde su entorno.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(container_endpoints(), sort_keys=False), encoding="utf-8")
    return path


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then a kill after 30 s; nothing for a process already gone."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_http(
    url: str,
    process: subprocess.Popen[bytes],
    timeout: float,
    what: str,
    log: Path,
    cancel: threading.Event | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cancel is not None and cancel.is_set():
            raise ServerStartError(f"{what}: arranque cancelado")
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise ServerStartError(
                f"{what} terminó al arrancar (código {process.returncode}).\n{tail}"
            )
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise ServerStartError(f"{what} no respondió en {timeout:.0f} s ({url}); bitácora: {log}")


def rasa_process_env() -> dict[str, str]:
    """Rasa's environment; several Sanic workers only with a Redis lock store to share."""
    env = rasa_env()
    settings = get_settings()
    if settings.rasa_workers > 1:
        if settings.redis_url:
            env["SANIC_WORKERS"] = str(settings.rasa_workers)
        else:
            log.warning("rasa.workers_need_redis", extra={"workers": settings.rasa_workers})
    return env


@dataclass
class RunningServers:
    rasa_url: str
    action_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)
    rasa_command: list[str] = field(default_factory=list)
    rasa_log_path: Path | None = None

    def _spawn_rasa(self) -> subprocess.Popen[bytes]:
        assert self.rasa_log_path is not None
        log = open(self.rasa_log_path, "ab")  # noqa: SIM115 - closed by stop()
        self.logs.append(log)
        return subprocess.Popen(self.rasa_command, cwd=get_settings().nlu_dir, env=rasa_process_env(),
                                stdout=log, stderr=subprocess.STDOUT)

    def restart_rasa(self, timeout: float = 180.0) -> None:
        """Stop the Rasa server and start it again on the same port (conversations are in the DB)."""
        stop_process(self.processes[-1])
        new = self._spawn_rasa()
        self.processes[-1] = new
        assert self.rasa_log_path is not None
        _wait_http(f"{self.rasa_url}{RASA_HEALTH_PATH}", new, timeout, "Rasa", self.rasa_log_path)

    def restart_actions(self, database_url: str | None = None, timeout: float = 180.0) -> None:
        """Stop the action server (if it still runs) and start it again on the same port."""
        stop_process(self.processes[0])
        port = int(self.action_url.rsplit(":", 1)[1])
        _url, process, log, log_path = start_action_server(port, None, database_url)
        self.processes[0] = process
        self.logs.append(log)
        _wait_http(f"{self.action_url}/health", process, timeout, "El servidor de acciones", log_path)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for handle in self.logs:
            handle.close()
        self.processes.clear()


def start_action_server(
    port: int | None = None, log_dir: Path | None = None, database_url: str | None = None
) -> tuple[str, subprocess.Popen[bytes], IO[bytes], Path]:
    port = port or free_port()
    log_dir = log_dir or get_settings().var_dir / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"actions-{port}.log"
    handle = open(log_path, "wb")  # noqa: SIM115 - closed by RunningServers.stop
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port), "--quiet"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    return f"http://127.0.0.1:{port}", process, handle, log_path


def rasa_run_args(model: Path | str, endpoints: Path | str, host: str, port: int) -> list[str]:
    """The arguments of ``rasa run`` (run with cwd=nlu); the Dockerfile's rasa stage uses the same."""
    return [
        "run", "-m", str(model), "--endpoints", str(endpoints), "--credentials", "credentials.yml",
        "-i", host, "-p", str(port), "--response-timeout", "30",
    ]


def start_servers(
    rasa_port: int | None = None,
    action_port: int | None = None,
    database_url: str | None = None,
    timeout: float = 180.0,
    cancel: threading.Event | None = None,
) -> RunningServers:
    """Start the action server and a Rasa server wired to it; wait until both answer."""
    settings = get_settings()
    model = ensure_model()
    database_url = database_url or settings.database_url
    action_url, action_proc, action_log, action_log_path = start_action_server(
        action_port, database_url=database_url
    )
    servers = RunningServers(
        rasa_url="", action_url=action_url, processes=[action_proc], logs=[action_log]
    )
    try:
        rasa_port = rasa_port or free_port()
        run_dir = settings.var_dir / "run"
        endpoints = write_endpoints(
            run_dir / f"endpoints-{rasa_port}.yml",
            f"{action_url}/webhook",
            database_url,
        )
        servers.rasa_log_path = settings.var_dir / "log" / f"rasa-{rasa_port}.log"
        servers.rasa_log_path.write_bytes(b"")
        servers.rasa_command = [
            str(rasa_executable()), *rasa_run_args(model, endpoints, "127.0.0.1", rasa_port)
        ]
        rasa_proc = servers._spawn_rasa()
        servers.processes.append(rasa_proc)
        servers.rasa_url = f"http://127.0.0.1:{rasa_port}"
        _wait_http(  # as long as Rasa's: importing the actions takes over 60 s on a busy machine
            f"{action_url}/health", action_proc, timeout, "El servidor de acciones", action_log_path,
            cancel,
        )
        _wait_http(
            f"{servers.rasa_url}{RASA_HEALTH_PATH}", rasa_proc, timeout, "Rasa",
            servers.rasa_log_path, cancel,
        )
    except BaseException:
        servers.stop()
        raise
    return servers


def rasa_is_up(url: str) -> bool:
    """True when Rasa's Participa channel answers (the model is loaded); the containers' check too."""
    try:
        return httpx.get(f"{url.rstrip('/')}{RASA_HEALTH_PATH}", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def rasa_available() -> Iterator[str]:
    """Yield a ready Rasa server's URL: ``RASA_URL`` if it answers, else servers we start."""
    configured = get_settings().rasa_url
    if configured and rasa_is_up(configured):
        yield configured
        return
    if configured:
        print(f"RASA_URL={configured} no responde; arranco servidores propios…", file=sys.stderr)
    servers = start_servers()
    try:
        yield servers.rasa_url
    finally:
        servers.stop()


class RasaSupervisor:
    """Keeps Rasa reachable for ``participa serve``; its absence is reported, never fatal.

    With ``RASA_URL`` set it only watches that server. Otherwise it runs its own
    Rasa and action servers (fixed ports chosen up front, so the bot knows the URL
    at once) and starts them again, with back-off, when they fail to start or
    die. Meanwhile the bot keeps answering: the core's offline reply carries the
    menu and the emergency lines. ``state`` is "starting", "up" or "down".
    """

    def __init__(
        self,
        configured_url: str | None = None,
        database_url: str | None = None,
        check_interval: float = 5.0,
        max_backoff: float = 60.0,
    ) -> None:
        self.log = logging.getLogger(__name__)
        self.external = bool(configured_url)
        self.database_url = database_url
        self.rasa_port = 0 if self.external else free_port()
        self.action_port = 0 if self.external else free_port()
        self.url = configured_url or f"http://127.0.0.1:{self.rasa_port}"
        self.state = "starting"
        self.check_interval = check_interval
        self.max_backoff = max_backoff
        self._servers: RunningServers | None = None
        self._stopping = threading.Event()
        self._starter: threading.Thread | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        backoff = 2.0
        while not self._stopping.is_set():
            if not self.external and not self._children_alive():
                if self._servers is not None:
                    self.log.error("rasa.process_died")
                    await asyncio.to_thread(self._servers.stop)
                    self._servers = None
                self.state = "starting"
                try:
                    self._servers = await self._start_children()
                except Exception as exc:
                    if self._stopping.is_set():
                        return
                    self.state = "down"
                    self.log.error(
                        "rasa.start_failed",
                        extra={"error": type(exc).__name__, "retry_in_s": backoff},
                    )
                    await self._sleep(backoff)
                    backoff = min(backoff * 2, self.max_backoff)
                    continue
                backoff = 2.0
            up = await asyncio.to_thread(rasa_is_up, self.url)
            new_state = "up" if up else "down"
            if new_state != self.state:
                level = self.log.info if up else self.log.warning
                level(f"rasa.{new_state}", extra={"retry_every_s": self.check_interval})
            self.state = new_state
            await self._sleep(self.check_interval)

    def _children_alive(self) -> bool:
        servers = self._servers
        return servers is not None and all(p.poll() is None for p in servers.processes)

    async def _start_children(self) -> RunningServers:
        """start_servers in a daemon thread (it blocks until both servers answer)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[RunningServers] = loop.create_future()

        def target() -> None:
            try:
                servers = start_servers(
                    rasa_port=self.rasa_port,
                    action_port=self.action_port,
                    database_url=self.database_url,
                    cancel=self._stopping,
                )
                if self._stopping.is_set():  # serve is shutting down: do not leave them running
                    servers.stop()
                    raise ServerStartError("cancelado")
                self._servers = servers
            except BaseException as exc:  # handed to the event loop
                with suppress(RuntimeError):  # the loop may already be closed
                    loop.call_soon_threadsafe(_settle, future, None, exc)
                return
            with suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, servers, None)

        self._starter = threading.Thread(target=target, name="rasa-starter", daemon=True)
        self._starter.start()
        return await future

    async def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(min(0.2, seconds))

    async def stop(self) -> None:
        self._stopping.set()
        if self._starter is not None:
            await asyncio.to_thread(self._starter.join, 30)
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        if self._servers is not None:
            await asyncio.to_thread(self._servers.stop)
            self._servers = None


def _settle(future, result, error) -> None:  # type: ignore[no-untyped-def]
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
