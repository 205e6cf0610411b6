"""The request conversation as a person has it: draft at once, or asked for what is missing."""

from __future__ import annotations

import datetime as dt

from bot.conversation.replies import Button, Reply
from bot.inforequests.dialogue import InfoRequestDialogue, is_info_request

MENU = [Button("Menú", "/help")]


def dialogue() -> InfoRequestDialogue:
    return InfoRequestDialogue(lambda: list(MENU), today=lambda: dt.date(2026, 12, 6))


def text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def test_the_issue_example_gets_a_complete_draft() -> None:
    intent, replies = dialogue().start("s1", "Quiero saber cuánto gana el presidente municipal de Ecatepec")
    assert intent == "solicitud_borrador"
    request = replies[1].text
    assert request.startswith("A la Unidad de Transparencia del Ayuntamiento de Ecatepec de Morelos:")
    assert ("el sueldo mensual bruto y neto, con sus prestaciones, del presidente municipal de "
            "Ecatepec") in request
    assert "enero de 2025 a la fecha de esta solicitud" in request  # the period
    assert "formato electrónico" in request  # the format
    everything = text(replies)
    assert "https://www.saimex.org.mx" in everything
    assert "Plataforma Nacional de Transparencia (PNT) (dirección web por confirmar)" in everything
    assert "Por escrito" in everything
    assert "No tienes que decir para qué la quieres" in everything
    assert "IPOMEX" in everything and "15 días hábiles" in everything
    assert "Fuentes: https://" in everything
    assert replies[-1].buttons == MENU


def test_a_named_year_is_the_period() -> None:
    _, replies = dialogue().start("s1", "cuanto gastó la fiscalia en patrullas en 2024")
    assert "correspondiente al año 2024" in replies[1].text
    assert replies[1].text.startswith("A la Unidad de Transparencia de la Fiscalía General")


def test_a_missing_body_is_asked_and_typed() -> None:
    d = dialogue()
    intent, replies = d.start("s2", "cuanto gastaron en el alumbrado navideño")
    assert intent == "solicitud_pide_institucion"
    assert "¿A qué institución" in replies[0].text
    intent, replies = d.handle("s2", "neza") or ("", [])
    assert intent == "solicitud_borrador"
    assert "del Ayuntamiento de Nezahualcóyotl" in replies[1].text


def test_an_ambiguous_municipality_gets_buttons_and_the_button_drafts() -> None:
    d = dialogue()
    d.start("s3", "cuanto gana el tesorero")
    intent, replies = d.handle("s3", "tenango") or ("", [])
    assert intent == "solicitud_pide_institucion"
    payloads = [b.payload for b in replies[0].buttons]
    assert len(payloads) == 2
    intent, replies = d.handle("s3", payloads[0]) or ("", [])
    assert intent == "solicitud_borrador"
    assert "Tenango del" in replies[1].text


def test_dont_know_drafts_without_an_addressee() -> None:
    d = dialogue()
    d.start("s4", "cuanto gana el gobernador")
    intent, replies = d.handle("s4", "no sé") or ("", [])
    assert intent == "solicitud_borrador"
    assert "[nombre de la institución]" in replies[1].text


def test_a_missing_subject_is_asked() -> None:
    d = dialogue()
    intent, replies = d.start("s5", "quiero pedir información al ayuntamiento de Toluca")
    assert intent == "solicitud_pide_tema"
    assert "al Ayuntamiento de Toluca" in replies[0].text
    intent, replies = d.handle("s5", "no sé") or ("", [])
    assert intent == "solicitud_ayuda_tema"  # examples, and the question stays
    intent, replies = d.handle("s5", "cuántas patrullas compraron") or ("", [])
    assert intent == "solicitud_borrador"
    assert "el dato de cuántas patrullas compraron" in replies[1].text


def test_cancel_drops_the_request_and_nothing_more_is_captured() -> None:
    d = dialogue()
    d.start("s6", "cuanto gana el tesorero")
    intent, replies = d.handle("s6", "cancelar") or ("", [])
    assert intent == "solicitud_cancelada" and replies[0].buttons == MENU
    assert d.handle("s6", "neza") is None  # no longer waiting: the rest of the bot answers


def test_a_question_while_waiting_goes_to_the_rest_of_the_bot() -> None:
    d = dialogue()
    d.start("s7", "cuanto gana el tesorero")
    assert d.handle("s7", "¿qué es SAIMEX?") is None
    assert d.handle("s7", "neza") is None


def test_an_unknown_body_is_said_and_the_question_stays() -> None:
    d = dialogue()
    d.start("s8", "cuanto gana el tesorero")
    intent, replies = d.handle("s8", "<b>zzz</b>") or ("", [])
    assert intent == "solicitud_institucion_desconocida"
    assert "No encontré «<b>zzz</b>»" in replies[0].text
    intent, _ = d.handle("s8", "toluca") or ("", [])
    assert intent == "solicitud_borrador"


def test_a_huge_subject_is_refused_kindly() -> None:
    d = dialogue()
    d.start("s9", "quiero pedir información a la fiscalía")
    intent, replies = d.handle("s9", "patrullas " * 100) or ("", [])
    assert intent == "solicitud_tema_largo" and "400" in replies[0].text


def test_a_stale_body_button_starts_over_without_error() -> None:
    intent, replies = dialogue().handle("s10", "/solicitud_institucion mun:15106") or ("", [])
    assert intent == "solicitud_pide_tema"
    assert "al Ayuntamiento de Toluca" in replies[0].text


def test_the_command_alone_asks_what_to_request() -> None:
    intent, replies = dialogue().handle("s11", "/solicitud") or ("", [])
    assert intent == "solicitud_pide_tema"
    assert replies[0].text.startswith("¿Qué información quieres pedir?")


def test_senders_do_not_share_questions() -> None:
    d = dialogue()
    d.start("a", "cuanto gana el tesorero")
    assert d.handle("b", "neza") is None


def test_rasa_turns_that_ask_for_data() -> None:
    assert is_info_request("pedir_datos", [])
    assert is_info_request("nlu_fallback", [{"text": "…", "custom": {"info_request": True}}])
    assert not is_info_request("faq", [{"text": "…"}])
