"""«¿Responden?»: per body, how the requests followed through the bot ended; counts only, no login.

Like Alaveteli's table of authorities: how many requests each body got through the bot, how
many were answered (complete or not), not answered, still in term, or with no news yet. No
folio, no date, nothing about a person. Also as open data (``/datos/solicitudes.csv|json``).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.clock import local_today
from bot.inforequests import stats
from bot.web.exports import MEDIA_TYPES, to_csv, to_json
from bot.web.security import public
from bot.web.templating import render

FIELDS = ("institucion", "solicitudes", "respondidas_completas", "respondidas_incompletas",
          "sin_respuesta", "en_plazo", "sin_dato")


@public
def requests_board(request: Request) -> Response:
    rows = stats.by_body(local_today(), request.app.state.engine)
    return render(request, "public/solicitudes.html", {
        "rows": rows, "total": sum(r.total for r in rows)})


@public
def requests_data(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise HTTPException(404)
    rows = [dict(zip(FIELDS, (r.body, r.total, r.complete, r.incomplete, r.unanswered, r.in_term,
                              r.unknown), strict=True))
            for r in stats.by_body(local_today(), request.app.state.engine)]
    body = to_csv(rows, FIELDS) if fmt == "csv" else to_json(rows, {
        "descripcion": "Solicitudes de información seguidas con el bot, por institución y resultado "
                       "(anonimizado: solo conteos; el resultado lo dice quien la pidió)."})
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'inline; filename="solicitudes.{fmt}"'})
