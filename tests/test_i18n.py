"""Babel catalogs complete for a fresh extraction; locale choice; money and dates per locale."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot import i18n
from bot.config import PROJECT_ROOT, get_settings
from bot.i18n import _, format_day, format_money, use_locale, web_locale

CATALOGS = {locale: i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po" for locale in ("es_MX", "en")}
BRACES = re.compile(r"\{[a-z_]*\}")


@pytest.fixture(scope="module")
def fresh_pot(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What ``make i18n`` extracts from the code and content as they are now."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    cwd = Path.cwd()
    try:
        import os

        os.chdir(PROJECT_ROOT)  # babel.cfg patterns are relative to the project root
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(out), "-c", "TRANSLATORS:", "."]
        )
    finally:
        os.chdir(cwd)
    with out.open("rb") as handle:
        return read_po(handle)


def entries(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def load(locale: str) -> Catalog:
    with CATALOGS[locale].open("rb") as handle:
        return read_po(handle, locale=locale)


def test_extraction_finds_python_and_content_strings(fresh_pot: Catalog) -> None:
    where = {m.id: {path for path, _line in m.locations} for m in entries(fresh_pot)}
    assert "content/chat.yml" in where["Hacer una propuesta"]  # a menu title
    assert "content/telegram_commands.yml" in where["Borrar tus datos"]
    assert "content/proposals.yml" in where["Revisa tu propuesta antes de enviarla:"]
    assert "actions/proposals.py" in where["Cancelar"]
    # Content answers stay Spanish content, not interface strings.
    assert not any(path.startswith("content/faq/") for paths in where.values() for path in paths)


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_every_extracted_string_is_translated(fresh_pot: Catalog, locale: str) -> None:
    catalog = load(locale)
    problems = []
    for message in entries(fresh_pot):
        found = catalog.get(message.id)
        if found is None:
            problems.append(f"falta: {message.id!r}")
        elif not found.string or (isinstance(found.string, tuple) and not all(found.string)):
            problems.append(f"sin traducir: {message.id!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not problems, f"{CATALOGS[locale]} (corre `make i18n` y traduce):\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_catalogs_have_no_fuzzy_entries_and_keep_placeholders(locale: str) -> None:
    for message in entries(load(locale)):
        assert not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(BRACES.findall(ids[0]))
        for text in strings:
            assert sorted(BRACES.findall(text)) == wanted, (message.id, text)


@pytest.mark.parametrize(
    ("locale", "money", "day"),
    [
        ("es_MX", "$1,234.50", "21 de noviembre de 2026"),
        ("en", "MX$1,234.50", "November 21, 2026"),
    ],
)
def test_money_and_dates_follow_the_locale(locale: str, money: str, day: str) -> None:
    assert format_money(1234.5, locale=locale) == money
    assert format_money(Decimal("1234.50"), locale=locale) == money
    assert format_day(date(2026, 11, 21), locale=locale) == day
    with use_locale(locale):
        assert format_money(1234.5) == money
        assert format_day(date(2026, 11, 21)) == day


def test_interface_strings_switch_with_the_locale() -> None:
    assert _("Cancelar") == "Cancelar"  # PARTICIPA_LOCALE defaults to es_MX
    with use_locale("en"):
        assert _("Cancelar") == "Cancel"
        assert _("Corregir {field}").format(field="x") == "Correct x"
    with use_locale("fr"):  # unsupported: the configured locale
        assert _("Cancelar") == "Cancelar"


def test_participa_locale_sets_what_everyone_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTICIPA_LOCALE", "en")
    get_settings.cache_clear()
    i18n.configured_locale.cache_clear()
    try:
        assert i18n.current_locale() == "en"
        assert _("Tus propuestas:") == "Your proposals:"
        assert format_money(1234.5) == "MX$1,234.50"
    finally:
        monkeypatch.delenv("PARTICIPA_LOCALE")
        get_settings.cache_clear()
        i18n.configured_locale.cache_clear()
    assert _("Tus propuestas:") == "Tus propuestas:"


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("en", "es_MX", "es-MX", "en"),  # ?lang= first
        (None, "en", "es-MX", "en"),  # then the cookie
        (None, None, "fr-FR, en-US;q=0.8, es;q=0.5", "en"),  # then Accept-Language, in order
        ("klingon", "??", "de-DE", "es_MX"),  # nothing supported: PARTICIPA_LOCALE
        (None, None, None, "es_MX"),
        ("es", None, "en", "es_MX"),
    ],
)
def test_web_locale_from_query_cookie_then_accept_language(
    query: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert web_locale(query, cookie, accept) == expected


def test_a_missing_or_stale_compiled_catalog_falls_back_to_the_po(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(CATALOGS["en"].read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.gettext("Cancelar", "en") == "Cancel"  # no .mo at all
        (folder / "messages.mo").write_bytes(b"")  # an old, broken .mo older than the .po
        old = (folder / "messages.po").stat().st_mtime - 60
        import os

        os.utime(folder / "messages.mo", (old, old))
        i18n.translations.cache_clear()
        assert i18n.gettext("Cancelar", "en") == "Cancel"
    finally:
        i18n.translations.cache_clear()


def test_a_stored_moment_is_shown_as_its_day_where_the_people_are() -> None:
    """Found on the citizen walk at 20:25 in Mexico City: /mis_propuestas and /mis_datos said «7
    de diciembre» for a proposal and a consent of the 6th (the UTC day of the stored moment)."""
    from bot.i18n import format_day

    evening = dt.datetime(2026, 12, 7, 2, 25)  # naive UTC, as stored: 6 December, 20:25 there
    assert format_day(evening, locale="es_MX") == "6 de diciembre de 2026"
    assert format_day(dt.date(2026, 12, 7), locale="es_MX") == "7 de diciembre de 2026"
