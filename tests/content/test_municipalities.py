import unicodedata

import pytest
import yaml

from bot.content.files import content_dir
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


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Toluca de Lerdo", "Toluca"),
        ("toluca de lerdo, edo. méx.", "Toluca"),
        ("V. de Chalco", "Valle de Chalco Solidaridad"),
        ("Ciudad López Mateos", "Atizapán de Zaragoza"),
        ("Santa Cruz Atizapán", "Atizapán"),
        ("ecatepec, col. jardines", "Ecatepec de Morelos"),
        ("cuatitlan izcali", "Cuautitlán Izcalli"),
    ],
)
def test_seats_abbreviations_and_longer_answers_resolve(typed: str, official: str) -> None:
    match = match_municipality(typed)
    assert match.best is not None and match.best.name == official


def test_atizapan_asks_between_the_two_atizapanes_only() -> None:
    match = match_municipality("Atizapán")
    assert match.best is None
    assert {m.name for m in match.candidates} == {"Atizapán", "Atizapán de Zaragoza"}


def test_every_official_name_seat_and_alias_resolves() -> None:
    index = municipality_index()
    for m in index.municipalities:
        for typed in (m.name, _plain(m.name), m.seat):
            match = match_municipality(typed)
            # "Atizapán" is also the short name of Atizapán de Zaragoza: the bot asks.
            assert match.best == m or (match.best is None and m in match.candidates), typed
    aliases = yaml.safe_load((content_dir() / "municipality_aliases.yml").read_text("utf-8"))
    for alias, targets in aliases.items():
        match = match_municipality(alias)
        got = [match.best.name] if match.best else [c.name for c in match.candidates]
        assert sorted(got) == sorted(targets), alias


def test_typos_resolve_or_ask_never_pick_another_place() -> None:
    resolved = asked = 0
    for m in municipality_index().municipalities:
        name = _plain(m.name)
        if len(name) < 6:
            continue
        i = len(name) // 2
        for typed in (name[:i] + name[i + 1:], name[:i] + name[i + 1] + name[i] + name[i + 2:],
                      name[:i] + "x" + name[i + 1:]):
            match = match_municipality(typed)
            assert match.best in (m, None), typed
            resolved += match.best == m
            asked += match.best is None and m in match.candidates
    assert resolved >= 350 and resolved + asked == 369


NOT_PLACES = [
    "no sé", "no se", "falta de presupuesto", "en mi colonia", "por la escuela", "cerca de mi casa",
    "aquí", "por aquí", "en la esquina", "no me acuerdo", "ya te dije", "el mercado", "en el centro",
    "en la calle principal", "donde vivo", "la colonia centro", "junto al parque", "por el hospital",
    "no quiero decir", "prefiero no decir", "sí", "no", "ok", "gracias", "hola", "ayuda",
    "en mi comunidad", "en todo el estado", "en mi barrio", "frente a la iglesia",
    "la unidad habitacional", "mi pueblo", "el fraccionamiento", "por la carretera", "en la primaria",
    "atrás del panteón", "la presidencia municipal", "el ayuntamiento", "baches en la calle",
    "alumbrado público", "seguridad", "falta de agua", "mas patrullas", "no tengo idea", "cualquiera",
    "todos", "otro", "ninguno", "no lo sé bien", "a un lado de la clínica",
]


@pytest.mark.parametrize("typed", NOT_PLACES)
def test_phrases_that_are_not_places_match_nothing(typed: str) -> None:
    match = match_municipality(typed)
    assert match.best is None
    assert match.candidates == []
