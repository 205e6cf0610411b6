"""The simplified privacy notice: honest about what is unverified, true to the settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from bot.content.files import ContentError
from bot.privacy.notice import check_privacy, load_privacy, notice_text, privacy_content


def test_the_notice_states_retention_from_the_settings_and_links_the_full_notice() -> None:
    settings = Settings(contact_retention_months=9, tracker_retention_days=45,
                        public_url="https://participa.example.org/")
    text = privacy_content().render_notice(settings)
    assert f"versión {privacy_content().version}" in text
    assert "45 días después de tu último mensaje" in text
    assert "9 meses después de que tu propuesta se cierra" in text
    assert "Aviso de privacidad integral: https://participa.example.org/privacidad" in text
    assert "/mis_datos" in text and "/borrar" in text and "ARCO" in text
    assert "{" not in text and "}" not in text


def test_an_explicit_url_wins_and_no_url_is_said_plainly() -> None:
    explicit = Settings(privacy_notice_url="https://edomex.example/aviso", public_url="https://x.example")
    assert "https://edomex.example/aviso" in privacy_content().render_notice(explicit)
    nowhere = privacy_content().render_notice(Settings(public_url=None, privacy_notice_url=None))
    assert "se publicará" in nowhere and "http" not in nowhere


def test_unverified_facts_are_marked_never_presented_as_fact() -> None:
    content = privacy_content()
    assert not content.responsible.verified, "update this test when the responsible is confirmed"
    assert "dato por confirmar" in notice_text()


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", target)
    return target


def edit_privacy(directory: Path, **changes: object) -> None:
    path = directory / "privacy.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_verified_responsible_is_shown_as_written(tmp_path: Path) -> None:
    directory = copy_content(tmp_path)
    edit_privacy(directory, responsible={"verified": True, "name": "Institución Ejemplo del Estado",
                                         "pending": "dato por confirmar: responsable"})
    text = load_privacy(directory).render_notice(Settings())
    assert "Responsable de tus datos: Institución Ejemplo del Estado." in text


def test_verified_without_the_fact_is_refused(tmp_path: Path) -> None:
    directory = copy_content(tmp_path)
    edit_privacy(directory, responsible={"verified": True, "name": "", "pending": "por confirmar x"})
    with pytest.raises(ContentError):
        load_privacy(directory)
    assert check_privacy(directory)


def test_an_unknown_placeholder_is_a_content_error(tmp_path: Path) -> None:
    directory = copy_content(tmp_path)
    notice = load_privacy(directory).notice + " {telefono}" + " relleno" * 5
    edit_privacy(directory, notice=notice)
    problems = check_privacy(directory)
    assert problems and "telefono" in problems[0]


def test_the_shipped_notice_passes_the_content_check_and_fits_one_message() -> None:
    assert check_privacy() == []
    assert len(notice_text()) <= 4096


@pytest.mark.parametrize(("text", "intent"), [
    ("/privacidad", None),  # commands are matched by the core, not as words
    ("aviso de privacidad", "notice"),
    ("¿Qué hacen con mis datos?", "notice"),
    ("¿Qué datos tienen de mí?", "my_data"),
    ("Quiero ver mis datos, por favor", "my_data"),
    ("quiero BORRAR mis datos!!", "erase"),
    ("Olvídame", "erase"),
    ("No hay privacidad en los baños del mercado", None),
    ("borrar mis datos del padrón de la colonia y los de mi vecina", None),
    ("mis", None),
    ("", None),
])
def test_plain_words_must_be_the_whole_request(text: str, intent: str | None) -> None:
    assert privacy_content().intent_of(text) == intent


def test_only_telegram_reads_this_chat() -> None:
    """In the terminal no chat is kept to write back to: the notice names the Telegram chat."""
    telegram = notice_text(channel="telegram")
    terminal = notice_text(channel="terminal")
    assert "este chat" in telegram
    assert "este chat" not in terminal and "aquí (de lo que hables" not in terminal
    assert "tu chat de Telegram" in terminal
    assert "identificador de la conversación" in terminal  # a terminal proposal's contact
