"""CPU the Telegram bot process spends per message, by part (Rasa replaced by a stub).

The throughput benchmark (benchmarks/telegram_throughput.py) gives the bot's CPU per message
only as a whole, and on a shared machine it moves with the load. This one isolates the bot:
the production application (PTB, the conversation core, PostgreSQL) polls the Bot API
emulator in its own process, and Rasa is a stub in this process that answers at once with
content/ texts (a greeting with the menu, an FAQ answer with its buttons), so the bot does
the same work as with Rasa (same replies to render, same buttons to remember) and its CPU
is all that is measured.

Conversations are the throughput benchmark's: «hola», an FAQ question (held-out set), the
«¿Qué es el STL?» button. Two phases:
- one at a time: each message waits for its reply, so the CPU of every part of the bot
  (``time.process_time`` around it) is this message's alone: the parts below;
- at once (``--users``, closed loop): the bot's CPU per message when updates arrive together,
  as in the throughput benchmark (getUpdates returns several, PTB handles them concurrently).

Parts (ms of CPU per message, one at a time): the whole process; PTB receiving the update
(getUpdates, parsing, dispatch: the process minus the handler); the handler; inside it the
core without the Rasa call, the HTTP call to Rasa, and sending the replies (PTB + httpx to the
emulator). Also SQL statements per message (SQLAlchemy events on the bot's engine).

Usage: .venv/bin/python benchmarks/bot_cpu.py [--conversations 200] [--users 25] [--smoke]
       [--profile FILE]  (cProfile of the bot process, one-at-a-time phase, top functions printed)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    heldout_messages,
    machine,
    smoke,
    smoke_option,
    temporary_pg_database,
    write_result,
)
from bot.serve import run_on_loop  # noqa: E402
from bot.storage.db import upgrade  # noqa: E402
from tests.e2e.emulator import BotApiEmulator  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PARTS = ("process", "ptb_receive", "handler", "core_without_rasa", "rasa_http", "send_replies")


# -- the bot process ------------------------------------------------------------------------


class Meter:
    """CPU seconds (``time.process_time``) spent inside wrapped coroutines, by part."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.statements = 0

    def wrap(self, name: str, function: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        async def measured(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return await function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.process_time() - started
                self.calls[name] = self.calls.get(name, 0) + 1

        return measured

    def snapshot(self) -> dict[str, Any]:
        return {"seconds": dict(self.seconds), "calls": dict(self.calls),
                "statements": self.statements, "process": time.process_time()}


async def run_bot(args: argparse.Namespace) -> None:
    """The production application polling the emulator; SIGUSR1 writes the meter to a file."""
    from sqlalchemy import event

    from bot.channels.telegram import ALLOWED_UPDATES, TelegramChannel, build_application
    from bot.config import Settings
    from bot.conversation.core import ConversationCore
    from bot.conversation.rasa_client import RasaClient
    from bot.storage.db import make_engine

    meter = Meter()
    TelegramChannel.on_message = meter.wrap("handler", TelegramChannel.on_message)  # type: ignore[method-assign]
    TelegramChannel.on_callback = meter.wrap("handler", TelegramChannel.on_callback)  # type: ignore[method-assign]
    TelegramChannel.send_replies = meter.wrap("send_replies", TelegramChannel.send_replies)  # type: ignore[method-assign]
    ConversationCore.handle = meter.wrap("core", ConversationCore.handle)  # type: ignore[method-assign]
    RasaClient.send = meter.wrap("rasa_http", RasaClient.send)  # type: ignore[method-assign]

    engine = make_engine(args.database)

    def count(*_: Any) -> None:
        meter.statements += 1

    event.listen(engine, "before_cursor_execute", count)
    settings = Settings(
        telegram_bot_token=args.token,
        telegram_api_base_url=args.emulator,
        telegram_max_messages_per_second=1000,
    )
    client = RasaClient(args.rasa, timeout=30)
    application = build_application(ConversationCore(client, engine=engine), settings, engine)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)

    def dump() -> None:
        path = Path(args.stats)
        path.with_suffix(".tmp").write_text(json.dumps(meter.snapshot()))
        path.with_suffix(".tmp").replace(path)

    def profile(on: bool) -> None:
        if profiler is not None:
            profiler.enable() if on else profiler.disable()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, dump)
    loop.add_signal_handler(signal.SIGUSR2, lambda: profile(True))
    loop.add_signal_handler(signal.SIGHUP, lambda: profile(False))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        dump()
        await stop.wait()
        await application.updater.stop()
        await application.stop()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    await client.aclose()


# -- the stub Rasa --------------------------------------------------------------------------


def stub_answers() -> Callable[[str], dict[str, Any]]:
    """What Rasa would answer, from content/: greeting + menu, FAQ answers with their buttons."""
    from bot.content.chat import chat_content
    from bot.content.faq import faq_catalog
    from bot.content.render import answer_buttons, render_answer

    chat = chat_content()
    menu = [{"title": b.title, "payload": b.payload} for b in chat.menu.buttons]
    greet = {"text": chat.responses["utter_greet"][0].text, "buttons": menu}
    entries = faq_catalog().entries
    by_id = {e.id: e for e in entries}

    def faq(entry_id: str) -> dict[str, Any]:
        entry = by_id[entry_id]
        return {"text": render_answer(entry), "buttons": answer_buttons(entry)}

    def answer(message: str) -> dict[str, Any]:
        if message in ("hola", "/greet"):
            return {"messages": [greet], "intent": "saludo", "confidence": 0.99}
        if message.startswith("/elegir_tema") and "que_es_stl" in by_id:
            return {"messages": [faq("que_es_stl")], "intent": "elegir_tema", "confidence": 1.0}
        index = int(hashlib.sha1(message.encode()).hexdigest(), 16) % len(entries)
        entry = entries[index]
        return {"messages": [faq(entry.id)], "intent": "faq", "confidence": 0.9,
                "faq": entry.id, "faq_confidence": 0.9}

    return answer


async def start_stub_rasa() -> tuple[str, Callable[[], Awaitable[None]]]:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    answer = stub_answers()

    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse(answer(str(body.get("message") or "")))

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = Starlette(routes=[Route("/webhooks/participa/webhook", webhook, methods=["POST"]),
                            Route("/webhooks/participa/", health)])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           access_log=False, limit_concurrency=2000))
    server.capture_signals = _no_signals  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)

    async def stop() -> None:
        server.should_exit = True
        await task

    return f"http://127.0.0.1:{port}", stop


@contextmanager
def _no_signals() -> Iterator[None]:
    yield


# -- driving --------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def conversation(person: int, questions: list[str]) -> list[tuple[str, str]]:
    return [("type", "hola"), ("type", questions[person % len(questions)]),
            ("press", "¿Qué es el STL?")]


async def talk(emulator: BotApiEmulator, chat: int, person: int, questions: list[str]) -> int:
    answered = 0
    for kind, value in conversation(person, questions):
        count = len(emulator.sent_to(chat))
        if kind == "press":
            emulator.press(chat, value)
        else:
            emulator.message(chat, value)
        await emulator.wait_for(chat, count + 1, timeout=30)
        answered += 1
    return answered


async def read_meter(bot: subprocess.Popen[bytes], stats: Path) -> dict[str, Any]:
    before = stats.stat().st_mtime_ns if stats.exists() else 0
    bot.send_signal(signal.SIGUSR1)
    for _ in range(500):
        if stats.exists() and stats.stat().st_mtime_ns != before:
            break
        await asyncio.sleep(0.01)
    return json.loads(stats.read_text())  # type: ignore[no-any-return]


def per_message(before: dict[str, Any], after: dict[str, Any], messages: int) -> dict[str, Any]:
    def spent(part: str) -> float:
        return after["seconds"].get(part, 0.0) - before["seconds"].get(part, 0.0)

    ms = 1000 / max(1, messages)
    process = after["process"] - before["process"]
    handler, core, rasa = spent("handler"), spent("core"), spent("rasa_http")
    return {
        "process": round(process * ms, 2),
        "ptb_receive": round((process - handler) * ms, 2),
        "handler": round(handler * ms, 2),
        "core_without_rasa": round((core - rasa) * ms, 2),
        "rasa_http": round(rasa * ms, 2),
        "send_replies": round(spent("send_replies") * ms, 2),
        "sql_statements": round((after["statements"] - before["statements"]) / max(1, messages), 2),
    }


async def drive(args: argparse.Namespace, db_url: str) -> dict[str, Any]:
    emulator = BotApiEmulator()
    await emulator.start()
    rasa_url, stop_rasa = await start_stub_rasa()
    stats = Path(tempfile.mkdtemp(prefix="bench-botcpu-")) / "meter.json"
    command = [sys.executable, __file__, "--bot-process", "--token", emulator.token,
               "--emulator", emulator.base_url, "--rasa", rasa_url, "--database", db_url,
               "--stats", str(stats)]
    if args.profile:
        command += ["--profile", args.profile]
    bot = subprocess.Popen(command)
    questions = [text for text, label in heldout_messages() if label.startswith("faq/")]
    results: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 240  # a loaded machine starts slowly
        while not (emulator.calls_to("getUpdates") and stats.exists()):
            if time.monotonic() > deadline or bot.poll() is not None:
                raise RuntimeError("the bot process did not start polling")
            await asyncio.sleep(0.2)
        # Warm-up: first calls load content, compile patterns, open connections.
        for person in range(args.warmup):
            await talk(emulator, 20_000_000 + person, person, questions)
        if args.profile:
            bot.send_signal(signal.SIGUSR2)
        before = await read_meter(bot, stats)
        answered = 0
        for person in range(args.conversations):
            answered += await talk(emulator, 21_000_000 + person, person, questions)
        after = await read_meter(bot, stats)
        if args.profile:
            bot.send_signal(signal.SIGHUP)
        results["one_at_a_time"] = per_message(before, after, answered) | {"messages": answered}

        people = iter(range(args.conversations))

        async def slot() -> int:
            done = 0
            for person in people:
                done += await talk(emulator, 22_000_000 + person, person, questions)
            return done

        cpu_before = cpu_seconds(bot.pid)
        before = await read_meter(bot, stats)
        started = time.monotonic()
        answered = sum(await asyncio.gather(*(slot() for _ in range(args.users))))
        elapsed = time.monotonic() - started
        after = await read_meter(bot, stats)
        cpu = cpu_seconds(bot.pid) - cpu_before
        results["at_once"] = {
            "users": args.users,
            "messages": answered,
            "process": round(1000 * cpu / max(1, answered), 2),
            "sql_statements": per_message(before, after, answered)["sql_statements"],
            "messages_per_second": round(answered / elapsed, 1),
        }
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.to_thread(bot.wait, 60)
        await stop_rasa()
        await emulator.stop()
    return results


def print_profile(path: str, top: int = 40) -> None:
    import pstats

    stats = pstats.Stats(path)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def markdown(args: argparse.Namespace, data: dict[str, Any]) -> str:
    one, many = data["one_at_a_time"], data["at_once"]
    when = data["machine"]["date"]
    load = " / ".join(str(x) for x in data["machine"]["load_average"])
    command = f"python benchmarks/bot_cpu.py --conversations {args.conversations} --users {args.users}"
    names = {
        "process": "**todo el proceso del bot**",
        "ptb_receive": "PTB recibe la actualización (getUpdates, leerla, despacharla)",
        "handler": "el manejador (núcleo + enviar)",
        "core_without_rasa": "· núcleo sin la llamada a Rasa (red de seguridad, botones, BD)",
        "rasa_http": "· llamada HTTP a Rasa (httpx, JSON)",
        "send_replies": "· enviar las respuestas (PTB + httpx al emulador)",
    }
    rows = "\n".join(f"| {names[k]} | {one[k]} |" for k in PARTS)
    return f"""# CPU del bot por mensaje, por parte (Rasa sustituido por un stub)

Comando: `{command}` · {when} · carga media (1/5/15 min): {load}

El bot real (PTB, núcleo, PostgreSQL) contra el emulador de la Bot API; Rasa es un stub que
contesta al instante con textos de `content/` (saludo con menú, respuestas frecuentes con sus
botones). Conversaciones como las del banco de Telegram («hola», una pregunta, el botón
«¿Qué es el STL?»).

| parte (ms de CPU por mensaje, uno a la vez, {one['messages']} mensajes) | ms |
|---|---|
{rows}
| sentencias SQL por mensaje | {one['sql_statements']} |

A la vez ({many['users']} personas, lazo cerrado, {many['messages']} mensajes): **{many['process']} ms**
de CPU del bot por mensaje, {many['sql_statements']} sentencias SQL por mensaje,
{many['messages_per_second']} msg/s (solo el bot; no es el banco de punta a punta).
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", default="", help="cProfile del proceso del bot (uno a la vez)")
    parser.add_argument("--label", default="bot_cpu", help="nombre del resultado")
    smoke_option(parser)
    parser.add_argument("--bot-process", action="store_true", help=argparse.SUPPRESS)
    for hidden in ("--token", "--emulator", "--rasa", "--database", "--stats"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot_process:
        run_on_loop(run_bot(args))  # the loop `participa serve` runs on
        return 0
    if smoke(args):
        args.conversations, args.users, args.warmup = 4, 2, 1
    with temporary_pg_database() as pg_url, tempfile.TemporaryDirectory() as tmp:
        db_url = pg_url or f"sqlite:///{tmp}/bot.db"
        upgrade(db_url)
        results = asyncio.run(drive(args, db_url))
    data = {"machine": machine(), "database": "postgresql" if pg_url else "sqlite"} | results
    print(json.dumps(data, indent=2, ensure_ascii=False))
    if args.profile:
        print_profile(args.profile)
    write_result(args.label, data, markdown(args, data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
