"""Editors' pages for campaigns: compose, target, preview, send or schedule, progress and report.

The web only prepares: ``campaigns.start`` creates one delivery per subscriber, and the
sender loop of ``participa serve`` (or ``participa campaign send``) delivers them at
Telegram's pace. The detail page says so, and follows the counts through a small JSON
endpoint (a script refreshes them; without it, an «Actualizar» link does).
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot import i18n
from bot.accounts import audit
from bot.campaigns import service as svc
from bot.campaigns.safe_html import telegram_html
from bot.campaigns.subscriptions import subscription_content
from bot.campaigns.text import MAX_CAPTION, MAX_TEXT
from bot.i18n import _
from bot.storage.models import Campaign
from bot.web.params import whole_number
from bot.web.security import private
from bot.web.templating import render

FORM_FIELDS = ("title", "text", "image", "button_text", "button_url", "topic", "municipalities", "at")
FINISHED = ("done", "cancelled")


def notices() -> dict[str, str]:
    return {
        "creada": _("La campaña quedó guardada como borrador. Revisa la vista previa antes de enviarla."),
        "programada": _("La campaña quedó programada."),
        "enviando": _("La campaña empezó: su lista de envío está lista."),
        "cancelada": _("La campaña quedó cancelada: no se enviará nada más."),
    }


def _id(request: Request) -> int:
    raw = request.path_params["campaign_id"]
    number = whole_number(raw)
    if number is None:
        raise HTTPException(404)
    return number


def _load(request: Request) -> Campaign:
    try:
        return svc.get(_id(request), request.app.state.engine)
    except svc.CampaignError:
        raise HTTPException(404) from None


def target(campaign: Campaign) -> str:
    """How the audit log names a campaign."""
    return f"campaña-{campaign.id}"


def topic_title(topic_id: str) -> str:
    found = subscription_content().topic(topic_id)
    return found.title if found else topic_id


def audience_label(campaign: Campaign) -> str:
    codes = list(campaign.municipalities or [])
    where = ", ".join(svc.municipality_names(codes)) if codes else _("todos los municipios")
    return f"{topic_title(campaign.topic)} · {where}"


def progress_data(campaign: Campaign, counts: dict[str, int]) -> dict[str, Any]:
    """What the detail page and its JSON endpoint show while a campaign goes out."""
    total = sum(counts.values())
    pending = counts["pending"] + counts["claimed"]
    return {
        "status": campaign.status, "status_label": svc.status_label(campaign.status),
        "total": total, "pending": pending, "sent": counts["sent"], "blocked": counts["blocked"],
        "failed": counts["failed"], "unknown": counts["unknown"],
        "skipped": counts["skipped"] + counts["cancelled"], "processed": total - pending,
        "finished": campaign.status in FINISHED,
    }


def report_lines(campaign: Campaign) -> list[tuple[str, str]]:
    """The final report as label → value, in the words an editor reads."""
    number = i18n.format_number
    duration = campaign.duration_seconds
    rate = campaign.rate
    return [
        (_("Enviados"), number(campaign.sent or 0)),
        (_("Bloquearon al bot"), number(campaign.blocked or 0)),
        (_("Fallidos"), number(campaign.failed or 0)),
        (_("Desconocidos (sin confirmación de Telegram)"), number(campaign.unknown or 0)),
        (_("No enviados (cancelados u omitidos)"), number(campaign.skipped or 0)),
        (_("Duración"), _("{seconds} s").format(seconds=number(round(duration, 1)))
         if duration is not None else "—"),
        (_("Ritmo"), _("{rate} mensajes por segundo").format(rate=number(rate)) if rate else "—"),
    ]


@private("campaigns")
def campaign_list(request: Request) -> Response:
    engine = request.app.state.engine
    rows = []
    for campaign in svc.list_campaigns(limit=100, engine=engine):
        counts = svc.progress(campaign.id, engine) if campaign.status != "draft" else None
        rows.append({"c": campaign, "audience": audience_label(campaign),
                     "progress": progress_data(campaign, counts) if counts else None})
    return render(request, "stl/campaigns.html", {"rows": rows, "status_label": svc.status_label})


def _compose(request: Request, values: dict[str, str] | None = None, error: str | None = None,
             status_code: int = 200) -> Response:
    return render(request, "stl/campaign_new.html", {
        "values": values or {"topic": ""}, "error": error,
        "topics": subscription_content().topics,
        "limits": {"text": MAX_TEXT, "caption": MAX_CAPTION},
    }, status_code=status_code)


def draft_from_form(form: dict[str, str], username: str) -> svc.CampaignDraft:
    names = [n for n in form.get("municipalities", "").replace(";", ",").replace("\n", ",").split(",")
             if n.strip()]
    return svc.CampaignDraft(
        title=form.get("title", "").strip(), text=form.get("text", ""), topic=form.get("topic", ""),
        created_by=username, municipalities=names[:125],
        image=form.get("image", "").strip() or None,
        button_text=form.get("button_text", "").strip() or None,
        button_url=form.get("button_url", "").strip() or None,
        at=form.get("at", "").strip() or None,
    )


@private("campaigns")
def campaign_new(request: Request) -> Response:
    if request.method == "GET":
        return _compose(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    values = {name: form.get(name, "") for name in FORM_FIELDS}
    try:
        campaign = svc.create(draft_from_form(form, user.username), engine)
    except svc.CampaignError as exc:
        return _compose(request, values, str(exc), 400)
    audit.record(user.username, "campaign_create", target(campaign), campaign.title, engine)
    notice = "programada" if campaign.status == "scheduled" else "creada"
    return RedirectResponse(f"/stl/campanas/{campaign.id}?aviso={notice}", status_code=303)


def _detail(request: Request, campaign: Campaign, error: str | None = None,
            status_code: int = 200) -> Response:
    engine = request.app.state.engine
    formatted = svc.formatted(campaign)
    counts = svc.progress(campaign.id, engine)
    started = campaign.status not in ("draft", "scheduled")
    return render(request, "stl/campaign.html", {
        "c": campaign, "preview": telegram_html(formatted.html), "warnings": formatted.warnings,
        "audience": audience_label(campaign),
        "audience_size": campaign.total if started else svc.audience(campaign, engine),
        "topic_title": topic_title(campaign.topic), "status_label": svc.status_label(campaign.status),
        "scheduled": svc.local_time(campaign.scheduled_at) if campaign.scheduled_at else None,
        "progress": progress_data(campaign, counts) if started else None,
        "report": report_lines(campaign) if campaign.status in FINISHED and started else None,
        "events": audit.events(target=target(campaign), engine=engine),
        "notice": notices().get(request.query_params.get("aviso", "")), "error": error,
    }, status_code=status_code)


@private("campaigns")
def campaign_detail(request: Request) -> Response:
    return _detail(request, _load(request))


@private("campaigns")
def campaign_send(request: Request) -> Response:
    campaign = _load(request)
    user, engine = request.state.user, request.app.state.engine
    try:
        if campaign.status not in ("draft", "scheduled"):  # a stale button: already started
            raise svc.CampaignError(svc.already(campaign))
        created = svc.start_once(campaign.id, engine)
    except svc.CampaignError as exc:
        return _detail(request, campaign, str(exc), 400)
    if created is not None:  # a concurrent click started it: one audit entry, not one per click
        audit.record(user.username, "campaign_send", target(campaign),
                     f"{created} destinatarios", engine)
    return RedirectResponse(f"/stl/campanas/{campaign.id}?aviso=enviando", status_code=303)


@private("campaigns")
def campaign_schedule(request: Request) -> Response:
    campaign = _load(request)
    user, engine = request.state.user, request.app.state.engine
    at = request.state.form.get("at", "").strip()[:40]
    try:
        if not at:
            raise svc.CampaignError(_("Escribe la fecha y la hora del envío."))
        scheduled = svc.schedule(campaign.id, at, engine)
    except svc.CampaignError as exc:
        return _detail(request, campaign, str(exc), 400)
    audit.record(user.username, "campaign_schedule", target(campaign),
                 svc.local_time(scheduled.scheduled_at), engine)
    return RedirectResponse(f"/stl/campanas/{campaign.id}?aviso=programada", status_code=303)


@private("campaigns")
def campaign_cancel(request: Request) -> Response:
    campaign = _load(request)
    user, engine = request.state.user, request.app.state.engine
    try:
        stopped = svc.cancel(campaign.id, engine)
    except svc.CampaignError as exc:
        return _detail(request, campaign, str(exc), 400)
    audit.record(user.username, "campaign_cancel", target(campaign),
                 f"{stopped} pendientes detenidos", engine)
    return RedirectResponse(f"/stl/campanas/{campaign.id}?aviso=cancelada", status_code=303)


@private("campaigns")
def campaign_progress(request: Request) -> Response:
    campaign = _load(request)
    counts = svc.progress(campaign.id, request.app.state.engine)
    return JSONResponse(progress_data(campaign, counts), headers={"Cache-Control": "no-store"})
