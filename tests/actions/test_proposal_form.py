"""The interview's answers typed the way people type them (found trying it as a citizen)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.proposal_form import (
    CANCEL_ASKED,
    ActionStartProposal,
    AskContactConsent,
    AskContactInfo,
    AskProblem,
    ValidateProposalForm,
    _step_number,
    asks_for_a_centre,
    changes_mind,
    correction,
    field_to_redo,
    looks_like_question,
    social_intent,
)
from bot.content.faq import faq_catalog
from bot.content.municipalities import municipality_index
from bot.content.render import render_answer
from bot.textnorm import normalize_words
from tests.actions.conftest import load_tracker


def test_a_yes_but_change_is_a_correction() -> None:
    """«sí pero cambia el tema a movilidad» at a later step changed nothing before."""
    assert correction("sí pero cambia el tema a movilidad", "proposal_contact_info") == {
        "proposal_theme": "movilidad"}
    change = correction("Sí, pero cambia el municipio a neza", "proposal_solution")
    assert change is not None and change["proposal_municipality"] == "Nezahualcóyotl"
    assert correction("sí", "proposal_contact_info") is None


def test_a_bare_yes_to_leave_a_contact_asks_for_it_kindly(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = Tracker("tg-1", {}, {}, [], False, None, None, "")
    result = ValidateProposalForm().validate_proposal_contact_info("simón", dispatcher, tracker, domain)
    assert result == {"proposal_contact_info": None}
    [message] = dispatcher.messages
    assert message["text"].startswith("¡Va! Escríbelo aquí: tu correo")
    assert "No reconocí" not in message["text"]
    result = ValidateProposalForm().validate_proposal_contact_info("nel", dispatcher, tracker, domain)
    assert result == {"proposal_contact_info": "—"}


def _theme_tracker(hint: str | None) -> Tracker:
    return Tracker("tg-2", {"proposal_theme_hint": hint, "requested_slot": "proposal_theme"},
                   {}, [], False, None, None, "")


def test_a_bare_refusal_at_the_theme_asks_whether_to_stop_the_proposal(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«nel» / «ya no» at the theme question said «elige tú el tema» before (citizen walk)."""
    for words, hint in (("nel", None), ("ya no", None), ("ya no", "movilidad"), ("mejor no", None)):
        dispatcher.messages.clear()
        result = ValidateProposalForm().validate_proposal_theme(
            words, dispatcher, _theme_tracker(hint), domain)
        assert result == {"proposal_theme": None, CANCEL_ASKED: True}
        [message] = dispatcher.messages
        assert message["text"] == "¿Quieres cancelar tu propuesta? Se borrarán las respuestas que me diste."
        assert [b["title"] for b in message["buttons"]] == ["Sí, cancelarla", "No, seguir con ella"]
    # «nel» to a theme the bot suggested is still a «no» to that theme only.
    dispatcher.messages.clear()
    result = ValidateProposalForm().validate_proposal_theme(
        "nel", dispatcher, _theme_tracker("movilidad"), domain)
    assert result == {"proposal_theme": None, "proposal_theme_hint": None}
    assert [m["text"] for m in dispatcher.messages] == ["De acuerdo, elige tú el tema."]


def _start_tracker(text: str, metadata: dict[str, Any]) -> Tracker:
    user = {"event": "user", "text": text, "input_channel": "participa", "metadata": metadata,
            "parse_data": {"intent": {"name": "proponer", "confidence": 0.97}}}
    return Tracker("tg-3", {}, {"text": text, "intent": {"name": "proponer", "confidence": 0.97}},
                   [user], False, None, None, "action_listen")


def test_a_story_of_violence_the_model_takes_for_a_proposal_gets_help_not_the_interview(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Issue 14: the confident «proponer» path started the interview (and kept her story in the
    problem slot); only the unsure path refused a violence story before."""
    story = ("de niña mi tío abusaba de mí y nadie me creyó, quiero que en las escuelas "
             "enseñen a los niños a decir no")
    events = asyncio.run(ActionStartProposal().run(
        dispatcher, _start_tracker(story, {"sensitive": True, "violence": True}), domain))
    assert events == [FollowupAction("action_listen")]  # no slot kept her words; no form
    first = dispatcher.messages[0]
    assert first["text"] == render_answer(faq_catalog().by_id()["que_hacer_violencia"])
    assert "propuesta" not in first["text"].lower()


def test_a_problem_told_without_violence_still_starts_the_interview(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    problem = "en mi calle no hay luz desde hace meses y los niños salen de la escuela a oscuras"
    events = asyncio.run(ActionStartProposal().run(
        dispatcher, _start_tracker(problem, {"channel": "telegram"}), domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["proposal_problem"] == problem


def _municipality_tracker() -> Tracker:
    return Tracker("tg-3", {"requested_slot": "proposal_municipality"}, {}, [], False, None, None, "")


def test_not_knowing_the_municipality_says_why_it_is_needed(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: «no sé» / «no c» got «No encontré el municipio «no sé».
    Revisa cómo se escribe», as if it were a misspelt name."""
    for words in ("no sé", "no c", "ni idea", "no lo sé"):
        dispatcher.messages.clear()
        result = ValidateProposalForm().validate_proposal_municipality(
            words, dispatcher, _municipality_tracker(), domain)
        assert result == {"proposal_municipality": None}
        [message] = dispatcher.messages
        assert "No encontré el municipio" not in message["text"]
        assert message["text"].startswith("Este dato sí lo necesito")
        assert "el más cercano" in message["text"] and "«cancelar»" in message["text"]


def test_a_bare_refusal_at_the_municipality_asks_whether_to_stop_the_proposal(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    for words in ("nel", "no", "ya no"):
        dispatcher.messages.clear()
        result = ValidateProposalForm().validate_proposal_municipality(
            words, dispatcher, _municipality_tracker(), domain)
        assert result == {"proposal_municipality": None, CANCEL_ASKED: True}
        [message] = dispatcher.messages
        assert message["text"] == "¿Quieres cancelar tu propuesta? Se borrarán las respuestas que me diste."


def test_a_bare_yes_at_the_municipality_asks_which_one(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: «sí» / «ok» got «No encontré el municipio «sí»»."""
    for words in ("sí", "ok", "simón"):
        dispatcher.messages.clear()
        result = ValidateProposalForm().validate_proposal_municipality(
            words, dispatcher, _municipality_tracker(), domain)
        assert result == {"proposal_municipality": None}
        [message] = dispatcher.messages
        assert message["text"] == "¿Cuál es? Escribe el nombre del municipio, por ejemplo «Toluca» o «Neza»."


def test_the_contact_step_after_step_8_of_8_is_not_step_9_of_9() -> None:
    """Found on the citizen walk: «(Paso 8 de 8)» and, after «sí», «(Paso 9 de 9)»."""
    before = Tracker("tg-4", {"requested_slot": "proposal_contact_consent"}, {}, [], False, None, None, "")
    after = Tracker("tg-4", {"requested_slot": "proposal_contact_info", "proposal_contact_consent": "yes"},
                    {}, [], False, None, None, "")
    assert _step_number("proposal_contact_consent", before) == "(Paso 8 de 8) "
    assert _step_number("proposal_contact_consent", after) == "(Paso 8 de 8) "
    assert _step_number("proposal_contact_info", after) == "(Último paso) "


def test_a_municipality_said_at_the_theme_step_is_kept_and_not_asked_again(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Leftover of round 5: «seguridad, en Neza» at the theme step kept the theme only, and the
    interview asked «¿En qué municipio…?» right after."""
    result = ValidateProposalForm().validate_proposal_theme(
        "seguridad, aquí en neza", dispatcher, _theme_tracker(None), domain)
    assert result == {"proposal_theme": "seguridad", "proposal_municipality": "Nezahualcóyotl",
                      "proposal_municipality_code": "15058"}
    assert [m["text"] for m in dispatcher.messages] == [
        "Anoté que es en Nezahualcóyotl. Si no es ahí, escribe «cambia el municipio a» y el correcto."]
    # A «sí» to the suggested theme with the place after it keeps both.
    dispatcher.messages.clear()
    result = ValidateProposalForm().validate_proposal_theme(
        "simón, es en ecatepec", dispatcher, _theme_tracker("medio_ambiente"), domain)
    assert result["proposal_theme"] == "medio_ambiente"
    assert result["proposal_municipality"] == "Ecatepec de Morelos"
    # No theme recognised: the place is still kept, and the theme asked for again.
    dispatcher.messages.clear()
    result = ValidateProposalForm().validate_proposal_theme(
        "es en toluca", dispatcher, _theme_tracker(None), domain)
    assert result == {"proposal_theme": None, "proposal_municipality": "Toluca",
                      "proposal_municipality_code": "15106"}
    assert dispatcher.messages[-1]["text"].startswith("No reconocí ese tema")


def test_at_the_theme_step_a_shared_name_or_a_municipality_already_given_is_left_alone(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    result = ValidateProposalForm().validate_proposal_theme(
        "medio ambiente en tenango", dispatcher, _theme_tracker(None), domain)
    assert result == {"proposal_theme": "medio_ambiente"}  # two Tenangos: its own step asks which
    given = Tracker("tg-2", {"requested_slot": "proposal_theme", "proposal_municipality": "Toluca"},
                    {}, [], False, None, None, "")
    result = ValidateProposalForm().validate_proposal_theme("seguridad en neza", dispatcher, given, domain)
    assert result == {"proposal_theme": "seguridad"}
    assert dispatcher.messages == []


def test_pressing_the_button_of_a_municipality_whose_name_others_share_takes_it(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: «atizapan» offers «Atizapán» and «Atizapán de Zaragoza»;
    pressing «Atizapán» (its official name) offered the same two buttons again, for ever."""
    form = ValidateProposalForm()
    result = form.validate_proposal_municipality("atizapan", dispatcher, _municipality_tracker(), domain)
    assert result == {"proposal_municipality": None}
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Atizapán" in titles
    [atizapan] = [b["payload"] for b in dispatcher.messages[0]["buttons"] if b["title"] == "Atizapán"]
    dispatcher.messages.clear()
    result = form.validate_proposal_municipality(atizapan, dispatcher, _municipality_tracker(), domain)
    assert result == {"proposal_municipality": "Atizapán", "proposal_municipality_code": "15012"}
    assert dispatcher.messages == []


def _consent_tracker(channel: str, slot: str = "proposal_contact_consent") -> Tracker:
    return Tracker("c-1", {"requested_slot": slot, "proposal_contact_consent": "yes"},
                   {"text": "x", "metadata": {"channel": channel}}, [], False, None, None, "")


async def test_in_the_terminal_the_contact_step_promises_no_notice_here(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Leftover of round 5: the terminal asked «¿Quieres que te avisemos aquí…?» (and promised
    «avisos en este chat») though no notice can reach a terminal."""
    await AskContactConsent().run(dispatcher, _consent_tracker("terminal"), domain)
    await AskContactInfo().run(dispatcher, _consent_tracker("terminal", "proposal_contact_info"), domain)
    terminal = "\n".join(m["text"] for m in dispatcher.messages)
    assert "avisemos aquí" not in terminal and "este chat" not in terminal
    assert "En esta terminal no te llegan avisos" in terminal
    assert "para que el STL pueda contactarte" in terminal
    dispatcher.messages.clear()
    await AskContactConsent().run(dispatcher, _consent_tracker("telegram"), domain)
    assert "¿Quieres que te avisemos aquí cómo va tu propuesta" in dispatcher.messages[0]["text"]


async def test_wanting_to_change_an_earlier_answer_asks_it_again_and_keeps_this_step(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: at «¿A quiénes afecta?», «espera, quiero cambiar el municipio»
    was stored as who is affected, and the municipality never asked again."""
    slots = {"requested_slot": "proposal_affected", "proposal_theme": "seguridad",
             "proposal_municipality": "Nezahualcóyotl", "proposal_municipality_code": "15058",
             "proposal_problem": "Hay muchos asaltos en la parada del camión",
             "proposal_causes": "No hay luz", "proposal_effects": "—"}
    tracker = Tracker("tg-6", slots, {"text": "espera, quiero cambiar el municipio"}, [], False, None,
                      {"name": "proposal_form"}, "")
    events = await ValidateProposalForm().run(dispatcher, tracker, domain)
    changed = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert changed == {"proposal_affected": None, "proposal_municipality": None,
                       "proposal_municipality_code": None}
    assert [m["text"] for m in dispatcher.messages] == [
        "Va, corrijamos eso (municipio). Después seguimos donde íbamos."]
    assert field_to_redo("me equivoqué de tema") == "proposal_theme"
    assert field_to_redo("quiero cambiar el municipio a Toluca") is None  # a correction with its value
    assert field_to_redo("hay que cambiar el transporte") is None  # an answer, not a wish to go back


async def test_a_button_of_another_flow_is_never_stored_as_an_answer(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: an old «Apoyar P-…» button pressed mid-interview was read as
    the answer to the step (a theme «not recognised»; at a free-text step, stored as-is)."""
    payload = '/apoyar_propuesta{"folio":"P-2026-000001"}'
    tracker = Tracker("tg-8", {"requested_slot": "proposal_problem", "proposal_theme": "movilidad"},
                      {"text": payload}, [], False, None, {"name": "proposal_form"}, "")
    events = await ValidateProposalForm().run(dispatcher, tracker, domain)
    assert [(e["name"], e["value"]) for e in events if e.get("event") == "slot"] == [
        ("proposal_problem", None)]
    assert [m["text"] for m in dispatcher.messages] == ["Sigamos con tu propuesta."]


def test_cancel_said_in_more_words_mid_interview_asks_before_dropping(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Lead's walk, round 6: «ya no quiero, cancelar» at the causes step was stored as the causes
    and the interview went on to the consequences."""
    for typed in ("ya no quiero, cancelar", "cancela todo porfa", "ya no quiero seguir con esto"):
        dispatcher.messages.clear()
        tracker = Tracker("tg-cancel", {"requested_slot": "proposal_causes", "proposal_theme": "movilidad",
                                        "proposal_municipality": "Nezahualcóyotl"},
                          {"text": typed, "intent": {"name": "cancelar", "confidence": 0.9}},
                          [], False, None, {"name": "proposal_form"}, "")
        events = asyncio.run(ValidateProposalForm().run(dispatcher, tracker, domain))
        assert {"event": "slot", "timestamp": None, "name": "proposal_causes", "value": None} in events
        assert dispatcher.messages[0]["text"] == (
            "¿Quieres cancelar tu propuesta? Se borrarán las respuestas que me diste.")


def test_a_change_of_mind_halfway_is_never_kept_as_the_answer(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """walk8: «mejor no, quiero saber de los contratos» at the problem step was kept as the central
    problem and the interview went on to the causes. Now it asks before dropping anything."""
    for typed in ("mejor no, quiero saber de los contratos", "ya no, ¿qué es el gobierno abierto?",
                  "nel, mejor dime cómo pido información"):
        dispatcher.messages.clear()
        tracker = Tracker("tg-mind", {"requested_slot": "proposal_problem", "proposal_theme": "movilidad",
                                      "proposal_municipality": "Toluca"},
                          {"text": typed, "intent": {"name": "cancelar", "confidence": 0.86}},
                          [], False, None, {"name": "proposal_form"}, "")
        events = asyncio.run(ValidateProposalForm().run(dispatcher, tracker, domain))
        assert {"event": "slot", "timestamp": None, "name": "proposal_problem", "value": None} in events
        assert dispatcher.messages[0]["text"] == (
            "¿Quieres cancelar tu propuesta? Se borrarán las respuestas que me diste."), typed


@pytest.mark.parametrize("answer", ["ya no pasa el camión de la basura por mi calle",
                                    "no, mejor que pongan topes", "mejor no sé"])
def test_an_answer_that_starts_with_no_is_still_an_answer(answer: str) -> None:
    assert not changes_mind(answer)


def _asked_tracker(text: str, slots: dict[str, Any]) -> Tracker:
    """The form at step 3, the cancel question pending, in a session whose texts Rasa's store
    blanked (no bot words to read back)."""
    user = {"event": "user", "text": text, "metadata": {"channel": "telegram"}}
    events = [{"event": "bot", "text": ""}, user]
    base = {"proposal_theme": "movilidad", "proposal_municipality": "X", "requested_slot":
            "proposal_problem", "proposal_problem": text}
    return Tracker("tg-9", {**base, **slots}, {"text": text, "metadata": {"channel": "telegram"}},
                   events, False, None, {"name": "proposal_form"}, "action_listen")


def test_the_cancel_question_is_answered_from_a_slot_in_a_blanked_session(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Round 6's leftover: the form read «¿Quieres cancelar…?» back from Rasa's store; in a
    session whose texts were blanked «nel» was taken as the step's answer."""
    kept = asyncio.run(ValidateProposalForm().run(
        dispatcher, _asked_tracker("nel", {CANCEL_ASKED: True}), domain))
    assert [m["text"] for m in dispatcher.messages] == ["Sigamos con tu propuesta."]
    assert SlotSet("proposal_problem", None) in kept and SlotSet(CANCEL_ASKED, None) in kept
    dispatcher.messages.clear()
    gone = asyncio.run(ValidateProposalForm().run(
        dispatcher, _asked_tracker("sí", {CANCEL_ASKED: True}), domain))
    assert "cancelé" in dispatcher.messages[0]["text"]
    assert SlotSet("proposal_theme", None) in gone


def test_asking_to_cancel_sets_the_slot_and_no_step_is_asked_on_top(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = asyncio.run(ValidateProposalForm().run(
        dispatcher, _asked_tracker("cancelar", {}), domain))
    assert SlotSet(CANCEL_ASKED, True) in events
    [asked] = dispatcher.messages
    assert [b["payload"] for b in asked["buttons"]] == ["/cancelar_si", "/seguir_propuesta"]
    dispatcher.messages.clear()
    ask = AskProblem()
    asyncio.run(ask.run(dispatcher, _asked_tracker("", {CANCEL_ASKED: True}), domain))
    assert dispatcher.messages == [], "one prompt per turn: the question waits for its answer"


def test_keep_going_is_a_payload_and_asks_the_same_step_again(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«No, seguir con ella» sent its title, which the model read as an FAQ at 0.9999."""
    for slots in ({CANCEL_ASKED: True}, {}):
        dispatcher.messages.clear()
        events = asyncio.run(ValidateProposalForm().run(
            dispatcher, _asked_tracker("/seguir_propuesta", slots), domain))
        assert [m["text"] for m in dispatcher.messages] == ["Sigamos con tu propuesta."]
        assert SlotSet("proposal_problem", None) in events, "never stored as the answer"


def test_a_municipality_in_the_first_message_is_kept(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Round 6's leftover: «quiero proponer algo de los baches en <municipio>» asked for the
    municipality again at step 2."""
    place = municipality_index().municipalities[0]
    text = f"quiero proponer algo de los baches en {place.name}"
    events = asyncio.run(ActionStartProposal().run(
        dispatcher, _start_tracker(text, {"channel": "telegram"}), domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["proposal_municipality"] == place.name
    assert slots["proposal_municipality_code"] == place.code
    assert f"Anoté que es en {place.name}" in dispatcher.messages[-1]["text"]


def test_a_story_with_no_place_keeps_no_municipality(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = asyncio.run(ActionStartProposal().run(dispatcher, _start_tracker(
        "quiero proponer que pongan mas luminarias en el parque de mi colonia", {}), domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["proposal_municipality"] is None
    assert len(dispatcher.messages) == 1, "nothing noted"


def test_the_theme_corrected_at_the_municipality_step() -> None:
    """Round 6's leftover: «movilidad no, es alumbrado» at step 2 got «No encontré el municipio»."""
    for words in ("movilidad no, es alumbrado", "Movilidad no es alumbrado",
                  "no es movilidad, es alumbrado", "movilidad no, mejor seguridad"):
        assert correction(words, "proposal_municipality") == {"proposal_theme": "seguridad"}, words
    assert correction("basura no, es drenaje", "proposal_municipality") is None, "the same theme"
    assert correction("las combis no respetan el semaforo", "proposal_problem") is None


def test_the_theme_corrected_then_the_municipality_asked_again(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = Tracker("tg-8", {"proposal_theme": "movilidad", "requested_slot": "proposal_municipality"},
                      {"text": "movilidad no, es alumbrado"}, [], False, None,
                      {"name": "proposal_form"}, "action_listen")
    events = asyncio.run(ValidateProposalForm().run(dispatcher, tracker, domain))
    assert [m["text"] for m in dispatcher.messages] == [
        "Listo, cambié el tema a «Seguridad». Sigamos donde íbamos."]
    assert SlotSet("proposal_theme", "seguridad") in events
    assert SlotSet("proposal_municipality", None) in events


def test_a_bare_yes_or_no_at_an_optional_step(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: «simón» to «¿Por qué crees que pasa?» was stored as the causes;
    «nel» got «Tu respuesta es muy corta» though the step says «si no sabes, escribe «no sé»»."""
    tracker = Tracker("tg-6", {"requested_slot": "proposal_causes"}, {"text": "simon"}, [], False,
                      None, {"name": "proposal_form"}, "action_listen")
    form = ValidateProposalForm()
    assert form.validate_proposal_causes("simón", dispatcher, tracker, domain) == {"proposal_causes": None}
    assert dispatcher.messages[0]["text"].startswith("Tu respuesta es muy corta")
    assert form.validate_proposal_causes("nel", dispatcher, tracker, domain) == {"proposal_causes": "—"}
    assert form.validate_proposal_causes("no hay presupuesto para arreglarlos", dispatcher, tracker,
                                         domain) == {"proposal_causes": "no hay presupuesto para arreglarlos"}


# The model took the problem's words for a proposal; they ask how what she sent is going
# («les mandé lo de la coladera tapada») or how much was spent: the turn is re-stated as that
# intent and no intake starts.
@pytest.mark.parametrize(("fixture", "intent"), [("proposal_start_asks_for_status", "mis_propuestas"),
                                                 ("proposal_start_asks_for_a_figure", "pedir_datos")])
async def test_a_question_told_with_a_problems_words_starts_no_interview(fixture: str, intent: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionStartProposal().run(dispatcher, load_tracker(fixture), {})
    rewind, listen, user = events
    assert rewind == {"event": "rewind"} and listen["name"] == "action_listen"
    assert user["parse_data"]["intent"]["name"] == intent
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["que arreglen la banqueta de la escuela",
                                  "cuantos niños se resbalan ahí cada semana",
                                  "se puede caer el puente si llueve más"])
def test_an_answer_that_opens_like_a_question_is_no_digression(text: str) -> None:
    assert not looks_like_question(text)


@pytest.mark.parametrize("text", ["qué es el STL", "como funciona la mesa", "donde veo el tablero",
                                  "a quien le llega esto", "para que sirve el arbol de problemas"])
def test_a_question_in_the_interview_is_seen_with_the_shared_question_starts(text: str) -> None:
    assert looks_like_question(text)


async def test_a_proposal_that_mentions_a_cost_is_still_a_proposal() -> None:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker("proposal_start_asks_for_a_figure")
    text = "quiero proponer que revisen cuánto gastaron en el parque, ya se está cayendo"
    tracker.latest_message["text"] = text
    tracker.events[-1]["text"] = text
    events = await ActionStartProposal().run(dispatcher, tracker, {})
    assert not any(e.get("event") == "rewind" for e in events)


# --- walk9 -----------------------------------------------------------------------------------


def _cancel_answer_tracker(first: str, answer: str) -> Tracker:
    """The form at step 3: «first» made it ask «¿Quieres cancelar…?», «answer» answers that."""
    events = [{"event": "user", "text": first}, {"event": "bot", "text": ""},
              {"event": "user", "text": answer}]
    slots = {"proposal_theme": "movilidad", "proposal_municipality": "Toluca",
             "requested_slot": "proposal_problem", "proposal_problem": answer, CANCEL_ASKED: True}
    return Tracker("tg-then", slots, {"text": answer}, events, False, None,
                   {"name": "proposal_form"}, "action_listen")


@pytest.mark.parametrize(("first", "then"), [
    ("nel, mejor dime qué es el gobierno abierto", "qué es el gobierno abierto"),
    ("ya no, ¿cuánto gastó el municipio en luminarias?", "¿cuánto gastó el municipio en luminarias?"),
    ("mejor no, quiero saber de los contratos", "quiero saber de los contratos"),
])
def test_what_she_asked_instead_goes_along_with_the_cancel(
    first: str, then: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """walk8: «nel, mejor dime qué es X», then «sí» to cancelling: X was never answered. The
    cancel carries X to the core (custom ``then``), which answers it in the same turn."""
    events = asyncio.run(ValidateProposalForm().run(
        dispatcher, _cancel_answer_tracker(first, "simón"), domain))
    assert SlotSet("proposal_theme", None) in events
    [message] = dispatcher.messages
    assert "cancelé tu propuesta" in message["text"]
    assert message["custom"] == {"then": then}


def test_a_plain_cancel_carries_nothing_and_a_kept_proposal_loses_nothing(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    asyncio.run(ValidateProposalForm().run(dispatcher, _cancel_answer_tracker("cancelar", "sí"), domain))
    assert [m.get("custom") or None for m in dispatcher.messages] == [None]
    dispatcher.messages.clear()
    kept = asyncio.run(ValidateProposalForm().run(
        dispatcher, _cancel_answer_tracker("nel, mejor dime qué es el STL", "no"), domain))
    assert [m["text"] for m in dispatcher.messages] == ["Sigamos con tu propuesta."]
    assert SlotSet("proposal_theme", None) not in kept


def test_a_change_of_mind_with_nothing_to_lose_cancels_and_carries_the_question(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    typed = "nel, mejor dime qué es el gobierno abierto"
    tracker = Tracker("tg-then0", {"requested_slot": "proposal_theme"}, {"text": typed},
                      [{"event": "user", "text": typed}], False, None, {"name": "proposal_form"}, "")
    asyncio.run(ValidateProposalForm().run(dispatcher, tracker, domain))
    [message] = dispatcher.messages
    assert "cancelé" in message["text"]
    assert message["custom"] == {"then": "qué es el gobierno abierto"}


@pytest.mark.parametrize(("opening", "problem"), [
    ("ola kiero aser una propuesta, ay mucha vasura tirada en mi colonia",
     "ay mucha vasura tirada en mi colonia"),
    ("Buenas tardes, tengo una propuesta: en la avenida principal no sirven los semáforos desde mayo",
     "en la avenida principal no sirven los semáforos desde mayo"),
    ("quiero hacer una propuesta sobre que no hay agua en mi unidad habitacional desde hace días",
     "no hay agua en mi unidad habitacional desde hace días"),
    ("quiero hacer una propuesta porque el parque de mi colonia está lleno de basura",
     "el parque de mi colonia está lleno de basura"),
])
def test_a_problem_told_with_the_wish_to_propose_is_kept_and_said(
    opening: str, problem: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """walk8: told in the opening message, the problem was asked again at step 3."""
    events = asyncio.run(ActionStartProposal().run(
        dispatcher, _start_tracker(opening, {"channel": "telegram"}), domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["proposal_problem"] == problem
    assert any(m["text"].startswith(f"Anoté tu problema: «{problem}»") for m in dispatcher.messages)


@pytest.mark.parametrize("opening", [
    "quiero hacer una propuesta", "tengo una propuesta para mi colonia",
    "quiero proponer que pongan más luminarias en la calle principal",  # a solution, not the problem
    "quiero proponer algo de los baches",
])
def test_no_problem_told_is_asked_at_its_step(
    opening: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = asyncio.run(ActionStartProposal().run(
        dispatcher, _start_tracker(opening, {"channel": "telegram"}), domain))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("proposal_problem") is None


def test_a_problem_told_at_the_theme_step_is_not_asked_again(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«es que en mi calle no hay luz y asaltan a la gente» to «¿De qué tema es?»: kept as the
    problem (it was asked for again at step 3), the theme still asked or matched."""
    story = "es que en mi calle no hay luz en las noches y asaltan a la gente"
    tracker = Tracker("tg-story", {"requested_slot": "proposal_theme"}, {"text": story}, [],
                      False, None, {"name": "proposal_form"}, "")
    result = ValidateProposalForm().validate_proposal_theme(story, dispatcher, tracker, domain)
    assert result["proposal_problem"] == story
    said = [m["text"] for m in dispatcher.messages]
    assert said[0].startswith("Anoté tu problema")
    if result["proposal_theme"] is not None:  # read from the story: said, so she can correct it
        assert said[1].startswith("Lo anoté en el tema «")
    dispatcher.messages.clear()
    result = ValidateProposalForm().validate_proposal_theme("Movilidad", dispatcher, tracker, domain)
    assert result == {"proposal_theme": "movilidad"}


def _step_tracker(text: str, intent: str = "nlu_fallback", confidence: float = 0.3,
                  faq: str | None = None, requested: str = "proposal_municipality",
                  slots: dict[str, Any] | None = None) -> Tracker:
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    if faq is not None:
        ranking = [{"intent_response_key": f"faq/{faq}", "confidence": 0.91}]
        latest["response_selector"] = {"faq": {"ranking": ranking}}
    return Tracker("tg-walk10", {"requested_slot": requested, **(slots or {})}, latest, [],
                   False, None, None, "")


def test_a_question_after_a_filler_mid_interview_is_answered_not_taken_for_a_place(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """The lead's citizen walk (round 10): «oye y q es el stl» at the municipality step got
    «No encontré el municipio «oye y q es el stl»»."""
    for text in ("oye y q es el stl", "una pregunta que es el stl", "y que es el stl"):
        dispatcher.messages.clear()
        result = ValidateProposalForm().validate_proposal_municipality(
            text, dispatcher, _step_tracker(text, "faq", 0.9, faq="que_es_stl"), domain)
        assert result == {"proposal_municipality": None}
        texts = [m["text"] for m in dispatcher.messages]
        assert texts[0] == render_answer(faq_catalog().by_id()["que_es_stl"])
        assert texts[-1] == "Sigamos con tu propuesta."
        assert not any("No encontré el municipio" in t for t in texts)
    # an answer that opens like «que…» is still an answer at a free-text step
    assert not looks_like_question("y que arreglen las luminarias")


def test_leaving_for_later_mid_interview_asks_whether_to_stop(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«nel mejor luego» got «No encontré el municipio «nel mejor luego»» (lead's walk)."""
    answered = {"proposal_theme": "seguridad"}
    for text, requested in (("nel mejor luego", "proposal_municipality"),
                            ("al rato", "proposal_causes"), ("mejor otro día", "proposal_solution")):
        dispatcher.messages.clear()
        events = asyncio.run(ValidateProposalForm().run(
            dispatcher, _step_tracker(text, requested=requested, slots=answered), domain))
        assert SlotSet(CANCEL_ASKED, True) in events
        [message] = dispatcher.messages
        assert message["text"] == "¿Quieres cancelar tu propuesta? Se borrarán las respuestas que me diste."


def test_a_goodbye_mid_interview_keeps_the_proposal_and_a_greeting_offers_it_back(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«gracias bye» got «No encontré el municipio «gracias bye»»; «hola» later, the same."""
    answered = {"proposal_theme": "seguridad"}
    events = asyncio.run(ValidateProposalForm().run(
        dispatcher, _step_tracker("gracias bye", "goodbye", 0.95, slots=answered), domain))
    assert events == [SlotSet("proposal_municipality", None)]
    [message] = dispatcher.messages
    assert message["text"].startswith("¡Hasta pronto! Tu propuesta queda a medias, sin enviar")
    dispatcher.messages.clear()
    events = asyncio.run(ValidateProposalForm().run(
        dispatcher, _step_tracker("holaa", "greet", 0.97, slots=answered), domain))
    assert events == [SlotSet("proposal_municipality", None)]
    assert dispatcher.messages[0]["text"].startswith("¡Hola de nuevo! Tienes una propuesta a medias")
    # «hola, es en Toluca» is an answer with a greeting, not a greeting
    assert social_intent(_step_tracker("hola es en toluca", "greet", 0.8), "hola es en toluca") is None
    dispatcher.messages.clear()
    result = ValidateProposalForm().validate_proposal_municipality(
        "hola es en toluca", dispatcher, _step_tracker("hola es en toluca", "greet", 0.8), domain)
    assert result["proposal_municipality"] == "Toluca"


def test_asking_where_a_centre_is_mid_interview_goes_to_the_centre_finder(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """The lead's walk (round 10): «x fa dime dónde hay un centro de ayuda para mujeres en
    chalco» at the causes step was kept as the proposal's causes."""
    text = "x fa dime donde hay un centro de ayuda para mujeres en chalco"
    events = asyncio.run(ValidateProposalForm().run(
        dispatcher, _step_tracker(text, requested="proposal_causes",
                                  slots={"proposal_theme": "seguridad"}), domain))
    assert FollowupAction("action_buscar_centro") in events
    assert SlotSet("proposal_causes", None) in events
    # a centre wished for as the solution is an answer
    assert not asks_for_a_centre(normalize_words("que pongan un centro de ayuda para mujeres"))
    assert not asks_for_a_centre(normalize_words("en mi colonia no hay refugio para mujeres"))


def test_what_x_is_for_asked_with_a_complaint_gets_the_answer_not_the_interview(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Round 11: «¿para qué sirve X si …?» read as a proposal started the interview."""
    text = "y pa que sirve el parlamento abierto si en el congreso nadie nos pela"
    events = asyncio.run(ActionStartProposal().run(dispatcher, _start_tracker(text, {}), domain))
    entry = faq_catalog().by_id()["parlamento_abierto"]
    assert dispatcher.messages[0]["text"] == render_answer(entry)
    assert not any(e.get("name") == "proposal_intake_id" for e in events)
