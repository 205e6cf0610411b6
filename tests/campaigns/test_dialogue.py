"""/suscribir and /baja through the conversation core, with no Rasa at all (rasa=None).

Had a message gone to Rasa, the reply would be the core's "problema técnico" notice.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.campaigns import subscriptions as subs
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Reply, Turn
from bot.storage.db import make_engine, session_scope
from bot.storage.models import Consent, Subscriber

CHAT = 4242
SENDER = f"tg-{CHAT}"


@pytest.fixture
def core(db_engine: Engine) -> ConversationCore:
    return ConversationCore(None, record_usage=False, engine=db_engine)


async def say(core: ConversationCore, text: str, sender: str = SENDER, channel: str = "telegram") -> Turn:
    return await core.handle(sender, text, channel=channel)


def payload(reply: Reply, title: str) -> str:
    for button in reply.buttons:
        if button.title == title:
            return button.payload
    raise AssertionError(f"no button {title!r} in {[b.title for b in reply.buttons]}")


def rows(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def subscribe(core: ConversationCore, topic_title: str = "Convocatorias y eventos",
                    sender: str = SENDER) -> Turn:
    """A first subscription: topic, notice, «Sí, acepto»."""
    first = await say(core, "/suscribir", sender)
    notice = await say(core, payload(first.replies[0], topic_title), sender)
    return await say(core, payload(notice.replies[0], "Sí, acepto"), sender)


async def add_topic(core: ConversationCore, topic_title: str) -> Turn:
    overview = await say(core, "/suscribir")
    return await say(core, payload(overview.replies[0], f"Agregar: {topic_title}"))


async def test_subscribe_shows_the_notice_and_stores_nothing_before_consent(
    core: ConversationCore, db_engine: Engine
) -> None:
    first = await say(core, "/suscribir")
    assert first.intent == "suscribir"
    intro = first.replies[0]
    assert "noticias del programa de gobierno abierto" in intro.text
    assert [b.title for b in intro.buttons] == [t.title for t in subs.subscription_content().topics]
    assert all(len(b.payload.encode()) <= 64 for b in intro.buttons), "fits callback_data"
    notice = await say(core, payload(intro, "Convocatorias y eventos"))
    assert "Aviso de privacidad simplificado" in notice.replies[0].text
    assert [b.title for b in notice.replies[0].buttons] == ["Sí, acepto", "No, gracias"]
    assert rows(db_engine, Subscriber) == rows(db_engine, Consent) == 0, "nothing before consent"
    declined = await say(core, payload(notice.replies[0], "No, gracias"))
    assert "no guardé nada" in declined.replies[0].text
    assert rows(db_engine, Subscriber) == rows(db_engine, Consent) == 0


async def test_alta_is_subscribing_as_people_call_it(core: ConversationCore, db_engine: Engine) -> None:
    """Found trying it as a citizen: «/alta» (the opposite of «/baja») was an unknown command."""
    first = await say(core, "/alta")
    assert first.intent == "suscribir"
    assert "noticias del programa de gobierno abierto" in first.replies[0].text
    named = await say(core, "/alta contrataciones")
    assert "Aviso de privacidad simplificado" in named.replies[0].text
    accepted = await say(core, payload(named.replies[0], "Sí, acepto"))
    assert "Te voy a mandar aquí las noticias de «Contrataciones" in accepted.replies[0].text
    assert rows(db_engine, Subscriber) == 1

async def test_accepting_subscribes_and_asks_for_the_municipality(
    core: ConversationCore, db_engine: Engine
) -> None:
    accepted = await subscribe(core)
    done, ask = accepted.replies
    assert "Te voy a mandar aquí las noticias de «Convocatorias y eventos»" in done.text
    assert "/baja" in done.text
    assert "municipio" in ask.text and [b.title for b in ask.buttons] == ["Solo todo el estado"]
    assert rows(db_engine, Subscriber) == rows(db_engine, Consent) == 1
    typed = await say(core, "neza")
    assert "todo el estado y las de Nezahualcóyotl" in typed.replies[0].text
    current = subs.get(CHAT, db_engine)
    assert current and current.municipality == "Nezahualcóyotl" and current.pending_step is None
    after = await say(core, "Toluca")
    assert "problema técnico" in after.replies[0].text, "no longer waiting: it goes to Rasa"


async def test_a_typo_or_an_ambiguous_name_is_asked_again(core: ConversationCore, db_engine: Engine) -> None:
    await subscribe(core)
    unknown = await say(core, "Gotham")
    assert "No encontré el municipio «Gotham»" in unknown.replies[0].text
    skip = payload(unknown.replies[0], "Solo todo el estado")
    yes = await say(core, "si")
    assert yes.replies[0].text.startswith("¿Cuál es tu municipio?"), "no loose guess: the name comes next"
    ambiguous = await say(core, "Tenango")  # del Valle or del Aire
    assert ambiguous.replies[0].text == "¿Cuál de estos municipios es el tuyo?"
    assert len(ambiguous.replies[0].buttons) == 3
    question = await say(core, "¿qué es el gobierno abierto?")
    assert "problema técnico" in question.replies[0].text, "a question is not a municipality"
    assert subs.pending_step(CHAT, db_engine) is None
    whole_state = await say(core, skip)
    assert "recibirás las noticias de todo el estado." in whole_state.replies[0].text


@pytest.mark.parametrize("word", ["gracias", "Cancelar", "después", "no, por ahora"])
async def test_thanks_or_cancel_instead_of_a_municipality_ends_the_question(
    core: ConversationCore, db_engine: Engine, word: str
) -> None:
    await subscribe(core)
    turn = await say(core, word)
    assert turn.replies[0].text == "Listo: recibirás las noticias de todo el estado."
    assert subs.pending_step(CHAT, db_engine) is None
    after = await say(core, "transparencia")
    assert "problema técnico" in after.replies[0].text, "no longer waiting: it goes to Rasa"


@pytest.mark.parametrize("word", ["hola", "menú", "ayuda"])
async def test_a_greeting_or_the_menu_is_answered_not_taken_for_a_place(
    core: ConversationCore, db_engine: Engine, word: str
) -> None:
    await subscribe(core)
    turn = await say(core, word)
    assert "No encontré el municipio" not in turn.replies[0].text
    assert "problema técnico" in turn.replies[0].text, "it went on to Rasa"
    assert subs.pending_step(CHAT, db_engine) is None


async def test_a_word_that_is_no_place_is_asked_about_only_once(
    core: ConversationCore, db_engine: Engine
) -> None:
    await subscribe(core)
    first = await say(core, "transparencia")
    assert "No encontré el municipio «transparencia»" in first.replies[0].text
    second = await say(core, "buzón ciudadano")
    assert "No encontré" not in second.replies[0].text and "problema técnico" in second.replies[0].text
    assert subs.pending_step(CHAT, db_engine) is None
    current = subs.get(CHAT, db_engine)
    assert current and current.topics == ["convocatorias"], "the subscription stays"


async def test_yes_before_the_name_asks_for_it(core: ConversationCore, db_engine: Engine) -> None:
    await subscribe(core)
    yes = await say(core, "va")
    assert yes.replies[0].text.startswith("¿Cuál es tu municipio?")
    assert [b.title for b in yes.replies[0].buttons] == ["Solo todo el estado"]
    named = await say(core, "metepec")
    assert "todo el estado y las de Metepec" in named.replies[0].text


@pytest.mark.parametrize("how", ["button", "Todo el estado", "ninguno"])
async def test_only_the_whole_state(core: ConversationCore, db_engine: Engine, how: str) -> None:
    accepted = await subscribe(core)
    answer = payload(accepted.replies[1], "Solo todo el estado") if how == "button" else how
    turn = await say(core, answer)
    assert turn.replies[0].text == "Listo: recibirás las noticias de todo el estado."
    current = subs.get(CHAT, db_engine)
    assert current and current.municipality is None and current.pending_step is None


async def test_a_subscriber_sees_their_topics_and_can_add_or_leave(
    core: ConversationCore, db_engine: Engine
) -> None:
    await subscribe(core)
    overview = (await say(core, "/suscribir")).replies[0]
    assert "Recibes noticias de: «Convocatorias y eventos». Zona: todo el estado." in overview.text
    added = await say(core, payload(overview, "Agregar: Contrataciones públicas"))
    assert "agregué «Contrataciones públicas»" in added.replies[0].text, "no second notice"
    assert rows(db_engine, Consent) == 1
    again = await say(core, payload(overview, "Agregar: Contrataciones públicas"))
    assert "Ya recibes las noticias de «Contrataciones públicas»" in again.replies[0].text, "stale button"
    left = await say(core, "/baja contrataciones")
    assert "ya no te mandaré noticias de «Contrataciones públicas»" in left.replies[0].text
    assert "Sigues recibiendo: «Convocatorias y eventos»" in left.replies[0].text
    not_mine = await say(core, "/baja violencia_mujeres")
    assert "No recibías noticias de «Violencia contra las mujeres»" in not_mine.replies[0].text


async def test_the_violence_topic_warns_that_others_may_see_the_messages(core: ConversationCore) -> None:
    first = await say(core, "/suscribir")
    notice = await say(core, payload(first.replies[0], "Violencia contra las mujeres"))
    assert "si alguien más revisa tu teléfono podría verlos" in notice.replies[0].text
    assert "911" in notice.replies[0].text


@pytest.mark.parametrize("words", ["/baja", "ya no me manden nada", "No quiero más mensajes",
                                   "darme de baja", "/baja@participa_bot"])
async def test_unsubscribe_deletes_the_chat_at_once(
    core: ConversationCore, db_engine: Engine, words: str
) -> None:
    await subscribe(core)
    await add_topic(core, "Gobierno abierto")
    text = words.replace("@participa_bot", "")  # the Telegram channel strips the bot's name
    turn = await say(core, text)
    assert turn.intent == "baja"
    assert "borré este chat de mi lista de envíos" in turn.replies[0].text
    assert rows(db_engine, Subscriber) == 0
    again = await say(core, text)
    assert "No tienes ninguna suscripción" in again.replies[0].text


async def test_words_that_only_look_like_unsubscribing_go_on_to_rasa(
    core: ConversationCore, db_engine: Engine
) -> None:
    await subscribe(core)
    await say(core, "/suscribir_municipio todo")
    turn = await say(core, "no me mandan respuesta de mi solicitud")
    assert "problema técnico" in turn.replies[0].text
    assert rows(db_engine, Subscriber) == 1


async def test_stale_and_strange_payloads(core: ConversationCore, db_engine: Engine) -> None:
    unknown = await say(core, "/suscribir_tema futbol")
    assert "Ese tema ya no está disponible" in unknown.replies[0].text and unknown.replies[0].buttons
    no_sub = await say(core, "/suscribir_municipio 15106")
    assert "Primero elige un tema" in no_sub.replies[0].text
    odd = await say(core, "/suscribir_acepto <script>")
    assert "Ese botón era de un mensaje anterior" in odd.replies[0].text
    assert rows(db_engine, Subscriber) == 0
    accepted = await subscribe(core)
    assert accepted.intent == "suscribir_acepto"
    tap_again = await say(core, payload((await say(core, "/suscribir")).replies[0],
                                        "Darme de baja de todo"))
    assert tap_again.intent == "baja"


async def test_a_stale_accept_after_baja_subscribes_nobody(core: ConversationCore, db_engine: Engine) -> None:
    """Round 6's leftover: «Sí, acepto» of an old notice, pressed after /baja, subscribed again
    (consent to a notice that was no longer on screen)."""
    first = await say(core, "/suscribir")
    notice = await say(core, payload(first.replies[0], "Convocatorias y eventos"))
    old_accept = payload(notice.replies[0], "Sí, acepto")
    await say(core, old_accept)
    await say(core, "/baja")
    assert rows(db_engine, Subscriber) == 0
    stale = await say(core, old_accept)
    assert stale.replies[0].text.startswith("Ese botón era de un mensaje anterior, así que no te "
                                            "suscribí a nada")
    assert [b.title for b in stale.replies[0].buttons] == ["Ver temas"]
    assert rows(db_engine, Subscriber) == 0 and subs.get(CHAT, db_engine) is None
    again = await say(core, stale.replies[0].buttons[0].payload)
    notice = await say(core, payload(again.replies[0], "Convocatorias y eventos"))
    accepted = await say(core, payload(notice.replies[0], "Sí, acepto"))
    assert accepted.intent == "suscribir_acepto", "a fresh notice still subscribes"
    assert rows(db_engine, Subscriber) == 1


async def test_outside_telegram_the_bot_says_where_news_arrive(core: ConversationCore) -> None:
    turn = await say(core, "/suscribir", sender="terminal-1", channel="terminal")
    assert "solo llegan por Telegram" in turn.replies[0].text and "/suscribir" in turn.replies[0].text


async def test_with_the_database_down_the_person_is_told(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'sin_tablas.db'}")  # never migrated
    core = ConversationCore(None, record_usage=False, engine=engine)
    turn = await say(core, "/baja")
    assert "problema técnico" in turn.replies[0].text and "No se perdió nada" in turn.replies[0].text
    chat = await say(core, "hola")
    assert chat.replies, "the pending-question lookup failing does not break the conversation"


async def test_the_terminal_explains_subscribing_and_unsubscribing_honestly(core: ConversationCore) -> None:
    joined = await say(core, "/suscribir", sender="term-1", channel="terminal")
    assert joined.intent == "suscribir_fuera_de_telegram"
    assert joined.replies[0].text == subs.subscription_content().message("telegram_only")
    left = await say(core, "/baja", sender="term-1", channel="terminal")
    assert left.intent == "baja_fuera_de_telegram"
    assert left.replies[0].text == (
        "Aquí no te mando noticias, así que no hay nada que dar de baja. Si las recibes por "
        "Telegram, escribe /baja en ese chat."
    )


@pytest.mark.parametrize(("typed", "left"), [
    ("/baja violencia", "Violencia contra las mujeres"),
    ("/baja contratos", "Contrataciones públicas"),
    ("/baja mujeres", "Violencia contra las mujeres"),
    ("/baja noticias de contrataciones", "Contrataciones públicas"),
])
async def test_baja_names_a_topic_by_a_few_of_its_words(
    core: ConversationCore, db_engine: Engine, typed: str, left: str
) -> None:
    await subscribe(core, "Violencia contra las mujeres")
    await add_topic(core, "Contrataciones públicas")
    turn = await say(core, typed)
    assert f"ya no te mandaré noticias de «{left}»" in turn.replies[0].text
    current = subs.get(CHAT, db_engine)
    assert current and len(current.topics) == 1


async def test_baja_with_a_word_of_no_topic_changes_nothing(
    core: ConversationCore, db_engine: Engine
) -> None:
    await subscribe(core, "Violencia contra las mujeres")
    turn = await say(core, "/baja deportes")
    assert "No recibías noticias de «deportes»" in turn.replies[0].text
    current = subs.get(CHAT, db_engine)
    assert current and current.topics == ["violencia_mujeres"]


@pytest.mark.parametrize(("typed", "topic"), [
    ("/suscribir contrataciones", "Contrataciones públicas"),
    ("/suscribir noticias de violencia contra las mujeres", "Violencia contra las mujeres"),
])
async def test_subscribe_naming_a_topic_goes_straight_to_its_notice(
    core: ConversationCore, db_engine: Engine, typed: str, topic: str
) -> None:
    turn = await say(core, typed)
    assert turn.intent == "suscribir_aviso"
    assert turn.replies[0].text.startswith(f"Para mandarte noticias de «{topic}» necesito tu permiso.")
    assert rows(db_engine, Subscriber) == 0, "nothing before consent"


async def test_subscribe_naming_no_topic_shows_them_all(core: ConversationCore) -> None:
    turn = await say(core, "/suscribir quiero noticias porfa")
    assert turn.intent == "suscribir"
    assert [b.title for b in turn.replies[0].buttons] == [t.title for t in subs.subscription_content().topics]


async def test_reading_the_full_notice_keeps_the_consent_question(
    core: ConversationCore, db_engine: Engine
) -> None:
    """The short notice says «Aviso completo: /privacidad»; after reading it, «sí» still accepts."""
    first = await say(core, "/suscribir")
    await say(core, payload(first.replies[0], "Gobierno abierto"))
    notice = await say(core, "/privacidad")
    assert "Aviso de privacidad simplificado" in notice.replies[0].text
    assert [b.title for b in notice.replies[-1].buttons] == ["Sí, acepto", "No, gracias"]
    assert rows(db_engine, Subscriber) == 0
    accepted = await say(core, "sí, acepto")
    assert accepted.intent == "suscribir_acepto"
    current = subs.get(CHAT, db_engine)
    assert current and current.topics == ["gobierno_abierto"]


async def test_a_stale_municipality_button_without_a_subscription_asks_for_a_topic(
        core: ConversationCore) -> None:
    """Found on the citizen walk: an old «municipio» button (or a made-up code) with no
    subscription asked «¿Quieres recibir también las noticias de tu municipio?»."""
    turn = await say(core, "/suscribir_municipio 99999")
    assert turn.replies[0].text.startswith("Primero elige un tema para recibir noticias")


async def test_an_old_accept_of_a_topic_she_has_says_she_has_it(core: ConversationCore,
                                                                 db_engine: Engine) -> None:
    """walk8: after subscribing (and a restart), the old notice's «Sí, acepto» said «no te suscribí
    a nada ni guardé tu chat», while she was subscribed to that very topic."""
    first = await say(core, "/suscribir")
    notice = await say(core, payload(first.replies[0], "Contrataciones públicas"))
    old_accept = payload(notice.replies[0], "Sí, acepto")
    await say(core, old_accept)
    await say(core, "izcalli")  # the municipality: the notice is no longer the last question
    again = await say(core, old_accept)
    assert again.replies[0].text == "Ya recibes las noticias de «Contrataciones públicas».", \
        again.replies[0].text
    assert rows(db_engine, Subscriber) == 1
