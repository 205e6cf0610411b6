"""Per-message database work: what is pending is read once, unchanged buttons are not rewritten.

Under load (benchmarks/telegram_throughput.py) every message paid four database sessions before
this; these tests keep the count down without timing anything, and check that skipping a write
never serves stale or someone else's buttons.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine

from bot.campaigns import subscriptions as subs
from bot.conversation.core import ConversationCore, menu_buttons
from bot.conversation.offered import REFRESH, TTL, Offers, collect
from bot.conversation.replies import Button, Reply
from bot.identity import person_key
from bot.privacy.registry import Person
from bot.storage.db import session_scope
from bot.storage.models import OfferedChoice
from bot.storage.models.base import utcnow

PRIVACY = [Button("Sí, bórralo", "/borrar_si"), Button("No, consérvalos", "/no_borrar")]
TOPICS = [Button("Movilidad", "/tema_movilidad"), Button("Seguridad", "/tema_seguridad")]


def someone() -> str:
    return f"tg-{uuid.uuid4().int % 10**9}"


@contextmanager
def checkouts(engine: Engine) -> Iterator[list[int]]:
    """How many times the code took a connection from the pool (one per session)."""
    taken = [0]

    def count(*_args: object) -> None:
        taken[0] += 1

    event.listen(engine, "checkout", count)
    try:
        yield taken
    finally:
        event.remove(engine, "checkout", count)


async def test_a_plain_message_reads_what_is_pending_in_one_session(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    me = someone()
    with checkouts(db_engine) as taken:
        turn = await core.handle(me, "¿qué es el gobierno abierto?", channel="telegram")
    assert turn.replies and turn.replies[-1].buttons, "she still gets an answer and the menu"
    assert taken[0] == 1, f"{taken[0]} database sessions for one plain message"


async def test_a_pending_municipality_question_is_still_answered(db_engine: Engine) -> None:
    """The subscription step comes from the turn's one read; «neza» answers it."""
    me = someone()
    chat_id = int(me.removeprefix("tg-"))
    subs.subscribe(chat_id, subs.subscription_content().topics[0].id, engine=db_engine)
    assert subs.ask_municipality(chat_id, engine=db_engine)
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    turn = await core.handle(me, "neza", channel="telegram")
    assert "Nezahualcóyotl" in "\n".join(r.text for r in turn.replies)
    assert subs.pending_step(chat_id, engine=db_engine) is None


async def test_the_same_buttons_again_are_not_rewritten_and_still_answer(db_engine: Engine) -> None:
    me = someone()
    offers = Offers(db_engine, generic=menu_buttons)
    await offers.remember(me, [Reply("¿Qué tema?", TOPICS)])
    await offers.get(me)  # the next turn reads the row
    with checkouts(db_engine) as taken:
        await offers.remember(me, [Reply("¿Qué tema?", TOPICS)])
    assert taken[0] == 0, "nothing changed: nothing written"
    restarted = await Offers(db_engine, generic=menu_buttons).get(me)
    assert restarted is not None and restarted.buttons == TOPICS


async def test_the_expiry_still_moves_when_the_same_buttons_come_back_later(db_engine: Engine) -> None:
    me = someone()
    offers = Offers(db_engine, generic=menu_buttons)
    await offers.remember(me, [Reply("¿Qué tema?", TOPICS)])
    with session_scope(db_engine) as session:  # shown two hours ago
        session.execute(update(OfferedChoice).where(OfferedChoice.person_key == person_key(me))
                        .values(expires_at=utcnow() + TTL - REFRESH - dt.timedelta(hours=1)))
    await offers.get(me)
    await offers.remember(me, [Reply("¿Qué tema?", TOPICS)])
    with session_scope(db_engine) as session:
        row = session.get(OfferedChoice, person_key(me))
        assert row is not None and row.expires_at > utcnow() + TTL - dt.timedelta(minutes=5)


async def test_the_menu_after_an_expired_offer_still_deletes_it(db_engine: Engine) -> None:
    """An expired row reads as «nothing offered», but /mis_datos would still show it."""
    me = someone()
    await Offers(db_engine).remember(me, [Reply("¿Borro?", PRIVACY)])
    with session_scope(db_engine) as session:
        session.execute(update(OfferedChoice).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    offers = Offers(db_engine, generic=menu_buttons)
    assert await offers.get(me) is None
    await offers.remember(me, [Reply("¿En qué te ayudo?", menu_buttons())])
    assert collect(Person.of(me), db_engine) == {}


async def test_another_replica_changes_what_a_typed_answer_presses(db_engine: Engine) -> None:
    """Replica B offered other buttons (or erased them) after A skipped a write: A follows B."""
    me, other = someone(), someone()
    a, b = Offers(db_engine, generic=menu_buttons), Offers(db_engine, generic=menu_buttons)
    await a.remember(me, [Reply("¿Qué tema?", TOPICS)])
    await a.get(me)
    await a.remember(me, [Reply("¿Qué tema?", TOPICS)])  # skipped: unchanged
    await b.remember(me, [Reply("¿Borro?", PRIVACY)])
    seen = await a.get(me)
    assert seen is not None and seen.buttons == PRIVACY
    await a.remember(me, [Reply("¿Borro?", PRIVACY)])
    await b.forget(me)  # B answered without buttons
    assert await a.get(me) is None, "a stale «la primera» presses nothing"
    assert await a.get(other) is None, "never someone else's buttons"


def test_the_read_is_built_once_and_still_reads_each_persons_own_state(
        db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one read a turn is the same statement for every message (the person's values are its
    parameters), not a new one built for each; each person still gets what is theirs."""
    from bot.attention import service as attention
    from bot.conversation import turn_state

    built = [0]
    query = attention.open_request_query

    def counted(sender: str) -> object:
        built[0] += 1
        return query(sender)

    monkeypatch.setattr(attention, "open_request_query", counted)
    turn_state.statement.cache_clear()
    mine, theirs = someone(), someone()
    chat_id = int(mine.removeprefix("tg-"))
    subs.subscribe(chat_id, subs.subscription_content().topics[0].id, engine=db_engine)
    assert subs.ask_municipality(chat_id, engine=db_engine)
    for _ in range(3):
        step, other = (turn_state.read(mine, db_engine).subscription_step,
                       turn_state.read(theirs, db_engine).subscription_step)
        assert step is not None and step.value is not None
        assert other is not None and other.value is None
    assert built[0] == 1
    turn_state.statement.cache_clear()
