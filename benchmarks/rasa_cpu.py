"""Rasa's CPU per message, by part, measured inside one process (no HTTP, no bot).

The full Telegram benchmark (benchmarks/telegram_throughput.py) needs the whole machine, and on a
shared machine its numbers move by more than the 1-3 ms a change saves. This one loads the real
agent (the model, the tracker store on a fresh PostgreSQL database, the Redis lock store when
REDIS_URL is set, the action server) in one process, sends conversations one message at a time
and sums ``time.process_time`` per part: understanding the text (DIET, ResponseSelector),
reading and saving the conversation, predicting the next action, running actions.

Conversations are like the Telegram benchmark's: "hola", a question, the «¿Qué es el STL?»
button; the questions are all the different texts of the held-out NLU set, so nothing repeats.

``--compare DIR`` runs the same conversations at the same time against another checkout (for
example ``git archive main | tar -x -C DIR``): both share the machine's load, and the replies of
both must be identical (the command fails if not), so a speed-up cannot change behaviour.

``--nlu-ab`` measures only understanding, in one process: each text is understood with Rasa's
own code and with our speed-ups (nlu/channels/rasa_speedups.py) alternately, so both see the
same load; the parse results (intents, FAQ answers, confidences, rankings) must be identical.
``--stack-ab`` does the same with the per-token matrices stacked as Rasa does and not stacked
(nlu/components/sentence_input.py).

Usage: .venv/bin/python benchmarks/rasa_cpu.py [--conversations 60] [--compare DIR] [--nlu-ab] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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
from bot.config import get_settings  # noqa: E402
from bot.rasa.servers import _wait_http, start_action_server, write_endpoints  # noqa: E402
from bot.rasa.training import ensure_model, rasa_env  # noqa: E402
from bot.storage.db import upgrade  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUTTON = '/elegir_tema{"tema":"que_es_stl"}'


def conversations(count: int) -> list[list[str]]:
    questions = list(dict.fromkeys(text for text, _ in heldout_messages()))
    return [["hola", questions[i % len(questions)], BUTTON] for i in range(count)]


def start_agent(code: Path, model: Path, endpoints: Path, texts: Path, warmup: int,
                tag: str, profile: Path | None = None,
                extra_env: dict[str, str] | None = None, nlu_ab: bool = False,
                stack_ab: bool = False) -> subprocess.Popen[str]:
    env = rasa_env()
    env.update(extra_env or {})
    env["PYTHONPATH"] = os.pathsep.join([str(code / "nlu"), str(code)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    python = get_settings().rasa_venv / "bin" / "python"
    return subprocess.Popen(
        [str(python), str(ROOT / "benchmarks" / "in_rasa" / "rasa_cpu_agent.py"), "--model", str(model),
         "--endpoints", str(endpoints), "--conversations", str(texts), "--warmup", str(warmup),
         "--tag", tag, *(["--profile", str(profile)] if profile else []),
         *(["--nlu-ab"] if nlu_ab else []), *(["--stack-ab"] if stack_ab else [])],
        cwd=code / "nlu", env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )


def wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("READY"):
            return
    raise RuntimeError(f"the agent process failed (exit {process.wait()})")


def collect(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    out = process.stdout.read()
    process.wait()
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"the agent process failed (exit {process.returncode})")


def markdown(data: dict[str, Any]) -> str:
    runs = data["runs"]
    parts = sorted({k for r in runs.values() for k in r["parts_ms_per_message"]})
    header = "| parte (ms de CPU por mensaje) | " + " | ".join(runs) + " |"
    lines = [
        "# CPU de Rasa por mensaje, dentro de un solo proceso",
        "",
        f"Comando: `{data['command']}` · {data['machine']['date']} · carga media (1/5/15 min): "
        + " / ".join(str(x) for x in data["machine"]["load_average"]),
        "",
        f"{data['conversations']} conversaciones («hola», una pregunta distinta cada vez, el botón "
        "«¿Qué es el STL?»), una a la vez; almacén de conversaciones en PostgreSQL. Con `--compare`, "
        "las dos versiones corren a la vez con la misma carga y sus respuestas son idénticas: "
        f"**{'sí' if data['same_replies'] else 'NO'}**.",
        "",
        header,
        "|---|" + "---|" * len(runs),
        "| **todo el turno** | " + " | ".join(f"**{r['cpu_ms_per_message']}**" for r in runs.values())
        + " |",
    ]
    for part in parts:
        lines.append(f"| {part} | " + " | ".join(
            str(r["parts_ms_per_message"].get(part, "")) for r in runs.values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another checkout, measured at the same time")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="environment variable for this checkout's agent only (with --compare)")
    parser.add_argument("--nlu-ab", action="store_true",
                        help="only understanding: Rasa's own code and this branch's speed-ups "
                             "alternately on each text, in one process (prints, writes nothing)")
    parser.add_argument("--stack-ab", action="store_true",
                        help="only understanding: per-token matrices stacked (as Rasa does) and "
                             "not, alternately on each text (prints, writes nothing)")
    parser.add_argument("--profile", type=Path,
                        help="folder for cProfile stats of each checkout (<folder>/<tag>.prof)")
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):
        args.conversations, args.warmup = 2, 1
    extra = dict(item.split("=", 1) for item in args.set)
    model = ensure_model()
    if args.nlu_ab or args.stack_ab:
        with tempfile.TemporaryDirectory() as tmp:
            texts = Path(tmp) / "texts.json"
            texts.write_text(json.dumps(conversations(args.warmup + args.conversations)), "utf-8")
            endpoints = Path(tmp) / "endpoints.yml"
            endpoints.write_text("{}\n", "utf-8")
            result = collect(start_agent(ROOT, model, endpoints, texts, 0, "ab", None, extra,
                                         args.nlu_ab, args.stack_ab))
        print(json.dumps(result, indent=2))
        return 0 if result["different_results"] == 0 else 1
    codes = {"esta rama": ROOT}
    if args.compare:
        codes = {"comparada": args.compare.resolve(), **codes}
    with temporary_pg_database() as pg_url, tempfile.TemporaryDirectory() as tmp:
        url = pg_url or f"sqlite:///{tmp}/app.db"
        upgrade(url)
        action_url, action, log, log_path = start_action_server(database_url=url)
        try:
            _wait_http(f"{action_url}/health", action, 60, "El servidor de acciones", log_path, None)
            endpoints = write_endpoints(Path(tmp) / "endpoints.yml", f"{action_url}/webhook", url)
            texts = Path(tmp) / "texts.json"
            texts.write_text(json.dumps(conversations(args.warmup + args.conversations)), "utf-8")
            started = {
                name: start_agent(code, model, endpoints, texts, args.warmup, f"r{i}",
                                  args.profile / f"r{i}.prof" if args.profile else None,
                                  extra if code == ROOT else None)
                for i, (name, code) in enumerate(codes.items())
            }
            for process in started.values():  # loaded and warmed up: measure all at once
                wait_ready(process)
            for process in started.values():
                assert process.stdin is not None
                process.stdin.write("go\n")
                process.stdin.flush()
            runs = {name: collect(process) for name, process in started.items()}
        finally:
            action.terminate()
            action.wait(timeout=30)
            log.close()
    replies = [r.pop("replies") for r in runs.values()]
    same = all(r == replies[0] for r in replies)
    data = {
        "command": "python benchmarks/rasa_cpu.py"
        + (f" --conversations {args.conversations}" if args.conversations != 60 else "")
        + (" --compare DIR" if args.compare else "")
        + "".join(f" --set {item}" for item in args.set),
        "conversations": args.conversations,
        "tracker_store": "postgresql" if pg_url else "sqlite",
        "same_replies": same,
        "runs": runs,
        "machine": machine(),
    }
    print(json.dumps({k: v for k, v in data.items() if k != "machine"}, indent=2, ensure_ascii=False))
    write_result("rasa_cpu", data, markdown(data))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
