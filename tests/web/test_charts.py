"""SVG charts: accessible markup, escaped labels, numbers that match the data."""

from __future__ import annotations

from bot.web import charts


def test_bars_have_a_title_a_description_and_a_table_with_every_value() -> None:
    html = str(charts.bars("t", "Propuestas por tema", [("Movilidad", 7), ("Seguridad", 3)], "propuestas"))
    assert 'role="img"' in html and '<title id="t-t">Propuestas por tema</title>' in html
    assert "10 propuestas en total; la barra más larga es «Movilidad» con 7." in html
    assert '<th scope="row">Movilidad</th><td>7</td>' in html
    assert '<th scope="row">Seguridad</th><td>3</td>' in html


def test_labels_are_escaped() -> None:
    html = str(charts.bars("t", "<b>x</b>", [("<script>alert(1)</script>", 1)], "propuestas"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>x</b>" not in html


def test_stacked_columns_add_up_and_name_each_series() -> None:
    html = str(charts.columns("c", "Estados", ["ene", "feb"], {"recibida": [2, 1], "turnada": [0, 3]},
                              {"recibida": "Recibida", "turnada": "Turnada"}, "propuestas"))
    assert "Al final: Recibida 1; Turnada 3." in html
    assert "<title>feb · Turnada: 3</title>" in html
    assert '<th scope="row">ene</th><td>2</td><td>0</td>' in html


def test_empty_data_says_so_instead_of_drawing() -> None:
    assert "Todavía no hay datos" in str(charts.bars("t", "Nada", [("Movilidad", 0)], "propuestas"))
    assert "Todavía no hay datos" in str(charts.columns("c", "Nada", [], {}, {}, "propuestas"))
