"""When the model is unsure: a clearly best answer, the data-request reply, or the closest topics."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.unsure import reply_when_unsure, selector_ranking, words_ask_for
from actions.unsure_kinds import asks_for_data
from actions.unsure_ranking import shared_choice, titles_asked, violence_to_plain, what_is_entry
from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from bot.content.retrieval import Hit


def _message(text: str, selector: list[tuple[str, float]] | None = None) -> dict[str, Any]:
    ranking = [{"intent_response_key": f"faq/{i}", "confidence": c} for i, c in selector or []]
    return {"text": text, "intent": {"name": "faq", "confidence": 0.6},
            "response_selector": {"faq": {"ranking": ranking}}}


def _reply(text: str, selector: list[tuple[str, float]] | None = None) -> tuple[str, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    outcome, events = reply_when_unsure(dispatcher, _message(text, selector))
    assert events == []
    [message] = dispatcher.messages
    return outcome, message


def _handover(text: str, sensitive: bool = False, in_form: bool = False
              ) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "input_channel": "participa",
            "metadata": {"channel": "telegram", **({"sensitive": True} if sensitive else {})}}
    outcome, events = reply_when_unsure(
        dispatcher, _message(text, [("costo_solicitud", 0.2)]), [user], in_form=in_form
    )
    return outcome, events, dispatcher.messages


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


def test_a_data_question_is_handed_to_pedir_datos() -> None:
    """The data-request behaviour (actions/data_request.py) answers it: the rule of pedir_datos
    runs next, so whatever that flow becomes, the unsure path reaches it."""
    outcome, events, messages = _handover("oye cuanto gana el presidente municipal de tultitlan")
    assert outcome == "data_request"
    assert messages == []
    rewind, listen, user = events
    assert rewind == {"event": "rewind"}
    assert listen["name"] == "action_listen"
    assert user["parse_data"]["intent"]["name"] == "pedir_datos"
    assert user["parse_data"]["rerouted_from"] == "faq"
    assert user["text"] == "oye cuanto gana el presidente municipal de tultitlan"
    assert user["metadata"] == {"channel": "telegram"}


@pytest.mark.parametrize(
    "message",
    ["se inunda el patio de la escuela cada que llueve",
     "las combis manejan como locos en la avenida principal",
     "en mi calle no sirven las lamparas y ya asaltaron a dos vecinas"],
)
def test_a_problem_told_plainly_starts_the_proposal_interview(message: str) -> None:
    outcome, events, messages = _handover(message)
    assert outcome == "proposal"
    assert messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "proponer"
    assert events[-1]["text"] == message


def test_a_contract_search_in_unseen_words_goes_to_the_contract_search() -> None:
    outcome, events, messages = _handover("contratos de paracaidas y arneses")
    assert outcome == "contracts"
    assert messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "buscar_contratos"


def test_a_sensitive_message_is_never_turned_into_a_proposal() -> None:
    outcome, events, _messages = _handover(
        "hay mucha violencia en mi calle y mi pareja me da miedo", sensitive=True
    )
    assert outcome != "proposal"
    assert all(e.get("parse_data", {}).get("intent", {}).get("name") != "proponer" for e in events)


def test_a_question_is_not_a_problem_told() -> None:
    outcome, _events, _messages = _handover("como se reporta un bache en la avenida?")
    assert outcome != "proposal"


def test_inside_a_form_nothing_is_handed_over() -> None:
    outcome, events, messages = _handover("cuanto gana el tesorero municipal", in_form=True)
    assert outcome == "suggest"
    assert events == []
    assert messages[0]["text"] == chat_content().core_text("not_sure")


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


@pytest.mark.parametrize("message", ["contratos del imss", "que contratos tiene el issste"])
def test_a_named_buyer_is_searched_even_when_an_answer_shares_its_words(message: str) -> None:
    """«contratos del IMSS» shares words with the contract FAQ answers: the search still wins."""
    outcome, events, messages = _handover(message)
    assert outcome == "contracts"
    assert messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "buscar_contratos"


@pytest.mark.parametrize("sensitive", [False, True])
def test_a_centre_asked_for_in_a_municipality_goes_to_the_centre_finder(sensitive: bool) -> None:
    """Not what to do when living violence, nor a menu: the centres near Toluca."""
    outcome, events, messages = _handover("centro pa mujeres en toluca", sensitive=sensitive)
    assert outcome == "centre"
    assert messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "buscar_centro"
    assert events[-1]["text"] == "centro pa mujeres en toluca"


def test_the_question_after_a_figure_of_speech_is_answered() -> None:
    """«Me muero de la curiosidad, ¿quién administra esto?»: the question, not the menu."""
    outcome, message = _reply("me muero de la curiosidad jaja, quien administra este chat?")
    assert outcome == "answer:sobre_participa"
    assert message["text"] == _answer("sobre_participa")


def test_the_question_that_ends_a_past_story_is_answered_with_its_violence_entry() -> None:
    text = ("Mi abuela vivio violencia con mi abuelo hace muchos años, ya fallecio. Hago un trabajo "
            "para la escuela. ¿Qué tipos de violencia reconoce la ley?")
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"sensitive": True}}
    outcome, _events = reply_when_unsure(dispatcher, _message(text), [user])
    assert outcome == "answer:tipos_violencia"
    assert dispatcher.messages[0]["text"] == _answer("tipos_violencia")


def test_a_sensitive_story_never_gets_an_answer_of_another_topic_from_its_question() -> None:
    text = "mi esposo me grita todos los dias. quien hizo este bot?"
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"sensitive": True}}
    outcome, _events = reply_when_unsure(dispatcher, _message(text), [user])
    assert outcome in {"violence_help", "answer:que_hacer_violencia"}
    assert dispatcher.messages[0]["text"] == _answer("que_hacer_violencia")


@pytest.mark.parametrize(
    "message",
    ["los microbuses de la ruta 12 van volando, un dia se van a matar todos los pasajeros",
     "ese tiradero junto al rio es una bomba de tiempo, nos vamos a morir de una infeccion"],
)
def test_a_street_problem_said_with_a_violent_figure_of_speech_is_a_proposal(message: str) -> None:
    outcome, events, _messages = _handover(message, sensitive=True)
    assert outcome == "proposal"
    assert events[-1]["parse_data"]["intent"]["name"] == "proponer"


@pytest.mark.parametrize(
    "message",
    ["el chofer de la combi me acoso y nadie hizo nada", "mi esposo maneja la combi y me pega"],
)
def test_violence_between_persons_on_the_street_is_never_a_proposal(message: str) -> None:
    outcome, _events, _messages = _handover(message, sensitive=True)
    assert outcome != "proposal"


def test_an_out_of_scope_question_after_a_story_is_not_forced_onto_an_entry() -> None:
    """«¿Cómo saco cita para la CURP?» at the end of a story: no FAQ answer shares its world."""
    text = ("Mi hijo entra a la prepa y le piden el acta. Ya fui al registro civil y nada. "
            "¿Cómo saco cita para la CURP?")
    outcome, _message = _reply(text)
    assert outcome == "suggest"


def test_a_figure_of_speech_does_not_narrow_the_question_to_violence() -> None:
    """«Me mata la curiosidad» made the message sensitive; the question is about the chat."""
    text = "me mata la curiosidad jaja, quien administra este chat?"
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"sensitive": True}}
    outcome, _events = reply_when_unsure(dispatcher, _message(text), [user])
    assert outcome == "answer:sobre_participa"


def test_a_quoted_term_answers_what_is_that() -> None:
    text = "en la reunion el licenciado dijo «hoja de ruta» y yo nomas asenti jaja, q es eso?"
    outcome, message = _reply(text)
    assert outcome == "answer:hojas_ruta"
    assert message["text"] == _answer("hojas_ruta")


def test_violence_lived_now_gets_what_to_do_not_a_definition_from_its_question() -> None:
    text = "creo que sufro violencia, mi novio dice que yo tengo la culpa. como se si es violencia?"
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"sensitive": True}}
    outcome, _events = reply_when_unsure(dispatcher, _message(text), [user])
    assert outcome in {"violence_help", "answer:que_hacer_violencia"}
    assert dispatcher.messages[0]["text"] == _answer("que_hacer_violencia")
    assert dispatcher.messages[0]["text"] == _answer("que_hacer_violencia")


def test_the_selectors_choice_ranked_a_close_second_by_bm25_is_answered() -> None:
    """Two neighbouring answers (a success story and its award): BM25 puts the award a hair
    ahead, the selector prefers the story; both rankings agree on the pair, so she gets an
    answer instead of the «No estoy segura…» menu."""
    outcome, message = _reply(
        "el caso de durango de gobierno abierto gano algun premio o reconocimiento",
        [("caso_exito_durango", 0.2), ("reconocimiento_practicas", 0.15)],
    )
    assert outcome == "answer:caso_exito_durango"
    assert message["text"] == _answer("caso_exito_durango")


def test_a_selector_choice_far_behind_in_bm25_still_gets_the_menu() -> None:
    outcome, message = _reply(
        "el caso de durango de gobierno abierto gano algun premio o reconocimiento",
        [("plazos_respuesta", 0.2)],
    )
    assert outcome == "suggest"
    assert message["text"] == chat_content().core_text("not_sure")


def test_a_story_about_ones_own_request_gets_the_request_answer_not_the_proposal() -> None:
    """A long story whose problem (a stalled drainage work) is only the reason of a request
    already made: the question at its end is about the request (here, a reply that answers
    something else), so the appeal answer comes, not the proposal interview."""
    story = ("hace un mes pedi por saimex los documentos de la obra del drenaje de mi colonia, que "
             "sigue parada, y me contestaron con un documento que no tiene nada que ver con lo que "
             "pregunte, que puedo hacer?")
    outcome, message = _reply(story, [("vecina_violencia", 0.1)])
    assert outcome == "answer:recurso_revision"
    assert message["text"] == _answer("recurso_revision")


def test_a_long_story_without_a_request_is_still_a_proposal() -> None:
    dispatcher = CollectingDispatcher()
    story = ("en mi colonia llevan meses con la obra del drenaje parada y nadie nos dice nada, los "
             "vecinos estamos hartos del lodo y de los hoyos, que se puede hacer?")
    outcome, events = reply_when_unsure(dispatcher, _message(story, [("plan_municipal", 0.1)]))
    assert outcome == "proposal"
    assert events[-1]["parse_data"]["intent"]["name"] == "proponer"


@pytest.mark.parametrize("message", [
    "en la oficina de catastro me dijeron que con 400 pesos me arreglaban el tramite ese mismo dia",
    "un agente me paro sin motivo y me pidio 300 pa no llevarse el coche",
    "piden mordida en el tramite del agua",
])
def test_a_bribe_told_opens_the_proposal_interview(message: str) -> None:
    outcome, events, messages = _handover(message)
    assert outcome == "proposal"
    assert messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "proponer"


def test_a_problem_told_without_a_question_beats_an_answer_that_shares_its_words() -> None:
    """«Humo» and «fábricas» are also the words of a success story: told, not asked, it is a
    proposal."""
    story = ("la ladrillera de la orilla del pueblo quema llantas cada semana, el humo llega a la "
             "escuela y nadie nos hace caso")
    outcome, events, _messages = _handover(story)
    assert outcome == "proposal"
    assert events[-1]["parse_data"]["intent"]["name"] == "proponer"


def test_a_public_service_missing_is_a_problem_told_without_a_theme_word() -> None:
    outcome, _events, _messages = _handover(
        "el centro de salud no tiene baños y los pacientes esperan horas en la banqueta")
    assert outcome == "proposal"


def test_news_asked_for_at_the_end_of_a_story_is_the_subscription() -> None:
    text = ("me entere por una amiga de las mesas de cocreacion y me parecio buena idea. "
            "quiero recibir avisos de las siguientes mesas")
    outcome, events, _messages = _handover(text)
    assert outcome == "subscribe"
    assert events[-1]["parse_data"]["intent"]["name"] == "suscribir"


@pytest.mark.parametrize(("text", "sensitive"), [
    ("por favor que ya no me lleguen sus mensajes, en mi casa revisan el cel", True),
    # «nada» with a complaint after it: no whole-message unsubscribe pattern fits
    ("ya no me manden nada, yo nunca me inscribi a esto", False),
])
def test_no_more_messages_inside_a_longer_message_stops_them(text: str, sensitive: bool) -> None:
    outcome, events, _messages = _handover(text, sensitive=sensitive)
    assert outcome == "unsubscribe"
    assert events[-1]["parse_data"]["intent"]["name"] == "baja"


def test_a_figure_seen_on_the_platform_gets_the_request_answer_not_a_draft() -> None:
    """«En IPOMEX se ve cuánto gana el alcalde, ¿cómo lo busco?» asks how to look it up."""
    text = "una vecina dice que el sueldo del presidente municipal ya viene en ipomex, como le busco ahi?"
    dispatcher = CollectingDispatcher()
    outcome, events = reply_when_unsure(dispatcher, _message(text, [("ipomex", 0.3)]))
    assert outcome == "answer:ipomex"
    assert events == []


def test_a_question_about_contracts_in_general_is_not_searched() -> None:
    outcome, _events, _messages = _handover(
        "oye que significa adjudicacion directa y en que casos se permite, es para una tarea")
    assert outcome != "contracts"


def test_a_long_story_asking_where_to_report_it_opens_the_proposal_interview() -> None:
    story = ("tengo una tiendita frente al deportivo y desde hace meses las regaderas estan "
             "clausuradas, los chavos del equipo se van sin bañar y la administracion no dice nada. "
             "a quien le digo para que lo arreglen?")
    outcome, events, _messages = _handover(story)
    assert outcome == "proposal"
    assert events[-1]["parse_data"]["intent"]["name"] == "proponer"


def test_a_long_story_about_ones_own_request_still_gets_the_request_answer() -> None:
    """Asking how to ask for information is not asking where to take a problem."""
    text = ("en mi colonia repartieron despensas despues de la inundacion y a varios no nos toco "
            "nada, queremos saber a quien se las dieron. como pedimos esa informacion y a que "
            "oficina va?")
    outcome, _events, _messages = _handover(text)
    assert outcome not in ("proposal", "data_request")


def test_a_man_asking_for_a_place_to_stop_his_violence_gets_the_answer_for_men() -> None:
    """«¿Hay algún lugar en <municipio> donde den talleres para hombres?» names a place of help
    and a municipality: still his answer, never the women's centre finder."""
    text = ("soy hombre, le di una cachetada a mi esposa y no quiero que se repita. hay algun lugar"
            " en toluca donde den talleres para hombres?")
    outcome, events, messages = _handover(text, sensitive=True)
    assert outcome == "answer:hombres_violencia"
    assert events == []
    assert messages[0]["text"] == _answer("hombres_violencia")


class _Ranking:
    """A stand-in for BM25 with a fixed ranking (the two rankings' disagreement is the point)."""

    def __init__(self, ranking: list[tuple[str, float]]) -> None:
        self.ranking = ranking

    def rank(self, text: str) -> list[Hit]:
        return [Hit(faq_id, score) for faq_id, score in self.ranking]


def _sensitive_reply(text: str, selector: list[tuple[str, float]]) -> tuple[str, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"channel": "telegram", "sensitive": True}}
    outcome, _events = reply_when_unsure(dispatcher, _message(text, selector), [user])
    return outcome, dispatcher.messages


def test_violence_both_rankings_put_in_front_is_answered_not_the_menu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unsure, but BM25's first is the selector's second: the protection order she asked about,
    not «qué hacer» and «no estoy segura»."""
    monkeypatch.setattr("actions.unsure.faq_index", lambda: _Ranking(
        [("ordenes_proteccion", 20.0), ("vecina_violencia", 18.0), ("como_denunciar_violencia", 15.0)]))
    outcome, messages = _sensitive_reply(
        "si lo denuncio me dan algo para que ya no se me acerque",
        [("como_denunciar_violencia", 0.40), ("ordenes_proteccion", 0.30), ("vecina_violencia", 0.05)])
    assert outcome == "answer:ordenes_proteccion"
    [message] = messages
    assert message["text"] == _answer("ordenes_proteccion")


def test_violence_help_is_one_message_with_the_closest_topics_as_buttons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """«No sé a dónde ir» after her story: what to do, and no second «No estoy segura…»."""
    monkeypatch.setattr("actions.unsure.faq_index", lambda: _Ranking(
        [("violentometro", 20.0), ("ordenes_proteccion", 18.0), ("hombres_violencia", 15.0)]))
    outcome, messages = _sensitive_reply(
        "mi esposo me empuja cuando se enoja y no tengo a quien acudir",
        [("noviazgo_violento", 0.3), ("que_hacer_violencia", 0.1)])
    assert outcome == "violence_help"
    [message] = messages
    assert message["text"] == _answer("que_hacer_violencia")
    payloads = [b["payload"] for b in message["buttons"]]
    assert any(p.startswith("/faq_fuentes") for p in payloads), "the answer keeps its sources"
    assert any(p.startswith("/elegir_tema") for p in payloads), "the closest topics one tap away"


@pytest.mark.parametrize(("text", "first"), [
    ("mi prima dice que mi novio asi es, que hago", "que_hacer_violencia"),
    # «Mi prima… su novio»: the one who writes asks for her cousin, so helping her comes first.
    ("mi prima dice que su novio asi es, que hago", "ayudar_a_otra"),
])
def test_violence_the_rankings_disagree_on_gets_what_to_do_or_how_to_help_and_the_closest_topics(
    monkeypatch: pytest.MonkeyPatch, text: str, first: str,
) -> None:
    monkeypatch.setattr("actions.unsure.faq_index", lambda: _Ranking(
        [("violentometro", 20.0), ("ayudar_a_otra", 18.0), ("hombres_violencia", 15.0)]))
    outcome, messages = _sensitive_reply(
        text, [("noviazgo_violento", 0.30), ("que_hacer_violencia", 0.10), ("vecina_violencia", 0.05)])
    assert outcome == "violence_help"
    assert messages[0]["text"] == _answer(first)


@pytest.mark.parametrize(
    "text",
    ["ya no vivo con el que me pegaba pero sigo con pesadillas, donde me dan terapia gratis?",
     "hace mucho me maltrataban y todavia me afecta, hay apoyo psicologico sin costo?"],
)
def test_therapy_after_violence_gets_the_services_not_what_to_do(text: str) -> None:
    outcome, messages = _sensitive_reply(text, [("que_hacer_violencia", 0.30), ("programas_violencia", 0.2)])
    assert outcome == "answer:programas_violencia"
    assert messages[0]["text"] == _answer("programas_violencia")


def test_therapy_asked_in_a_municipality_gets_the_nearest_centres() -> None:
    text = "ya sali de esa relacion violenta, donde me dan terapia gratis? soy de toluca"
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"channel": "telegram", "sensitive": True}}
    outcome, events = reply_when_unsure(
        dispatcher, _message(text, [("que_hacer_violencia", 0.3)]), [user])
    assert outcome == "centre"
    assert events[-1]["parse_data"]["intent"]["name"] == "buscar_centro"
    assert dispatcher.messages == []


def test_her_own_story_never_gets_the_answer_for_men_or_the_neighbours() -> None:
    """The model may rank the answer for men first for «¿a dónde voy en <municipio>? mi pareja me
    maltrata» (the men's examples name places too): she gets help for her, never his answer."""
    text = "a donde voy si quiero ayuda xq mi pareja me maltrata"
    ranked = selector_ranking(_message(text, [("hombres_violencia", 0.7), ("vecina_violencia", 0.2),
                                               ("que_hacer_violencia", 0.1)]))
    assert ranked == [("que_hacer_violencia", 0.1)]
    outcome, messages = _sensitive_reply(text, [("hombres_violencia", 0.7), ("que_hacer_violencia", 0.1)])
    assert outcome in {"answer:que_hacer_violencia", "violence_help"}
    assert messages[0]["text"] == _answer("que_hacer_violencia")


def test_a_man_or_a_neighbour_keeps_his_answer() -> None:
    selector = [("hombres_violencia", 0.5), ("vecina_violencia", 0.4)]
    ranked = selector_ranking(_message("soy hombre y le grite a mi esposa, donde hay talleres", selector))
    assert [faq_id for faq_id, _c in ranked] == ["hombres_violencia"]  # he names no neighbour
    ranked = selector_ranking(_message("mi vecina me conto que su esposo le pega", selector))
    assert [faq_id for faq_id, _c in ranked] == ["vecina_violencia"]  # no man asks for himself


def test_which_type_of_violence_her_story_is_gets_the_types() -> None:
    outcome, messages = _sensitive_reply(
        "nunca me ha pegado pero me esconde la credencial y los papeles de los niños,"
        " que tipo de violencia es",
        [("que_hacer_violencia", 0.40), ("violencia_vicaria", 0.2)])
    assert outcome == "answer:tipos_violencia"
    assert messages[0]["text"] == _answer("tipos_violencia")


@pytest.mark.parametrize(("text", "intent"), [
    ("oigan, ¿ya atendieron lo que les reporté de la banqueta rota?", "mis_propuestas"),
    ("hace un mes mandé lo del alumbrado, ¿ya hay respuesta?", "mis_propuestas"),
    ("queremos meter una propuesta sobre el tianguis, ¿cómo le hacemos?", "proponer"),
    ("¿dónde registro mi propuesta?", "proponer"),
    ("¿me avisan cuando haya capacitaciones?", "suscribir"),
    ("nos pueden avisar de los próximos foros", "suscribir"),
])
def test_the_words_ask_for_a_behaviour(text: str, intent: str) -> None:
    assert words_ask_for(text) == intent


@pytest.mark.parametrize("text", [
    "mi solicitud de información ya tiene respuesta, ¿cómo la descargo?",  # a request, not a proposal
    "mi propuesta para el Estado de México es sobre el agua",  # a new one
    "¿qué es una propuesta en la mesa de cocreación?",
    "ya no quiero que me avisen de los talleres",
    "¿me pueden explicar qué es un foro de parlamento abierto?",
])
def test_words_that_only_look_like_a_behaviour(text: str) -> None:
    assert words_ask_for(text) is None


@pytest.mark.parametrize("text", [
    "¿qué sueldo tienen los síndicos de mi municipio?",
    "quisiera saber cuál es el salario mensual neto de la tesorera",
    # a figure in formal words, or a raise
    "Requiero conocer el importe erogado en bacheo por el ayuntamiento de Zumpango en 2023",
    "necesito el gasto en seguridad pública del municipio, desglosado por trimestre",
    "¿es cierto que los regidores se subieron el sueldo en enero?",
])
def test_a_pay_or_figure_asked_without_cuanto_is_a_data_request(text: str) -> None:
    outcome, _events, _messages = _handover(text)
    assert outcome == "data_request"


def test_both_rankings_putting_one_answer_in_front_answer_instead_of_the_menu() -> None:
    # Neither is sure: the selector's first (0.3) is BM25's third, close to its best.
    hits = [Hit("caso_exito_jalisco", 20.0), Hit("caso_exito_veracruz", 19.0),
            Hit("caso_exito_durango", 17.0)]
    assert shared_choice([("caso_exito_durango", 0.3)], hits) == "caso_exito_durango"
    far = [Hit("caso_exito_jalisco", 20.0), Hit("caso_exito_veracruz", 19.0),
           Hit("caso_exito_durango", 14.0)]
    assert shared_choice([("caso_exito_durango", 0.3)], far) is None


def test_a_violence_answer_both_rankings_share_is_not_given_to_an_unmarked_message() -> None:
    hits = [Hit("sobre_participa", 9.0), Hit("noviazgo_violento", 8.5)]
    assert shared_choice([("noviazgo_violento", 0.25)], hits) is None
    assert shared_choice([("noviazgo_violento", 0.25)], hits, sensitive=True) == "noviazgo_violento"


def test_the_request_platform_failing_is_no_proposal() -> None:
    # A trouble of the request itself, told without a question: not a public problem to propose.
    outcome, _events, _messages = _handover(
        "llevo toda la mañana peleándome con el saimex, no me deja subir el archivo de mi solicitud")
    assert outcome != "proposal"


def test_petitions_to_an_authority_are_still_a_problem_told() -> None:
    outcome, _events, _messages = _handover(
        "los vecinos ya metimos muchas solicitudes al municipio y la calle sigue llena de baches sin "
        "que nadie venga a taparlos desde hace un año")
    assert outcome == "proposal"


def test_a_formal_wish_to_subscribe_to_notices_subscribes() -> None:
    assert words_ask_for("Deseo suscribirme a los avisos del programa, gracias") == "suscribir"
    assert words_ask_for("quiero suscribirme al programa de becas") is None  # not our news


def test_staff_with_their_pay_is_a_data_request() -> None:
    outcome, _events, _messages = _handover(
        "pasenme la relacion de trabajadores del municipio con sus salarios")
    assert outcome == "data_request"


def test_a_plain_question_never_gets_a_violence_answer_bm25_alone_chose() -> None:
    # Not marked sensitive and the selector does not read violence: context words only.
    outcome, message = _reply(
        "soy docente y trabajo en la escuela del pueblo, que es la transparencia proactiva",
        [("transparencia_proactiva", 0.2), ("que_es_transparencia", 0.15)],
    )
    chosen = outcome.partition(":")[2]
    entry = faq_catalog().by_id().get(chosen)
    assert entry is None or entry.topic != "violencia"


def test_a_violence_answer_bm25_chose_is_kept_when_the_message_or_selector_is_about_violence() -> None:
    assert violence_to_plain("que_hacer_violencia", [("que_es_transparencia", 0.2)], sensitive=False)
    assert not violence_to_plain("que_hacer_violencia", [("que_es_transparencia", 0.2)], sensitive=True)
    assert not violence_to_plain("vecina_violencia", [("ciclo_violencia", 0.2)], sensitive=False)
    assert not violence_to_plain("que_es_transparencia", [("datos_abiertos", 0.2)], sensitive=False)


@pytest.mark.parametrize("text", [
    "quiero saber el monto de los contratos de la cfe desglosado por proveedor",  # a search
    "¿qué es el presupuesto participativo?",
    "quisiera saber la cifra de emergencia para llamar, es el 911?",
])
def test_figures_the_contracts_or_the_answers_hold_are_not_asked_for(text: str) -> None:
    assert not asks_for_data(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("Q ES EL STL???", "que_es_stl"),
    ("k es un arbol de problemas", "arbol_problemas"),
    ("que es saimex", "saimex"),
    ("que es el stl y quienes lo forman en el edomex", None),  # more than what a title names
    ("que es la vida", None),
])
def test_a_bare_what_is_naming_one_title_gets_that_entry(text: str, expected: str | None) -> None:
    assert what_is_entry(text) == expected


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("q son los datos abiertos? me los encargaron en la uni y en internet sale puro rollo",
         "datos_abiertos"),
        ("PLANDAI Q ES", "plandai"),
        ("follow the money que es eso", "follow_the_money"),
        ("que significa rendicion de cuentas, lo dijo el regidor en la junta", "rendicion_cuentas"),
        ("que es la alianza para el gobierno abierto? sale en mi examen", "alianza_gobierno_abierto"),
    ],
)
def test_a_first_what_is_naming_a_title_gets_that_entry(message: str, faq_id: str) -> None:
    outcome, reply = _reply(message, [("buscar_datos_abiertos", 0.2)])
    assert outcome == f"answer:{faq_id}"
    assert reply["text"] == _answer(faq_id)


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("y los del stl q hacen?", "stl_funciones"),
        ("a que se dedica el secretariado tecnico local", "stl_funciones"),
        ("pa q sirve el ipomex", "ipomex"),
        ("la transparencia proactiva para que sirve", "transparencia_proactiva"),
        ("y a mi para que me sirve el gobierno abierto", "para_que_sirve_gobierno_abierto"),
        ("el ifai que es", "que_paso_inai"),
    ],
)
def test_what_x_does_or_is_for_gets_the_entry_about_x(message: str, faq_id: str) -> None:
    """«X q hace?», «para qué sirve X», X said by another name: X's entry (or what X does), not the
    answer a neighbouring entry's words pull towards."""
    outcome, reply = _reply(message, [("sujeto_obligado", 0.2)])
    assert outcome == f"answer:{faq_id}"
    assert reply["text"] == _answer(faq_id)


@pytest.mark.parametrize(
    "message", ["que hace el gobierno por mi colonia", "para que sirve pedir informacion si no contestan"])
def test_what_a_non_title_does_is_no_title_asked(message: str) -> None:
    assert titles_asked(message) == []


def test_a_second_what_is_is_offered_as_a_button() -> None:
    outcome, reply = _reply("que es el stl y que es una mesa de cocreacion?")
    assert outcome == "answer:que_es_stl"
    assert reply["buttons"][-1]["payload"] == '/elegir_tema{"tema":"mesas_cocreacion"}'


@pytest.mark.parametrize(
    "message",
    ["la transparencia que es obligatoria no la cumplen", "que es el gobierno abierto en mi colonia"],
)
def test_a_title_word_in_a_longer_phrase_is_no_title_asked(message: str) -> None:
    assert titles_asked(message) == []


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [("datos abiertos agua potable csv", "buscar_datos_abiertos"),
     ("datos abiertos seguridad api", "buscar_datos_abiertos"),
     ("saimex caido", "plataforma_no_funciona"),
     ("costo copias certificadas", "costo_solicitud")],
)
def test_a_keyword_search_gets_the_answer_not_the_proposal_interview(message: str, faq_id: str) -> None:
    """A few words typed like a search box: «agua» is no problem told when they name a subject."""
    outcome, reply = _reply(message)
    assert outcome == f"answer:{faq_id}"
    assert reply["text"] == _answer(faq_id)


def test_a_short_problem_told_without_a_subject_is_still_a_proposal() -> None:
    outcome, _events, _messages = _handover("no hay agua en la colonia desde el lunes")
    assert outcome == "proposal"


@pytest.mark.parametrize(("message", "faq_id"), [("OCDS??", "que_es_ocds"), ("plandai", "plandai")])
def test_a_title_name_alone_gets_that_entry(message: str, faq_id: str) -> None:
    outcome, reply = _reply(message)
    assert outcome == f"answer:{faq_id}"


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("buen dia, me podrias explicar que es la transparencia proactiva? es para una tarea",
         "transparencia_proactiva"),
        ("oigan y eso del plandai q es? nadie en la oficina sabe", "plandai"),
        ("y a mi de que me sirve el gobierno abierto si en mi colonia ni luz hay",
         "para_que_sirve_gobierno_abierto"),
    ],
)
def test_a_what_is_after_a_greeting_or_a_lead_in_gets_that_entry(message: str, faq_id: str) -> None:
    outcome, reply = _reply(message, [("buscar_datos_abiertos", 0.2)])
    assert outcome == f"answer:{faq_id}"
    assert reply["text"] == _answer(faq_id)


def test_a_lexicon_word_alone_does_not_hide_the_what_is() -> None:
    """«pegado» matched the core's lexicon; nothing about violence is told, so what she asks."""
    outcome, messages = _sensitive_reply("que es el ipomex? vi un anuncio pegado en la presidencia",
                                         [("que_hacer_violencia", 0.3)])
    assert outcome == "answer:ipomex"
    assert messages[0]["text"] == _answer("ipomex")


def test_violence_told_with_a_what_is_still_gets_violence_help() -> None:
    text = "mi esposo me pega cuando le pregunto por el dinero, que es el ipomex"
    outcome, _messages = _sensitive_reply(text, [("que_hacer_violencia", 0.3)])
    assert outcome != "answer:ipomex"


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("soy mesero en el centro, de que me sirve a mi el gobierno abierto si ni tiempo tengo",
         "para_que_sirve_gobierno_abierto"),
        ("vivo en un pueblo y en la tele mencionan eso de la transparencia proactiva q es",
         "transparencia_proactiva"),
    ],
)
def test_the_subject_asked_after_a_story_is_named_by_its_title(message: str, faq_id: str) -> None:
    outcome, reply = _reply(message, [("como_participar", 0.2)])
    assert outcome == f"answer:{faq_id}"
    assert reply["text"] == _answer(faq_id)


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("oiga que es eso de mesa de cocreacion lo dijeron en el radio y no le entendi", "mesas_cocreacion"),
        ("buenas tardes, quisiera conocer en que consiste el parlamento abierto", "parlamento_abierto"),
        ("no entiendo bien que es el ipomex, mi cuñado dice que ahi sale todo", "ipomex"),
        ("que es el famoso arbol de problemas", "arbol_problemas"),
        ("que es un plan de accion de gobierno abierto? nadie en la colonia sabe", "plan_accion_local"),
        ("que es la rendicion de cuentas en palabras sencillas? es un pilar o que", "rendicion_cuentas"),
    ],
)
def test_a_what_is_said_otherwise_gets_that_entry(message: str, faq_id: str) -> None:
    """«en qué consiste X», «el famoso X», «no entiendo bien qué es X», X's name followed by
    more words, the plan named without «local»: X's entry."""
    outcome, reply = _reply(message, [("como_participar", 0.2)])
    assert outcome == f"answer:{faq_id}"
    assert reply["text"] == _answer(faq_id)


def test_a_word_only_mark_lets_both_rankings_choose_an_answer_about_something_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """«miedo» marked the message; no violence is told and the selector reads no violence: the
    answer both rankings put in front, not what to do when living violence."""
    monkeypatch.setattr("actions.unsure.faq_index", lambda: _Ranking(
        [("como_pedir_informacion", 40.0), ("solicitud_anonima", 38.0), ("sin_decir_para_que", 30.0)]))
    outcome, messages = _sensitive_reply(
        "queremos preguntar por la obra parada pero nos da miedo que sepan quien pregunto, va con nombre?",
        [("solicitud_anonima", 0.2), ("sujeto_obligado", 0.05), ("costo_solicitud", 0.04)])
    assert outcome == "answer:solicitud_anonima"
    assert messages[0]["text"] == _answer("solicitud_anonima")


def test_a_word_only_mark_with_violence_in_the_selector_stays_careful(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A violence answer among the selector's first three keeps the old, careful path."""
    monkeypatch.setattr("actions.unsure.faq_index", lambda: _Ranking(
        [("recurso_revision", 16.0), ("no_me_responden", 14.0), ("violencia_digital", 13.0)]))
    outcome, _messages = _sensitive_reply(
        "mi amigo me mando un mensaje raro de despedida y ya no me responde",
        [("no_me_responden", 0.16), ("ayudar_a_otra", 0.13), ("que_hacer_violencia", 0.13)])
    assert outcome not in {"answer:no_me_responden", "answer:recurso_revision"}
