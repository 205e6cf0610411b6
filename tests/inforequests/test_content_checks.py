"""``participa content check`` catches a broken information-request file before a person sees it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.content import checks
from bot.inforequests.content_checks import check_bodies, check_messages, check_non_working_days

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _copy(tmp_path: Path) -> Path:
    for name in ("sujetos_obligados.yml", "solicitudes.yml", "dias_inhabiles.yml"):
        shutil.copy(CONTENT / name, tmp_path / name)
    return tmp_path


def test_the_shipped_files_pass_and_are_registered() -> None:
    assert check_bodies() == check_messages() == check_non_working_days() == []
    assert {"sujetos_obligados.yml", "solicitudes.yml", "dias_inhabiles.yml"} <= set(checks.registered())


def test_an_unknown_placeholder_in_a_message_fails(tmp_path: Path) -> None:
    base = _copy(tmp_path)
    path = base / "solicitudes.yml"
    path.write_text(path.read_text("utf-8").replace("dirigida a {body}", "dirigida a {institucion}"), "utf-8")
    assert any("intro" in p for p in check_messages(base))


def test_a_body_without_source_fails(tmp_path: Path) -> None:
    base = _copy(tmp_path)
    path = base / "sujetos_obligados.yml"
    text = path.read_text("utf-8")
    start = text.index("    sources:", text.index("id: ieem"))
    end = text.index("    reviewed:", start)
    path.write_text(text[:start] + "    sources: []\n" + text[end:], "utf-8")
    assert check_bodies(base)


def test_a_non_working_period_without_source_fails(tmp_path: Path) -> None:
    base = _copy(tmp_path)
    path = base / "dias_inhabiles.yml"
    path.write_text(path.read_text("utf-8").replace(
        "periods: []", "periods:\n  - {start: 2026-12-21, end: 2027-01-01, bodies: [todas], sources: [],"
                       " reviewed: 2026-12-06}"), "utf-8")
    assert check_non_working_days(base)
