"""NLU accuracy on a held-out set never used in training.

Runs ``rasa test nlu`` with the trained model on ``benchmarks/data/nlu_heldout.yml``
and records intent accuracy and, for FAQ questions, response-selection accuracy
(the answer chosen). ``benchmarks/latency.py`` measures what a citizen then
sees through the whole path (right answer, "no estoy segura", wrong answer).

Usage: .venv/bin/python benchmarks/nlu_accuracy.py     (needs `make setup`)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    DATA,
    RESULTS,
    heldout_messages,
    machine,
    smoke,
    smoke_option,
    write_result,
)
from bot.rasa.training import ensure_model, rasa_env, rasa_executable  # noqa: E402

TARGET = 0.90


def smoke_data(out: Path) -> Path:
    """Two examples of one FAQ and of two other intents: enough for ``rasa test nlu`` to run."""
    data = yaml.safe_load((DATA / "nlu_heldout.yml").read_text(encoding="utf-8"))
    faq = [i for i in data["nlu"] if i["intent"].startswith("faq/")][:1]
    other = [i for i in data["nlu"] if not i["intent"].startswith("faq/")][:2]
    intents = faq + other
    for item in intents:
        item["examples"] = "\n".join(item["examples"].strip().splitlines()[:2]) + "\n"
    path = out / "nlu_smoke.yml"
    path.write_text(yaml.safe_dump({"version": data["version"], "nlu": intents}, allow_unicode=True),
                    encoding="utf-8")
    return path


def run_rasa_test(model: Path, out: Path, nlu: Path = DATA / "nlu_heldout.yml") -> None:
    from bot.config import get_settings

    subprocess.run(
        [
            str(rasa_executable()),
            "test",
            "nlu",
            "--model",
            str(model),
            "--nlu",
            str(nlu),
            "--out",
            str(out),
            "--no-plot",
        ],
        cwd=get_settings().nlu_dir,
        env=rasa_env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    smoke_option(parser)
    args = parser.parse_args()
    model = ensure_model()
    out = Path(tempfile.mkdtemp(prefix="nlu-test-"))
    if smoke(args):  # a handful of messages: CI checks that it runs, results are not written
        data_file = smoke_data(Path(tempfile.mkdtemp(prefix="nlu-smoke-")))
        run_rasa_test(model, out, data_file)
        reports = sorted(p.name for p in out.glob("*report*.json"))
        if not reports:
            raise SystemExit(f"rasa test nlu no escribió reportes en {out}")
        print("--smoke: nlu_accuracy corrió; resultados sin escribir.", file=sys.stderr)
        return 0
    run_rasa_test(model, out)
    intent_report = json.loads((out / "intent_report.json").read_text())
    selection_report = json.loads((out / "response_selection_report.json").read_text())
    intent_acc = float(intent_report["accuracy"])
    selection_acc = float(selection_report["accuracy"])
    pairs = heldout_messages()
    faq_count = sum(1 for _, label in pairs if label.startswith("faq/"))
    worst = sorted(
        (
            (k, v)
            for k, v in selection_report.items()
            if isinstance(v, dict) and "f1-score" in v and k.startswith("faq/")
        ),
        key=lambda kv: kv[1]["f1-score"],
    )[:8]
    errors_path = out / "response_selection_errors.json"
    errors = json.loads(errors_path.read_text()) if errors_path.exists() else []
    data = {
        "command": "python benchmarks/nlu_accuracy.py",
        "model": model.name,
        "messages": len(pairs),
        "faq_messages": faq_count,
        "intent_accuracy": round(intent_acc, 4),
        "response_selection_accuracy": round(selection_acc, 4),
        "target": TARGET,
        "passed": intent_acc >= TARGET and selection_acc >= TARGET,
        "weakest_faq_entries": {k: round(v["f1-score"], 3) for k, v in worst},
        "machine": machine(),
    }
    shutil.copy(out / "intent_report.json", RESULTS / "nlu_intent_report.json")
    shutil.copy(out / "response_selection_report.json", RESULTS / "nlu_response_selection_report.json")
    lines = [
        "# Precisión del NLU en el conjunto reservado",
        "",
        f"Comando: `{data['command']}` · modelo `{model.name}` · {data['machine']['date']}",
        "",
        f"- Mensajes reservados (nunca usados al entrenar): **{len(pairs)}**"
        f" ({faq_count} de preguntas frecuentes)",
        f"- Exactitud de intención (`rasa test nlu`): **{intent_acc:.1%}** (meta ≥ {TARGET:.0%})",
        f"- Exactitud de la respuesta elegida (selección de respuesta, FAQ): **{selection_acc:.1%}** "
        f"(meta ≥ {TARGET:.0%})",
        "",
        "Entradas con menor F1 en la selección de respuesta:",
        "",
        *[f"- `{k}`: {v}" for k, v in data["weakest_faq_entries"].items()],
        "",
        f"Errores de selección: {len(errors)} (detalle en `nlu_response_selection_report.json`).",
        "",
    ]
    write_result("nlu_accuracy", data, "\n".join(lines))
    print("\n".join(lines))
    return 0 if data["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
