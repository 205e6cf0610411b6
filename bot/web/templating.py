"""Jinja2 for the web pages: autoescaped, with the Babel catalogs installed for ``_()`` and ``ngettext``."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

from bot import i18n
from bot.accounts.labels import action_label, role_label
from bot.accounts.service import can
from bot.attention.service import open_count
from bot.config import get_settings
from bot.content.place import place
from bot.proposals.service import proposal_content
from bot.web.csrf import csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def local(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) moment in the deployment's time zone (``PARTICIPA_TIMEZONE``)."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(get_settings().participa_timezone))


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    return i18n.format_day(local(value) if isinstance(value, dt.datetime) else value, format="medium")


def _moment(value: dt.datetime | None) -> str:
    return i18n.format_moment(local(value), format="short") if value else "—"


def _status_label(status: str) -> str:
    info = proposal_content().statuses.get(status)
    return info.label if info else status


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["day"] = _day
    env.filters["moment"] = _moment
    env.filters["number"] = lambda value: i18n.format_number(value)
    env.filters["theme_title"] = lambda theme: proposal_content().theme_title(theme)
    env.filters["status_label"] = _status_label
    env.globals["statuses"] = lambda: proposal_content().statuses
    env.globals["themes"] = lambda: proposal_content().themes
    env.globals["action_label"] = action_label
    env.globals["role_label"] = role_label
    return Jinja2Templates(env=env)


def page_context(request: Any) -> dict[str, Any]:
    user = getattr(request.state, "user", None)
    waiting: list[int] = []

    def attention_waiting() -> int:
        """Open attention requests, for the nav badge (asked once per page, signed in only)."""
        if not waiting:
            waiting.append(open_count(request.app.state.engine) if user else 0)
        return waiting[0]

    return {
        "user": user,
        "csrf_token": csrf_token(request),
        "can": lambda permission: can(user.role if user else None, permission),
        "path": request.url.path,
        "locale": i18n.current_locale(),
        "place": place(),
        "attention_waiting": attention_waiting,
    }


def render(request: Any, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Any:
    values = page_context(request)
    values.update(context or {})
    return templates().TemplateResponse(request, name, values, status_code=status_code, headers=headers)
