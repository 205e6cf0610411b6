"""Citizens' proposals: submit (idempotent), similar ones, adhesions, status changes, review.

Every function takes an optional engine so the CLI, the actions and the tests
share one implementation on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.clock import local_date, local_today  # noqa: F401  (svc.local_today, svc.local_date)
from bot.config import get_settings
from bot.content.files import content_dir
from bot.i18n import _, configured_locale, current_locale
from bot.i18n_content import localize
from bot.identity import person_key
from bot.privacy import consent as consents
from bot.privacy.masking import mask_personal_data
from bot.storage.db import session_scope
from bot.storage.models import (
    Adhesion,
    Notification,
    Proposal,
    ProposalContact,
    ProposalFollower,
    ProposalGroupMember,
    StatusChange,
)
from bot.textclean import clean
from bot.textnorm import normalize_words

STATUSES = ("recibida", "en_revision", "turnada", "integrada", "no_procede", "duplicada")
CONTACT_PURPOSE = "contacto_propuesta"
SIMILARITY_MIN = 45
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
PHONE_RE = re.compile(r"^\+?(52)?\d{10}$")
EMAIL_IN_TEXT_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")
PHONE_IN_TEXT_RE = re.compile(r"(?<![\d+])(?:\+?52[\s.-]?)?\(?\d{2,3}\)?(?:[\s.-]?\d){7,8}(?!\d)")
MAX_CONTACT_SENTENCE = 120
EXPORT_FIELDS = ("folio", "fecha", "tema", "municipio", "clave_municipio", "problema", "causas",
                 "efectos", "personas_afectadas", "solucion", "estado", "razon_estado", "adhesiones",
                 "origen")
# ``Proposal.channel`` of proposals collected outside the chat (``review import``): their origin.
ORIGIN_IMPORTED = "importada"
# Export columns a citizen (or a reviewer's note) writes freely: masked in anonymised exports.
FREE_TEXT_FIELDS = ("problema", "causas", "efectos", "personas_afectadas", "solucion", "razon_estado")


class ProposalError(Exception):
    """A review action that cannot be done (unknown folio, bad status…), said in Spanish."""


class Theme(BaseModel):
    id: str
    title: str
    keywords: list[str]


class StatusInfo(BaseModel):
    label: str
    meaning: str


class Step(BaseModel):
    ask: str
    example: str | None = None
    min: int = 1
    max: int = 1000
    optional: bool = False
    model_config = {"extra": "allow"}


class PrivacyNotice(BaseModel):
    """The short notice at the consent step; its version is the one in content/privacy.yml."""

    text: str


class ProposalContent(BaseModel):
    themes: list[Theme]
    statuses: dict[str, StatusInfo]
    privacy_notice: PrivacyNotice
    steps: dict[str, Step]
    messages: dict[str, str]

    def message(self, key: str, **values: object) -> str:
        return " ".join(self.messages[key].split()).format(**values)

    def theme_title(self, theme_id: str) -> str:
        return next((t.title for t in self.themes if t.id == theme_id), theme_id)


@lru_cache(maxsize=4)
def _proposal_content(locale: str) -> ProposalContent:
    data = yaml.safe_load((content_dir() / "proposals.yml").read_text("utf-8"))
    return ProposalContent.model_validate(localize(data, "proposals.yml", locale))


def proposal_content(locale: str | None = None) -> ProposalContent:
    """``proposals.yml`` in ``locale`` or the current one (messages, steps, statuses translated)."""
    return _proposal_content(locale or current_locale())


def keyword_hits(words: list[str], keywords: list[str]) -> int:
    """How many of ``words`` a theme's keywords name: whole words, or stems written «inunda*»."""
    stems = tuple(k[:-1] for k in keywords if k.endswith("*"))
    whole = {k for k in keywords if not k.endswith("*")}
    return sum(1 for w in words if w in whole or (stems and w.startswith(stems)))


def sounds_like(word: str) -> str:
    """A word as it sounds in Mexican Spanish, so «vasura», «vaches» or «kamion» match their
    keywords: b/v, s/z/c before e or i, ll/y, k/c and a silent h are folded."""
    word = word.removeprefix("h").replace("ll", "y").replace("v", "b").replace("z", "s")
    return re.sub(r"c(?=[ei])", "s", word.replace("k", "c"))


def suggest_theme(text: str, typos: bool = False) -> str | None:
    """The theme whose keywords appear most in ``text`` (None when none does; a tie goes to the
    theme listed first in content/proposals.yml). ``typos``: words match as they sound
    (:func:`sounds_like`), for a theme only suggested, never chosen, from it."""
    words = list(dict.fromkeys(normalize_words(text).split()))
    if typos:
        words = [sounds_like(w) for w in words]
    best, hits = None, 0
    for theme in proposal_content().themes:
        keywords = theme.keywords
        if typos:
            keywords = [sounds_like(k.rstrip("*")) + ("*" if k.endswith("*") else "") for k in keywords]
        count = keyword_hits(words, keywords)
        if count > hits:
            best, hits = theme.id, count
    return best


def match_theme(text: str) -> str | None:
    """A theme from a button title, its id or a typed name ("movilidad", "corrupcion")."""
    key = normalize_words(text)
    for theme in proposal_content().themes:
        if key in (normalize_words(theme.title), normalize_words(theme.id.replace("_", " "))):
            return theme.id
    for theme in proposal_content().themes:
        title = normalize_words(theme.title)
        if key and (key in title or title in key):
            return theme.id
    return suggest_theme(text)


def valid_contact(text: str) -> str | None:
    """A normalised e-mail or 10-digit phone, or None; also one said in a short sentence
    («mi cel es 722 123 4567», «escríbeme a ana@correo.com»), never one of two."""
    value = text.strip()
    if EMAIL_RE.match(value):
        return value.lower()
    digits = re.sub(r"[\s().-]", "", value)
    if PHONE_RE.match(digits):
        return digits[-10:]
    if len(value) > MAX_CONTACT_SENTENCE:
        return None
    emails = EMAIL_IN_TEXT_RE.findall(value)
    phones = [d[-10:] for d in (re.sub(r"\D", "", p) for p in PHONE_IN_TEXT_RE.findall(value))
              if len(d) == 10 or (len(d) == 12 and d.startswith("52"))]
    found = {e.lower() for e in emails} | set(phones)
    return found.pop() if len(found) == 1 else None


@dataclass
class Draft:
    theme: str
    municipality_code: str
    municipality: str
    problem: str
    causes: str | None
    effects: str | None
    affected: str | None
    solution: str


def folio_for(proposal_id: int, created: dt.datetime) -> str:
    return f"P-{created.year}-{proposal_id:06d}"


def clean_draft(draft: Draft) -> Draft:
    """The draft without control characters, whatever channel or import it came from."""
    return dataclasses.replace(draft, **{f.name: clean(getattr(draft, f.name))
                                         for f in dataclasses.fields(draft)})


def submit(
    draft: Draft,
    *,
    intake_key: str,
    sender: str,
    channel: str,
    consent: bool,
    contact_info: str | None = None,
    engine: Engine | None = None,
) -> Proposal:
    """Store a proposal once per intake (a repeated confirmation returns the same folio).

    The folio comes from the row's own id, so concurrent submits can never share one.
    """
    existing = get_by_intake(intake_key, engine)
    if existing is not None:
        return existing
    draft = clean_draft(draft)
    try:
        with session_scope(engine) as session:
            proposal = Proposal(
                intake_key=intake_key, author_key=person_key(sender), channel=channel,
                theme=draft.theme, municipality_code=draft.municipality_code,
                municipality=draft.municipality, problem=draft.problem, causes=draft.causes,
                effects=draft.effects, affected=draft.affected, solution=draft.solution,
                status="recibida",
            )
            session.add(proposal)
            session.flush()
            proposal.folio = folio_for(proposal.id, proposal.created_at)
            session.add(StatusChange(proposal_id=proposal.id, from_status=None, to_status="recibida",
                                     actor="ciudadanía", note="Propuesta recibida por el bot"))
            if consent:
                record = consents.record(person_key(sender), CONTACT_PURPOSE, session=session)
                session.add(ProposalContact(proposal_id=proposal.id, consent_id=record.id,
                                            channel=channel, address=sender, contact_info=contact_info))
        return proposal
    except IntegrityError:
        again = get_by_intake(intake_key, engine)
        if again is None:
            raise
        return again


def get_by_intake(intake_key: str, engine: Engine | None = None) -> Proposal | None:
    with session_scope(engine) as session:
        return session.scalar(select(Proposal).where(Proposal.intake_key == intake_key))


def get(folio: str, engine: Engine | None = None) -> Proposal | None:
    with session_scope(engine) as session:
        return session.scalar(
            select(Proposal).where(Proposal.folio == folio.strip().upper())
            .options(selectinload(Proposal.history), selectinload(Proposal.contact))
        )


def similar(theme: str, municipality_code: str, problem: str, sender: str,
            limit: int = 3, engine: Engine | None = None) -> list[Proposal]:
    """Open proposals of others with the same theme and municipality whose problem reads alike."""
    me = person_key(sender)
    with session_scope(engine) as session:
        candidates = session.scalars(
            select(Proposal).where(
                Proposal.theme == theme, Proposal.municipality_code == municipality_code,
                Proposal.author_key != me, Proposal.status.not_in(("no_procede", "duplicada")),
            ).order_by(Proposal.id.desc()).limit(200)
        ).all()
    query = normalize_words(problem)
    scored = [(fuzz.token_set_ratio(query, normalize_words(p.problem)), p) for p in candidates]
    scored = [item for item in scored if item[0] >= SIMILARITY_MIN]
    scored.sort(key=lambda item: (-item[0], -item[1].id))
    return [p for _, p in scored[:limit]]


def adhere(folio: str, sender: str, engine: Engine | None = None) -> str:
    """Support a proposal: returns "adhered", "already_adhered", "own_proposal" or "not_found"."""
    key = person_key(sender)
    with session_scope(engine) as session:
        proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper()))
        if proposal is None:
            return "not_found"
        if proposal.author_key == key:
            return "own_proposal"
        exists = session.scalar(select(Adhesion.id).where(
            Adhesion.proposal_id == proposal.id, Adhesion.supporter_key == key))
        if exists:
            return "already_adhered"
        proposal_id = proposal.id
    try:
        with session_scope(engine) as session:
            session.add(Adhesion(proposal_id=proposal_id, supporter_key=key))
    except IntegrityError:
        return "already_adhered"
    return "adhered"


def adhesion_count(proposal_id: int, session: Session) -> int:
    return int(session.scalar(select(func.count()).where(Adhesion.proposal_id == proposal_id)) or 0)


def adhesion_counts(proposal_ids: list[int], session: Session) -> dict[int, int]:
    """Adhesions of many proposals in a few queries (zero for those without any)."""
    counts = dict.fromkeys(proposal_ids, 0)
    for start in range(0, len(proposal_ids), 1000):
        chunk = proposal_ids[start:start + 1000]
        counts.update({pid: int(n) for pid, n in session.execute(
            select(Adhesion.proposal_id, func.count()).where(Adhesion.proposal_id.in_(chunk))
            .group_by(Adhesion.proposal_id)).all()})
    return counts


def mine(sender: str, engine: Engine | None = None) -> list[Proposal]:
    """The proposals this person wrote, newest first, with their history."""
    with session_scope(engine) as session:
        return list(session.scalars(
            select(Proposal).where(Proposal.author_key == person_key(sender))
            .options(selectinload(Proposal.history)).order_by(Proposal.id.desc())
        ).all())


def set_status(folio: str, status: str, actor: str, note: str | None = None,
               engine: Engine | None = None, duplicate_of: str | None = None) -> Proposal:
    """Change a proposal's status, record who/when/from/to/why, and notify a consenting author
    and the supporters who asked to be told."""
    if status not in STATUSES:
        raise ProposalError(
            _("Estado desconocido {status}. Válidos: {valid}").format(
                status=repr(status), valid=", ".join(STATUSES)
            )
        )
    if status == "no_procede" and not (note and note.strip()):
        raise ProposalError(_("«no_procede» necesita una nota con la razón (--note)."))
    with session_scope(engine) as session:
        proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper())
                                  .options(selectinload(Proposal.contact)))
        if proposal is None:
            raise ProposalError(_("No existe el folio {folio}.").format(folio=folio))
        if duplicate_of is not None:
            original = session.scalar(select(Proposal).where(Proposal.folio == duplicate_of.upper()))
            if original is None:
                raise ProposalError(_("No existe el folio {folio}.").format(folio=duplicate_of))
            if original.id == proposal.id:
                raise ProposalError(_("Una propuesta no puede ser duplicada de sí misma."))
            proposal.duplicate_of_id = original.id
        previous = proposal.status
        proposal.status = status
        proposal.status_reason = note
        session.add(StatusChange(proposal_id=proposal.id, from_status=previous, to_status=status,
                                 actor=actor, note=note))
        if proposal.contact is not None and previous != status:
            text = _status_text("status_changed", proposal.folio, status, note)
            session.add(Notification(channel=proposal.contact.channel, proposal_id=proposal.id,
                                     address=proposal.contact.address, text=text))
        if previous != status:
            _notify_followers(session, proposal, status, note)
        session.flush()
        return proposal


def _status_text(message: str, folio: str | None, status: str, note: str | None) -> str:
    """A status change told to a citizen: in the bot's language, not the reviewer's web page's."""
    content = proposal_content(configured_locale())
    info = content.statuses[status]
    text = content.message(message, folio=folio, status=info.label, meaning=info.meaning)
    if note:
        text += "\n" + content.message("status_note", note=note)
    return text


def _notify_followers(session: Session, proposal: Proposal, status: str, note: str | None) -> None:
    """One outbox message per supporter who asked to be told (bot/proposals/followers.py)."""
    followers = session.scalars(select(ProposalFollower).where(
        ProposalFollower.proposal_id == proposal.id).order_by(ProposalFollower.id)).all()
    if not followers:
        return
    text = _status_text("follower_status_changed", proposal.folio, status, note)
    for follower in followers:
        session.add(Notification(channel=follower.channel, proposal_id=proposal.id,
                                 address=follower.address, text=text))


def mark_duplicate(folio: str, of: str, actor: str, engine: Engine | None = None) -> Proposal:
    return set_status(folio, "duplicada", actor, note=f"Duplicada de {of.upper()}", engine=engine,
                      duplicate_of=of)


@dataclass
class Filters:
    status: str | None = None
    theme: str | None = None
    municipality: str | None = None
    since: dt.date | None = None
    text: str | None = None
    until: dt.date | None = None
    group_id: int | None = None


def _like(text: str) -> str:
    """A LIKE pattern that matches ``text`` literally (its % and _ are not wildcards)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` where the STL works (PARTICIPA_TIMEZONE), as the naive UTC stored.

    Reviewers filter by the days they see on the pages; a proposal sent at 10 p.m. local time is
    stored with the next day's UTC date and must still count for the day it was sent.
    """
    local = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(get_settings().participa_timezone))
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _filtered(query: Any, filters: Filters) -> Any:
    if filters.status:
        query = query.where(Proposal.status == filters.status)
    if filters.theme:
        query = query.where(Proposal.theme == filters.theme)
    if filters.municipality:
        query = query.where(func.lower(Proposal.municipality).like(_like(filters.municipality),
                                                                   escape="\\"))
    if filters.since:
        query = query.where(Proposal.created_at >= local_day_start(filters.since))
    if filters.until:
        query = query.where(Proposal.created_at < local_day_start(filters.until + dt.timedelta(days=1)))
    if filters.text:
        like = _like(filters.text)
        query = query.where(func.lower(Proposal.problem).like(like, escape="\\") |
                            func.lower(Proposal.solution).like(like, escape="\\"))
    if filters.group_id is not None:
        query = query.where(Proposal.id.in_(select(ProposalGroupMember.proposal_id).where(
            ProposalGroupMember.group_id == filters.group_id)))
    return query


def search(filters: Filters, engine: Engine | None = None, limit: int = 500,
           offset: int = 0) -> list[Proposal]:
    with session_scope(engine) as session:
        query = select(Proposal).options(selectinload(Proposal.contact), selectinload(Proposal.history))
        query = _filtered(query, filters)
        return list(session.scalars(query.order_by(Proposal.id.desc()).offset(offset).limit(limit)).all())


def count(filters: Filters, engine: Engine | None = None) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(_filtered(select(func.count()).select_from(Proposal), filters)) or 0)


def stats(engine: Engine | None = None) -> list[tuple[str, str, str, int]]:
    """(theme, municipality, status, count), largest first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.theme, Proposal.municipality, Proposal.status, func.count())
            .group_by(Proposal.theme, Proposal.municipality, Proposal.status)
            .order_by(func.count().desc(), Proposal.theme, Proposal.municipality)
        ).all()
    return [(t, m, s, int(c)) for t, m, s, c in rows]


def export_rows(proposals: list[Proposal], with_contact: bool = False,
                engine: Engine | None = None) -> list[dict[str, Any]]:
    """Rows for CSV/JSON/XLSX: anonymised unless ``with_contact`` (admin only).

    Anonymised means no author key, no contact, and personal data typed into the free text
    (phone, e-mail, CURP, RFC, street address) masked.
    """
    rows: list[dict[str, Any]] = []
    with session_scope(engine) as session:
        adhesions = adhesion_counts([p.id for p in proposals], session)
        for p in proposals:
            row: dict[str, Any] = {
                "folio": p.folio, "fecha": local_date(p.created_at).isoformat(), "tema": p.theme,
                "municipio": p.municipality, "clave_municipio": p.municipality_code,
                "problema": p.problem, "causas": p.causes or "", "efectos": p.effects or "",
                "personas_afectadas": p.affected or "", "solucion": p.solution,
                "estado": p.status, "razon_estado": p.status_reason or "",
                "adhesiones": adhesions[p.id],
                "origen": ORIGIN_IMPORTED if p.channel == ORIGIN_IMPORTED else "chat",
            }
            row = {k: clean(v) for k, v in row.items()}
            if not with_contact:
                row.update({k: mask_personal_data(row[k]) for k in FREE_TEXT_FIELDS})
            if with_contact:
                row["contacto"] = (p.contact.contact_info or "") if p.contact else ""
                row["acepto_contacto"] = p.contact is not None
            rows.append(row)
    return rows


MAX_NOTIFICATION_ATTEMPTS = 5


def pending_notifications(channel: str, limit: int = 100,
                          engine: Engine | None = None) -> list[Notification]:
    """Unsent notifications for ``channel`` that have not used up their attempts, oldest first."""
    with session_scope(engine) as session:
        return list(session.scalars(
            select(Notification).where(
                Notification.channel == channel, Notification.sent_at.is_(None),
                Notification.attempts < MAX_NOTIFICATION_ATTEMPTS,
            ).order_by(Notification.id).limit(limit)
        ).all())


def claim_notification(notification_id: int, attempts_seen: int,
                       engine: Engine | None = None) -> bool:
    """Take one delivery attempt for this sender alone (several bot replicas poll the outbox).

    The attempt is counted before sending, conditioned on the count the sender saw: of two
    replicas that read the same row, only one update matches, so only one sends.
    """
    with session_scope(engine) as session:
        result = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.attempts == attempts_seen,
                   Notification.sent_at.is_(None))
            .values(attempts=Notification.attempts + 1)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def mark_notification(notification_id: int, sent: bool, give_up: bool = False,
                      engine: Engine | None = None, claimed: bool = False) -> None:
    """Record one delivery attempt (already counted when ``claimed``); ``give_up`` stops retries
    (e.g. the person blocked the bot)."""
    with session_scope(engine) as session:
        notification = session.get(Notification, notification_id)
        if notification is None:
            return
        if give_up:
            notification.attempts = MAX_NOTIFICATION_ATTEMPTS
        elif not claimed:
            notification.attempts += 1
        if sent:
            notification.sent_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
