"""Interface strings through Babel catalogs, and locale-aware dates and money.

Source strings (msgids) are written in Mexican Spanish, the language people read; the catalogs
live in ``bot/locale/<locale>/LC_MESSAGES/messages.po`` and are compiled by ``make i18n``.
``es_MX`` is complete; ``en`` proves the pipeline for interface strings (content answers in
``content/`` stay in Spanish). The current locale is a context variable so a web request or a
conversation turn can switch it without threading it through every call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "es_MX"
SUPPORTED_LOCALES = ("es_MX", "en")
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("participa_locale", default=DEFAULT_LOCALE)


def negotiate(wanted: str | None) -> str:
    """The supported locale closest to a Telegram ``language_code`` or an Accept-Language tag."""
    if not wanted:
        return DEFAULT_LOCALE
    for part in wanted.split(","):
        tag = part.split(";", 1)[0].strip().replace("-", "_")
        if not tag:
            continue
        try:
            language = Locale.parse(tag).language
        except (ValueError, UnknownLocaleError):
            continue
        for supported in SUPPORTED_LOCALES:
            if supported.split("_", 1)[0] == language:
                return supported
    return DEFAULT_LOCALE


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    """Compiled catalog for ``locale``; the msgids themselves when none is compiled."""
    return Translations.load(str(LOCALE_DIR), [locale], domain=DOMAIN)


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Run a block (a request, a turn) in ``locale``."""
    chosen = negotiate(locale) if locale not in SUPPORTED_LOCALES else str(locale)
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


def format_day(value: date | datetime, locale: str | None = None, format: str = "long") -> str:
    """A date as people of the locale write it ("21 de noviembre de 2026")."""
    return _format_date(value, format=format, locale=locale or current_locale())


def format_moment(value: datetime, locale: str | None = None, format: str = "medium") -> str:
    return _format_datetime(value, format=format, locale=locale or current_locale())


def format_money(amount: Decimal | float | int, currency: str = "MXN", locale: str | None = None) -> str:
    """Money with the locale's symbol and separators ("$1,234.50" in es_MX, "MX$1,234.50" in en)."""
    return format_currency(amount, currency, locale=locale or current_locale())


def format_number(value: Decimal | float | int, locale: str | None = None) -> str:
    return format_decimal(value, locale=locale or current_locale())
