"""Interface strings through Babel catalogs, and locale-aware dates and money.

Source strings (msgids) are written in Mexican Spanish, the language people read; the catalogs
live in ``bot/locale/<locale>/LC_MESSAGES/messages.po`` and are compiled by ``make i18n`` (and
``make setup``). ``es_MX`` is complete; ``en`` proves the pipeline for interface strings (content
answers in ``content/`` stay in Spanish). The current locale is a context variable so a web
request or a conversation turn can switch it without threading it through every call; outside
any ``use_locale`` block it is ``PARTICIPA_LOCALE``.

Compiled ``.mo`` files are build products (not versioned). When one is missing or older than its
``.po`` the ``.po`` is compiled in memory, so a fresh clone or a test run never shows stale text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from bot.clock import local_date
from bot.config import get_settings

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "es_MX"
SUPPORTED_LOCALES = ("es_MX", "en")
DOMAIN = "messages"

LANG_COOKIE = "lang"

_current: ContextVar[str | None] = ContextVar("participa_locale", default=None)


def supported(tag: str | None) -> str | None:
    """The supported locale for one language tag ("en-US", "es", "es_MX"), or None."""
    tag = (tag or "").split(";", 1)[0].strip().replace("-", "_")
    if not tag:
        return None
    if tag in SUPPORTED_LOCALES:
        return tag
    try:
        language = Locale.parse(tag).language
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return next((s for s in SUPPORTED_LOCALES if s.split("_", 1)[0] == language), None)


def negotiate(wanted: str | None, default: str = DEFAULT_LOCALE) -> str:
    """The supported locale closest to a language tag or an Accept-Language list."""
    for part in (wanted or "").split(","):
        chosen = supported(part)
        if chosen:
            return chosen
    return default


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    """The catalog for ``locale``; the msgids themselves (Spanish) when there is none."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@lru_cache(maxsize=1)
def configured_locale() -> str:
    """``PARTICIPA_LOCALE`` (es_MX by default): what the bot speaks to everyone."""
    return negotiate(get_settings().participa_locale)


def current_locale() -> str:
    return _current.get() or configured_locale()


def web_locale(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The web's locale: ``?lang=`` first, then the ``lang`` cookie, then Accept-Language.

    Without any of them (or with unsupported ones) it is ``PARTICIPA_LOCALE``.
    """
    for wanted in (query, cookie):
        chosen = supported(wanted)
        if chosen:
            return chosen
    return negotiate(accept_language, default=configured_locale())


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Run a block (a request, a turn) in ``locale`` (``PARTICIPA_LOCALE`` when None or unknown)."""
    chosen = negotiate(locale, default=configured_locale())
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def gettext(message: str, locale: str | None = None) -> str:
    return translations(locale or current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    return translations(locale or current_locale()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the name pybabel looks for
    """Mark a string for extraction where it is defined; translate it with ``_()`` where shown."""
    return message


def format_day(value: date | datetime, locale: str | None = None, format: str = "long") -> str:
    """A date as people of the locale write it ("21 de noviembre de 2026"). A moment (stored in
    UTC) is shown as its day where the people are: a consent at 20:00 in Mexico City on the 6th
    is from the 6th, not the 7th of UTC."""
    if isinstance(value, datetime):
        value = local_date(value)
    return _format_date(value, format=format, locale=locale or current_locale())


def format_moment(value: datetime, locale: str | None = None, format: str = "medium") -> str:
    return _format_datetime(value, format=format, locale=locale or current_locale())


def format_money(amount: Decimal | float | int, currency: str = "MXN", locale: str | None = None) -> str:
    """Money with the locale's symbol and separators ("$1,234.50" in es_MX, "MX$1,234.50" in en)."""
    return format_currency(amount, currency, locale=locale or current_locale())


def format_number(
    value: Decimal | float | int, locale: str | None = None, format: str | None = None
) -> str:
    """A number with the locale's separators; ``format`` is a Babel pattern ("#,##0.00", "#,##0%")."""
    return format_decimal(value, format=format, locale=locale or current_locale())
