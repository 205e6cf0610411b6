"""When the model is unsure: a clearly best answer, the data-request reply, or the closest topics."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.data_request import data_request_reply
from actions.unsure import reply_when_unsure
from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.render import render_answer


def _message(text: str, selector: list[tuple[str, float]] | None = None) -> dict[str, Any]:
    ranking = [{"intent_response_key": f"faq/{i}", "confidence": c} for i, c in selector or []]
    return {"text": text, "response_selector": {"faq": {"ranking": ranking}}}


def _reply(text: str, selector: list[tuple[str, float]] | None = None) -> tuple[str, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    outcome = reply_when_unsure(dispatcher, _message(text, selector))
    [message] = dispatcher.messages
    return outcome, message


def _answer(faq_id: str) -> str:
    return render_answer(faq_catalog().by_id()[faq_id])


def test_selector_and_bm25_agreeing_give_the_answer() -> None:
    outcome, message = _reply(
        "oigan y los colores del violentometro", [("violentometro", 0.3), ("ciclo_violencia", 0.2)]
    )
    assert outcome == "answer:violentometro"
    assert message["text"] == _answer("violentometro")


def test_a_clear_bm25_winner_is_answered_alone() -> None:
    outcome, message = _reply("mi vecina grita en las noches", [("ciclo_violencia", 0.2)])
    assert outcome == "answer:vecina_violencia"
    assert message["text"] == _answer("vecina_violencia")


def test_a_data_question_gets_who_has_it_and_how_to_ask() -> None:
    outcome, message = _reply(
        "oye cuanto gana el presidente municipal de tultitlan", [("costo_solicitud", 0.3)]
    )
    assert outcome == "data_request"
    assert message["text"].startswith("Ese dato no lo tengo.")
    assert faq_catalog().by_id()["como_pedir_informacion"].answer.strip() in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        '/elegir_tema{"tema":"como_pedir_informacion"}',
        '/elegir_tema{"tema":"sujeto_obligado"}',
    ]


def test_the_same_reply_as_the_pedir_datos_action() -> None:
    dispatcher = CollectingDispatcher()
    data_request_reply(dispatcher)
    assert dispatcher.messages[0]["text"] == _reply("cuanto gana el tesorero municipal")[1]["text"]


def test_no_clear_winner_offers_the_closest_topics_not_a_fixed_menu() -> None:
    not_sure = chat_content().core_text("not_sure")
    outcome, first = _reply("y lo de la junta del otro dia", [("mesas_cocreacion", 0.2)])
    _, second = _reply("tengo dudas de la violencia y de la plataforma", [("saimex", 0.2)])
    assert outcome == "suggest"
    assert first["text"] == second["text"] == not_sure
    assert first["buttons"][-1]["payload"] == "/help"
    assert len(first["buttons"]) == 4
    assert first["buttons"][0]["payload"] == '/elegir_tema{"tema":"mesas_cocreacion"}'
    assert first["buttons"] != second["buttons"]
