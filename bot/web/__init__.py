"""The STL's web dashboard and the public tracking board (Starlette, server-rendered, no JS framework).

``create_app()`` returns the ASGI app that ``participa web`` serves alone and
``participa serve`` mounts at ``/``. The public board (``/``), its open data (``/datos/…``), the
privacy notice (``/privacidad``), static files and ``/login`` need no login; every page under ``/stl`` does.
"""

from __future__ import annotations

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.i18n import _
from bot.storage import db
from bot.web import admin, auth, campaigns, commitments, dashboard, privacy, proposals, public
from bot.web.attention import pages as attention
from bot.web.cocreation import regroup
from bot.web.cocreation import trees as group_trees
from bot.web.inforequests import public as inforequests_public
from bot.web.security import LanguageMiddleware, SecurityHeaders, current_user
from bot.web.templating import STATIC_DIR, render

MAX_BODY = 256 * 1024
FOLIO = "/stl/propuestas/{folio}"
COMMITMENT = "/stl/compromisos/{commitment_id}"
CAMPAIGN = "/stl/campanas/{campaign_id}"
ATTENTION = "/stl/atencion/{request_id}"
SUGGESTION = "/stl/grupos/sugeridos/{suggestion_id:int}"


def routes() -> list[Route | Mount]:
    return [
        Route("/", public.board, methods=["GET"]),
        Route("/datos/propuestas.{fmt:str}", public.proposals_data, methods=["GET"]),
        Route("/datos/compromisos.{fmt:str}", public.commitments_data, methods=["GET"]),
        Route("/solicitudes", inforequests_public.requests_board, methods=["GET"]),
        Route("/datos/solicitudes.{fmt:str}", inforequests_public.requests_data, methods=["GET"]),
        Route("/propuestas/{folio:str}", public.proposal_record, methods=["GET"]),
        Route("/privacidad", privacy.notice, methods=["GET"]),
        Route("/login", auth.login, methods=["GET", "POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/stl", dashboard.dashboard, methods=["GET"]),
        Route("/stl/propuestas", proposals.proposal_list, methods=["GET"]),
        Route("/stl/propuestas/exportar", proposals.export, methods=["GET"]),
        Route(FOLIO, proposals.proposal_detail, methods=["GET"]),
        Route(FOLIO + "/estado", proposals.change_status, methods=["POST"]),
        Route(FOLIO + "/duplicada", proposals.mark_duplicate, methods=["POST"]),
        Route(FOLIO + "/grupo", proposals.set_group, methods=["POST"]),
        Route(FOLIO + "/nota", proposals.add_note, methods=["POST"]),
        Route(FOLIO + "/publico", proposals.set_public_info, methods=["POST"]),
        Route("/stl/grupos", proposals.group_list, methods=["GET"]),
        Route("/stl/grupos/arboles", group_trees.all_trees, methods=["GET"]),
        Route("/stl/grupos/{group_id:int}/arbol", group_trees.tree_page, methods=["GET"]),
        Route("/stl/grupos/{group_id:int}/arbol.{fmt:str}", group_trees.tree_export, methods=["GET"]),
        Route("/stl/grupos/sugeridos", proposals.suggestion_list, methods=["GET"]),
        Route(SUGGESTION, proposals.suggestion_decide, methods=["POST"]),
        Route(SUGGESTION + "/unir", regroup.merge, methods=["POST"]),
        Route(SUGGESTION + "/separar", regroup.split, methods=["POST"]),
        Route("/stl/compromisos", commitments.commitment_list, methods=["GET"]),
        Route("/stl/compromisos/nuevo", commitments.commitment_new, methods=["GET", "POST"]),
        Route(COMMITMENT, commitments.commitment_detail, methods=["GET"]),
        Route(COMMITMENT, commitments.commitment_update, methods=["POST"]),
        Route(COMMITMENT + "/propuestas", commitments.commitment_link, methods=["POST"]),
        Route("/stl/contenido", dashboard.review_list, methods=["GET"]),
        Route("/stl/campanas", campaigns.campaign_list, methods=["GET"]),
        Route("/stl/campanas/nueva", campaigns.campaign_new, methods=["GET", "POST"]),
        Route(CAMPAIGN, campaigns.campaign_detail, methods=["GET"]),
        Route(CAMPAIGN + "/progreso.json", campaigns.campaign_progress, methods=["GET"]),
        Route(CAMPAIGN + "/enviar", campaigns.campaign_send, methods=["POST"]),
        Route(CAMPAIGN + "/programar", campaigns.campaign_schedule, methods=["POST"]),
        Route(CAMPAIGN + "/cancelar", campaigns.campaign_cancel, methods=["POST"]),
        Route("/stl/atencion", attention.queue, methods=["GET"]),
        Route(ATTENTION, attention.request_page, methods=["GET"]),
        Route(ATTENTION + "/responder", attention.reply, methods=["POST"]),
        Route(ATTENTION + "/cerrar", attention.close, methods=["POST"]),
        Route("/stl/cuentas", admin.account_list, methods=["GET"]),
        Route("/stl/cuentas", admin.account_create, methods=["POST"]),
        Route("/stl/cuentas/{account_id}", admin.account_toggle, methods=["POST"]),
        Route("/stl/bitacora", admin.audit_log, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


async def _error(request: Request, exc: Exception) -> Response:
    code = exc.status_code if isinstance(exc, HTTPException) else 500
    await current_user(request)
    titles = {400: _("No entendimos un dato de la dirección"),
              404: _("No encontramos esta página"), 405: _("Esta acción no existe aquí"),
              500: _("Algo falló de nuestro lado")}
    messages = {
        400: _("Algún número o fecha de la dirección no es válido. Vuelve a la página anterior y "
               "usa sus filtros y botones."),
        404: _("Revisa la dirección. Si llegaste desde un enlace, puede que ya no exista."),
        405: _("Vuelve a la página anterior y usa sus botones."),
        500: _("No se perdió nada de lo que ya estaba guardado. Inténtalo de nuevo en un momento."),
    }
    return render(request, "error.html", {
        "title": titles.get(code, _("No se pudo completar")), "message": messages.get(code, ""),
    }, status_code=code)


def create_app(engine: Engine | None = None) -> Starlette:
    """The web app on ``engine`` (the configured database when None)."""
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(LanguageMiddleware), Middleware(SecurityHeaders)],
        exception_handlers={400: _error, 404: _error, 405: _error, 500: _error},
        max_body_size=MAX_BODY,
    )
    app.state.engine = engine or db.default_engine()
    return app
