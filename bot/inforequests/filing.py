"""Reading "ya la mandé, mi folio es 00123/…/IP/2026, el 1 de diciembre" without new NLU.

A folio is the word "folio" followed by a code with at least one digit (a proposal's own folio,
``P-2026-000123``, is not one: that is a question about a proposal). The filing date is a Spanish
date ("1 de diciembre", "01/12/2026", "hoy", "ayer"), never in the future: a day and month
without a year that would be ahead of today means last year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.content.place import place
from bot.proposals.service import suggest_theme
from bot.textnorm import strip_accents

MONTHS = {name: number for number, name in enumerate(
    ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"],
    start=1)} | {"setiembre": 9}
MAX_AGE_DAYS = 366  # a filing older than this is not one the bot can still follow
_FOLIO_RE = re.compile(
    r"\bfolio\b[\s:#]*(?:(?:es|era|n[uú]mero|no\.?|num\.?|de la solicitud)[\s:#]+)*"
    r"(?P<folio>[A-Za-z0-9][A-Za-z0-9/_.-]{3,59})", re.IGNORECASE)
_PROPOSAL_FOLIO_RE = re.compile(r"^P-\d{4}-\d+$", re.IGNORECASE)
_FILED_RE = re.compile(r"\b(mand|envi|present|hice|ingres|registr|meti|subi|solicitud)", re.IGNORECASE)
# Words of an information request ("la solicitud", "la PNT", "a transparencia"); the state's own
# platforms' names come from content/place.yml (`request_platforms`).
_REQUEST_WORDS = (r"solicitud\w*", "pnt", "plataforma", "transparencia", r"informaci[oó]n", "info",
                  "sisai", "infomex", "unidad de")


@lru_cache(maxsize=1)
def _request_re() -> re.Pattern[str]:
    platforms = [re.escape(name.lower()) for name in place().request_platforms]
    return re.compile(r"\b(" + "|".join([*_REQUEST_WORDS, *platforms]) + r")\b", re.IGNORECASE)
# Words of a proposal ("mi propuesta", "el reporte que hice").
_PROPOSAL_RE = re.compile(r"\b(propuest\w*|report\w*|queja\w*|petici[oó]n\w*)\b", re.IGNORECASE)
_WORD_DATE_RE = re.compile(r"\b(\d{1,2})\s+de\s+([a-z]+)(?:\s+(?:de|del)\s+(\d{4}))?")
_NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b")
_RELATIVE = {"hoy": 0, "ayer": 1, "antier": 2, "anteayer": 2, "antes de ayer": 2}


@dataclass(frozen=True)
class Filing:
    folio: str | None
    filed_on: dt.date | None
    bad_date: bool = False  # a date was given but it is in the future or too old


def folio_in(text: str) -> str | None:
    match = _FOLIO_RE.search(text)
    if match is None:
        return None
    folio = match.group("folio").rstrip("./-_")
    if not any(ch.isdigit() for ch in folio) or _PROPOSAL_FOLIO_RE.match(folio):
        return None
    return folio


def looks_like_filing(text: str) -> bool:
    """A folio of a request the person says they filed ("ya la mandé, mi folio es …").

    "¿Qué pasó con lo que mandé del bache? folio 2931" is about a proposal: a folio next to a
    proposal's words (a pothole, the garbage, «mi reporte») is one, unless the message also names
    an information request (solicitud, the state's platform, transparencia…) or the folio is
    shaped like one."""
    folio = folio_in(text)
    if folio is None or _FILED_RE.search(text) is None:
        return False
    return "/" in folio or _request_re().search(text) is not None or not about_a_proposal(text)


def about_a_proposal(text: str) -> bool:
    """The message names a proposal or a community problem (content/proposals.yml's themes)."""
    return _PROPOSAL_RE.search(text) is not None or suggest_theme(text) is not None


def _date(day: int, month: int, year: int | None, today: dt.date) -> dt.date | None:
    try:
        found = dt.date(year if year is not None else today.year, month, day)
    except ValueError:
        return None
    if year is None and found > today:
        found = found.replace(year=today.year - 1)
    return found


def date_in(text: str, today: dt.date) -> tuple[dt.date | None, bool]:
    """The date named in ``text`` and whether one was named but cannot be a filing date."""
    words = " ".join(strip_accents(text.lower()).split())
    found: dt.date | None = None
    named = False
    if (m := _WORD_DATE_RE.search(words)) and m.group(2) in MONTHS:
        named = True
        found = _date(int(m.group(1)), MONTHS[m.group(2)], int(m.group(3)) if m.group(3) else None, today)
    elif m := _NUMERIC_DATE_RE.search(words):
        named = True
        year = int(m.group(3))
        found = _date(int(m.group(1)), int(m.group(2)), year + 2000 if year < 100 else year, today)
    else:
        for phrase, days in sorted(_RELATIVE.items(), key=lambda item: -len(item[0])):
            if re.search(rf"\b{phrase}\b", words):
                return today - dt.timedelta(days=days), False
    if found is None or found > today or (today - found).days > MAX_AGE_DAYS:
        return None, named
    return found, False


def parse_filing(text: str, today: dt.date) -> Filing:
    folio = folio_in(text)
    rest = text.replace(folio, " ") if folio else text  # the folio's digits are not a date
    filed_on, bad = date_in(rest, today)
    return Filing(folio, filed_on, bad)
