"""The core's own replies: bad input, emergencies and Rasa down, without a Rasa server.

"Rasa down" is real: the client points at a closed local port.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine

from bot.content.chat import telegram_commands
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient, RasaResult
from bot.conversation.replies import Button, Reply
from bot.conversation.safety import safety_net
from bot.rasa.servers import free_port


@pytest.fixture
async def down_core():  # type: ignore[no-untyped-def]
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    yield ConversationCore(client, record_usage=False)
    await client.aclose()


async def test_rasa_down_gives_menu_and_emergency_lines(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u1", "que es el gobierno abierto")
    assert not turn.emergency
    text = turn.replies[0].text
    assert "problema técnico" in text
    assert "911" in text and "800 108 40 53" in text
    assert turn.replies[0].buttons, "the menu comes with it"


async def test_danger_is_answered_first_even_with_rasa_down(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u2", "me está pegando mi pareja, auxilio")
    assert turn.emergency
    assert turn.intent == "emergency"
    assert "911" in turn.replies[0].text
    assert turn.replies[0].buttons[0].payload == "/buscar_centro"


@pytest.mark.parametrize(
    ("text", "intent", "fragment"),
    [
        ("", "empty", "No me llegó"),
        ("   \n ", "empty", "No me llegó"),
        ("😀😀😀", "no_words", "no encuentro palabras"),
        ("???", "no_words", "no encuentro palabras"),
        ("/borrartodo", "unknown_command", "No conozco el comando /borrartodo"),
        ("/elegir_temaX", "unknown_command", "No conozco el comando"),
    ],
)
async def test_bad_input_gets_a_clear_spanish_reply(
    down_core: ConversationCore, text: str, intent: str, fragment: str
) -> None:
    turn = await down_core.handle("u3", text)
    assert turn.intent == intent
    assert fragment in turn.replies[0].text


async def test_unknown_command_lists_every_command_of_the_menu(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u3b", "/foo")
    assert turn.intent == "unknown_command"
    text = turn.replies[0].text
    assert text.startswith("No conozco el comando /foo.")
    listed = re.findall(r"/\w+", text.split("entiendo:", 1)[1])
    assert listed == telegram_commands().names()  # the menu, in its order; stale if hard-coded


@pytest.mark.parametrize(("typed", "meant"), [("/solisitud", "/solicitud"),
                                               ("/mis_solicitud", "/mis_solicitudes"),
                                               ("/suscrivir", "/suscribir")])
async def test_a_misspelt_command_offers_the_one_it_looks_like(
    down_core: ConversationCore, typed: str, meant: str
) -> None:
    """Found trying it as an older adult: «/solisitud» only got the whole list of commands."""
    turn = await down_core.handle("u3c", typed)
    assert turn.intent == "unknown_command"
    assert turn.replies[0].text == (f"No conozco el comando {typed}. ¿Quisiste decir {meant}? "
                                    "Tócalo o escríbelo.")
    assert [(b.title, b.payload) for b in turn.replies[0].buttons] == [(meant, meant)]

async def test_huge_message_is_refused_politely(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u4", "a" * 100_000)
    assert turn.intent == "too_long"
    assert "100,000 caracteres" in turn.replies[0].text


async def test_huge_message_in_danger_still_gets_help(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u5", "bla " * 5_000 + " tengo miedo de que me mate")
    assert turn.emergency


async def test_no_rasa_configured_still_answers() -> None:
    core = ConversationCore(None, record_usage=False)
    turn = await core.handle("u6", "hola")
    assert "problema técnico" in turn.replies[0].text


async def test_the_emergency_reply_carries_the_lines_and_is_never_sent_to_rasa(
    down_core: ConversationCore,
) -> None:
    turn = await down_core.handle("u7", "tengo miedo de que me mate")
    assert turn.emergency and len(turn.replies) == 1
    text = turn.replies[0].text
    assert "911" in text and "800 108 40 53" in text and "079" in text
    assert "problema técnico" not in text, "answered before (and without) Rasa"


async def test_a_shared_location_is_answered_from_the_directory_without_rasa(
    down_core: ConversationCore,
) -> None:
    """Rasa is down here: had the location gone to Rasa, the reply would be the outage notice."""
    turn = await down_core.handle_location("u8", 19.293488, -99.657317)
    assert turn.intent == "buscar_centro_ubicacion" and turn.text == ""
    head, *centres = turn.replies
    assert "más cercanos a tu ubicación" in head.text and "800 108 40 53" in head.text
    assert len(centres) == 3
    assert centres[0].text.startswith("1. Centro de Justicia para las Mujeres Toluca — a 1.3 km")
    location = (centres[0].custom or {})["location"]
    assert (location["lat"], location["lon"]) == (19.298452, -99.668661)
    assert location["title"] == "Centro de Justicia para las Mujeres Toluca"
    assert "Paseo Matlazincas" in location["address"]


async def test_an_impossible_location_asks_again(down_core: ConversationCore) -> None:
    turn = await down_core.handle_location("u9", float("nan"), 500.0)
    assert "¿En qué municipio estás?" in turn.replies[0].text
    assert turn.replies[0].custom == {"request_location": True}


async def test_the_centre_button_still_works_with_rasa_down(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u10", "/buscar_centro")
    assert "comparte tu ubicación" in turn.replies[0].text
    assert turn.replies[0].custom == {"request_location": True}


async def test_a_typed_municipality_after_the_centre_button_works_with_rasa_down(
    down_core: ConversationCore,
) -> None:
    """Asked where she is, she types a place instead of sharing her location: still answered."""
    await down_core.handle("u12", "/buscar_centro")
    turn = await down_core.handle("u12", "neza")
    head, *centres = turn.replies
    assert "problema técnico" not in head.text
    assert "cabecera municipal de Nezahualcóyotl" in head.text and "800 108 40 53" in head.text
    assert len(centres) == 3 and centres[0].text.startswith("1. UNIDAS Nezahualcóyotl")
    again = await down_core.handle("u12", "Toluca")
    assert "problema técnico" in again.replies[0].text, "only right after the question"


async def test_no_place_after_the_centre_button_gets_the_outage_reply_and_the_lines(
    down_core: ConversationCore,
) -> None:
    await down_core.handle("u13", "/buscar_centro")
    turn = await down_core.handle("u13", "no sé")
    assert "problema técnico" in turn.replies[0].text and "911" in turn.replies[0].text


@pytest.mark.parametrize("message", [
    "salida rápida", "SALIDA RAPIDA", "/salida_rapida",
    # round 10: said in her own words, in a hurry (dev slices' kind: they got violence answers)
    "borra esto rápido que viene mi esposo", "esconde esto x fa q ahi viene",
    "borra la conversación ya que llegó mi marido",
])
async def test_quick_exit_works_with_rasa_down(down_core: ConversationCore, message: str) -> None:
    turn = await down_core.handle("u11", message)
    assert turn.intent == "salida_rapida"
    reply = turn.replies[0]
    assert reply.custom == {"quick_exit": True}
    assert "Eliminar" in reply.text and "48 horas" in reply.text
    assert "violencia" not in reply.text.lower(), "discreet: someone else may read the screen"


def test_deleting_her_stored_data_or_a_public_problem_is_no_quick_exit() -> None:
    net = safety_net()
    for message in ("borra mis datos", "borra mi propuesta",
                    "que borren los grafitis que vienen del otro lado",
                    "quiten el puesto que llega hasta la esquina"):
        assert not net.is_quick_exit(message), message


def test_a_custom_payload_is_joined_to_the_text_before_it() -> None:
    from bot.conversation.core import merge_custom
    from bot.conversation.replies import Reply

    merged = merge_custom([
        Reply("centro 1"), Reply("", custom={"location": {"lat": 1}}),
        Reply("centro 2"), Reply("", custom={"location": {"lat": 2}}),
        Reply("", custom={"quick_exit": True}),
    ])
    assert [(r.text, r.custom) for r in merged] == [
        ("centro 1", {"location": {"lat": 1}}),
        ("centro 2", {"location": {"lat": 2}}),
        ("", {"quick_exit": True}),
    ]


@pytest.mark.parametrize(
    "message",
    ["me está pe\u200bgando", "me está pe\u00adgando", "me\u2060 está pegando",
     "\ufeffme está pegando", "mе еstá pеgаndо", "ｍｅ ｅｓｔá ｐｅｇａｎｄｏ"],
)
async def test_invisible_characters_and_look_alikes_do_not_hide_danger(
    down_core: ConversationCore, message: str
) -> None:
    turn = await down_core.handle("u-zw", message)
    assert turn.emergency and turn.intent == "emergency"
    assert turn.replies[0].text.startswith("Si estás en peligro ahora, llama al 911")
    assert turn.text == "me está pegando", "what is stored and sent on is the clean text"


async def test_control_characters_never_go_further_than_the_door(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u-cc", "que es el gobierno\x00 abierto\x07\uffff")
    assert turn.text == "que es el gobierno abierto"


@pytest.mark.parametrize(
    "message",
    ["me quiero morir", "ya no quiero vivir", "me corto los brazos cuando estoy triste",
     "me voy a quitar la vida", "creo que todos estarían mejor sin mí"],
)
async def test_suicide_and_self_harm_get_the_crisis_line_first_with_rasa_down(
    down_core: ConversationCore, message: str
) -> None:
    turn = await down_core.handle("u-crisis", message)
    assert turn.emergency and turn.intent == "crisis"
    text = turn.replies[0].text
    numbers = re.findall(r"\d[\d ]*\d", text)
    assert numbers[0].strip() == "800 911 2000", "the crisis line comes first"
    assert "911" in [n.strip() for n in numbers[1:]], "then 911"
    assert "800 108 40 53" not in text, "the violence lines are not for a person in crisis"


async def test_figures_of_speech_are_neither_danger_nor_crisis(down_core: ConversationCore) -> None:
    for message in ["este trámite me mata", "me muero de hambre", "me muero de risa con este bot"]:
        turn = await down_core.handle("u-idiom", message)
        assert not turn.emergency, message


class RecordingRasa:
    """Stands for Rasa: records what the core sends it and answers nothing in particular."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        self.sent.append(text)
        return RasaResult(messages=[{"text": "ok"}], intent="apoyar_propuesta", confidence=1.0)


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("typed", ["/apoyar_propuesta P-2026-000123", "/apoyar_propuesta   p-2026-000123",
                                   "/apoyar_propuesta_P-2026-000123", "/Apoyar_Propuesta P-2026-000123"])
async def test_support_typed_with_its_folio_is_the_support_button(typed: str) -> None:
    """Leftover of round 5: «/apoyar_propuesta P-2026-000123» (as someone would copy it from a
    folio shown elsewhere) was «No conozco el comando /apoyar_propuesta»."""
    rasa = RecordingRasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-apoyo", typed, channel="telegram")
    assert turn.intent == "apoyar_propuesta"
    assert rasa.sent == ['/apoyar_propuesta{"folio":"P-2026-000123"}']


class _ListeningRasa(RasaClient):
    """A Rasa that answers every message and keeps what it was sent."""

    def __init__(self) -> None:
        super().__init__(f"http://127.0.0.1:{free_port()}", timeout=2.0)
        self.heard: list[str] = []
        self.metadata: list[dict[str, object]] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None
                   ) -> RasaResult:
        self.heard.append(text)
        self.metadata.append(dict(metadata or {}))
        return RasaResult(messages=[{"text": "La respuesta."}], intent="faq", confidence=0.9)


@pytest.mark.parametrize(
    ("message", "read_by_rasa"),
    [
        ("me muero de hambre jaja, ¿qué es la puerta violeta?", "qué es la puerta violeta?"),
        ("este calor me está matando, ¿dónde hay un centro para mujeres?",
         "dónde hay un centro para mujeres?"),
        ("la tarea de cívica me está matando xd bueno ya, oye y ¿qué es una hoja de ruta?",
         "qué es una hoja de ruta?"),
        # no figure of speech, a real threat, or nothing asked: the message as it came
        ("¿qué es la puerta violeta?", "¿qué es la puerta violeta?"),
        ("mi mamá me va a colgar si no le hablo hoy jajaja",
         "mi mamá me va a colgar si no le hablo hoy jajaja"),
    ],
)
async def test_a_figure_of_speech_before_a_question_leaves_the_question_to_rasa(
    message: str, read_by_rasa: str
) -> None:
    """Round 6 (issue 14): the model took «me muero de hambre jaja» for out of scope and the
    question after it got the out-of-scope menu instead of its answer."""
    rasa = _ListeningRasa()
    core = ConversationCore(rasa, record_usage=False)
    turn = await core.handle("u-figure", message)
    await rasa.aclose()
    assert not turn.emergency
    assert rasa.heard == [read_by_rasa]
    assert turn.text == message  # the turn still reports what she wrote


async def test_a_real_threat_is_never_cut_down_to_its_question() -> None:
    rasa = _ListeningRasa()
    core = ConversationCore(rasa, record_usage=False)
    turn = await core.handle("u-threat", "mi esposo me va a matar, ¿qué hago?")
    await rasa.aclose()
    assert turn.emergency and rasa.heard == []


async def test_a_question_cut_from_a_figure_of_speech_is_answered_as_the_question_it_is() -> None:
    """«Me va a matar» made the whole message sensitive, and the unsure path then offered the
    violence topics for a question about co-creation; the question alone is not sensitive."""
    rasa = _ListeningRasa()
    core = ConversationCore(rasa, record_usage=False)
    await core.handle("u-figure-2", "mi jefa me va a matar si llego tarde jaja, ¿qué es una hoja de ruta?")
    await core.handle("u-figure-3", "me muero de risa, ¿dónde denuncio violencia familiar?")
    await rasa.aclose()
    assert "sensitive" not in rasa.metadata[0]
    assert rasa.metadata[1].get("sensitive") is True  # the question itself touches violence


@pytest.mark.usefixtures("app_db")
async def test_keep_going_mid_interview_reaches_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """«No, seguir con ella» asked inside the interview sent its title, which the model read as an
    FAQ at 0.9999: now its payload goes to Rasa (the form asks the same step again); a typed «no»
    presses it. At the summary (no form waiting) the core still answers it itself."""
    rasa = RecordingRasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]

    async def in_interview(sender: str) -> bool:
        return True

    monkeypatch.setattr(core, "_in_interview", in_interview)
    await core.handle("u-keep", "/seguir_propuesta", channel="telegram")
    asked = Reply("¿Quieres cancelar tu propuesta?", [Button("Sí, cancelarla", "/cancelar_si"),
                                                      Button("No, seguir con ella", "/seguir_propuesta")])
    await core.offers.remember("u-keep", [asked])
    await core.handle("u-keep", "nel", channel="telegram")
    assert rasa.sent == ["/seguir_propuesta", "/seguir_propuesta"]


@pytest.mark.usefixtures("app_db")
async def test_a_stale_keep_going_button_does_not_promise_a_proposal() -> None:
    """Found on the citizen walk: «No, seguir con ella» pressed after the proposal was cancelled
    said «Tu propuesta sigue aquí, sin enviar» (and «sí» then found nothing to send)."""
    rasa = RecordingRasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-stale-keep", "/seguir_propuesta", channel="telegram")
    assert turn.replies[0].text.startswith("No tienes ninguna propuesta en curso")
    assert "sigue aquí" not in turn.replies[0].text and rasa.sent == []


async def test_an_old_plain_button_mid_interview_is_not_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """walk8: an old theme button («Movilidad», its payload plain words) tapped at the causes step
    was kept as the causes. Tapped mid-interview and not among the buttons on screen, the same
    step is asked again; a button that is on screen goes on as before."""
    from bot.conversation.replies import Turn

    core = ConversationCore(None, record_usage=False)
    seen: list[str] = []

    async def in_interview(sender: str) -> bool:
        return True

    async def handle(sender: str, text: str, channel: str, **_: object) -> Turn:
        seen.append(text)
        return Turn(text, "x", 1.0, False, [Reply("(Paso 4 de 8) ¿Por qué crees que pasa?")])

    monkeypatch.setattr(core, "_in_interview", in_interview)
    monkeypatch.setattr(core, "_handle", handle)
    turn = await core.handle_tap("tg-77", "Movilidad")
    assert seen == ["/seguir_propuesta"]
    assert turn.replies[0].text.startswith("Ese botón era de una pregunta anterior")
    await core.offers.remember("tg-77", [Reply("¿Tema?", [Button("Movilidad", "Movilidad")])])
    await core.handle_tap("tg-77", "Movilidad")
    assert seen[-1] == "Movilidad", "a button on screen is the answer"


# --- walk9: a proposal half written survives whatever she types, and Rasa going down --------


class _CancellingRasa:
    """Rasa's proposal form confirming a cancel that came from «nel, mejor dime qué es el STL»."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        self.sent.append(text)
        if text == "/cancelar":
            return RasaResult(messages=[{"text": "Listo, cancelé tu propuesta y no guardé nada."},
                                        {"custom": {"then": "mejor dime qué es el STL"}}],
                              intent="cancelar", confidence=1.0)
        return RasaResult(messages=[{"text": "El STL es el Secretariado Técnico Local."}],
                          intent="faq", confidence=0.9)


@pytest.mark.usefixtures("app_db")
async def test_what_she_asked_instead_is_answered_right_after_the_cancel() -> None:
    """walk8: «nel, mejor dime qué es X», «sí» to cancelling: only «cancelé tu propuesta»."""
    rasa = _CancellingRasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-then", "/cancelar_si", channel="telegram")
    assert [r.text for r in turn.replies] == ["Listo, cancelé tu propuesta y no guardé nada.",
                                              "El STL es el Secretariado Técnico Local."]
    assert all(not r.custom for r in turn.replies), "the key never reaches a channel"
    assert rasa.sent == ["/cancelar", "mejor dime qué es el STL"]


def _waiting(monkeypatch: pytest.MonkeyPatch, loop: str) -> None:
    """Rasa's store says this form waits for her answer (read by the core, even with Rasa down)."""
    from bot.storage import rasa_tracker

    monkeypatch.setattr(rasa_tracker, "active_loop", lambda engine, sender: loop)


async def test_rasa_down_mid_interview_says_the_proposal_is_kept(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _waiting(monkeypatch, "proposal_form")
    turn = await down_core.handle("u-kept", "el camión de la basura no pasa desde hace semanas")
    [reply] = turn.replies
    assert "Tu propuesta no se perdió" in reply.text and "911" in reply.text
    assert reply.buttons == [], "no menu leads her away from it"


async def test_a_typed_place_after_a_restart_with_rasa_down_gets_the_centres(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """walk8: «¿En qué municipio estás?» was remembered in the process's memory only: after a
    restart, with Rasa down, «ecatepec» got «problema técnico» instead of the centres."""
    assert "u-where" not in down_core.place_asked  # a fresh process
    _waiting(monkeypatch, "centro_form")
    turn = await down_core.handle("u-where", "ecatepec")
    text = "\n".join(r.text for r in turn.replies)
    assert "Ecatepec" in text and "problema técnico" not in text


@pytest.mark.parametrize(("typed", "said"), [
    ("😡😡😡", "no encuentro palabras"),
    ("a" * 10_000, "Tu mensaje es muy largo (10,000 caracteres)"),
    ("/xyz", "No conozco el comando /xyz."),
])
async def test_odd_input_mid_interview_keeps_the_proposal(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch, typed: str, said: str
) -> None:
    _waiting(monkeypatch, "proposal_form")
    [reply] = (await down_core.handle("u-odd", typed)).replies
    assert said in reply.text and "propuesta sigue donde íbamos" in reply.text
    assert reply.buttons == []


async def test_the_database_down_for_a_moment_gets_an_answer_not_silence(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dialogue whose query fails (PostgreSQL refusing connections) raised out of the turn:
    Telegram's handler logged it and the person got nothing at all."""
    from sqlalchemy.exc import OperationalError

    async def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("select 1", {}, Exception("the database system is shutting down"))

    monkeypatch.setattr(down_core.subscriptions, "handle", down)
    [reply] = (await down_core.handle("u-db", "quiero recibir noticias")).replies
    assert "problema técnico" in reply.text and "911" in reply.text and reply.buttons


@pytest.mark.usefixtures("app_db")
async def test_otros_after_a_list_of_centres_shows_the_next_ones(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """beh10: «¿hay otros?» after the three nearest centres went to Rasa as a new question."""
    _waiting(monkeypatch, "centro_form")
    first = await down_core.handle("u-otros", "ecatepec")
    assert first.replies[-1].buttons == [Button("Ver más lugares", "/mas_centros 15033 3")]
    shown = {r.text.split(" — ")[0].split(". ", 1)[1] for r in first.replies[1:]}
    more = await down_core.handle("u-otros", "¿hay otros?")
    head, *centres = more.replies
    assert head.text.startswith("Estos son 3 lugares más, un poco más lejos de la cabecera municipal "
                                "de Ecatepec de Morelos:")
    assert [c.text.split(". ", 1)[0] for c in centres] == ["4", "5", "6"]
    assert not shown & {c.text.split(" — ")[0].split(". ", 1)[1] for c in centres}, "new ones"
    assert centres[-1].buttons == [Button("Ver más lugares", "/mas_centros 15033 6")]


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize(("typed", "rank"), [("el segundo", "2"), ("la 3", "3"), ("quiero ir al 1", "1"),
                                             ("el último", "3")])
async def test_a_centre_picked_by_its_number_after_the_list(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch, typed: str, rank: str
) -> None:
    """prop11: «el segundo» after the list of centres went to Rasa as a new question (it worked
    only after contract results): that centre again, alone, with its map and «Ver más»."""
    _waiting(monkeypatch, "centro_form")
    first = await down_core.handle("u-pick", "ecatepec")
    listed = {r.text.split(". ", 1)[0]: r for r in first.replies[1:]}
    turn = await down_core.handle("u-pick", typed)
    [reply] = turn.replies
    assert turn.intent == "ver_centro"
    assert reply.text == listed[rank].text
    assert reply.custom == listed[rank].custom and reply.custom and "location" in reply.custom
    assert reply.buttons == [Button("Ver más lugares", "/mas_centros 15033 3")]


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize(("typed", "said"), [
    ("y a que hora abren?", "junto al 🕘"), ("¿abren los sábados?", "junto al 🕘"),
    ("tienen telefono?", "junto al 📞"), ("como llego al primero", "junto al 📍"),
])
async def test_a_question_about_the_list_of_centres_is_answered_from_it(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch, typed: str, said: str
) -> None:
    """Round 12 citizen walk: «y a qué hora abren?» after the list got the generic menu."""
    _waiting(monkeypatch, "centro_form")
    await down_core.handle("u-about", "ecatepec")
    turn = await down_core.handle("u-about", typed)
    [reply] = turn.replies
    assert turn.intent == "centros_pregunta"
    assert said in reply.text and "800 108 40 53" in reply.text


@pytest.mark.usefixtures("app_db")
async def test_a_number_beyond_the_list_or_after_a_location_is_explained(
    down_core: ConversationCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _waiting(monkeypatch, "centro_form")
    await down_core.handle("u-pick9", "ecatepec")
    [beyond] = (await down_core.handle("u-pick9", "el quinto")).replies
    assert beyond.text.startswith("En la lista que te mostré solo hay 3 lugares de atención cerca de "
                                  "Ecatepec de Morelos.")
    await down_core.handle_location("u-pick-gps", 19.293488, -99.657317)
    [gps] = (await down_core.handle("u-pick-gps", "la segunda")).replies
    assert gps.text.startswith("Tu ubicación no la guardo, así que no puedo volver a mostrarte ese lugar")


async def test_more_centres_when_there_are_no_more_says_so(down_core: ConversationCore) -> None:
    turn = await down_core.handle("u-nomas", "/mas_centros 15033 500")
    [reply] = turn.replies
    assert reply.text.startswith("Ya te mostré todos los lugares de atención que tengo en mi "
                                 "directorio cerca de Ecatepec de Morelos.")
    assert "800 108 40 53" in reply.text


@pytest.mark.usefixtures("app_db")
async def test_otros_after_a_shared_location_asks_for_the_municipality(
    down_core: ConversationCore,
) -> None:
    """The location is never kept, so «otros» cannot search from it again: she is told why."""
    await down_core.handle_location("u-otros-gps", 19.293488, -99.657317)
    [reply] = (await down_core.handle("u-otros-gps", "otros")).replies
    assert reply.text.startswith("Tu ubicación no la guardo, así que no puedo buscar más lugares")


class _ContractsRasa:
    """Stands for Rasa: contract results for a search, an unrelated FAQ answer for anything else."""

    def __init__(self, engine: object) -> None:
        self.engine = engine
        self.heard: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None
                   ) -> RasaResult:
        from bot.procurement.replies import answer_text

        self.heard.append(text)
        if text.startswith("contratos"):
            answer = answer_text(text, self.engine)  # type: ignore[arg-type]
            return RasaResult(messages=[{"text": answer.text, "buttons": answer.buttons}],
                              intent="buscar_contratos", confidence=0.97)
        return RasaResult(messages=[{"text": "¿Qué es el Secretariado Técnico Local?"}],
                          intent="faq", confidence=0.41)


@pytest.mark.parametrize(("typed", "n"), [("el segundo", 2), ("el 2", 2), ("a ver el tercero", 3)])
async def test_a_contract_of_the_list_is_opened_by_its_place(db_engine: Engine, typed: str,
                                                              n: int) -> None:
    """beh10: «el segundo» after contract results got an unrelated FAQ answer from Rasa."""
    from bot.procurement import service as svc

    for path in svc.bundled_files(compranet=False):
        svc.load_source(str(path), engine=db_engine)
    rasa = _ContractsRasa(db_engine)
    core = ConversationCore(rasa, record_usage=False, engine=db_engine)  # type: ignore[arg-type]
    listed = (await core.handle("u-pick", "contratos de 2017")).replies[0].text
    item = next(block for block in listed.split("\n\n") if block.startswith(f"{n}. "))
    turn = await core.handle("u-pick", typed)
    assert rasa.heard == ["contratos de 2017"], "answered from the list, not by Rasa"
    [reply] = turn.replies
    assert reply.text.startswith(f"Este es el contrato {n} de tu búsqueda en 2017:")
    assert item.split("\n")[0] in reply.text
    again = await core.handle("u-pick", "y el primero")
    assert again.replies[0].text.startswith("Este es el contrato 1 de tu búsqueda")


async def test_ese_with_several_contracts_on_screen_asks_which(db_engine: Engine) -> None:
    from bot.procurement import service as svc

    for path in svc.bundled_files(compranet=False):
        svc.load_source(str(path), engine=db_engine)
    core = ConversationCore(_ContractsRasa(db_engine), record_usage=False,  # type: ignore[arg-type]
                            engine=db_engine)
    await core.handle("u-ese", "contratos de 2017")
    [reply] = (await core.handle("u-ese", "ese")).replies
    assert reply.text == "¿Cuál de ellos? Escribe su número, del 1 al 5; por ejemplo, «el 1»."


class _PersonRasa(RasaClient):
    """A Rasa sure that every message asks to talk to a person."""

    def __init__(self) -> None:
        super().__init__(f"http://127.0.0.1:{free_port()}", timeout=2.0)

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None
                   ) -> RasaResult:
        return RasaResult(messages=[{"text": "Soy un asistente automático."}], intent="hablar_persona",
                          confidence=0.99)


@pytest.mark.usefixtures("app_db")
async def test_a_psychologist_asked_for_gets_the_free_services_not_the_stl_team() -> None:
    """Round 11: «quiero hablar con una psicóloga» was read as the talk-to-a-person request and
    opened the STL's queue (or said «soy un asistente»); she asked for the services for women."""
    rasa = _PersonRasa()
    core = ConversationCore(rasa, record_usage=False)
    turn = await core.handle("tg-7001", "ya no quiero hablar con robots, necesito una psicóloga de a deveras",
                             channel="telegram")
    near = await core.handle("tg-7002", "necesito una abogada en toluca", channel="telegram")
    plain = await core.handle("tg-7003", "quiero hablar con una persona", channel="telegram")
    await rasa.aclose()
    assert "Línea Sin Violencia" in turn.replies[0].text and "UNIDAS" in turn.replies[0].text
    assert near.intent == "buscar_centro" and "Toluca" in near.replies[0].text
    assert "Aviso de privacidad" in plain.replies[0].text  # the team's request, as before


class _InterviewAnsweredRasa:
    """Rasa's proposal form took the answer and asked the next step, but the model read the
    answer («que reparen los baches…») as a request for data the bot does not hold."""

    def __init__(self, reply: str = "(Paso 8 de 8) Aviso de privacidad simplificado",
                 form: str | None = "proposal_form") -> None:
        self.reply, self.form = reply, form

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        return RasaResult(messages=[{"text": self.reply}], intent="pedir_datos", confidence=0.93,
                          form=self.form)


@pytest.mark.usefixtures("app_db")
async def test_an_interview_answer_read_as_a_data_request_keeps_the_interview(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Round 11: the core drafted an information request over the interview's next step."""
    _waiting(monkeypatch, "proposal_form")
    core = ConversationCore(_InterviewAnsweredRasa(), record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-step7", "Que reparen los baches y den mantenimiento cada año")
    assert [r.text for r in turn.replies] == ["(Paso 8 de 8) Aviso de privacidad simplificado"]


@pytest.mark.usefixtures("app_db")
async def test_the_last_answer_the_interview_took_gets_its_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 12: the core trusts Rasa's turn (the form took the message), not the intent nor a
    read of the store after the turn: the last step's answer ends the form, so no form waits any
    more, and the summary came back; it was replaced by a drafted request."""
    _waiting(monkeypatch, None)  # type: ignore[arg-type]
    summary = "Este es el resumen de tu propuesta. ¿La envío?"
    core = ConversationCore(_InterviewAnsweredRasa(summary), record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-last-step", "que cada año den mantenimiento a las luminarias")
    assert [r.text for r in turn.replies] == [summary]


@pytest.mark.usefixtures("app_db")
async def test_a_data_request_outside_an_interview_is_drafted(monkeypatch: pytest.MonkeyPatch) -> None:
    _waiting(monkeypatch, None)  # type: ignore[arg-type]
    core = ConversationCore(_InterviewAnsweredRasa(form=None), record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-data", "cuánto gastó el municipio en luminarias")
    assert "Paso 8" not in " ".join(r.text for r in turn.replies)
