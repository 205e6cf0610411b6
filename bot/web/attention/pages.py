"""``/stl/atencion``: open requests with their waiting time, the conversation, reply and close.

Reviewers and up. A reply is queued (:func:`bot.attention.service.staff_reply`); the bot's
Telegram process delivers it once. The list masks personal data in what people wrote; the
request's page shows it whole, because the team needs it to answer. Both forms carry the CSRF
token (:func:`bot.web.security.private`) and are written to the audit log.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.accounts import audit
from bot.attention import service
from bot.attention.content import attention_content
from bot.attention.hours import start_of_today
from bot.i18n import _, configured_locale
from bot.privacy.masking import mask_personal_data
from bot.web.params import whole_number
from bot.web.security import private
from bot.web.templating import render

MAX_REPLY = 3000
NOTICES = {"enviada": lambda: _("Tu respuesta quedó en la cola: el bot la manda a Telegram en unos "
                                "segundos."),
           "cerrada": lambda: _("La conversación quedó cerrada; la persona vuelve a hablar con el bot.")}


def _id(request: Request) -> int:
    number = whole_number(request.path_params["request_id"])
    if number is None:
        raise HTTPException(404)
    return number


@private("read")
def queue(request: Request) -> Response:
    engine = request.app.state.engine
    rows = [(r, mask_personal_data(r.last_text) if r.last_text else None)
            for r in service.open_requests(engine=engine)]
    return render(request, "stl/attention.html", {
        "rows": rows, "today": service.daily(start_of_today(), engine),
        "notice": NOTICES.get(request.query_params.get("aviso", ""), lambda: None)(),
    })


def _page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    found = service.detail(_id(request), request.app.state.engine)
    if found is None:
        raise HTTPException(404)
    return render(request, "stl/attention_request.html", {
        "r": found, "error": error, "max_reply": MAX_REPLY,
        "notice": NOTICES.get(request.query_params.get("aviso", ""), lambda: None)(),
    }, status_code=status_code)


@private("read")
def request_page(request: Request) -> Response:
    return _page(request)


@private("review")
def reply(request: Request) -> Response:
    request_id, engine = _id(request), request.app.state.engine
    text = request.state.form.get("respuesta", "").strip()
    if not text or len(text) > MAX_REPLY:
        return _page(request, _("Escribe una respuesta de 1 a {n} caracteres.").format(n=MAX_REPLY), 400)
    if not service.staff_reply(request_id, request.state.user.username, text, engine):
        return _page(request, _("Esta conversación ya está cerrada: la respuesta no se envió."), 409)
    audit.record(request.state.user.username, "attention_reply", f"A-{request_id}", None, engine)
    return RedirectResponse(f"/stl/atencion/{request_id}?aviso=enviada", status_code=303)


@private("review")
def close(request: Request) -> Response:
    request_id, engine = _id(request), request.app.state.engine
    note = request.state.form.get("nota", "")[:MAX_REPLY]
    goodbye = attention_content(configured_locale()).message("ended_by_staff")
    if not service.close(request_id, request.state.user.username, note, goodbye, engine):
        return _page(request, _("Esta conversación ya estaba cerrada."), 409)
    audit.record(request.state.user.username, "attention_close", f"A-{request_id}",
                 None, engine)
    return RedirectResponse("/stl/atencion?aviso=cerrada", status_code=303)
