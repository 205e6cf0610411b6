"""`participa review cluster`: similar proposals grouped per theme, stored as suggestions to decide on."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli import app
from bot.proposals import clustering, review, suggestions
from bot.proposals import service as svc

runner = CliRunner()

# Three obvious topics in seguridad (street lighting, police, harassment on public transport),
# written differently on purpose, and two movilidad proposals about potholes.
SET = {
    "luz-1": ("seguridad", "Toluca",
              "Las calles de mi colonia están muy oscuras porque las luminarias no sirven",
              "Nadie repara el alumbrado", "Asaltos en la noche", "Reparar las luminarias"),
    "luz-2": ("seguridad", "Metepec", "No hay alumbrado público en la avenida y está oscuro",
              "Lámparas fundidas", "Inseguridad y miedo", "Poner lámparas LED en la avenida"),
    "luz-3": ("seguridad", "Toluca", "Faltan luminarias en el parque, de noche no se ve nada",
              "Se robaron el cable de las luminarias", "Robos a peatones", "Instalar alumbrado en el parque"),
    "luz-4": ("seguridad", "Ecatepec de Morelos",
              "Lámparas del alumbrado apagadas desde hace meses en mi calle",
              "El municipio no da mantenimiento", "Oscuridad y asaltos",
              "Cambiar las lámparas del alumbrado"),
    "poli-1": ("seguridad", "Toluca", "La patrulla nunca pasa por la colonia y hay robos a casa habitación",
               "Pocos policías", "Robos", "Más rondines de la policía"),
    "poli-2": ("seguridad", "Nezahualcóyotl",
               "No hay vigilancia policial, la policía no llega cuando la llamas",
               "Falta de patrullas", "Delincuencia", "Más patrullas y policías de proximidad"),
    "poli-3": ("seguridad", "Ecatepec de Morelos", "Los policías tardan horas en llegar cuando llamas al 911",
               "Pocas patrullas", "Robos y asaltos", "Aumentar el número de patrullas y policías"),
    "acoso-1": ("seguridad", "Toluca", "Acoso a mujeres en el transporte público rumbo a la escuela",
                "No hay vigilancia en las combis", "Las jóvenes tienen miedo",
                "Botones de pánico y cámaras en el transporte"),
    "acoso-2": ("seguridad", "Naucalpan de Juárez", "Las mujeres sufren acoso en el camión y en la combi",
                "Los choferes no hacen nada", "Miedo a viajar",
                "Cámaras y botón de pánico en las unidades de transporte"),
    "acoso-3": ("seguridad", "Tlalnepantla de Baz", "Acoso sexual a mujeres en las combis y camiones",
                "Nadie denuncia", "Mujeres dejan de estudiar",
                "Cámaras de vigilancia en el transporte público"),
    "bache-1": ("movilidad", "Toluca", "La avenida Colón está llena de baches que dañan los coches",
                "No le dan mantenimiento al pavimento", "Accidentes", "Bachear la avenida Colón"),
    "bache-2": ("movilidad", "Metepec", "Baches enormes en la calle principal, se poncharon llantas",
                "Pavimento viejo", "Gastos en reparaciones", "Repavimentar y tapar los baches"),
}
TOPICS = {"luz": {"luz-1", "luz-2", "luz-3", "luz-4"}, "poli": {"poli-1", "poli-2", "poli-3"},
          "acoso": {"acoso-1", "acoso-2", "acoso-3"}, "bache": {"bache-1", "bache-2"}}


def _load(engine: Engine | None = None) -> dict[str, str]:
    """Submit the set; name → folio."""
    folios = {}
    for name, (theme, town, problem, causes, effects, solution) in SET.items():
        draft = svc.Draft(theme=theme, municipality_code="15106", municipality=town, problem=problem,
                          causes=causes, effects=effects, affected=None, solution=solution)
        proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=f"tg-{name}", channel="telegram",
                              consent=False, engine=engine)
        folios[name] = proposal.folio or ""
    return folios


def _named(groups: list[suggestions.SuggestedGroup], folios: dict[str, str]) -> list[set[str]]:
    names = {f: n for n, f in folios.items()}
    return [{names[f] for f in g.folios} for g in groups]


def test_obvious_topics_end_up_together_per_theme(db_engine: Engine) -> None:
    folios = _load(db_engine)
    groups = suggestions.run(engine=db_engine)
    assert sorted(map(sorted, _named(groups, folios))) == sorted(map(sorted, TOPICS.values()))
    assert [g.theme for g in groups] == ["movilidad", "seguridad", "seguridad", "seguridad"]
    lighting = next(g for g in groups if folios["luz-1"] in g.folios)
    assert "alumbrado" in lighting.label or "luminarias" in lighting.label
    assert lighting.municipalities == ("Toluca", "Ecatepec de Morelos", "Metepec")
    assert len(lighting.quotes) == 3 and all(q in {SET[n][2] for n in TOPICS["luz"]} for q in lighting.quotes)
    police = next(g for g in groups if folios["poli-1"] in g.folios)
    assert "policía" in police.label or "patrullas" in police.label or "policías" in police.label
    stored = suggestions.suggestions(engine=db_engine)
    assert sorted(s.size for s in stored) == [2, 3, 3, 4]
    assert {frozenset(suggestions.folios_of(s, db_engine)) for s in stored} == {
        frozenset(g.folios) for g in groups}


def test_theme_filter_and_rerun_replace_only_pending_suggestions(db_engine: Engine) -> None:
    folios = _load(db_engine)
    only = suggestions.run("movilidad", engine=db_engine)
    assert _named(only, folios) == [TOPICS["bache"]]
    suggestions.run(engine=db_engine)
    stored = suggestions.suggestions(engine=db_engine)
    assert len(stored) == 4  # the first run's movilidad suggestion was replaced, not doubled
    lighting = next(s for s in stored if folios["luz-1"] in suggestions.folios_of(s, db_engine))
    group = suggestions.accept(lighting.id, "revisora", name="Alumbrado público", engine=db_engine)
    assert {p.folio for p in review.group_members(group.id, db_engine)} == {folios[n] for n in TOPICS["luz"]}
    again = suggestions.run(engine=db_engine)  # grouped proposals are not suggested again
    assert not any(folios["luz-1"] in g.folios for g in again)
    assert [s.label for s in suggestions.suggestions(suggestions.ACCEPTED, engine=db_engine)] == [
        "Alumbrado público"]
    assert len(suggestions.suggestions(engine=db_engine)) == 3


def test_rename_discard_and_refusals(db_engine: Engine) -> None:
    _load(db_engine)
    suggestions.run(engine=db_engine)
    first, second, third = suggestions.suggestions(engine=db_engine)[:3]
    renamed = suggestions.rename(first.id, "  Baches   en avenidas ", engine=db_engine)
    assert renamed.label == "Baches en avenidas"
    with pytest.raises(svc.ProposalError, match="nombre del grupo"):
        suggestions.rename(first.id, "   ", engine=db_engine)
    suggestions.accept(first.id, "revisora", engine=db_engine)
    assert [g.name for g in review.groups(db_engine)] == ["Baches en avenidas"]
    with pytest.raises(svc.ProposalError, match="ya se había decidido"):
        suggestions.accept(first.id, "revisora", engine=db_engine)
    with pytest.raises(svc.ProposalError, match="Ya hay un grupo"):
        suggestions.accept(second.id, "revisora", name="baches en avenidas", engine=db_engine)
    suggestions.discard(third.id, "revisora", engine=db_engine)
    assert third.id not in {s.id for s in suggestions.suggestions(engine=db_engine)}


def test_closed_proposals_are_left_out(db_engine: Engine) -> None:
    folios = _load(db_engine)
    svc.mark_duplicate(folios["poli-3"], of=folios["poli-1"], actor="stl", engine=db_engine)
    groups = suggestions.run("seguridad", engine=db_engine)
    assert all(folios["poli-3"] not in g.folios for g in groups)


def test_one_proposal_and_none() -> None:
    item = clustering.Item("P-1", "Toluca", "Baches en la avenida", "", "", "Bachear")
    [alone] = clustering.cluster([item])
    assert alone.keys == ("P-1",) and alone.quotes == ("Baches en la avenida",) and "baches" in alone.label
    assert clustering.cluster([]) == []


def test_cli_json_is_the_contract_and_deterministic(app_db: str) -> None:
    folios = _load()
    first = runner.invoke(app, ["review", "cluster", "--json"])
    assert first.exit_code == 0, first.output
    groups = json.loads(first.output)
    assert all({"etiqueta", "folios", "tema", "tamano", "municipios", "citas"} <= set(g) for g in groups)
    assert {frozenset(g["folios"]) for g in groups} == {
        frozenset(folios[n] for n in names) for names in TOPICS.values()}
    assert all(g["tamano"] == len(g["folios"]) for g in groups)
    assert runner.invoke(app, ["review", "cluster", "--json"]).output == first.output
    one = json.loads(runner.invoke(app, ["review", "cluster", "--theme", "Movilidad", "--json"]).output)
    assert [g["tema"] for g in one] == ["movilidad"]
    text = runner.invoke(app, ["review", "cluster", "--theme", "seguridad"])
    assert text.exit_code == 0 and "Seguridad: 3 grupos sugeridos" in text.output
    assert folios["acoso-2"] in text.output
    mobility = runner.invoke(app, ["review", "cluster", "--theme", "movilidad"]).output
    assert "Movilidad: 1 grupo sugerido (y 0 propuestas sin otras parecidas)" in mobility
    bad = runner.invoke(app, ["review", "cluster", "--theme", "deportes"])
    assert bad.exit_code == 1 and "No conozco el tema «deportes»" in bad.output
