"""Who wants the programme's news, on which topics and for which municipality.

A subscription keeps the Telegram chat id (the sender needs it to deliver), so it
is personal data: :func:`subscribe` records the person's consent (purpose
``suscripcion``, with the version of the privacy notice in force, through
:mod:`bot.privacy.consent`) in the same transaction and before the subscriber
row. :func:`unsubscribe_all` deletes the row, chat id and all, and marks the
consent revoked; leaving the last topic does the same. ``/mis_datos`` and
``/borrar`` reach subscriptions through :func:`privacy_collect`,
:func:`privacy_describe` and :func:`privacy_erase` (its privacy provider,
registered in :mod:`bot.campaigns.personal_data`). Logs name no chat: callers log
:func:`bot.identity.chat_hash`.

Texts, topics and the plain words that mean "unsubscribe me" live in
``content/subscriptions.yml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import Engine, Select, and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.content import checks
from bot.content.files import content_dir, load_model
from bot.content.fillers import Reader, fillers
from bot.i18n import _, current_locale
from bot.identity import chat_hash, person_key, telegram_sender
from bot.privacy import consent as consents
from bot.privacy.notice import notice_version
from bot.storage.db import session_scope
from bot.storage.models import Consent, Subscriber, SubscriptionTopic, TelegramBlockedChat
from bot.textnorm import normalize_words

PURPOSE = "suscripcion"
PENDING_MUNICIPALITY = "municipality"
PENDING_MUNICIPALITY_AGAIN = "municipality_again"  # asked twice: the next miss drops the question
PENDING_MINUTES = 30  # after this, the next message is no longer taken as the municipality


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# -- content --------------------------------------------------------------------------------


class Topic(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{2,39}$")
    title: str = Field(min_length=3, max_length=40)
    description: str = Field(min_length=10)
    warning: str | None = None


class Notice(BaseModel):
    """The short notice shown before subscribing; the full one and its version: privacy.yml."""

    text: str = Field(min_length=40)


class PlainWords(BaseModel):
    """Plain words that mean one request («ya no me manden nada», «dame de alta»): regular
    expressions over the WHOLE normalised message, polite fillers at either end removed."""

    fillers: list[str]
    patterns: list[str] = Field(min_length=1)
    must_match: list[str] = Field(default_factory=list)
    must_not_match: list[str] = Field(default_factory=list)
    # Searched anywhere (not the whole message): only to correct the model's opposite guess.
    inside: list[str] = Field(default_factory=list)

    @field_validator("patterns", "inside")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"expresión inválida {pattern!r}: {exc}") from exc
        return value

    def matches(self, text: str) -> bool:
        words = normalize_words(text)
        fillers = _longest_first(tuple(self.fillers))
        changed = True
        while changed and words:
            changed = False
            for filler in fillers:
                if words == filler:
                    return False
                if words.startswith(filler + " "):
                    words, changed = words[len(filler) + 1 :], True
                if words.endswith(" " + filler):
                    words, changed = words[: -len(filler) - 1], True
        return bool(words) and any(re.fullmatch(p, words) for p in self.patterns)

    def said_inside(self, text: str) -> bool:
        words = normalize_words(text)
        return any(re.search(p, words) for p in self.inside)

    def misread(self) -> list[str]:
        """The file's own examples the patterns get wrong (a content check)."""
        return [t for t in self.must_match if not self.matches(t)] + \
            [t for t in self.must_not_match if self.matches(t)]


class SubscriptionContent(BaseModel):
    privacy_notice: Notice
    topics: list[Topic] = Field(min_length=1)
    unsubscribe: PlainWords
    # «dame de alta», «quiero recibir noticias de las mesas» (prop11); optional for older files.
    subscribe: PlainWords | None = None
    whole_state_words: list[str] = Field(min_length=1)
    moved_on_words: list[str] = Field(default_factory=list)
    messages: dict[str, str]
    buttons: dict[str, str]

    @model_validator(mode="before")
    @classmethod
    def _fillers(cls, data: Any) -> Any:
        """Each block of plain words skips the fillers content/fillers.yml marks for it."""
        readers: tuple[Reader, ...] = ("unsubscribe", "subscribe")
        for reader in readers:
            if isinstance(data, dict) and isinstance(data.get(reader), dict):
                data[reader].setdefault("fillers", list(fillers(reader)))
        return data

    @model_validator(mode="after")
    def _examples_hold(self) -> SubscriptionContent:
        """The examples in the file are a test the patterns must pass."""
        wrong = self.unsubscribe.misread()
        if wrong:
            raise ValueError(f"unsubscribe: ejemplos mal reconocidos: {wrong}")
        wrong = self.subscribe.misread() if self.subscribe is not None else []
        wrong += [t for t in self.subscribe.must_match if self.is_unsubscribe(t)] if self.subscribe else []
        if wrong:
            raise ValueError(f"subscribe: ejemplos mal reconocidos: {wrong}")
        for key in ("accept", "decline", "whole_state", "change_municipality", "add", "leave",
                    "leave_all"):
            if len(self.buttons.get(key, "").format(topic="x" * 28)) > 64:
                raise ValueError(f"buttons.{key}: falta o es demasiado largo")
        return self

    def message(self, key: str, **values: object) -> str:
        return " ".join(self.messages[key].split()).format(**values)

    def button(self, key: str, **values: object) -> str:
        return self.buttons[key].format(**values)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def titles(self, topic_ids: list[str]) -> str:
        known = [t.title for t in self.topics if t.id in topic_ids]
        return ", ".join(f"«{title}»" for title in known)

    def is_unsubscribe(self, text: str) -> bool:
        return self.unsubscribe.matches(text)

    def is_subscribe(self, text: str) -> bool:
        """Plain words asking for the news; never what also reads as an unsubscribe."""
        return self.subscribe is not None and self.subscribe.matches(text) \
            and not self.is_unsubscribe(text)


@lru_cache(maxsize=8)
def _longest_first(fillers: tuple[str, ...]) -> tuple[str, ...]:
    """The fillers normalised, longest first: once per content, not on every message."""
    return tuple(sorted((normalize_words(f) for f in fillers), key=len, reverse=True))


def load_subscription_content(
    directory: Path | None = None, locale: str | None = None
) -> SubscriptionContent:
    """Read and check ``subscriptions.yml``; with ``locale``, its interface texts translated.

    The plain words that mean "unsubscribe" stay as written: they match what people type.
    """
    model = load_model((directory or content_dir()) / "subscriptions.yml", SubscriptionContent, locale)
    assert isinstance(model, SubscriptionContent)
    return model


@checks.register("subscriptions.yml")
def check_subscription_content(directory: Path | None = None) -> list[str]:
    return checks.problems_loading(load_subscription_content, directory)


@lru_cache(maxsize=4)
def _subscription_content(locale: str) -> SubscriptionContent:
    return load_subscription_content(locale=locale)


def subscription_content(locale: str | None = None) -> SubscriptionContent:
    """``subscriptions.yml`` in ``locale`` or the current one."""
    return _subscription_content(locale or current_locale())


def is_unsubscribe_request(text: str) -> bool:
    """Plain words meaning "stop sending me news" («ya no me manden nada», «darme de baja»)."""
    return subscription_content().is_unsubscribe(text)


def is_subscribe_request(text: str) -> bool:
    """Plain words asking for the news («dame de alta», «quiero recibir noticias de las mesas»)."""
    return subscription_content().is_subscribe(text)


# -- subscriptions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    """What a person sees of their own subscription."""

    topics: list[str]
    municipality_code: str | None
    municipality: str | None
    pending_step: str | None
    notice_version: str


def get(chat_id: int, engine: Engine | None = None) -> Subscription | None:
    with session_scope(engine) as session:
        row = session.execute(
            select(Subscriber, Consent.notice_version)
            .join(Consent, Consent.id == Subscriber.consent_id)
            .where(Subscriber.chat_id == chat_id)
        ).first()
        if row is None:
            return None
        subscriber, version = row
        pending = subscriber.pending_step
        if pending and (subscriber.pending_since or dt.datetime.min) < utcnow() - dt.timedelta(
            minutes=PENDING_MINUTES
        ):
            pending = None
        return Subscription(
            topics=[t.topic for t in subscriber.topics],
            municipality_code=subscriber.municipality_code,
            municipality=subscriber.municipality,
            pending_step=pending,
            notice_version=version,
        )


def pending_step(chat_id: int, engine: Engine | None = None) -> str | None:
    """The question the bot is waiting on for this chat, if any (cheap: one indexed row)."""
    with session_scope(engine) as session:
        return pending_step_in(session, chat_id)


def pending_step_in(session: Session, chat_id: int) -> str | None:
    """:func:`pending_step` in the caller's transaction."""
    row = session.execute(pending_query(chat_id)).first()
    return None if row is None else still_pending(row[0], row[1])


def pending_query(chat_id: int) -> Select[str | None, dt.datetime | None]:
    """The query for the chat's pending step and since when (the core folds it into its one read
    a turn; :func:`still_pending` reads the answer)."""
    return select(Subscriber.pending_step, Subscriber.pending_since).where(
        Subscriber.chat_id == chat_id)


def still_pending(step: str | None, since: dt.datetime | None) -> str | None:
    """The step, unless none is set or it was asked too long ago."""
    if step is None or since is None:
        return None
    return step if since >= utcnow() - dt.timedelta(minutes=PENDING_MINUTES) else None


def needs_consent(chat_id: int, engine: Engine | None = None) -> bool:
    """True unless this chat consented to the current version of the notice."""
    current = get(chat_id, engine)
    return current is None or current.notice_version != notice_version()


def subscribe(chat_id: int, topic: str, engine: Engine | None = None) -> str:
    """Subscribe to ``topic`` after the person accepted the notice shown to them.

    Returns "subscribed" (new subscriber), "added" (another topic) or "already".
    The consent row is written first, in the same transaction as the subscription.
    """
    if subscription_content().topic(topic) is None:
        raise ValueError(f"unknown topic {topic!r}")
    version = notice_version()
    for _attempt in range(2):  # a concurrent first subscription of the same chat: try once more
        try:
            with session_scope(engine) as session:
                subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
                outcome = "added"
                consent = session.get(Consent, subscriber.consent_id) if subscriber else None
                if consent is None or consent.notice_version != version:
                    consent = consents.record(person_key(telegram_sender(chat_id)), PURPOSE,
                                              session=session, version=version)
                    if subscriber is None:
                        subscriber = Subscriber(chat_id=chat_id, chat_hash=chat_hash(chat_id),
                                                consent_id=consent.id)
                        session.add(subscriber)
                        session.flush()
                        outcome = "subscribed"
                    else:
                        subscriber.consent_id = consent.id
                assert subscriber is not None
                if subscriber.chat_hash != chat_hash(chat_id):  # a row with the legacy pseudonym
                    subscriber.chat_hash = chat_hash(chat_id)
                if topic in {t.topic for t in subscriber.topics}:
                    return "already"
                session.add(SubscriptionTopic(subscriber_id=subscriber.id, topic=topic))
                if outcome == "subscribed":
                    subscriber.pending_step = PENDING_MUNICIPALITY
                    subscriber.pending_since = utcnow()
            return outcome
        except IntegrityError:
            continue
    return "already"


def set_municipality(
    chat_id: int, code: str | None, name: str | None, engine: Engine | None = None
) -> bool:
    """Set (or clear, with None) the subscriber's municipality; False if not subscribed."""
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
        if subscriber is None:
            return False
        subscriber.municipality_code, subscriber.municipality = code, name
        subscriber.pending_step = subscriber.pending_since = None
    return True


def ask_municipality(chat_id: int, engine: Engine | None = None) -> bool:
    """Remember that the next message may be this subscriber's municipality."""
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
        if subscriber is None:
            return False
        subscriber.pending_step, subscriber.pending_since = PENDING_MUNICIPALITY, utcnow()
    return True


def ask_municipality_again(chat_id: int, engine: Engine | None = None) -> None:
    """The answer was no municipality: one more try, keeping when the question was first asked."""
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
        if subscriber is not None and subscriber.pending_step is not None:
            subscriber.pending_step = PENDING_MUNICIPALITY_AGAIN


def clear_pending(chat_id: int, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
        if subscriber is not None:
            subscriber.pending_step = subscriber.pending_since = None


def _delete(session: Session, subscriber: Subscriber) -> None:
    consent = session.get(Consent, subscriber.consent_id)
    if consent is not None and consent.revoked_at is None:
        consent.revoked_at = utcnow()
    session.delete(subscriber)


def unsubscribe_all(chat_id: int, engine: Engine | None = None) -> list[str]:
    """Delete the subscriber (chat id included) at once; return the topics they had."""
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
        if subscriber is None:
            return []
        topics = [t.topic for t in subscriber.topics]
        _delete(session, subscriber)
    return topics


def unsubscribe_topic(chat_id: int, topic: str, engine: Engine | None = None) -> list[str] | None:
    """Leave one topic; returns the topics left (None if they did not have it).

    Leaving the last topic deletes the subscriber, as :func:`unsubscribe_all` does.
    """
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
        if subscriber is None:
            return None
        topics = [t.topic for t in subscriber.topics]
        if topic not in topics:
            return None
        remaining = [t for t in topics if t != topic]
        if not remaining:
            _delete(session, subscriber)
        else:
            session.execute(delete(SubscriptionTopic).where(
                SubscriptionTopic.subscriber_id == subscriber.id, SubscriptionTopic.topic == topic))
    return remaining


# -- audiences (for campaigns) --------------------------------------------------------------


def audience_query(topic: str, municipalities: list[str]) -> Select[Any]:
    """Subscriber ids a campaign reaches: the topic, the municipalities, and no one who blocked us.

    A campaign without municipalities reaches everyone on the topic; one with
    municipalities reaches only subscribers who said they live in one of them.
    """
    query = (
        select(Subscriber.id)
        .join(SubscriptionTopic, and_(SubscriptionTopic.subscriber_id == Subscriber.id,
                                      SubscriptionTopic.topic == topic))
        .outerjoin(TelegramBlockedChat, TelegramBlockedChat.chat_hash == Subscriber.chat_hash)
        .where(TelegramBlockedChat.chat_hash.is_(None))
    )
    if municipalities:
        query = query.where(Subscriber.municipality_code.in_(municipalities))
    return query


def audience_size(topic: str, municipalities: list[str], engine: Engine | None = None) -> int:
    with session_scope(engine) as session:
        subquery = audience_query(topic, municipalities).subquery()
        return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def counts_by_topic(engine: Engine | None = None) -> dict[str, int]:
    """Subscribers per topic (anonymous numbers, for editors)."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(SubscriptionTopic.topic, func.count()).group_by(SubscriptionTopic.topic)
        ).all()
    return {topic: int(count) for topic, count in rows}


def blocked_subscribers(engine: Engine | None = None) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(
            select(func.count()).select_from(Subscriber).join(
                TelegramBlockedChat, TelegramBlockedChat.chat_hash == Subscriber.chat_hash)
        ) or 0)



# -- /mis_datos and /borrar (a provider of bot.privacy.rights) ----------------------------


def privacy_collect(person: Any, engine: Engine | None = None) -> dict[str, Any]:
    """What a subscription keeps about this person (empty when they have none)."""
    if person.chat_id is None:
        return {}
    with session_scope(engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == person.chat_id))
        if subscriber is None:
            return {}
        return {
            "chat": person.chat_id,
            "temas": [t.topic for t in subscriber.topics],
            "municipio": subscriber.municipality,
            "desde": subscriber.created_at.date().isoformat(),
        }


def privacy_describe(data: dict[str, Any]) -> list[str]:
    content = subscription_content()
    where = data.get("municipio") or _("todo el estado")
    return [_("• Noticias: este chat, para mandarte {topics} (zona: {where}). Para dejarlas: /baja.")
            .format(topics=content.titles(list(data.get("temas") or [])), where=where)]


def privacy_erase(person: Any, engine: Engine | None = None) -> dict[str, int]:
    if person.chat_id is None:
        return {}
    return {_("suscripciones"): 1 if unsubscribe_all(person.chat_id, engine) else 0}
