"""The Rasa speed-up patch (nlu/channels/rasa_speedups.py) still applies to the pinned Rasa.

If a Rasa upgrade moves what it patches, the server only logs a warning and runs slower; this
test is what fails instead.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.config import PROJECT_ROOT, get_settings

SCRIPT = """
import json, sys
sys.path.insert(0, "nlu")
from channels import rasa_speedups
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
applied = rasa_speedups.apply()
action = RemoteAction("action_x", None)
good = action._validate_action_result({"events": [], "responses": []})
try:
    action._validate_action_result({"events": "no es una lista"})
    refused = False
except ValidationError as exc:
    refused = "Failed to validate Action server response" in exc.message
print(json.dumps({"applied": applied, "patched": RemoteAction._validate_action_result.__module__,
                  "good": good, "refused": refused}))
"""


def test_the_speedup_patch_applies_and_validates_like_rasa() -> None:
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", SCRIPT], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"applied": True, "patched": "channels.rasa_speedups", "good": True, "refused": True}


INTERPOLATION = """
import json, logging, sys
sys.path.insert(0, "nlu")
import structlog
from channels import rasa_speedups
from rasa.core.nlg import interpolator
records = []
structlog.configure(processors=[lambda logger, name, event: records.append(event) or event,
                                structlog.processors.JSONRenderer()])
applied = rasa_speedups.apply()
button = {"title": "¿Qué es el STL?", "payload": '/elegir_tema{"tema":"que_es_stl"}'}
values = {"municipio_centro": "Toluca", "proposal_contact_info": "55 1234 5678"}
out = interpolator.interpolate({"text": "Hola de {municipio_centro}", "buttons": [button]}, values)
unknown = interpolator.interpolate_text("Hola {no_existe}", values)
escaped = interpolator.interpolate_text("{{municipio_centro}}", values)
print(json.dumps({"applied": applied, "out": out, "unknown": unknown, "escaped": escaped,
                  "errors": [r.get("event") for r in records]}))
"""


def test_a_button_payload_in_braces_goes_out_unchanged_without_an_error_record() -> None:
    """Menu payloads like /elegir_tema{"tema":"…"} are not slots: Rasa used to log an ERROR with
    a traceback (and the first slot values) for each, three per menu; slots are still filled."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", INTERPOLATION], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["applied"] is True
    assert result["out"] == {
        "text": "Hola de Toluca",
        "buttons": [{"title": "¿Qué es el STL?", "payload": '/elegir_tema{"tema":"que_es_stl"}'}],
    }
    assert result["escaped"] == "{municipio_centro}"  # Rasa's own handling of doubled braces
    assert result["unknown"] == "Hola {no_existe}"  # unchanged, as Rasa sends it
    # Only the real missing slot is reported, as before; the payload no longer is.
    assert result["errors"] == ["interpolator.interpolate.text"]


EVENTS = """
import json, sys
sys.path.insert(0, "nlu")
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils import common
session = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
for turn in range(100):
    session += [UserUttered("hola", {"name": "greet", "confidence": 0.9}),
                ActionExecuted("utter_greet"), BotUttered("Hola"), SlotSet("tema", "stl"),
                ActionExecuted("action_listen")]
stored = [e.as_dict() for e in session]
unpatched = DialogueStateTracker.from_dict("s", stored).current_state()
from channels import rasa_speedups
applied = rasa_speedups.apply()
walks = []
original = common.all_subclasses
common.all_subclasses = lambda cls: walks.append(cls) or original(cls)
DialogueStateTracker.from_dict("s", stored)
patched = DialogueStateTracker.from_dict("s", stored).current_state()
try:
    DialogueStateTracker.from_dict("s", [{"event": "no_such_event"}])
    unknown = "accepted"
except ValueError as exc:
    unknown = str(exc)
print(json.dumps({"applied": applied, "same": patched == unpatched, "events": len(stored),
                  "walks": len([w for w in walks if w.__name__ == "Event"]), "unknown": unknown}))
"""


def test_reading_a_long_conversation_back_no_longer_walks_every_event_class_per_event() -> None:
    """A session of 503 events is read back the same, with one walk over Rasa's event classes
    instead of one per event (the reason a long conversation cost more per message)."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", EVENTS], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["applied"] is True and result["same"] is True and result["events"] == 503
    assert result["walks"] <= 3  # once to build the table (and for the unknown name below)
    assert result["unknown"] == "Unknown event name 'no_such_event'."


RESPONSE_KEYS = """
import json, sys, types
sys.path.insert(0, "nlu")
from rasa.nlu.selectors.response_selector import ResponseSelector
original = ResponseSelector._resolve_intent_response_key
from channels import rasa_speedups


class Counted(dict):
    walks = 0

    def items(self):
        Counted.walks += 1
        return super().items()


responses = Counted({
    "utter_saludo": [{"text": "Hola"}],
    "utter_faq/que_es_stl": [{"text": "El STL es…"}, {"text": "Secretariado Técnico Local"}],
    "utter_faq/plazo": [{"text": "15 días hábiles"}],
})
labels = [{"name": n} for n in ("faq/que_es_stl", "Secretariado Técnico Local", "faq/plazo",
                                "no existe", None)]
selector = types.SimpleNamespace(responses=responses)
unpatched = [original(selector, label) for label in labels]
applied = rasa_speedups.apply()
Counted.walks = 0
patched = [ResponseSelector._resolve_intent_response_key(selector, label)
           for _ in range(20) for label in labels]
walks = Counted.walks
selector.responses = Counted({"utter_faq/plazo": [{"text": "Secretariado Técnico Local"}]})
replaced = ResponseSelector._resolve_intent_response_key(selector, {"name": "Secretariado Técnico Local"})
print(json.dumps({"applied": applied, "same": patched == unpatched * 20, "unpatched": unpatched,
                  "walks": walks, "replaced": replaced}))
"""


def test_the_faq_selector_names_its_labels_without_walking_every_response_each_time() -> None:
    """The FAQ answer keys are the same as Rasa's, found once per label name (not 11 walks over
    every response of the domain per message); new responses are looked up again."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", RESPONSE_KEYS], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["applied"] is True and result["same"] is True
    assert result["unpatched"] == ["faq/que_es_stl", "faq/que_es_stl", "faq/plazo", None, None]
    assert result["walks"] == 5  # once per label name, for 100 lookups
    assert result["replaced"] == "faq/plazo"


UNDERSTANDING = """
import asyncio, json, sys
sys.path.insert(0, "nlu")
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.utils.tensorflow.models import RasaModel
from tensorflow.python.eager.polymorphic_function.polymorphic_function import Function
from channels import rasa_speedups

calls = {"model_input": 0, "tf_function": 0}
build = DIETClassifier._create_model_data
def counted_build(self, *args, **kwargs):
    calls["model_input"] += 1
    return build(self, *args, **kwargs)
DIETClassifier._create_model_data = counted_build
call = Function.__call__
def counted_call(self, *args, **kwargs):
    calls["tf_function"] += 1
    return call(self, *args, **kwargs)
Function.__call__ = counted_call

texts = ["hola", "¿qué es el gobierno abierto?", "quiero hacer una propuesta de mi colonia",
         "cuánto tardan en responder una solicitud", "ok gracias"]
agent = Agent.load(sys.argv[1])

async def understand():
    return [await agent.processor.parse_message(UserMessage(t)) for t in texts]

async def main():
    rasa = await understand()
    before = dict(calls)
    applied = rasa_speedups.apply()
    await understand()  # first call of each model: traced graph found
    calls.update({k: 0 for k in calls})
    ours = await understand()
    print(json.dumps({"applied": applied, "same": ours == rasa, "rasa_calls": before,
                      "our_calls": calls, "intents": [r["intent"]["name"] for r in ours]}))

asyncio.run(main())
"""


def test_understanding_builds_the_model_input_once_and_skips_tf_function_dispatch() -> None:
    """DIET and the FAQ selector understand a message exactly as Rasa does (same intents, FAQ
    answers, confidences and rankings), from one model input per message instead of two and
    without tf.function's per-call argument checks."""
    from bot.rasa.training import model_path

    python = get_settings().rasa_venv / "bin" / "python"
    model = model_path()
    if not python.exists() or not model.exists():
        pytest.skip(".venv-rasa o el modelo no existen (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", UNDERSTANDING, str(model)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["applied"] is True and result["same"] is True
    # Rasa: two model inputs per text, and at least two tf.function calls (one per model).
    assert result["rasa_calls"]["model_input"] == 10 and result["rasa_calls"]["tf_function"] >= 10
    assert result["our_calls"] == {"model_input": 5, "tf_function": 0}


SLOT_COPIES = """
import copy, json, sys
sys.path.insert(0, "nlu")
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
domain = Domain.load("nlu/domain")
def snapshot():
    tracker = DialogueStateTracker.from_events("s", [], domain.slots)
    for slot in list(domain.slots)[:3]:
        tracker.update(SlotSet(slot.name, "x"))
    copied = tracker.copy()
    return [(type(s).__name__, sorted((k, repr(v)) for k, v in vars(s).items()))
            for s in copied.slots.values()], [s.value for s in domain.slots]
before, pristine_before = snapshot()
plain = copy.copy(domain.slots[0])
from channels import rasa_speedups
applied = rasa_speedups.apply()
after, pristine_after = snapshot()
fast = copy.copy(domain.slots[0])
print(json.dumps({"applied": applied, "same": before == after, "kinds": len({k for k, _ in after}),
                  "domain_untouched": pristine_before == pristine_after,
                  "own_dict": fast.__dict__ is not domain.slots[0].__dict__,
                  "equal": vars(fast) == vars(plain) and type(fast) is type(plain)}))
"""


def test_copying_a_conversation_copies_its_slots_as_copy_copy_did() -> None:
    """Each past turn a policy reads is a copy of the conversation with its own slots: the
    quicker slot copy gives the same slots (every slot class of the domain) and leaves the
    domain's own slots alone."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", SLOT_COPIES], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"applied": True, "same": True, "kinds": 4, "domain_untouched": True,
                      "own_dict": True, "equal": True}


ENDPOINT_CALLS = """
import asyncio, json, sys
sys.path.insert(0, "nlu")
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from channels import rasa_speedups

async def main():
    connections = []

    async def webhook(request):
        peer = request.transport.get_extra_info("peername")
        connections.append(peer)
        body = await request.json()
        if body.get("fail"):
            return web.json_response({"error": "no"}, status=500)
        return web.json_response({"echo": body, "token": request.query.get("token")})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="t0k")
    calls = [{"next_action": "action_x", "n": i} for i in range(3)]
    rasa_answers = [await endpoint.request(json=c) for c in calls]
    rasa_connections = len(set(connections))
    connections.clear()
    applied = rasa_speedups.apply()
    our_answers = [await endpoint.request(json=c) for c in calls]
    reused = len(set(connections))
    await asyncio.sleep(rasa_speedups._KEEPALIVE_SECONDS + 1)  # idle: the connection is dropped
    after_idle = await endpoint.request(json=calls[0])
    fresh = connections[-1] not in connections[:-1]
    try:
        await endpoint.request(json={"fail": True})
        error = None
    except ClientResponseError as exc:
        error = exc.status
    await runner.cleanup()
    return {"applied": applied, "same": rasa_answers == our_answers == [
                {"echo": c, "token": "t0k"} for c in calls],
            "rasa_connections": rasa_connections, "our_connections": reused,
            "after_idle": after_idle == rasa_answers[0], "fresh_after_idle": fresh,
            "error": error}

print(json.dumps(asyncio.run(main())))
"""


def test_calls_to_the_action_server_share_one_connection_until_it_idles() -> None:
    """Rasa opened a new connection for every call to the action server; the same calls (same
    answers, same error on a failure) now share one, dropped after a short idle time (before
    Sanic closes it from its side)."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", ENDPOINT_CALLS], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"applied": True, "same": True, "rasa_connections": 3, "our_connections": 1,
                      "after_idle": True, "fresh_after_idle": True, "error": 500}
