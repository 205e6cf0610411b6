"""Reviewers' pages for proposals: list with filters, detail with the problem tree, review actions, export."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.accounts import audit
from bot.content.municipalities import municipality_index
from bot.i18n import _
from bot.proposals import commitments as commitments_svc
from bot.proposals import public_record, review, suggestions
from bot.proposals import service as svc
from bot.proposals.trees import split_items
from bot.storage.db import session_scope
from bot.storage.models import Proposal
from bot.web.exports import MEDIA_TYPES, to_csv, to_json, to_xlsx
from bot.web.params import FIRST_DAY, LAST_DAY, optional_day, optional_number
from bot.web.security import forbidden, private
from bot.web.templating import render

FOLIO_RE = re.compile(r"^P-\d{4}-\d{6,}$")
PAGE_SIZE = 50
MAX_FILTER = 200


def notices() -> dict[str, str]:
    return {
        "estado": _("El estado cambió. Si la persona aceptó avisos, se le notificará."),
        "duplicada": _("La propuesta quedó marcada como duplicada."),
        "grupo": _("La propuesta quedó en el grupo."),
        "sin_grupo": _("La propuesta salió de su grupo."),
        "nota": _("La nota quedó guardada."),
        "publico": _("La nota pública y la fecha esperada quedaron guardadas."),
    }


@dataclass
class ListQuery:
    filters: svc.Filters
    page: int = 1
    values: dict[str, str] = field(default_factory=dict)

    def link(self, **changes: object) -> str:
        values = {k: v for k, v in {**self.values, **changes}.items() if v not in (None, "")}
        return "?" + urlencode(values) if values else "?"


def _date(value: str, problems: list[str], label: str) -> dt.date | None:
    """A date typed in a reviewer's form: a mistake is said on the page, not a 400."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        problems.append(_("La fecha «{label}» no es válida; usa AAAA-MM-DD.").format(label=label))
        return None
    return day


def parse_filters(params: Any) -> ListQuery:
    """Filters from the query string.

    An unknown status or theme is ignored; a value no page produces (a date that is not
    AAAA-MM-DD, see :mod:`bot.web.params`) answers 400.
    """
    values = {k: str(params.get(k, "")).strip()[:MAX_FILTER]
              for k in ("estado", "tema", "municipio", "desde", "hasta", "q", "grupo")}
    status = values["estado"] if values["estado"] in svc.STATUSES else None
    theme_ids = {t.id for t in svc.proposal_content().themes}
    theme = values["tema"] if values["tema"] in theme_ids else None
    group_id = optional_number(values, "grupo")
    filters = svc.Filters(
        status=status, theme=theme, municipality=values["municipio"] or None,
        since=optional_day(values, "desde"),
        until=optional_day(values, "hasta"),
        text=values["q"] or None, group_id=group_id,
    )
    page = optional_number(params, "pagina") or 1
    return ListQuery(filters, page, values)


@private("read")
def proposal_list(request: Request) -> Response:
    engine = request.app.state.engine
    query = parse_filters(request.query_params)
    total = svc.count(query.filters, engine)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(query.page, pages)
    found = svc.search(query.filters, engine, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    with session_scope(engine) as session:
        adhesions = svc.adhesion_counts([p.id for p in found], session)
    return render(request, "stl/proposals.html", {
        "query": query, "proposals": found, "adhesions": adhesions, "total": total, "page": page,
        "pages": pages, "groups": review.groups(engine),
        "municipalities": [m.name for m in municipality_index().municipalities],
        "export_query": urlencode({k: v for k, v in query.values.items() if v}),
    })


def _load(request: Request) -> Proposal:
    folio = request.path_params["folio"].upper()
    proposal = svc.get(folio, request.app.state.engine) if FOLIO_RE.match(folio) else None
    if proposal is None:
        raise HTTPException(404)
    return proposal


def detail_context(request: Request, proposal: Proposal) -> dict[str, Any]:
    engine = request.app.state.engine
    with session_scope(engine) as session:
        adhesions = svc.adhesion_count(proposal.id, session)
        original = session.get(Proposal, proposal.duplicate_of_id) if proposal.duplicate_of_id else None
    linked = [v for v in commitments_svc.listing(published_only=False, engine=engine)
              if proposal.folio in v.folios]
    return {
        "p": proposal, "adhesions": adhesions, "original": original,
        "causes": split_items(proposal.causes), "effects": split_items(proposal.effects),
        "notes": review.notes(proposal.id, engine), "group": review.group_of(proposal.id, engine),
        "groups": review.groups(engine), "events": audit.events(target=proposal.folio, engine=engine),
        "commitments": linked,
        "notice": notices().get(request.query_params.get("aviso", "")),
    }


@private("read")
def proposal_detail(request: Request) -> Response:
    proposal = _load(request)
    return render(request, "stl/proposal.html", detail_context(request, proposal))


def _done(proposal: Proposal, notice: str) -> Response:
    return RedirectResponse(f"/stl/propuestas/{proposal.folio}?aviso={notice}#acciones", status_code=303)


def _failed(request: Request, proposal: Proposal, message: str) -> Response:
    fresh = svc.get(proposal.folio or "", request.app.state.engine) or proposal
    context = detail_context(request, fresh)
    context["error"] = message
    return render(request, "stl/proposal.html", context, status_code=400)


@private("review")
def change_status(request: Request) -> Response:
    proposal = _load(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    status, note = form.get("estado", ""), form.get("nota", "").strip()[:2000] or None
    try:
        svc.set_status(proposal.folio or "", status, actor=user.username, note=note, engine=engine)
    except svc.ProposalError as exc:
        return _failed(request, proposal, str(exc))
    audit.record(user.username, "status", proposal.folio, f"{proposal.status} → {status}"
                 + (f": {note}" if note else ""), engine)
    return _done(proposal, "estado")


@private("review")
def mark_duplicate(request: Request) -> Response:
    proposal = _load(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    original = form.get("original", "").strip().upper()[:30]
    if not FOLIO_RE.match(original):
        return _failed(request, proposal, _("Escribe el folio original, por ejemplo P-2026-000123."))
    try:
        svc.mark_duplicate(proposal.folio or "", original, actor=user.username, engine=engine)
    except svc.ProposalError as exc:
        return _failed(request, proposal, str(exc))
    audit.record(user.username, "duplicate", proposal.folio, f"de {original}", engine)
    return _done(proposal, "duplicada")


@private("review")
def set_group(request: Request) -> Response:
    proposal = _load(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    if form.get("accion") == "quitar":
        review.ungroup(proposal.folio or "", engine)
        audit.record(user.username, "ungroup", proposal.folio, engine=engine)
        return _done(proposal, "sin_grupo")
    try:
        group = review.group(proposal.folio or "", form.get("grupo", ""), user.username, engine)
    except svc.ProposalError as exc:
        return _failed(request, proposal, str(exc))
    audit.record(user.username, "group", proposal.folio, group.name, engine)
    return _done(proposal, "grupo")


@private("review")
def add_note(request: Request) -> Response:
    proposal = _load(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    try:
        review.add_note(proposal.folio or "", user.username, form.get("nota", ""), engine)
    except svc.ProposalError as exc:
        return _failed(request, proposal, str(exc))
    audit.record(user.username, "note", proposal.folio, engine=engine)
    return _done(proposal, "nota")


@private("review")
def set_public_info(request: Request) -> Response:
    """The public note and expected date shown on the proposal's public record."""
    proposal = _load(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    problems: list[str] = []
    expected = _date(form.get("fecha_esperada", ""), problems, _("Fecha esperada"))
    if problems:
        return _failed(request, proposal, " ".join(problems))
    try:
        public_record.set_public_info(proposal.folio or "", form.get("nota_publica", ""), expected, engine)
    except svc.ProposalError as exc:
        return _failed(request, proposal, str(exc))
    audit.record(user.username, "public_info", proposal.folio, engine=engine)
    return _done(proposal, "publico")


@private("read")
def group_list(request: Request) -> Response:
    return render(request, "stl/groups.html", {"groups": review.groups(request.app.state.engine)})


def suggestion_notices() -> dict[str, str]:
    return {
        "aceptado": _("El grupo sugerido quedó como grupo del STL."),
        "renombrado": _("El grupo sugerido cambió de nombre."),
        "descartado": _("El grupo sugerido se descartó."),
        "unido": _("Los dos grupos sugeridos quedaron unidos en uno."),
        "separado": _("Las propuestas marcadas quedaron en un grupo sugerido nuevo."),
    }


def suggestion_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    engine = request.app.state.engine
    theme_ids = {t.id for t in svc.proposal_content().themes}
    theme = request.query_params.get("tema", "")
    views = suggestions.pending_views(theme if theme in theme_ids else None, engine)
    content = svc.proposal_content()
    return render(request, "stl/suggestions.html", {
        "suggestions": views, "theme_title": content.theme_title, "themes": content.themes,
        "theme": theme if theme in theme_ids else "", "error": error,
        "notice": suggestion_notices().get(request.query_params.get("aviso", "")),
    }, status_code=status_code)


@private("read")
def suggestion_list(request: Request) -> Response:
    """Groups of similar proposals suggested by `participa review cluster`, for the STL to decide on."""
    return suggestion_page(request)


@private("review")
def suggestion_decide(request: Request) -> Response:
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    suggestion_id = int(request.path_params["suggestion_id"])
    action, name = form.get("accion", ""), form.get("nombre", "")
    target = f"sugerencia {suggestion_id}"
    try:
        if action == "aceptar":
            group = suggestions.accept(suggestion_id, user.username, name=name, engine=engine)
            audit.record(user.username, "accept_suggestion", target, group.name, engine)
            notice = "aceptado"
        elif action == "renombrar":
            renamed = suggestions.rename(suggestion_id, name, engine=engine)
            audit.record(user.username, "rename_suggestion", target, renamed.label, engine)
            notice = "renombrado"
        elif action == "descartar":
            suggestions.discard(suggestion_id, user.username, engine=engine)
            audit.record(user.username, "discard_suggestion", target, engine=engine)
            notice = "descartado"
        else:
            return suggestion_page(request, _("Elige aceptar, renombrar o descartar."), 400)
    except svc.ProposalError as exc:
        return suggestion_page(request, str(exc), 400)
    return RedirectResponse(f"/stl/grupos/sugeridos?aviso={notice}", status_code=303)


@private("export")
def export(request: Request) -> Response:
    """The filtered proposals as CSV, XLSX or JSON; anonymised unless an admin asks for contact data."""
    engine, user = request.app.state.engine, request.state.user
    fmt = request.query_params.get("formato", "csv")
    if fmt not in MEDIA_TYPES:
        fmt = "csv"
    with_contact = request.query_params.get("contacto") == "1"
    if with_contact and user.role != "admin":
        return forbidden(request, _("Solo una persona administradora puede exportar datos de contacto."))
    query = parse_filters(request.query_params)
    rows = svc.export_rows(svc.search(query.filters, engine, limit=1_000_000), with_contact=with_contact,
                           engine=engine)
    fields = list(svc.EXPORT_FIELDS) + (["contacto", "acepto_contacto"] if with_contact else [])
    audit.record(user.username, "export_contact" if with_contact else "export", None,
                 f"{len(rows)} propuestas, {fmt}, filtros: {query.link()[1:] or 'ninguno'}", engine)
    stamp = dt.date.today().isoformat()
    name = f"propuestas-{stamp}" + ("-con-contacto" if with_contact else "")
    if fmt == "csv":
        body = to_csv(rows, fields)
    elif fmt == "xlsx":
        body = to_xlsx(rows, fields, _("Propuestas"))
    else:
        body = to_json(rows)
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
