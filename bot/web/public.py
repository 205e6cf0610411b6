"""The public tracking board (Tablero Público de Seguimiento) and its open data; no login.

Only anonymous counts and published commitments appear here, plus the public record of each
proposal whose author opted in (anonymised: bot/proposals/public_record.py): no author, no contact.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.i18n import _
from bot.proposals import commitments as commitments_svc
from bot.proposals import public_record
from bot.proposals import stats as proposal_stats
from bot.proposals.service import proposal_content
from bot.storage.models.base import utcnow
from bot.web import charts
from bot.web.cocreation import choropleth
from bot.web.exports import MEDIA_TYPES, to_csv, to_json
from bot.web.security import public
from bot.web.templating import render

COMMITMENT_FIELDS = ("id", "titulo", "tema", "descripcion", "responsable", "corresponsable",
                     "actividades", "resultado_final", "productos", "indicadores",
                     "medios_verificacion", "fecha_inicio", "fecha_conclusion", "avance_porcentaje",
                     "propuestas_vinculadas", "actualizado")
PROPOSAL_FIELDS = ("tema", "tema_nombre", "clave_municipio", "municipio", "estado", "estado_nombre",
                   "propuestas")


@public
def board(request: Request) -> Response:
    engine = request.app.state.engine
    by_status = proposal_stats.by_status(engine)
    by_theme = proposal_stats.by_theme(engine)
    top = proposal_stats.by_municipality(limit=15, engine=engine)
    unit = _("propuestas")
    return render(request, "public/board.html", {
        "totals": proposal_stats.totals(engine),
        "by_status": by_status,
        "status_chart": charts.bars("estado", _("Propuestas por estado"),
                                    [(c.label, c.value) for c in by_status], unit),
        "theme_chart": charts.bars("tema", _("Propuestas por tema"),
                                   [(c.label, c.value) for c in by_theme], unit),
        "municipality_chart": charts.bars("municipio", _("Los 15 municipios con más propuestas"),
                                          [(c.label, c.value) for c in top], unit),
        "map": choropleth.choropleth("mapa", _("Mapa de propuestas por municipio"),
                                     proposal_stats.per_municipality_code(engine),
                                     (_("propuesta"), _("propuestas")), _("Propuestas")),
        "commitments": commitments_svc.listing(published_only=True, engine=engine),
        "records": public_record.published(engine=engine),
        "now": utcnow(),
    })


@public
def proposal_record(request: Request) -> Response:
    """A proposal's public record (404 unless its author opted in)."""
    found = public_record.record(request.path_params["folio"], request.app.state.engine)
    if found is None:
        raise HTTPException(404)
    return render(request, "public/record.html", {"r": found})


def _commitment_row(view: commitments_svc.CommitmentView) -> dict[str, Any]:
    c = view.commitment
    return {
        "id": c.id, "titulo": c.title, "tema": proposal_content().theme_title(c.theme),
        "descripcion": c.description, "responsable": c.responsible, "corresponsable": c.co_responsible,
        "actividades": view.items("activities"), "resultado_final": c.final_result,
        "productos": view.items("products"), "indicadores": view.items("indicators"),
        "medios_verificacion": view.items("verification"),
        "fecha_inicio": c.start_date.isoformat() if c.start_date else None,
        "fecha_conclusion": c.end_date.isoformat() if c.end_date else None,
        "avance_porcentaje": c.progress, "propuestas_vinculadas": view.folios,
        "actualizado": c.updated_at.isoformat(timespec="seconds"),
    }


def _meta(description: str) -> dict[str, Any]:
    return {
        "descripcion": description,
        "generado": utcnow().isoformat(timespec="seconds") + "Z",
        "fuente": "Participa — Tablero Público de Seguimiento del Secretariado Técnico Local",
    }


def _file(body: bytes, fmt: str, name: str) -> Response:
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'inline; filename="{name}.{fmt}"',
        "Access-Control-Allow-Origin": "*",
    })


def _format(request: Request) -> str:
    fmt = str(request.path_params["fmt"])
    if fmt not in ("csv", "json"):
        raise HTTPException(404)
    return fmt


@public
def proposals_data(request: Request) -> Response:
    fmt = _format(request)
    rows = proposal_stats.open_data_rows(request.app.state.engine)
    if fmt == "csv":
        return _file(to_csv(rows, PROPOSAL_FIELDS), "csv", "propuestas")
    return _file(to_json(rows, _meta("Propuestas ciudadanas contadas por tema, municipio y estado "
                                     "(anonimizado: solo conteos).")), "json", "propuestas")


@public
def commitments_data(request: Request) -> Response:
    fmt = _format(request)
    rows = [_commitment_row(v) for v in commitments_svc.listing(True, request.app.state.engine)]
    if fmt == "csv":
        flat = [{k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]
        return _file(to_csv(flat, COMMITMENT_FIELDS), "csv", "compromisos")
    return _file(to_json(rows, _meta("Compromisos publicados del Plan de Acción Local con su hoja de "
                                     "ruta y avance.")), "json", "compromisos")
