"""«Ya no me manden nada»: the notices that outlive ``/baja`` of the news, and stopping them.

``/baja`` ends the news and the contract follows. The status notices of the person's own
proposals (the contact she gave when sending one), a supporter's proposal status notices
(«avísame cómo va») and the reminder of an information request are other consents: the reply
names them and offers :data:`STOP_EVERYTHING`; words that say «nada»/«ninguno» stop them at once.
Stopping the own notices deletes the contact (chat and the phone or e-mail given with it), its
notices not yet sent, and withdraws that consent; the proposals themselves stay.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, delete, select, update

from bot.i18n import _, ngettext
from bot.identity import person_key, telegram_chat_id
from bot.privacy import consent
from bot.proposals.service import CONTACT_PURPOSE
from bot.storage.db import session_scope
from bot.storage.models import InfoRequest, Notification, Proposal, ProposalContact, ProposalFollower
from bot.textnorm import normalize_words

STOP_EVERYTHING = "/baja_todo"
# «ya no me manden nada», «ningún mensaje», «no quiero ninguno», «quítenme de todo»
_EVERYTHING_RE = re.compile(r"\b(nada|ningun|ninguno|ninguna|todo|todos|todas)\b")


def means_everything(words: str) -> bool:
    """The payload of «Sí, ya no me mandes nada», or words that say nothing at all should come."""
    if words.split(" ", 1)[0].lower() == STOP_EVERYTHING:
        return True
    return not words.startswith("/") and bool(_EVERYTHING_RE.search(normalize_words(words)))


def _followed(sender: str, engine: Engine | None) -> list[str]:
    with session_scope(engine) as session:
        return [str(f) for f in session.scalars(
            select(Proposal.folio).join(ProposalFollower, Proposal.id == ProposalFollower.proposal_id)
            .where((ProposalFollower.follower_key == person_key(sender))
                   | (ProposalFollower.address == sender)).order_by(Proposal.folio)).all()]


def _own(sender: str, engine: Engine | None) -> list[str]:
    """Folios of this person's proposals whose status changes are told to this chat."""
    with session_scope(engine) as session:
        return [str(f) for f in session.scalars(
            select(Proposal.folio).join(ProposalContact, Proposal.id == ProposalContact.proposal_id)
            .where(ProposalContact.address == sender).order_by(Proposal.folio)).all()]


def _reminded(chat_id: int | None, engine: Engine | None) -> list[str]:
    if chat_id is None:
        return []
    with session_scope(engine) as session:
        return list(session.scalars(select(InfoRequest.folio).where(
            InfoRequest.chat_id == chat_id, InfoRequest.reminder_claimed_at.is_(None),
            InfoRequest.outcome.is_(None)).order_by(InfoRequest.folio)).all())


def _describe(own: list[str], proposals: list[str], requests: list[str]) -> str:
    parts = []
    if own:
        parts.append(ngettext("los avisos de cómo va tu propuesta ({folios})",
                              "los avisos de cómo van tus propuestas ({folios})",
                              len(own)).format(folios=", ".join(own)))
    if proposals:
        parts.append(_("los avisos de cómo va la propuesta que apoyas ({folios})").format(
            folios=", ".join(proposals)))
    if requests:
        parts.append(_("el recordatorio de tu solicitud de información ({folios})").format(
            folios=", ".join(requests)))
    return _(" y ").join(parts)


def still_coming(sender: str, engine: Engine | None = None) -> str:
    """What keeps coming after ``/baja`` (empty when nothing does)."""
    own = _own(sender, engine)
    proposals = _followed(sender, engine)
    requests = _reminded(telegram_chat_id(sender), engine)
    if not own and not proposals and not requests:
        return ""
    return _("Te siguen llegando {what}. ¿Quieres que deje de mandártelos también?").format(
        what=_describe(own, proposals, requests))


def stop_everything(sender: str, engine: Engine | None = None) -> str:
    """Stop the proposal notices and request reminders of this person; say what stopped."""
    chat_id = telegram_chat_id(sender)
    own = _own(sender, engine)
    proposals = _followed(sender, engine)
    requests = _reminded(chat_id, engine)
    if not own and not proposals and not requests:
        return ""
    with session_scope(engine) as session:
        # Her own proposals: the contact goes (chat, phone or e-mail), with what is still queued.
        session.execute(delete(ProposalContact).where(ProposalContact.address == sender))
        session.execute(delete(Notification).where(Notification.address == sender,
                                                   Notification.sent_at.is_(None)))
        session.execute(delete(ProposalFollower).where(
            (ProposalFollower.follower_key == person_key(sender)) | (ProposalFollower.address == sender)))
        if chat_id is not None:  # the chat was kept only for the reminder: it goes
            session.execute(update(InfoRequest).where(
                InfoRequest.chat_id == chat_id, InfoRequest.reminder_claimed_at.is_(None),
                InfoRequest.outcome.is_(None)).values(chat_id=None))
    if own:  # and the consent she gave for that contact
        consent.revoke(person_key(sender), CONTACT_PURPOSE, engine)
    return _("También dejé de mandarte {what}; borré este chat de esos avisos.").format(
        what=_describe(own, proposals, requests))
