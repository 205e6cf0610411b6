"""Campaigns: compose, target, schedule, start, cancel, and read their progress and report.

Shared by ``participa campaign`` and (later) the web dashboard. Starting a
campaign creates one delivery row per subscriber it reaches, in the same
transaction that moves it to ``sending``: the unique (campaign, subscriber)
constraint and that status change make a second start a no-op. Sending itself
is :mod:`bot.campaigns.broadcast.sender`'s job.

Times: editors give Mexico City local time (``2026-12-01T10:00``); the database
keeps naive UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, literal, select, update

from bot.campaigns.subscriptions import audience_query, audience_size, subscription_content
from bot.campaigns.text import Formatted, format_campaign_text, length_problem
from bot.config import get_settings
from bot.content.municipalities import municipality_index
from bot.content.place import place
from bot.i18n import _
from bot.storage.db import rowcount, session_scope
from bot.storage.models import Campaign, Delivery

MAX_BUTTON_TEXT = 40
FILE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,200}$")
HTTPS_RE = re.compile(r"^https://[^\s<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)
HTTP_RE = re.compile(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)
COUNTED_STATES = ("pending", "claimed", "sent", "blocked", "failed", "unknown", "skipped", "cancelled")


STATUS_LABELS = {
    "draft": "borrador", "scheduled": "programada", "sending": "enviándose", "done": "terminada",
    "cancelled": "cancelada",
}


class CampaignError(Exception):
    """Something an editor can fix, said in Spanish."""


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def not_found(campaign_id: int) -> str:
    return _("No existe la campaña {id}.").format(id=campaign_id)


def already(campaign: Campaign) -> str:
    return _("La campaña {id} ya está «{status}».").format(id=campaign.id,
                                                        status=status_label(campaign.status))


def local_zone() -> ZoneInfo:
    """PARTICIPA_TIMEZONE: campaign times are typed and shown in the deployment's zone."""
    return ZoneInfo(get_settings().participa_timezone)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def parse_local_time(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``2026-12-01T10:00`` (PARTICIPA_TIMEZONE) → naive UTC; must be in the future."""
    try:
        local = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CampaignError(
            _("No entiendo la fecha «{text}». Escríbela así: 2026-12-01T10:00 ({zone}).").format(
                text=text, zone=place().time_zone_name)
        ) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=local_zone())
    moment = local.astimezone(dt.UTC).replace(tzinfo=None)
    if moment <= (now or utcnow()):
        raise CampaignError(
            _("La fecha {text} ya pasó: elige una fecha futura, o envía la campaña ahora.").format(text=text)
        )
    return moment


def local_time(moment: dt.datetime | None) -> str:
    """Naive UTC → "2026-12-01 10:00 (<time_zone_name of place.yml>)", in PARTICIPA_TIMEZONE."""
    if moment is None:
        return "—"
    local = moment.replace(tzinfo=dt.UTC).astimezone(local_zone())
    return _("{moment} ({zone})").format(moment=f"{local:%Y-%m-%d %H:%M}",
                                         zone=place().time_zone_name)


def resolve_municipalities(names: list[str]) -> list[str]:
    """Codes for typed municipalities (a name, an alias, a code); a clear error otherwise."""
    index = municipality_index()
    codes: list[str] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        by_code = next((m for m in index.municipalities if m.code == name), None)
        match = index.match(name)
        found = by_code or match.best
        if found is None:
            options = ", ".join(f"{m.name} ({m.code})" for m in match.candidates)
            hint = " " + _("¿Quisiste decir: {options}?").format(options=options) if options else ""
            raise CampaignError(_("No reconozco el municipio «{name}».").format(name=name) + hint)
        if found.code not in codes:
            codes.append(found.code)
    return codes


@dataclass
class CampaignDraft:
    """What an editor writes; :func:`create` validates it."""

    title: str
    text: str
    topic: str
    created_by: str
    municipalities: list[str] = field(default_factory=list)  # names or codes
    image: str | None = None
    button_text: str | None = None
    button_url: str | None = None
    at: str | None = None  # Mexico City local time


def validate(draft: CampaignDraft) -> tuple[Formatted, list[str]]:
    """The formatted text and the municipality codes, or a CampaignError saying what to fix."""
    if not draft.title.strip():
        raise CampaignError(_("Falta el título (solo lo ven las personas editoras)."))
    if len(draft.title) > 120:
        raise CampaignError(_("El título es muy largo (máximo 120 caracteres)."))
    content = subscription_content()
    if content.topic(draft.topic) is None:
        known = ", ".join(t.id for t in content.topics)
        raise CampaignError(_("No existe el tema «{topic}». Temas: {known}.").format(
            topic=draft.topic, known=known))
    image = (draft.image or "").strip() or None
    if image and not (HTTPS_RE.match(image) or FILE_ID_RE.match(image)):
        raise CampaignError(
            _("La imagen debe ser una dirección https:// o el file_id de una foto ya subida a Telegram.")
        )
    if bool(draft.button_text) != bool(draft.button_url):
        raise CampaignError(_("El botón necesita su texto y su enlace, los dos."))
    if draft.button_text and len(draft.button_text) > MAX_BUTTON_TEXT:
        raise CampaignError(_("El texto del botón es muy largo (máximo {limit} caracteres).").format(
            limit=MAX_BUTTON_TEXT))
    if draft.button_url and not HTTP_RE.match(draft.button_url):
        raise CampaignError(_("El enlace del botón debe empezar con https:// (o http://)."))
    formatted = format_campaign_text(draft.text)
    problem = length_problem(formatted, with_image=image is not None)
    if problem:
        raise CampaignError(problem)
    return formatted, resolve_municipalities(draft.municipalities)


def create(draft: CampaignDraft, engine: Engine | None = None) -> Campaign:
    """Store a campaign as a draft, or as scheduled when ``draft.at`` is given."""
    _, codes = validate(draft)
    scheduled_at = parse_local_time(draft.at) if draft.at else None
    with session_scope(engine) as session:
        campaign = Campaign(
            title=draft.title.strip(), text=draft.text.replace("\r\n", "\n").strip(),
            image=(draft.image or "").strip() or None, button_text=draft.button_text or None,
            button_url=draft.button_url or None, topic=draft.topic, municipalities=codes,
            status="scheduled" if scheduled_at else "draft", scheduled_at=scheduled_at,
            created_by=draft.created_by,
        )
        session.add(campaign)
        session.flush()
        return campaign


def get(campaign_id: int, engine: Engine | None = None) -> Campaign:
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignError(not_found(campaign_id))
        return campaign


def list_campaigns(limit: int = 50, engine: Engine | None = None) -> list[Campaign]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(limit)))


def formatted(campaign: Campaign) -> Formatted:
    return format_campaign_text(campaign.text)


def audience(campaign: Campaign, engine: Engine | None = None) -> int:
    """How many subscribers the campaign would reach if it started now."""
    return audience_size(campaign.topic, list(campaign.municipalities or []), engine)


def municipality_names(codes: list[str]) -> list[str]:
    by_code = {m.code: m.name for m in municipality_index().municipalities}
    return [by_code.get(code, code) for code in codes]


def schedule(campaign_id: int, at: str, engine: Engine | None = None) -> Campaign:
    moment = parse_local_time(at)
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignError(not_found(campaign_id))
        if campaign.status not in ("draft", "scheduled"):
            raise CampaignError(already(campaign))
        campaign.status, campaign.scheduled_at = "scheduled", moment
        return campaign


def start(campaign_id: int, engine: Engine | None = None, now: dt.datetime | None = None) -> int:
    """Move a draft or due campaign to ``sending`` and create its deliveries; returns how many.

    Safe to call again (and from several senders at once): only the call that
    changes the status creates rows; the others get 0.
    """
    return start_once(campaign_id, engine, now) or 0


def start_once(campaign_id: int, engine: Engine | None = None,
               now: dt.datetime | None = None) -> int | None:
    """:func:`start`, but None when another call had already started it.

    Twelve quick clicks on «Enviar ahora» run concurrently: only the one that really started
    the campaign may write the audit entry.
    """
    now = now or utcnow()
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignError(not_found(campaign_id))
        if campaign.status in ("done", "cancelled"):
            raise CampaignError(already(campaign))
        if campaign.status == "scheduled" and campaign.scheduled_at and campaign.scheduled_at > now:
            raise CampaignError(_("La campaña {id} está programada para {moment}.").format(
                id=campaign_id, moment=local_time(campaign.scheduled_at)))
        changed = rowcount(session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id, Campaign.status.in_(("draft", "scheduled")))
            .values(status="sending", started_at=now)
        ))
        if not changed:
            return None
        audience = audience_query(campaign.topic, list(campaign.municipalities or [])).subquery()
        session.execute(
            insert(Delivery).from_select(
                ["campaign_id", "subscriber_id", "state", "attempts"],
                select(literal(campaign_id), audience.c.id, literal("pending"), literal(0)),
            )
        )
        total = session.scalar(select(func.count()).where(Delivery.campaign_id == campaign_id)) or 0
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.total = int(total)
        return int(total)


def due(engine: Engine | None = None, now: dt.datetime | None = None) -> list[int]:
    """Campaigns a sender should work on now: scheduled and due, or sending with rows pending."""
    now = now or utcnow()
    with session_scope(engine) as session:
        scheduled = session.scalars(
            select(Campaign.id).where(Campaign.status == "scheduled", Campaign.scheduled_at <= now)
        ).all()
        sending = session.scalars(
            select(Campaign.id).where(
                Campaign.status == "sending",
                select(Delivery.id).where(Delivery.campaign_id == Campaign.id,
                                          Delivery.state.in_(("pending", "claimed"))).exists(),
            )
        ).all()
        unfinished = session.scalars(
            select(Campaign.id).where(
                Campaign.status == "sending",
                ~select(Delivery.id).where(Delivery.campaign_id == Campaign.id,
                                           Delivery.state.in_(("pending", "claimed"))).exists(),
            )
        ).all()
    for campaign_id in unfinished:  # e.g. every delivery was cancelled or the audience was empty
        finish_if_complete(campaign_id, engine)
    return sorted({*scheduled, *sending})


def cancel(campaign_id: int, engine: Engine | None = None) -> int:
    """Stop a campaign: nothing more is sent; returns how many deliveries were still pending."""
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignError(not_found(campaign_id))
        if campaign.status in ("done", "cancelled"):
            raise CampaignError(already(campaign))
        campaign.status = "cancelled"
        stopped = rowcount(session.execute(
            update(Delivery)
            .where(Delivery.campaign_id == campaign_id, Delivery.state == "pending")
            .values(state="cancelled", finished_at=utcnow())
        ))
    _store_report(campaign_id, engine, final_status="cancelled")
    return int(stopped or 0)


def progress(campaign_id: int, engine: Engine | None = None) -> dict[str, int]:
    """Deliveries per state (all states present, zeros included)."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Delivery.state, func.count())
            .where(Delivery.campaign_id == campaign_id)
            .group_by(Delivery.state)
        ).all()
    counts = dict.fromkeys(COUNTED_STATES, 0)
    counts.update({state: int(count) for state, count in rows})
    return counts


def finish_if_complete(campaign_id: int, engine: Engine | None = None) -> bool:
    """Mark a sending campaign done, with its report, once no delivery is pending or claimed."""
    counts = progress(campaign_id, engine)
    if counts["pending"] or counts["claimed"]:
        return False
    return _store_report(campaign_id, engine, final_status="done")


def _store_report(campaign_id: int, engine: Engine | None, final_status: str) -> bool:
    counts = progress(campaign_id, engine)
    now = utcnow()
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            return False
        if final_status == "done" and campaign.status != "sending":
            return False
        last = session.scalar(
            select(func.max(Delivery.finished_at)).where(Delivery.campaign_id == campaign_id)
        )
        finished = last or now
        duration = (finished - campaign.started_at).total_seconds() if campaign.started_at else 0.0
        campaign.status = final_status
        campaign.finished_at = finished
        campaign.total = sum(counts.values())
        campaign.sent, campaign.blocked = counts["sent"], counts["blocked"]
        campaign.failed, campaign.unknown = counts["failed"], counts["unknown"]
        campaign.skipped = counts["skipped"] + counts["cancelled"]
        campaign.duration_seconds = round(max(duration, 0.0), 3)
        campaign.rate = round(counts["sent"] / duration, 2) if duration > 0 else None
    return True
