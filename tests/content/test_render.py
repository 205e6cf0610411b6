"""An FAQ answer fits a phone: the limits the content check enforces, and how an answer reads."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.content.checks import check_all, warnings_all
from bot.content.faq import (
    MAX_ANSWER_WORDS,
    MAX_DETAILS_WORDS,
    MAX_WARNING_WORDS,
    FaqEntry,
    load_faq,
)
from bot.content.render import (
    DETAILS_PAYLOAD,
    SOURCES_PAYLOAD,
    answer_buttons,
    parse_followup,
    render_answer,
    render_details,
    render_sources,
)

CONTENT = get_settings().content_dir
runner = CliRunner()


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _edit_entry(directory: Path, faq_id: str, **changes: object) -> None:
    for path in (directory / "faq").glob("*.yml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        if path.name == "topics.yml":
            continue
        for entry in data:
            if entry["id"] == faq_id:
                entry.update(changes)
                path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
                return
    raise AssertionError(faq_id)


def _entry(faq_id: str) -> FaqEntry:
    return load_faq(CONTENT).by_id()[faq_id]


def test_every_shipped_first_message_fits_a_phone() -> None:
    for entry in load_faq(CONTENT).entries:
        assert len(entry.answer.split()) <= MAX_ANSWER_WORDS, entry.id
        assert len((entry.details or "").split()) <= MAX_DETAILS_WORDS, entry.id
        assert len((entry.may_change or "").split()) <= MAX_WARNING_WORDS, entry.id


def test_first_message_is_answer_warning_and_one_short_source_line() -> None:
    entry = _entry("que_paso_inai")
    assert entry.may_change and entry.details and len(entry.sources) > 1
    text = render_answer(entry)
    assert text.startswith(entry.answer.strip())
    assert f"⚠️ {entry.may_change.strip()}" in text
    assert text.endswith(f"Fuente: {entry.sources[0].title}.")
    assert entry.details.strip()[:60] not in text, "details wait behind «Más detalles»"
    assert all(s.ref not in text for s in entry.sources), "URLs wait behind «Fuentes»"


def test_buttons_offer_details_only_when_there_are_some() -> None:
    with_details = answer_buttons(_entry("que_es_gobierno_abierto"))
    assert [b["title"] for b in with_details] == ["Más detalles", "Fuentes"]
    assert parse_followup(with_details[0]["payload"]) == (DETAILS_PAYLOAD, "que_es_gobierno_abierto")
    assert parse_followup(with_details[1]["payload"]) == (SOURCES_PAYLOAD, "que_es_gobierno_abierto")
    without = answer_buttons(_entry("solicitud_anonima"))
    assert [b["title"] for b in without] == ["Fuentes"]


def test_sources_list_every_reference_in_full_with_the_review_date() -> None:
    entry = _entry("ipomex")
    text = render_sources(entry)
    assert text.splitlines()[0] == f"Fuentes de «{entry.title}»:"
    for source in entry.sources:
        assert f"• {source.title}: {source.ref}" in text
    assert "Revisado el" in text
    assert render_details(entry) == (entry.details or "").strip()


@pytest.mark.parametrize(
    ("field", "limit", "fragment"),
    [
        ("answer", MAX_ANSWER_WORDS, "pasa el resto a details"),
        ("details", MAX_DETAILS_WORDS, "details tiene"),
        ("may_change", MAX_WARNING_WORDS, "may_change tiene"),
    ],
)
def test_content_check_fails_on_an_entry_over_the_limits(
    tmp_path: Path, field: str, limit: int, fragment: str
) -> None:
    directory = _copy_content(tmp_path)
    _edit_entry(directory, "saimex", **{field: " ".join(["palabra"] * (limit + 1))})
    problems = check_all(directory)
    assert any(p.startswith("saimex: ") and fragment in p for p in problems), problems
    _edit_entry(directory, "saimex", **{field: " ".join(["palabra"] * limit)})
    assert check_all(directory) == []


def test_stale_review_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    _edit_entry(directory, "saimex", reviewed=dt.date(2026, 1, 5))
    _edit_entry(directory, "ipomex", reviewed=dt.date(2026, 5, 1))
    today = dt.date(2026, 12, 6)
    warnings = warnings_all(directory, today)
    assert [w.split(":")[0] for w in warnings] == ["saimex", "ipomex"], "oldest first"
    assert "5 de enero de 2026" in warnings[0]
    assert check_all(directory) == []
    assert warnings_all(directory, dt.date(2026, 6, 1)) == []


def test_cli_warns_on_stale_reviews_and_fails_on_long_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _copy_content(tmp_path)
    _edit_entry(directory, "saimex", reviewed=dt.date(2020, 1, 1))
    monkeypatch.setenv("CONTENT_DIR", str(directory))
    get_settings.cache_clear()
    try:
        stale = runner.invoke(app, ["content", "check"])
        _edit_entry(directory, "saimex", answer=" ".join(["palabra"] * 81))
        too_long = runner.invoke(app, ["content", "check"])
    finally:
        get_settings.cache_clear()
    assert stale.exit_code == 0, stale.output
    assert "⚠ saimex: revisada por última vez el 1 de enero de 2020" in stale.output
    assert too_long.exit_code == 1
    assert "✗ saimex: answer tiene 81 palabras (máximo 80)" in too_long.output
