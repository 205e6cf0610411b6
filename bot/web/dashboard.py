"""The STL's charts: proposals by theme, by municipality (top 15 and choropleth maps), status over
time, and adhesions; and the FAQ answers due for review, so the STL keeps content current.

The review list is read from ``content/`` on every visit: an entry a person just reviewed leaves
the list at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from bot.attention import service as attention
from bot.attention.hours import start_of_today
from bot.config import get_settings
from bot.content.faq import REVIEW_EVERY_DAYS, due_for_review, entry_files, load_faq
from bot.content.files import ContentError
from bot.i18n import _, format_day
from bot.proposals import stats as proposal_stats
from bot.proposals.service import proposal_content
from bot.web import charts
from bot.web.cocreation import choropleth
from bot.web.security import private
from bot.web.templating import render


def _period_labels(series: proposal_stats.Series) -> list[str]:
    pattern = "d MMM" if series.granularity == "week" else "MMM y"
    return [format_day(end, format=pattern) for end in series.ends]


def municipality_maps(engine: Engine) -> tuple[Markup, Markup]:
    """Choropleths of proposals and of groups; a municipality leads to its proposals in the list."""

    def to_list(shape: choropleth.Shape) -> str:
        return "/stl/propuestas?" + urlencode({"municipio": shape.name})

    proposals = choropleth.choropleth(
        "mapa", _("Mapa de propuestas por municipio"), proposal_stats.per_municipality_code(engine),
        (_("propuesta"), _("propuestas")), _("Propuestas"), link=to_list)
    groups = choropleth.choropleth(
        "mapa-grupos", _("Mapa de grupos por municipio"), proposal_stats.groups_per_municipality_code(engine),
        (_("grupo"), _("grupos")), _("Grupos con propuestas de ahí"), link=to_list)
    return proposals, groups


@private("read")
def dashboard(request: Request) -> Response:
    engine = request.app.state.engine
    unit = _("propuestas")
    statuses = proposal_content().statuses
    status_series = proposal_stats.status_over_time(engine)
    adhesion_series = proposal_stats.adhesions_over_time(engine)
    maps = municipality_maps(engine)
    return render(request, "stl/dashboard.html", {
        "totals": proposal_stats.totals(engine),
        "attention_today": attention.daily(start_of_today(), engine),
        "theme_chart": charts.bars("por-tema", _("Propuestas por tema"),
                                   [(c.label, c.value) for c in proposal_stats.by_theme(engine)], unit),
        "municipality_chart": charts.bars(
            "por-municipio", _("Los 15 municipios con más propuestas"),
            [(c.label, c.value) for c in proposal_stats.by_municipality(limit=15, engine=engine)], unit),
        "map": maps[0],
        "groups_map": maps[1],
        "status_chart": charts.columns(
            "estado-en-el-tiempo", _("Propuestas por estado a lo largo del tiempo"),
            _period_labels(status_series), status_series.values,
            {k: v.label for k, v in statuses.items()}, unit),
        "adhesion_chart": charts.columns(
            "adhesiones", _("Adhesiones recibidas por periodo"), _period_labels(adhesion_series),
            adhesion_series.values, {"adhesions": _("Adhesiones")}, _("adhesiones")),
        "supported": proposal_stats.most_supported(10, engine),
        "due_for_review": _due_count(),
    })


def _due_count() -> int | None:
    """How many FAQ answers wait for a review (None when content/ does not load: its page says why)."""
    try:
        return len(entries_due())
    except ContentError:
        return None


@dataclass(frozen=True)
class DueEntry:
    id: str
    title: str
    topic: str
    reviewed: dt.date
    file: str


def entries_due(today: dt.date | None = None) -> list[DueEntry]:
    """Due entries, the oldest review first; raises ContentError when content/ does not load."""
    directory = get_settings().content_dir
    catalog = load_faq(directory)
    topics = {t.id: t.title for t in catalog.topics}
    files = entry_files(directory)
    return [
        DueEntry(e.id, e.title, topics.get(e.topic, e.topic), e.reviewed, files.get(e.id, "faq/"))
        for e in due_for_review(catalog, today or dt.date.today())
    ]


@private("read")
def review_list(request: Request) -> Response:
    try:
        due, problem = entries_due(), None
    except ContentError as exc:
        due, problem = [], str(exc)
    return render(request, "stl/content_review.html", {
        "due": due, "problem": problem, "months": round(REVIEW_EVERY_DAYS / 30.5),
    })
