"""Campaign text: *bold*, _italic_ and [links](https://…) become Telegram HTML; nothing else does."""

from __future__ import annotations

import pytest

from bot.campaigns.text import (
    MAX_CAPTION,
    MAX_TEXT,
    format_campaign_text,
    length_problem,
    utf16_length,
)
from tests.e2e.emulator import _TelegramHtml


@pytest.mark.parametrize(
    ("source", "html", "plain"),
    [
        ("*Semana de Gobierno Abierto*", "<b>Semana de Gobierno Abierto</b>", "Semana de Gobierno Abierto"),
        ("Del _1 al 5_ de diciembre", "Del <i>1 al 5</i> de diciembre", "Del 1 al 5 de diciembre"),
        ("[Inscríbete](https://stl.example.mx/mesa?a=1&b=2)",
         '<a href="https://stl.example.mx/mesa?a=1&amp;b=2">Inscríbete</a>', "Inscríbete"),
        ("*Mesa de _movilidad_*", "<b>Mesa de <i>movilidad</i></b>", "Mesa de movilidad"),
        ("<b>no</b> & <script>", "&lt;b&gt;no&lt;/b&gt; &amp; &lt;script&gt;", "<b>no</b> & <script>"),
        ("tema gobierno_abierto y 2*3*4", "tema gobierno_abierto y 2*3*4", "tema gobierno_abierto y 2*3*4"),
        ("un * suelto y _ otro", "un * suelto y _ otro", "un * suelto y _ otro"),
        (r"precio \*especial\* y \_x\_", "precio *especial* y _x_", "precio *especial* y _x_"),
        ("' OR 1=1; DROP TABLE deliveries; --", "' OR 1=1; DROP TABLE deliveries; --",
         "' OR 1=1; DROP TABLE deliveries; --"),
    ],
)
def test_marks_become_html_and_everything_else_is_escaped(source: str, html: str, plain: str) -> None:
    formatted = format_campaign_text(source)
    assert formatted.html == html
    assert formatted.plain == plain
    assert _TelegramHtml.plain(formatted.html) == plain, "Telegram parses it to what we promised"


def test_a_link_that_is_not_http_stays_text_with_a_warning() -> None:
    formatted = format_campaign_text("[pulsa](javascript:alert(1)) y [mapa](tg://resolve)")
    assert "<a" not in formatted.html
    assert "[pulsa](javascript:alert(1))" in formatted.plain
    assert len(formatted.warnings) == 2 and "pulsa" in formatted.warnings[0]


def test_lengths_are_counted_as_telegram_counts_them() -> None:
    assert utf16_length("🗳️") == 3  # ballot box (2 units) + variation selector (1)
    at_limit = format_campaign_text("*" + "a" * (MAX_TEXT - 2) + "* x")  # marks do not count
    assert at_limit.length == MAX_TEXT and length_problem(at_limit, with_image=False) is None
    emoji = format_campaign_text("🎉" * (MAX_TEXT // 2 + 1))
    problem = length_problem(emoji, with_image=False)
    assert problem and "4,098 caracteres" in problem and "emojis cuentan doble" in problem


def test_a_caption_is_shorter() -> None:
    text = format_campaign_text("a" * (MAX_CAPTION + 1))
    assert length_problem(text, with_image=False) is None
    problem = length_problem(text, with_image=True)
    assert problem and "1,024" in problem and "imagen" in problem


@pytest.mark.parametrize("source", ["", "   \n  ", "**"])
def test_empty_text_is_refused(source: str) -> None:
    formatted = format_campaign_text(source)
    problem = length_problem(formatted, with_image=False)
    assert (problem is not None) == (not formatted.plain.strip())
    if source.strip() != "**":
        assert problem == "El texto de la campaña está vacío."
