"""NLU accuracy on a held-out set never used in training.

Runs ``rasa test nlu`` with the trained model on ``benchmarks/data/nlu_heldout.yml``
and records intent accuracy and, for FAQ questions, response-selection accuracy
(the answer chosen). ``benchmarks/latency.py`` measures what a citizen then
sees through the whole path (right answer, "no estoy segura", wrong answer).

Usage: .venv/bin/python benchmarks/nlu_accuracy.py     (needs `make setup`)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DATA, RESULTS, heldout_messages, machine, write_result  # noqa: E402
from bot.rasa.training import ensure_model, rasa_env, rasa_executable  # noqa: E402

TARGET = 0.90


def run_rasa_test(model: Path, out: Path) -> None:
    from bot.config import get_settings

    subprocess.run(
        [
            str(rasa_executable()),
            "test",
            "nlu",
            "--model",
            str(model),
            "--nlu",
            str(DATA / "nlu_heldout.yml"),
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
    model = ensure_model()
    out = Path(tempfile.mkdtemp(prefix="nlu-test-"))
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
