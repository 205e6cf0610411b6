"""What Rasa's tracker store keeps of a violence conversation (bot/rasa/tracker_scrub.py).

The real store, inside a real Rasa server on PostgreSQL, is tested in
tests/integration/test_violence_with_rasa.py; here, the rules on plain events.
"""

from __future__ import annotations

import json

from bot.rasa.tracker_scrub import scrub_event, scrub_new_events, sensitive_from

INTENTS = {"buscar_centro", "faq/que_es_feminicidio"}


def user(text: str, intent: str, metadata: dict | None = None, faq: str | None = None) -> dict:  # type: ignore[type-arg]
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.91},
        "entities": [{"entity": "municipio", "value": "15033"}],
        "intent_ranking": [{"name": intent, "confidence": 0.91}],
    }
    if faq:
        parse["response_selector"] = {
            "faq": {"response": {"intent_response_key": faq, "confidence": 0.8, "responses": [{"text": "…"}]},
                    "ranking": [{"intent_response_key": faq, "confidence": 0.8}]}
        }
    metadata = metadata or {"channel": "telegram"}
    return {"event": "user", "text": text, "parse_data": parse, "metadata": metadata}


def bot(text: str) -> dict:  # type: ignore[type-arg]
    return {"event": "bot", "text": text, "data": {"custom": {"location": {"lat": 19.5, "lon": -99.0}}}}


def test_nothing_is_sensitive_in_an_everyday_conversation() -> None:
    events = [
        {"event": "session_started"},
        user("que es el stl", "faq", faq="faq/que_es_stl"),
        bot("El STL es…"),
    ]
    assert sensitive_from(events, INTENTS) is None
    assert scrub_new_events(events, 0, INTENTS) == events


def test_a_violence_faq_question_and_everything_after_it_lose_their_text() -> None:
    events = [
        {"event": "session_started"},
        user("hola buenas", "greet"),
        bot("¡Hola!"),
        user("oye que es un feminicidio x favor", "faq", faq="faq/que_es_feminicidio"),
        bot("Según el Código Penal Federal…"),
        user("y en que municipio hay mas", "faq", faq="faq/que_es_stl"),
    ]
    stored = scrub_new_events(events, 0, INTENTS)
    dumped = json.dumps(stored[3:], ensure_ascii=False)
    for fragment in ["oye", "feminicidio x favor", "Código Penal", "municipio hay mas", "15033"]:
        assert fragment not in dumped
    assert stored[1]["text"] == "hola buenas", "what came before stays as it was"
    assert stored[3]["parse_data"]["intent"] == {"name": "faq", "confidence": 0.91}
    assert stored[3]["parse_data"]["response_selector"]["faq"]["response"] == {
        "intent_response_key": "faq/que_es_feminicidio",
        "confidence": 0.8,
    }
    assert stored[3]["metadata"] == {"channel": "telegram", "sensitive": True}
    assert stored[4]["text"] is None and stored[4]["data"] == {}


def _in_proposal_form(answer: dict) -> list[dict]:  # type: ignore[type-arg]
    return [
        {"event": "session_started"},
        user("/propuesta", "proponer"),
        {"event": "active_loop", "name": "proposal_form"},
        bot("(Paso 1 de 8) ¿De qué tema es tu propuesta?"),
        answer,
        bot("(Paso 2 de 8) ¿En qué municipio pasa?"),
    ]


def test_a_proposal_answer_the_model_half_took_for_violence_keeps_the_interview() -> None:
    """«Movilidad» at the theme step came back as a violence FAQ at 0.11: the whole interview lost
    its text, and with it the question «¿Quieres cancelar…?» the form reads back, so «mejor no»
    was stored as the problem."""
    movilidad = user("Movilidad", "faq", faq="faq/que_es_feminicidio")
    movilidad["parse_data"]["response_selector"]["faq"]["response"]["confidence"] = 0.11
    events = _in_proposal_form(movilidad)
    assert sensitive_from(events, INTENTS) is None
    assert scrub_new_events(events, 0, INTENTS)[4]["text"] == "Movilidad"


def test_a_municipality_typed_in_a_proposal_is_not_the_centre_finder() -> None:
    """«Nezahualcóyotl» at the municipality step: buscar_centro at 0.65 for model 02751e7."""
    neza = user("Nezahualcóyotl", "buscar_centro")
    neza["parse_data"]["intent"]["confidence"] = 0.65
    assert sensitive_from(_in_proposal_form(neza), INTENTS) is None
    assert sensitive_from([neza], INTENTS) == 0, "outside a form it is the centre finder"


def test_in_a_proposal_a_sure_violence_answer_or_the_core_mark_still_blanks_it() -> None:
    sure = _in_proposal_form(user("oye que es un feminicidio", "faq", faq="faq/que_es_feminicidio"))
    assert sensitive_from(sure, INTENTS) == 4
    marked = _in_proposal_form(user("mi esposo me pega", "out_of_scope", {"sensitive": True}))
    assert sensitive_from(marked, INTENTS) == 4
    assert scrub_new_events(marked, 0, INTENTS)[4]["text"] == ""


def test_the_core_mark_makes_a_message_sensitive_whatever_rasa_understood() -> None:
    events = [user("me grita y me encierra a veces", "out_of_scope", {"sensitive": True})]
    assert sensitive_from(events, INTENTS) == 0
    assert scrub_new_events(events, 0, INTENTS)[0]["text"] == ""


def test_what_is_typed_while_the_centre_form_asks_is_never_kept() -> None:
    events = [
        {"event": "active_loop", "name": "centro_form"},
        {"event": "slot", "name": "requested_slot", "value": "municipio_centro"},
        user("ecatepec por la via morelos", "out_of_scope"),
        {"event": "slot", "name": "municipio_centro", "value": "ecatepec por la via morelos"},
        {"event": "active_loop", "name": None},
    ]
    stored = scrub_new_events(events, 0, set())
    assert "via morelos" not in json.dumps(stored)
    assert stored[1]["value"] == "municipio_centro", "the form still knows what it asked"


def test_the_session_stays_sensitive_after_it_is_read_back_from_the_store() -> None:
    first = [
        {"event": "session_started"},
        user("donde hay una unidas", "buscar_centro"),
        bot("¿En qué municipio…"),
    ]
    stored = scrub_new_events(first, 0, INTENTS)
    later = [*stored, user("gracias, y otra cosa", "thanks")]
    assert scrub_new_events(later, len(stored), set())[0]["text"] == ""


def test_a_new_session_starts_clean() -> None:
    events = [
        {"event": "session_started"},
        user("donde hay una unidas", "buscar_centro"),
        {"event": "session_started"},
        user("que es el stl", "faq", faq="faq/que_es_stl"),
    ]
    assert scrub_new_events(events, 2, INTENTS)[1]["text"] == "que es el stl"


def test_scrubbing_never_changes_the_events_rasa_holds_in_memory() -> None:
    original = user("que es un feminicidio", "faq", faq="faq/que_es_feminicidio")
    scrub_event(original)
    assert original["text"] == "que es un feminicidio"
    assert original["parse_data"]["text"] == "que es un feminicidio"
