"""A restart (a new process on the same database) in the middle of a request loses nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from bot.conversation.replies import Button
from bot.identity import person_key
from bot.inforequests import store
from bot.inforequests.dialogue import InfoRequestDialogue
from bot.privacy import rights
from bot.storage.db import session_scope
from bot.storage.models import InfoRequestPending

MENU = [Button("Menú", "/help")]
TODAY = dt.date(2026, 12, 6)


def process(engine: Engine) -> InfoRequestDialogue:
    """A freshly started bot: nothing in memory, the same database."""
    return InfoRequestDialogue(lambda: list(MENU), engine, today=lambda: TODAY)


def stored_row(engine: Engine, sender: str) -> dict[str, object] | None:
    with session_scope(engine) as session:
        row = session.scalar(select(InfoRequestPending)
                             .where(InfoRequestPending.person_key == person_key(sender)))
        return None if row is None else {c.name: getattr(row, c.name)
                                         for c in InfoRequestPending.__table__.columns}


async def test_a_filing_goes_on_after_two_restarts_and_saves_on_a_typed_si(db_engine: Engine) -> None:
    sender = "tg-7700"
    intent, _ = await process(db_engine).handle(
        sender, "ya mandé mi solicitud, folio 00777/SAIMEX/IP/2026") or ("", [])
    assert intent == "solicitud_pide_fecha"
    intent, replies = await process(db_engine).handle(sender, "el 2 de diciembre") or ("", [])
    assert intent == "solicitud_pide_institucion"  # the folio was not lost: now the body
    intent, replies = await process(db_engine).handle(sender, "neza") or ("", [])
    assert intent == "solicitud_plazo"
    assert "folio 00777/SAIMEX/IP/2026 al Ayuntamiento de Nezahualcóyotl" in replies[0].text
    assert store.mine(person_key(sender), db_engine) == []  # nothing saved before consent
    intent, replies = await process(db_engine).handle(sender, "sí") or ("", [])
    assert intent == "solicitud_guardada"
    assert [(f.folio, f.filed_on) for f in store.mine(person_key(sender), db_engine)] == [
        ("00777/SAIMEX/IP/2026", dt.date(2026, 12, 2))]
    assert stored_row(db_engine, sender) is None  # the open question went with the answer


async def test_a_draft_question_survives_a_restart_without_storing_the_request_text(
    db_engine: Engine,
) -> None:
    sender = "tg-7701"
    intent, replies = await process(db_engine).begin(sender, "cuánto gastaron en el alumbrado navideño")
    assert intent == "solicitud_pide_institucion"
    row = stored_row(db_engine, sender)
    assert row is not None and row["step"] == "body"
    assert "alumbrado" not in repr(row)  # never the request text
    # After the restart the body is understood; the subject, never stored, is asked again.
    intent, replies = await process(db_engine).handle(sender, "neza") or ("", [])
    assert intent == "solicitud_pide_tema"
    assert "Ayuntamiento de Nezahualcóyotl" in replies[0].text
    intent, replies = await process(db_engine).handle(sender, "cuánto gastaron en el alumbrado navideño") \
        or ("", [])
    assert intent == "solicitud_borrador"
    assert replies[1].text.startswith("A la Unidad de Transparencia del Ayuntamiento de Nezahualcóyotl")


async def test_after_a_restart_she_is_told_why_the_subject_is_asked_again(db_engine: Engine) -> None:
    """beh10: the question came again with no word of why (her words are never stored)."""
    sender = "tg-7704"
    await process(db_engine).begin(sender, "quiero saber cuántas patrullas compraron este año")
    intent, replies = await process(db_engine).handle(sender, "la fiscalía") or ("", [])
    assert intent == "solicitud_pide_tema"
    assert [r.text for r in replies] == [
        "Se reinició la conversación; ¿sobre qué tema quieres preguntar a la Fiscalía General de "
        "Justicia del Estado de México (FGJEM)?"]


async def test_a_subject_asked_for_before_a_restart_is_asked_as_before(db_engine: Engine) -> None:
    """Nothing was lost when only the subject was asked: no word of a restart."""
    sender = "tg-7705"
    await process(db_engine).handle(sender, "/solicitud")
    intent, replies = await process(db_engine).handle(sender, "hola") or ("", [])
    assert intent == "solicitud_pide_tema"
    assert "reinició" not in replies[0].text


async def test_the_same_process_keeps_the_subject_it_heard(db_engine: Engine) -> None:
    d = process(db_engine)
    await d.begin("tg-7702", "cuánto gastaron en el alumbrado navideño")
    intent, replies = await d.handle("tg-7702", "neza") or ("", [])
    assert intent == "solicitud_borrador" and "alumbrado" in replies[1].text


async def test_cancel_after_a_restart_ends_it_for_good(db_engine: Engine) -> None:
    sender = "tg-7703"
    await process(db_engine).handle(sender, "ya la mandé, folio 5555/FGJEM/2026")
    intent, _ = await process(db_engine).handle(sender, "cancelar") or ("", [])
    assert intent == "solicitud_cancelada"
    assert stored_row(db_engine, sender) is None
    assert await process(db_engine).handle(sender, "el 2 de diciembre") is None  # not a question now


async def test_mis_datos_shows_and_borrar_erases_the_open_question(db_engine: Engine) -> None:
    sender = "tg-7704"
    await process(db_engine).handle(sender, "ya la mandé, folio 6666/SAIMEX/IP/2026")
    described = "\n".join(rights.describe(rights.collect(sender, db_engine)))
    assert "La solicitud de información que estábamos viendo (6666/SAIMEX/IP/2026)" in described
    rights.erase(sender, db_engine)
    assert stored_row(db_engine, sender) is None
    assert await process(db_engine).handle(sender, "el 2 de diciembre") is None


async def test_a_mixed_yes_at_the_notice_asks_again_and_saves_nothing(db_engine: Engine) -> None:
    """Found changing one's mind halfway: «sí pero no la guardes» went to Rasa's topic guesses."""
    sender = "tg-7705"
    d = process(db_engine)
    await d.handle(sender, "ya la mandé, folio 7777/SAIMEX/IP/2026, ayer, a Toluca")
    intent, replies = await d.handle(sender, "sí pero no la guardes") or ("", [])
    assert intent == "solicitud_aviso_otra_vez"
    assert replies[0].text.startswith("No te entendí bien: ¿guardo esta solicitud")
    assert [b.title for b in replies[0].buttons] == ["Sí, guárdala", "No, gracias"]
    assert store.mine(person_key(sender), db_engine) == []
    intent, _ = await process(db_engine).handle(sender, "no") or ("", [])
    assert intent == "solicitud_no_guardada"
    assert store.mine(person_key(sender), db_engine) == []


async def test_a_filing_after_a_restart_still_knows_the_drafts_institution(db_engine: Engine) -> None:
    """Found on the citizen walk: the draft's institution was kept in memory only."""
    sender = "tg-7710"
    intent, _ = await process(db_engine).begin(
        sender, "cuántas pipas de agua contrató el ayuntamiento de Neza este año")
    assert intent == "solicitud_borrador"
    row = stored_row(db_engine, sender)
    assert row is not None and row["body_key"] == "mun:15058"
    assert "pipas" not in repr(row)  # the institution only, never the request text
    intent, replies = await process(db_engine).handle(
        sender, "ya la mandé, folio 00931/SAIMEX/IP/2026, el 2 de diciembre") or ("", [])
    assert intent == "solicitud_plazo"
    assert "folio 00931/SAIMEX/IP/2026 al Ayuntamiento de Nezahualcóyotl" in replies[0].text


async def test_mis_datos_tells_the_drafts_institution_is_kept_a_day(db_engine: Engine) -> None:
    sender = "tg-7711"
    await process(db_engine).begin(sender, "cuánto gastó el ayuntamiento de Neza en luminarias")
    shown = rights.describe(rights.collect(sender, db_engine))
    assert any("La institución de tu último borrador de solicitud" in line for line in shown)
