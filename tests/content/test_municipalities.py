import pytest

from bot.content.municipalities import match_municipality, municipality_index


def test_all_125_municipalities_are_loaded() -> None:
    index = municipality_index()
    assert len(index.municipalities) == 125
    assert sum(m.population for m in index.municipalities) == 16_992_418


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("neza", "Nezahualcóyotl"),
        ("izcalli", "Cuautitlán Izcalli"),
        ("ecatepek", "Ecatepec de Morelos"),
        ("toluka", "Toluca"),
        ("NAUCALPAN", "Naucalpan de Juárez"),
        ("soy de texcoco", "Texcoco"),
        ("valle de chalco", "Valle de Chalco Solidaridad"),
        ("Chalco", "Chalco"),
        ("tecamac", "Tecámac"),
    ],
)
def test_typed_names_resolve(typed: str, official: str) -> None:
    match = match_municipality(typed)
    assert match.best is not None and match.best.name == official


@pytest.mark.parametrize("typed", ["atizapan", "cuautitlan", "tenango"])
def test_ambiguous_short_names_ask(typed: str) -> None:
    match = match_municipality(typed)
    assert match.best is None
    assert len(match.candidates) >= 2


def test_nonsense_matches_nothing() -> None:
    assert match_municipality("xyz").best is None
    assert match_municipality("").best is None
