"""Merge two suggested groups or split one, from the suggestions page (``/stl/grupos/sugeridos``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.accounts import audit
from bot.i18n import _
from bot.proposals import regrouping
from bot.proposals import service as svc
from bot.web.proposals import suggestion_page
from bot.web.security import private


def _back(notice: str, theme: str) -> RedirectResponse:
    query = f"?aviso={notice}" + (f"&tema={theme}" if theme.isidentifier() else "")
    return RedirectResponse(f"/stl/grupos/sugeridos{query}", status_code=303)


@private("review")
def merge(request: Request) -> Response:
    """The suggestion in the path absorbs the one chosen in «Unir con»."""
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    target_id = int(request.path_params["suggestion_id"])
    other = form.get("otro", "").strip()
    if not other.isdigit():
        return suggestion_page(request, _("Elige con qué grupo sugerido quieres unir este."), 400)
    try:
        merged = regrouping.merge(target_id, int(other), user.username, engine=engine)
    except svc.ProposalError as exc:
        return suggestion_page(request, str(exc), 400)
    audit.record(user.username, "merge_suggestions", f"sugerencia {target_id}",
                 f"unida con la sugerencia {other}; {merged.size} propuestas", engine)
    return _back("unido", form.get("tema", ""))


@private("review")
def split(request: Request) -> Response:
    """The proposals ticked in the suggestion go to a new suggestion."""
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    suggestion_id = int(request.path_params["suggestion_id"])
    folios = form.get("folio", "").split("\n")
    try:
        part = regrouping.split(suggestion_id, folios, user.username, engine=engine)
    except svc.ProposalError as exc:
        return suggestion_page(request, str(exc), 400)
    audit.record(user.username, "split_suggestion", f"sugerencia {suggestion_id}",
                 f"{part.size} propuestas a la sugerencia {part.id}", engine)
    return _back("separado", form.get("tema", ""))
