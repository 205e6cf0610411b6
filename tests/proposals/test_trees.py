"""One merged problem tree per group: phrases pooled, near-duplicates merged, people counted, data masked."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.proposals import review, trees
from tests.web.conftest import add_proposal


@pytest.fixture
def engine(db_engine: Engine) -> Engine:
    return db_engine


def test_phrases_cut_lists_but_keep_qualifiers_together() -> None:
    assert trees.phrases("Robo de cable, falta de mantenimiento y lámparas viejas") == [
        "Robo de cable", "falta de mantenimiento", "lámparas viejas"]
    assert trees.phrases("Robos, sobre todo de noche") == ["Robos, sobre todo de noche"]
    assert trees.phrases("Asaltos.\nMiedo; calles vacías") == ["Asaltos", "Miedo", "calles vacías"]
    assert trees.phrases("  ") == [] and trees.phrases(None) == []


def test_near_duplicates_merge_and_count_distinct_people() -> None:
    mentions = [trees.Mention(text, author, f"P-{i}") for i, (text, author) in enumerate([
        ("falta de alumbrado", "ana"), ("No hay alumbrado público", "beto"),
        ("poco alumbrado en la calle", "caro"), ("Falta de alumbrado", "ana"),  # Ana's second proposal
        ("luminarias fundidas", "dani"), ("Las luminarias están fundidas", "eva"),
        ("inseguridad", "fer"),
    ])]
    branches = trees.merge_phrases(mentions)
    assert [(b.people, len(b.folios)) for b in branches] == [(3, 4), (2, 2), (1, 1)]
    lights = branches[0]
    assert "alumbrado" in lights.text.lower()
    assert {"No hay alumbrado público", "Poco alumbrado en la calle"} <= {lights.text, *lights.variants}
    assert branches[2].text == "Inseguridad"


def test_personal_data_is_masked_before_merging() -> None:
    text = "Llámenme al 55 1234 5678 o a ana@example.org"
    [branch] = trees.merge_phrases([trees.Mention(text, "a", "P-1")])
    assert "5678" not in branch.text and "example.org" not in branch.text
    assert "[teléfono]" in branch.text and "[correo]" in branch.text
    assert trees.merge_phrases([trees.Mention(" . ", "a", "P-1")]) == []


def test_a_groups_tree_pools_every_member(engine: Engine) -> None:
    rows = [("Las calles están oscuras", "Falta de alumbrado; robo de cable", "Asaltos",
             "Reparar luminarias"),
            ("No se ve nada de noche", "No hay alumbrado público", "Asaltos en la noche",
             "Poner lámparas LED"),
            ("El parque está oscuro", "Poco alumbrado en el parque", "Miedo", "Reparar las luminarias")]
    folios = [add_proposal(engine, theme="seguridad", problem=p, causes=c, effects=e,
                           solution=s).folio or "" for p, c, e, s in rows]
    for folio in folios:
        group = review.group(folio, "Alumbrado", "revisora", engine)
    tree = trees.merged_tree(group.id, engine)
    assert tree is not None and tree.name == "Alumbrado" and tree.proposals == 3 and tree.people == 3
    assert tree.causes[0].people == 3 and "alumbrado" in tree.causes[0].text.lower()
    assert [b.people for b in tree.effects][:1] == [2]
    assert tree.affected[0].text == "Vecinos" and tree.affected[0].people == 3
    assert sum(b.people for b in tree.solutions) == 3 and len(tree.problems) == 3
    assert tree.municipalities == (("Toluca", 3),)
    assert trees.merged_tree(999_999, engine) is None
    assert [t.name for t in trees.all_trees(engine)] == ["Alumbrado"]
    rows_out = trees.export_rows(tree)
    assert {r["rama"] for r in rows_out} == {"problema", "causa", "efecto", "personas_afectadas", "solucion"}
    assert all(set(r) == set(trees.EXPORT_FIELDS) for r in rows_out)
