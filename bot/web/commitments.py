"""Editors' pages for commitments: create, update the road map and progress, link proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.accounts import audit
from bot.i18n import _
from bot.proposals import commitments as svc
from bot.proposals.service import ProposalError
from bot.web.params import whole_number
from bot.web.security import private
from bot.web.templating import render


def _id(request: Request) -> int:
    raw = request.path_params["commitment_id"]
    number = whole_number(raw)
    if number is None:
        raise HTTPException(404)
    return number


def _load(request: Request) -> svc.CommitmentView:
    view = svc.get(_id(request), published_only=False, engine=request.app.state.engine)
    if view is None:
        raise HTTPException(404)
    return view


def data_from_form(form: dict[str, str]) -> tuple[svc.CommitmentData, list[str]]:
    problems: list[str] = []

    def day(name: str) -> dt.date | None:
        value = form.get(name, "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(_("Una fecha no es válida; usa AAAA-MM-DD."))
            return None

    raw_progress = form.get("progress", "0").strip() or "0"
    progress = whole_number(raw_progress, max_digits=3)
    progress = -1 if progress is None else progress
    data = svc.CommitmentData(
        **{name: form.get(name, "") for name in svc.TEXT_FIELDS},
        start_date=day("start_date"), end_date=day("end_date"), progress=progress,
        published=form.get("published") == "1",
    )
    return data, problems


@private("read")
def commitment_list(request: Request) -> Response:
    return render(request, "stl/commitments.html",
                  {"commitments": svc.listing(published_only=False, engine=request.app.state.engine)})


def _form(request: Request, view: svc.CommitmentView | None, values: dict[str, Any] | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    notice = request.query_params.get("aviso")
    return render(request, "stl/commitment.html", {
        "view": view, "values": values, "error": error,
        "notice": {"guardado": _("El compromiso quedó guardado."),
                   "vinculada": _("La propuesta quedó vinculada y marcada como «Integrada en un "
                                  "compromiso»."),
                   "desvinculada": _("La propuesta quedó desvinculada.")}.get(notice or ""),
    }, status_code=status_code)


@private("commitments")
def commitment_new(request: Request) -> Response:
    if request.method == "GET":
        return _form(request, None)
    data, problems = data_from_form(request.state.form)
    try:
        if problems:
            raise svc.CommitmentError(" ".join(problems))
        saved = svc.save(data, engine=request.app.state.engine)
    except svc.CommitmentError as exc:
        return _form(request, None, vars(data), str(exc), 400)
    audit.record(request.state.user.username, "commitment_create", f"C-{saved.id}", saved.title,
                 request.app.state.engine)
    return RedirectResponse(f"/stl/compromisos/{saved.id}?aviso=guardado", status_code=303)


@private("read")
def commitment_detail(request: Request) -> Response:
    return _form(request, _load(request))


@private("commitments")
def commitment_update(request: Request) -> Response:
    view = _load(request)
    data, problems = data_from_form(request.state.form)
    try:
        if problems:
            raise svc.CommitmentError(" ".join(problems))
        svc.save(data, view.commitment.id, engine=request.app.state.engine)
    except svc.CommitmentError as exc:
        return _form(request, view, vars(data), str(exc), 400)
    audit.record(request.state.user.username, "commitment_update", f"C-{view.commitment.id}",
                 f"avance {data.progress} %" + (", publicado" if data.published else ""),
                 request.app.state.engine)
    return RedirectResponse(f"/stl/compromisos/{view.commitment.id}?aviso=guardado", status_code=303)


@private("commitments")
def commitment_link(request: Request) -> Response:
    view = _load(request)
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    folio = form.get("folio", "").strip().upper()[:30]
    target = f"C-{view.commitment.id}"
    if form.get("accion") == "quitar":
        svc.unlink(view.commitment.id, folio, engine)
        audit.record(user.username, "commitment_unlink", target, folio, engine)
        return RedirectResponse(f"/stl/compromisos/{view.commitment.id}?aviso=desvinculada", status_code=303)
    try:
        svc.link(view.commitment.id, folio, user.username, engine)
    except (ProposalError, svc.CommitmentError) as exc:
        return _form(request, view, error=str(exc), status_code=400)
    audit.record(user.username, "commitment_link", target, folio, engine)
    audit.record(user.username, "status", folio, f"→ integrada ({target})", engine)
    return RedirectResponse(f"/stl/compromisos/{view.commitment.id}?aviso=vinculada", status_code=303)
