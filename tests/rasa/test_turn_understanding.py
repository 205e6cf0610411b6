"""The ``participa`` channel's reply says which form took the message (nlu/tracker_stores/scrubbing.py).

The core trusts it instead of re-reading an intent: an answer the proposal interview took is the
interview's, even when the model read it as a request for data (round 12). Runs in Rasa's own
environment, on trackers built event by event.
"""

from __future__ import annotations

from tests.rasa.rasa_env import run_in_rasa

SCRIPT = """
import json, sys
sys.path.insert(0, "nlu")
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionExecutionRejected, ActiveLoop, SlotSet,
                                     UserUttered, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker
from tracker_stores.scrubbing import turn_understanding

FORM = "proposal_form"


def said(text, intent):
    return UserUttered(text, {"name": intent, "confidence": 0.9})


def start():
    return [ActionExecuted("action_listen"), said("quiero proponer algo", "proponer"),
            ActionExecuted("action_start_proposal"), ActionExecuted(FORM), ActiveLoop(FORM),
            SlotSet("requested_slot", "proposal_problem"), ActionExecuted("action_listen")]


cases = {
    "started": start()[:-1],
    "answered": start() + [said("que reparen los baches", "pedir_datos"), ActionExecuted(FORM),
                           SlotSet("requested_slot", "proposal_causes")],
    "last answer": start() + [said("que den mantenimiento", "pedir_datos"), ActionExecuted(FORM),
                              ActiveLoop(None), SlotSet("requested_slot", None),
                              ActionExecuted("action_proposal_summary")],
    "rejected": start() + [said("cuanto gasto el municipio", "pedir_datos"),
                           ActionExecutionRejected(FORM), ActionExecuted("action_pedir_datos")],
    "after the form": start() + [said("x", "pedir_datos"), ActionExecuted(FORM), ActiveLoop(None),
                                 ActionExecuted("action_listen"),
                                 said("cuanto gasto el municipio", "pedir_datos"),
                                 ActionExecuted("action_pedir_datos")],
    "re-stated": start() + [said("dato", "faq"), ActionExecuted(FORM), UserUtteranceReverted(),
                            said("dato", "pedir_datos"), ActionExecuted("action_pedir_datos")],
    "no form": [ActionExecuted("action_listen"), said("hola", "greet"), ActionExecuted("utter_greet")],
}
out = {}
for name, events in cases.items():
    tracker = DialogueStateTracker.from_events("s", events, slots=Domain.empty().slots)
    understood = turn_understanding(tracker)
    out[name] = [understood["form"], understood["intent"]]
print(json.dumps(out))
"""


def test_the_turn_says_whether_the_form_took_the_message() -> None:
    result = run_in_rasa(SCRIPT)
    assert result == {
        "started": [None, "proponer"],  # the form starts: it took no answer
        "answered": ["proposal_form", "pedir_datos"],
        "last answer": ["proposal_form", "pedir_datos"],  # the form ended with this answer
        "rejected": [None, "pedir_datos"],
        "after the form": [None, "pedir_datos"],
        "re-stated": [None, "pedir_datos"],  # the message counts once, as re-stated
        "no form": [None, "greet"],
    }
