"""The safety net: held-out targets (CI guards them), the emergency message, the lexicon."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.emergency_recall import SETS, TARGET_FALSE_ALARMS, TARGET_RECALL, load_set, score
from bot.config import get_settings
from bot.content.checks import check_all
from bot.content.faq import load_faq
from bot.conversation.replies import Button, Reply
from bot.conversation.safety import Level, check_emergency, load_safety_net, safety_net
from tests.conversation.safety_checks import CRISIS_LINE, crisis_reply

CONTENT = get_settings().content_dir


def test_heldout_set_is_big_enough() -> None:
    danger, negatives = load_set(SETS["heldout"])
    assert len(danger) >= 60 and len(negatives) >= 60
    assert not set(danger) & set(negatives)
    dev = set().union(*load_set(SETS["dev"]))
    fresh = set().union(*load_set(SETS["fresh"]))
    assert not (set(danger) | set(negatives)) & dev, "held-out and dev share messages"
    assert not fresh & dev and not fresh & (set(danger) | set(negatives))


def test_round_5_batches_are_their_own_messages() -> None:
    """Batch 2 of round 5 (held out) shares nothing with batch 1 (tuned on) or the dev, held-out
    and fresh sets, so it measures wording the patterns were not fitted to. (Batch 1 and dev
    happen to share one everyday question.)"""
    one = set().union(*load_set(SETS["r5-batch1"]))
    two = set().union(*load_set(SETS["r5-batch2"]))
    assert len(one) == len(two) == 120
    sets = {name: set().union(*load_set(SETS[name])) for name in ("dev", "heldout", "fresh")}
    assert not two & (one | sets["dev"] | sets["heldout"] | sets["fresh"])
    assert not one & (sets["heldout"] | sets["fresh"])


def test_heldout_recall_and_false_alarms_meet_the_targets() -> None:
    result = score(safety_net(), SETS["heldout"])
    assert result.recall >= TARGET_RECALL, f"missed: {result.missed}"
    assert result.false_alarm_rate <= TARGET_FALSE_ALARMS, f"false alarms: {result.alarms}"


@pytest.mark.parametrize(
    "message",
    [
        "me está pegando",
        "ME ESTA GOLPEANDO!!!",
        "tengo miedo de que me mate",
        "no me deja salir de la casa",
        "auxilio",
        "ayudaaaaa",
        "m kiere matar",
        "/ayuda_urgente",
        "bla " * 3000 + "me quiere matar",
    ],
)
def test_danger_is_caught(message: str) -> None:
    assert safety_net().is_emergency(message)


@pytest.mark.parametrize(
    "message",
    [
        "qué es la violencia digital",
        "mi mamá me va a matar si repruebo",
        "se me pegó la canción",
        "me mata de risa",
        "ayuda",  # the menu, not an emergency
        "la empresa me amenaza con despedirme",
        "primeros auxilios",
    ],
)
def test_idioms_and_questions_are_not_alarms(message: str) -> None:
    assert not safety_net().is_emergency(message)


def test_no_faq_question_looks_like_an_emergency() -> None:
    """Otherwise the question would never reach Rasa and its answer could not be given."""
    net = safety_net()
    flagged = [q for e in load_faq(CONTENT).entries for q in e.examples if net.is_emergency(q)]
    assert flagged == []


def test_every_violence_question_is_marked_sensitive() -> None:
    net = safety_net()
    entries = [e for e in load_faq(CONTENT).entries if e.topic == "violencia"]
    assert len(entries) >= 10
    missed = [q for e in entries for q in e.examples if not net.is_sensitive(q)]
    assert missed == []


def test_everyday_questions_are_not_sensitive() -> None:
    net = safety_net()
    for message in ["que es el gobierno abierto", "como pido informacion publica", "hola"]:
        assert not net.is_sensitive(message)


def test_the_emergency_message_is_short_with_911_the_lines_and_the_centre_button() -> None:
    reply = safety_net().reply()
    assert reply.text.startswith("Si estás en peligro ahora, llama al 911")
    assert "800 108 40 53" in reply.text and "079, opción 1" in reply.text
    assert "089" not in reply.text, "anonymous reports are not for someone in danger now"
    assert "salida rápida" in reply.text
    assert len(reply.text) < 600
    assert reply.buttons[0].payload == "/buscar_centro"
    assert reply.buttons[1].payload == '/elegir_tema{"tema":"que_hacer_violencia"}'


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def test_check_rejects_unknown_lines_and_a_missing_centre_button(tmp_path: Path) -> None:
    content = _copy_content(tmp_path)
    path = content / "emergency.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["lines"] = ["linea_sin_violencia", "linea_que_no_existe"]
    data["buttons"] = data["buttons"][::-1]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    problems = check_emergency(content)
    assert any("linea_que_no_existe" in p for p in problems)
    assert any("/buscar_centro" in p for p in problems)


def test_check_rejects_a_broken_pattern_and_a_button_to_a_missing_answer(tmp_path: Path) -> None:
    content = _copy_content(tmp_path)
    path = content / "emergency.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["buttons"][1]["payload"] = '/elegir_tema{"tema":"no_existe"}'
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert any("no_existe" in p for p in check_all(content))
    data["patterns"].append("(sin cerrar")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert any("expresión regular inválida" in p for p in check_emergency(content))
    with pytest.raises(Exception, match="expresión regular"):
        load_safety_net(content)


@pytest.mark.parametrize(
    "message",
    ["este trámite me mata", "me muero de hambre", "mi hermana me va a matar porque me comí su pastel",
     "vi un video donde golpean a un señor", "quiero reportar un bache que casi me mata"],
)
def test_figures_of_speech_are_no_emergency(message: str) -> None:
    assert safety_net().assess(message) < Level.DISCLOSURE


@pytest.mark.parametrize(
    "message",
    ["me quiero morir", "ya no quiero vivir", "me corto", "me voy a quitar la vida",
     "mi amiga dice que se quiere matar", "me kiero suisidar"],
)
def test_suicide_and_self_harm_get_the_crisis_reply_with_the_crisis_line_first(message: str) -> None:
    reply = crisis_reply(message)
    assert reply.index(CRISIS_LINE) < reply.index("Emergencias: 911")
    assert "800 108 40 53" not in reply


def test_a_disclosure_answer_starts_with_the_911_line() -> None:
    net = safety_net()
    answer = Reply("La violencia no es tu culpa…", [Button("Más detalles", "/x")])
    first = net.with_disclosure_line([answer])[0]
    assert first.text.startswith("Si estás en peligro ahora, llama al 911")
    assert first.text.endswith("La violencia no es tu culpa…")
    assert first.buttons == answer.buttons


def test_the_recall_benchmark_smoke_runs_every_set_and_the_fresh_slices() -> None:
    """What CI runs of benchmarks/emergency_recall.py: it loads every set and writes nothing."""
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "emergency_recall.py"
    done = subprocess.run([sys.executable, str(script), "--smoke"], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    for name in ("dev", "heldout", "fresh", "fresh-a"):
        assert f"smoke {name}" in done.stdout


@pytest.mark.parametrize(
    "message",
    [
        "el papá de mis niños nos sacó de la casa a mí y a los chiquitos",
        "nos echó a la calle a mí y a las niñas",
        "el papá de mi hija se para afuera del kínder a esperarme todos los días",
        "no me da dinero para el gasto y me pide cuentas de cada peso",
        "me quita mi sueldo en cuanto me pagan",
        "me quitó el celular para que no hable con nadie",
        "me prohíbe visitar a mis amigas",
        "dice que si me voy me va a quitar a los niños",
        "él revisa mis mensajes y me quita el teléfono",
    ],
)
def test_everyday_violence_without_its_words_is_sensitive_not_an_emergency(message: str) -> None:
    """Privacy: no text of a violence conversation is stored, however plainly it is told."""
    net = safety_net()
    assert net.is_sensitive(message) and not net.is_emergency(message)


@pytest.mark.parametrize(
    "message",
    [
        "cuando tenía ocho años un primo abusó de mí",
        "hace años, cuando tenía 9 años, un tío abusó de mí",
        "un tío abusó de mí cuando era niña, hace años",
    ],
)
def test_abuse_in_childhood_long_over_is_a_disclosure(message: str) -> None:
    assert safety_net().assess(message) == Level.DISCLOSURE


@pytest.mark.parametrize("message", ["mi padrastro abusó de mí anoche",
                                     "ahorita mi tío está abusando de mi hermana"])
def test_abuse_now_stays_an_emergency(message: str) -> None:
    assert safety_net().is_emergency(message)
