"""Time per message through the full path (core → Rasa → action server → reply), warm.

Sends the held-out messages (cycled to ≥ 500) one at a time, from 50 simulated
people, through the conversation core to a Rasa server and an action server
started here, with the tracker store on PostgreSQL when it answers (as in
production), else SQLite. Records p50/p95/max latency, what a citizen saw for
FAQ questions (right answer / "no estoy segura" / wrong answer), the memory of
each process, and the time to train the model from scratch.

Usage: .venv/bin/python benchmarks/latency.py [--messages 600] [--no-train]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    heldout_messages,
    machine,
    percentile,
    rss_mb,
    smoke,
    smoke_option,
    temporary_pg_database,
    write_result,
)
from bot.config import get_settings  # noqa: E402
from bot.content.faq import faq_catalog  # noqa: E402
from bot.content.render import render_answer  # noqa: E402
from bot.conversation.core import ConversationCore  # noqa: E402
from bot.conversation.rasa_client import RasaClient  # noqa: E402
from bot.rasa.servers import start_servers  # noqa: E402
from bot.rasa.training import rasa_env, train_command  # noqa: E402
from bot.storage.db import make_engine, upgrade  # noqa: E402

TARGET_P95_MS = 250.0


def train_seconds() -> float:
    settings = get_settings()
    out = tempfile.mkdtemp(prefix="bench-train-")
    env = rasa_env()
    env["RASA_MAX_CACHE_SIZE"] = "0"  # from scratch: no graph cache from earlier trainings
    started = time.monotonic()
    subprocess.run(
        train_command(Path(out), "bench"),
        cwd=settings.nlu_dir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def classify(label: str, replies: list[str]) -> str:
    entries = faq_catalog().by_id()
    faq_id = label.removeprefix("faq/")
    if faq_id in entries and replies == [render_answer(entries[faq_id])]:
        return "right"
    if replies and replies[0].startswith("No estoy segura"):
        return "unsure"
    if any("Fuente:" in r for r in replies):
        return "wrong"  # a confident answer to another question: the failure that matters
    return "other"  # another flow, e.g. the proposal intake for "¿cómo doy mi propuesta?"


async def measure(rasa_url: str, engine_url: str, count: int) -> dict[str, object]:
    pairs = heldout_messages()
    messages = (pairs * (count // len(pairs) + 1))[:count]
    client = RasaClient(rasa_url, timeout=30)
    core = ConversationCore(client, engine=make_engine(engine_url))
    for i, (text, _) in enumerate(pairs[:20]):  # warm-up
        await core.handle(f"warm-{i}", text)
    latencies: list[float] = []
    outcomes = {"right": 0, "unsure": 0, "other": 0, "wrong": 0}
    wrong_examples: list[str] = []
    first_pass = len(pairs)
    for i, (text, label) in enumerate(messages):
        started = time.perf_counter()
        turn = await core.handle(f"bench-{i % 50}-{i // first_pass}", text)
        latencies.append((time.perf_counter() - started) * 1000)
        if i < first_pass and label.startswith("faq/"):
            outcome = classify(label, [r.text for r in turn.replies])
            outcomes[outcome] += 1
            if outcome == "wrong" and len(wrong_examples) < 10:
                wrong_examples.append(f"{text!r} → esperado {label}")
    await client.aclose()
    return {"latencies": latencies, "outcomes": outcomes, "wrong_examples": wrong_examples}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--no-train", action="store_true")
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.messages, args.no_train = 6, True
    with temporary_pg_database() as pg_url:
        url, backend = (pg_url, "postgresql") if pg_url else (get_settings().database_url, "sqlite")
        upgrade(url)
        servers = start_servers(database_url=url)
        try:
            result = asyncio.run(measure(servers.rasa_url, url, args.messages))
            memory = {
                "rasa_mb": round(rss_mb(servers.processes[1].pid), 1),
                "action_server_mb": round(rss_mb(servers.processes[0].pid), 1),
                "bot_core_mb": round(rss_mb(os.getpid(), children=False), 1),
            }
        finally:
            servers.stop()
    lat: list[float] = result["latencies"]  # type: ignore[assignment]
    outcomes: dict[str, int] = result["outcomes"]  # type: ignore[assignment]
    faq_total = sum(outcomes.values())
    training = None if args.no_train else round(train_seconds(), 1)
    data = {
        "command": "python benchmarks/latency.py",
        "tracker_store": backend,
        "messages": len(lat),
        "p50_ms": round(percentile(lat, 0.5), 1),
        "p95_ms": round(percentile(lat, 0.95), 1),
        "max_ms": round(max(lat), 1),
        "target_p95_ms": TARGET_P95_MS,
        "passed": percentile(lat, 0.95) <= TARGET_P95_MS,
        "faq_outcomes": outcomes,
        "faq_right_share": round(outcomes["right"] / faq_total, 4) if faq_total else None,
        "faq_wrong_share": round(outcomes["wrong"] / faq_total, 4) if faq_total else None,
        "wrong_examples": result["wrong_examples"],
        "memory": memory,
        "training_seconds": training,
        "machine": machine(),
    }
    lines = [
        "# Latencia por mensaje (ruta completa, servicios calientes)",
        "",
        f"Comando: `{data['command']}` · {data['machine']['date']} · {data['machine']['cpus']} núcleos",
        "",
        f"- Mensajes: **{len(lat)}** (conjunto reservado repetido), 50 personas simuladas, uno a la vez",
        f"- Almacén de conversaciones de Rasa: {backend}",
        f"- p50 **{data['p50_ms']} ms** · p95 **{data['p95_ms']} ms** (meta ≤ {TARGET_P95_MS:.0f} ms)"
        f" · máx {data['max_ms']} ms",
        f"- Lo que vio la persona en preguntas frecuentes ({faq_total}): respuesta correcta "
        f"{outcomes['right']}, «no estoy segura» con temas {outcomes['unsure']}, otro flujo "
        f"{outcomes['other']}, respuesta equivocada {outcomes['wrong']}",
        f"- Memoria: Rasa {memory['rasa_mb']} MB · servidor de acciones {memory['action_server_mb']} MB"
        f" · núcleo del bot {memory['bot_core_mb']} MB",
        f"- Entrenamiento desde cero: {training} s" if training is not None else "- Entrenamiento: no medido",
        "",
        *(
            ["Respuestas equivocadas (muestra):", ""] + [f"- {w}" for w in data["wrong_examples"]] + [""]
            if data["wrong_examples"]
            else []
        ),
    ]
    write_result("latency", data, "\n".join(lines))
    print("\n".join(lines))
    return 0 if data["passed"] or args.smoke else 1


if __name__ == "__main__":
    raise SystemExit(main())
