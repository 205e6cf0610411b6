"""The directory of attention centres: the shipped data, its checks and the nearest-centre search."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import get_settings
from bot.content.municipalities import match_municipality, municipality_index
from bot.violence.directory import (
    asks_for_a_centre,
    check_directory,
    directory,
    geodesic_km,
    load_directory_content,
)

CONTENT = get_settings().content_dir
TOLUCA_SEAT = (19.293488, -99.657317)  # INEGI seat of Toluca (content/municipalities.csv)


def test_shipped_directory_passes_its_checks() -> None:
    assert check_directory(CONTENT) == []


def test_shipped_directory_has_the_four_cjm_and_the_unidas_with_sources() -> None:
    content = load_directory_content(CONTENT)
    assert len(content.centres) == 76
    cjm = sorted(c.name for c in content.centres if c.kind == "cjm")
    assert cjm == [
        "Centro de Justicia para las Mujeres Amecameca",
        "Centro de Justicia para las Mujeres Cuautitlán Izcalli",
        "Centro de Justicia para las Mujeres Ecatepec",
        "Centro de Justicia para las Mujeres Toluca",
    ]
    for centre in content.centres:
        assert centre.sources and centre.checked >= centre.source_date
        assert "refugio" not in f"{centre.name} {centre.address}".lower()


def test_no_guessed_shelter_network_number_anywhere_in_content() -> None:
    """The Red Nacional de Refugios has no verified number: only its website may be shown."""
    for path in CONTENT.rglob("*"):
        if path.is_file() and path.suffix in {".yml", ".csv", ".md"}:
            text = path.read_text("utf-8")
            assert not re.search(r"822\s?44\s?[67]0", text), path


def test_hand_checked_example_toluca() -> None:
    """From Toluca's seat, the CJM Toluca is the closest centre, 1.31 km away.

    By hand: at latitude 19.296° one degree of longitude on WGS84 is 105.10 km and one degree
    of latitude 110.70 km. The CJM (19.298452, -99.668661) is 0.011344° west (1.192 km) and
    0.004964° north (0.549 km) of the seat (19.293488, -99.657317): sqrt(1.192² + 0.549²) =
    1.313 km. Next come UNIDAS Toluca (Hidalgo) and UNIDAS Metepec.
    """
    found = directory().nearest(*TOLUCA_SEAT)
    assert [f.centre.name for f in found] == [
        "Centro de Justicia para las Mujeres Toluca",
        "UNIDAS Toluca (Hidalgo)",
        "UNIDAS Metepec",
    ]
    assert found[0].km == pytest.approx(1.313, abs=0.005)
    assert geodesic_km(*TOLUCA_SEAT, 19.298452, -99.668661) == pytest.approx(1.313, abs=0.005)


def test_nearest_agrees_with_a_brute_force_geodesic_ranking() -> None:
    """The great-circle pre-filter never drops a centre that belongs among the nearest."""
    places = directory()
    area = places.content.area
    rng = random.Random(7)
    for _ in range(200):
        lat = rng.uniform(area.min_lat, area.max_lat)
        lon = rng.uniform(area.min_lon, area.max_lon)
        expected = sorted(places.centres, key=lambda c: geodesic_km(lat, lon, c.lat, c.lon))[:3]
        assert [f.centre.id for f in places.nearest(lat, lon)] == [c.id for c in expected]


def test_a_municipality_without_seat_coordinates_gets_the_centre_that_serves_it() -> None:
    tlatlaya = match_municipality("tlatlaya").best
    assert tlatlaya is not None and tlatlaya.lat is None
    messages = directory().answer_municipality(tlatlaya)
    assert "No tengo la ubicación de la cabecera municipal de Tlatlaya" in messages[0].text
    assert "UNIDAS Tejupilco" in messages[1].text
    assert "distancia no disponible" in messages[1].text


def test_a_centre_message_has_everything_a_person_needs_and_its_map_point() -> None:
    toluca = match_municipality("Toluca").best
    assert toluca is not None
    head, *centres = directory().answer_municipality(toluca)
    assert "cabecera municipal de Toluca" in head.text
    assert "Línea Sin Violencia" in head.text and "800 108 40 53" in head.text
    assert "no oficial" in head.text
    assert len(centres) == 3
    first = centres[0]
    assert first.text.startswith("1. Centro de Justicia para las Mujeres Toluca — a 1.3 km")
    assert "Paseo Matlazincas 1100" in first.text
    assert "722 283 2007" in first.text and "anterior a 2019" in first.text
    assert "8 de julio de 2024" in first.text and "Revisado: 21 de noviembre de 2026" in first.text
    assert first.location is not None
    assert (first.location["lat"], first.location["lon"]) == (19.298452, -99.668661)
    assert first.location["title"] == "Centro de Justicia para las Mujeres Toluca"
    assert first.location["address"].startswith("Paseo Matlazincas 1100")
    unidas = centres[1]
    assert "sin teléfono verificado" in unidas.text


def test_a_location_far_from_the_state_is_told_so() -> None:
    head, *centres = directory().answer_location(25.67, -100.31)  # Monterrey
    assert "lejos del Estado de México" in head.text and "079" in head.text
    assert len(centres) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("donde hay un centro de justicia para mujeres en ecatepec", "Ecatepec de Morelos"),
        ("hay unidas en neza?", "Nezahualcóyotl"),
        ("centro en valle de chalco porfa", "Valle de Chalco Solidaridad"),
        ("necesito un centro en ecatepek", "Ecatepec de Morelos"),
        ("toluka", "Toluca"),
    ],
)
def test_a_municipality_is_found_inside_a_sentence(text: str, expected: str) -> None:
    found = municipality_index().find_in_text(text)
    assert found.best is not None and found.best.name == expected


def test_a_shared_short_name_gives_candidates_and_plain_words_give_nothing() -> None:
    index = municipality_index()
    atizapan = index.find_in_text("unidas en atizapan")
    assert atizapan.best is None
    assert {m.name for m in atizapan.candidates} == {"Atizapán", "Atizapán de Zaragoza"}
    assert index.find_in_text("donde queda el centro de atencion mas cercano").candidates == []


def _edit(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "centres.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return content


def test_check_rejects_coordinates_outside_the_state(tmp_path: Path) -> None:
    def move_to_guadalajara(data: dict) -> None:  # type: ignore[type-arg]
        data["centres"][0]["lat"], data["centres"][0]["lon"] = 20.67, -103.35

    problems = check_directory(_edit(tmp_path, move_to_guadalajara))
    assert any("unidas_001" in p and "fuera de Estado de México" in p for p in problems)


def test_check_rejects_a_shelter_an_unknown_municipality_and_a_phone_without_origin(
    tmp_path: Path,
) -> None:
    def spoil(data: dict) -> None:  # type: ignore[type-arg]
        data["centres"][1]["name"] = "Refugio para mujeres Acolman"
        data["centres"][2]["municipality"] = "15999"
        data["centres"][3]["phones"] = ["722 111 2233"]

    problems = check_directory(_edit(tmp_path, spoil))
    joined = "\n".join(problems)
    assert "phone_note es obligatorio" in joined
    # the schema error stops the rest; fix the phone and look again
    def spoil_but_phone(data: dict) -> None:  # type: ignore[type-arg]
        spoil(data)
        data["centres"][3]["phone_note"] = "de la página oficial, 2026"

    problems = check_directory(_edit(tmp_path / "b", spoil_but_phone))
    assert any("parece un refugio" in p for p in problems)
    assert any("15999" in p for p in problems)


def test_check_rejects_dates_in_the_future(tmp_path: Path) -> None:
    def future(data: dict) -> None:  # type: ignore[type-arg]
        data["centres"][0]["checked"] = "2999-01-01"

    assert any("futuro" in p for p in check_directory(_edit(tmp_path, future)))


@pytest.mark.parametrize(
    "message",
    ["centro pa mujeres en toluca", "unidas en texcoco", "hay alguna puerta violeta por atizapan?",
     "hay algun lugar en metepec donde me den asesoria gratis? mi pareja me corre de la casa",
     "mi cuñada vive en chalco y su marido la maltrata, a donde la llevo para que la atiendan, "
     "hay algun centro de atencion a mujeres?",
     # spelt as heard, a «unidad de atención», where they «orienten» or «apoyen» to «señoras»
     "ocupo un sentro de atension para mujeres serca de texcoco",
     "busco la unidad de atencion a mujeres de metepec",
     "en zumpango hay algun lugar donde orienten a señoras que les pegan",
     "hay unidas en tecamac o tengo que ir hasta ecatepec?",
     "a mi tía la maltrata su marido en zinacantepec, a donde la llevo para que la orienten?"],
)
def test_a_place_of_help_asked_for_in_a_municipality(message: str) -> None:
    assert asks_for_a_centre(message)


@pytest.mark.parametrize(
    "message",
    ["que es la puerta violeta de metepec", "cuantas mujeres atendio el cjm de amecameca este año",
     "en ecatepec queremos un mapa con los datos abiertos de los centros de atencion a mujeres",
     "mi prima de chalco salio de una relacion violenta, que programas de apoyo economico hay para "
     "mujeres en las unidas", "centro de salud en toluca"],
)
def test_not_a_request_for_the_nearest_centre(message: str) -> None:
    assert not asks_for_a_centre(message)
