"""The shipped content is valid, and the validator rejects what people could get wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import get_settings
from bot.content.checks import check_all
from bot.content.faq import MAX_ANSWER_CHARS, load_faq
from bot.content.files import ContentError
from bot.content.hotlines import load_hotlines
from bot.content.render import render_answer, render_sources

CONTENT = get_settings().content_dir


def test_shipped_content_passes_the_check() -> None:
    assert check_all(CONTENT) == []


def test_at_least_forty_sourced_answers_within_limits() -> None:
    catalog = load_faq(CONTENT)
    assert len(catalog.entries) >= 40
    for entry in catalog.entries:
        assert len(entry.answer) <= MAX_ANSWER_CHARS
        assert len(entry.questions) >= 8
        assert entry.sources
        rendered = render_answer(entry)
        assert rendered.endswith(f"Fuente: {entry.sources[0].title}.")
        sources = render_sources(entry)
        assert all(s.ref in sources for s in entry.sources) and "Revisado el" in sources


def test_issue_topics_are_covered() -> None:
    """Each theme the programme asked for has an answer whose text names it."""
    text = " ".join(e.answer.lower() + " " + e.title.lower() for e in load_faq(CONTENT).entries)
    for needle in [
        "gobierno abierto",
        "alianza para el gobierno abierto",
        "cocreación desde lo local",
        "secretariado técnico local",
        "plan de acción local",
        "mesa",
        "árbol de problemas",
        "compromiso",
        "hoja de ruta",
        "movilidad",
        "durango",
        "jalisco",
        "veracruz",
        "métrica",
        "transparencia proactiva",
        "datos abiertos",
        "plataforma nacional de transparencia",
        "saimex",
        "recurso de revisión",
        "infoem",
        "inai",
        "open gov week",
        "semana nacional de transparencia",
        "plandai",
    ]:
        assert needle in text, needle


def test_dissolved_bodies_are_never_presented_as_current() -> None:
    for entry in load_faq(CONTENT).entries:
        body = (entry.answer + " " + (entry.may_change or "")).lower()
        if "inai" in body:
            assert any(w in body for w in ("extingui", "desapareci", "dej", "2025")), entry.id


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _edit_first_entry(directory: Path, **changes: object) -> None:
    path = next(p for p in sorted((directory / "faq").glob("*.yml")) if p.name != "topics.yml")
    data = yaml.safe_load(path.read_text("utf-8"))
    data[0].update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"answer": "x" * (MAX_ANSWER_CHARS + 1)}, "answer"),
        ({"questions": ["una", "dos"]}, "questions"),
        ({"sources": [{"title": "Inventada", "ref": "me lo contaron"}]}, "ref"),
        ({"topic": "no_existe"}, "tema desconocido"),
        ({"id": "Con Espacios"}, "id"),
        ({"title": "un título demasiado largo para caber en un botón de Telegram"}, "title"),
    ],
)
def test_invalid_entries_are_rejected(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    directory = _copy_content(tmp_path)
    _edit_first_entry(directory, **changes)
    with pytest.raises(ContentError, match=message):
        load_faq(directory)


def test_hotlines_only_carry_verified_numbers() -> None:
    numbers = {h.number for h in load_hotlines(CONTENT).lines}
    assert "911" in numbers
    assert "800 108 40 53" in numbers  # Línea Sin Violencia, facts-sources.md §1.1
