"""The safety net's learned second opinion (round 8, issue 14): crisis said without the usual
words, a crisis about someone else, a bare plea, the look-alikes, Rasa down, and the artefact
rebuilt when its inputs change. Every wording here is written for these tests; the look-alikes
it must leave alone are a kind of tests/conversation/test_safety_kinds.py."""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

import pytest

from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.conversation.safety import (
    LEARNED,
    Level,
    background_build,
    load_safety_net,
    safety_net,
    serving_net,
    with_model,
)
from bot.conversation.safety_model import artefact_path, inputs_hash, training_inputs
from bot.rasa.servers import free_port
from tests.conversation.safety_checks import crisis_reply
from tests.conversation.test_safety_kinds import LEARNED_LOOK_ALIKES, NOT_AN_ALARM_BY_KIND

# Kinds of slice g that got no crisis line in round 7, in other words.
CRISIS_SAID_INDIRECTLY = [
    "luego pienso en echarme a las vias del metro cuando voy a la escuela, no le he dicho a nadie",
    "tengo unas pastillas escondidas en el cajon, creo que sin mi en la casa vivirian mas tranquilos",
    "a veces quisiera ya no estar, mis hijos estarian mejor con su papa",
]
CRISIS_OF_SOMEONE_ELSE = [
    "mi hermana dice que se quiere matar desde que la dejo el novio, que hago",
    "mi amigo me escribio que ya no quiere vivir y no me contesta",
]


@pytest.mark.parametrize("message", CRISIS_SAID_INDIRECTLY)
def test_a_crisis_said_without_the_usual_words_gets_the_crisis_line(message: str) -> None:
    assert crisis_reply(message) == safety_net().crisis_reply().text


@pytest.mark.parametrize("message", CRISIS_OF_SOMEONE_ELSE)
def test_a_crisis_of_someone_else_gets_how_to_help_and_the_crisis_line(message: str) -> None:
    assert "esa persona" in crisis_reply(message)


def test_her_own_crisis_is_not_read_as_someone_elses() -> None:
    net = safety_net()
    message = "mi mama dice que me quiere mucho pero yo ya no quiero vivir"
    assert net.assess(message) == Level.CRISIS
    assert net.reply_for(Level.CRISIS, message).text == net.crisis_reply().text


def test_a_bare_plea_asks_whether_she_is_in_danger_with_911_in_sight() -> None:
    net = safety_net()
    level = net.assess("ayuda por favor")
    assert level == Level.EMERGENCY  # never sent to Rasa
    reply = net.reply_for(level, "ayuda por favor")
    assert reply.text.startswith("¿Estás en peligro ahora?") and "911" in reply.text
    assert reply.buttons[0].payload == "/ayuda_urgente"
    assert len(reply.text) < len(net.reply().text)
    # a plea with danger in it gets the whole block
    danger = "ayuda por favor me esta pegando"
    assert net.reply_for(net.assess(danger), danger).text == net.reply().text


def test_the_model_adds_what_the_patterns_miss_and_says_so() -> None:
    net = safety_net()
    assert net.model is not None
    patterns = load_safety_net()
    # As the patterns learn a kind (round 10 caught the first two), the model's share moves on.
    missed = [m for m in CRISIS_SAID_INDIRECTLY if patterns.assess(m) < Level.CRISIS]
    assert missed, "the patterns alone miss at least one"
    assert all(net.assess_with_rule(m)[1] is LEARNED for m in missed)


def test_the_model_is_fast_enough() -> None:
    net = safety_net()
    messages = CRISIS_SAID_INDIRECTLY + NOT_AN_ALARM_BY_KIND[LEARNED_LOOK_ALIKES]
    net.assess(messages[0])
    started = time.perf_counter()
    for _ in range(20):
        for message in messages:
            net.assess(message)
    per_message = (time.perf_counter() - started) / (20 * len(messages))
    assert per_message < 0.02  # ≤ 2 ms on an idle machine; generous for a loaded one


async def test_rasa_down_still_detects_a_crisis_the_patterns_miss() -> None:
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    try:
        core = ConversationCore(client, record_usage=False)
        turn = await core.handle("learned-1", CRISIS_SAID_INDIRECTLY[-1])  # patterns miss it
        assert turn.emergency and turn.intent == "crisis"
        assert "800 911 2000" in turn.replies[0].text
        turn = await core.handle("learned-2", CRISIS_OF_SOMEONE_ELSE[0])
        assert turn.emergency and "esa persona" in turn.replies[0].text
    finally:
        await client.aclose()


async def test_a_typed_yes_to_are_you_in_danger_gets_the_emergency_help() -> None:
    """«ayuda por favor», then «si» typed instead of the button: the emergency block, not the
    «nada pendiente» a yes with nothing asked gets (found trying it as a citizen, round 8)."""
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    try:
        core = ConversationCore(client, record_usage=False)
        sender = f"check-in-{uuid.uuid4().hex}"
        asked = await core.handle(sender, "ayuda por favor")
        assert asked.replies[0].text.startswith("¿Estás en peligro ahora?")
        offer = await core.offers.get(sender)  # what a typed word can press next
        assert offer is not None
        assert [b.payload for b in offer.buttons] == ["/ayuda_urgente", "/ayuda"]
        turn = await core.handle(sender, "si")
        assert turn.emergency
        assert turn.replies[0].text.startswith("Si estás en peligro ahora, llama al 911")
    finally:
        await client.aclose()


def _small_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content,
                    ignore=shutil.ignore_patterns("procurement", "maps", "*.geojson"))
    return content


def test_the_artefact_rebuilds_when_its_inputs_change(tmp_path: Path) -> None:
    content = _small_content(tmp_path)
    cache = tmp_path / "cache"
    net = load_safety_net(content)
    first = with_model(net, content, cache)
    assert first.model is not None
    digest = first.model.digest
    assert artefact_path(digest, cache).is_file()
    again = with_model(net, content, cache)  # read from the cache, not rebuilt
    assert again.model is not None and again.model.digest == digest
    assert again.model.built_seconds == first.model.built_seconds
    examples = content / "safety_examples.yml"
    examples.write_text(examples.read_text("utf-8") + "  - otra frase de prueba sin peligro\n", "utf-8")
    assert inputs_hash(training_inputs(content)) != digest
    rebuilt = with_model(net, content, cache)
    assert rebuilt.model is not None and rebuilt.model.digest != digest
    assert not artefact_path(digest, cache).exists(), "the stale artefact is removed"


def test_without_its_examples_the_patterns_work_alone(tmp_path: Path) -> None:
    content = _small_content(tmp_path)
    (content / "safety_examples.yml").unlink()
    net = with_model(load_safety_net(content), content, tmp_path / "cache")
    assert net.model is None
    assert net.assess("me esta pegando mi pareja, auxilio") == Level.EMERGENCY


def test_a_broken_artefact_does_not_crash(tmp_path: Path) -> None:
    content = _small_content(tmp_path)
    cache = tmp_path / "cache"
    digest = inputs_hash(training_inputs(content))
    artefact_path(digest, cache).parent.mkdir(parents=True)
    artefact_path(digest, cache).write_bytes(b"not a pickle")
    net = with_model(load_safety_net(content), content, cache)
    assert net.assess("me esta pegando mi pareja, auxilio") == Level.EMERGENCY


async def test_a_missing_model_does_not_delay_the_emergency_reply(tmp_path: Path) -> None:
    """The bot only reads the model (`participa nlu build` builds it): missing or stale when the
    bot starts, the patterns answer the emergency at once, the model is built in the background
    and taken when ready, and the next start reads it without building."""
    content = _small_content(tmp_path)
    cache = tmp_path / "cache"
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    try:
        net = serving_net(content, cache, mode="background")
        assert net.model is None, "no build before the first reply"
        core = ConversationCore(client, net=net, record_usage=False)
        started = time.perf_counter()
        turn = await core.handle(f"no-model-{uuid.uuid4().hex}", "me esta pegando mi pareja, auxilio")
        elapsed = time.perf_counter() - started
    finally:
        await client.aclose()
    assert turn.emergency
    assert turn.replies[0].text.startswith("Si estás en peligro ahora, llama al 911")
    assert elapsed < 10, f"{elapsed:.1f} s: a build takes 15-20 s on an idle machine"
    builder = background_build()
    assert builder is not None
    builder.join(timeout=1800)  # 15-20 s idle; a shared 2-core machine took over 10 min
    assert not builder.is_alive(), "the background build did not finish"
    assert net.model is not None and artefact_path(net.model.digest, cache).is_file()
    again = serving_net(content, cache, mode="off")
    assert again.model is not None and again.model.digest == net.model.digest


@pytest.mark.parametrize("message", ["no mejor ya no", "mejor ya no quiero", "No, ya no gracias"])
def test_dropping_a_question_in_empty_words_is_no_crisis(message: str) -> None:
    """Typed to the bot's question («¿A qué institución…?»), a no with «mejor» and «ya» is an
    answer: the learned model took it for a crisis (citizen walk, round 12)."""
    assert safety_net().assess(message) == Level.NONE


def test_a_short_crisis_with_one_word_of_its_own_is_still_read() -> None:
    assert safety_net().assess("ya no puedo mas") == Level.CRISIS
