"""One merged problem tree per group of proposals, for a co-creation table of the STL.

A table works on one problem tree, not on forty proposals: the causes, effects, affected people
and solutions of every proposal in the group are cut into phrases, phrases that say the same
thing ("falta de alumbrado", "no hay alumbrado público") are merged with the clustering's
character n-grams, and each merged phrase counts the people who mention it (distinct authors, so
one person's two proposals count once). Personal data typed in the text is masked first: the
tree is printed and exported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from bot.privacy.masking import mask_personal_data
from bot.proposals import clustering
from bot.storage.db import session_scope
from bot.storage.models import Proposal, ProposalGroup, ProposalGroupMember

# Average cosine distance (character n-grams of the content words) below which two phrases are
# merged: short phrases sharing their main word sit below it, different topics well above.
PHRASE_THRESHOLD = 0.6
MAX_VARIANTS = 4
BRANCHES = ("problems", "causes", "effects", "affected", "solutions")
_SPLIT_RE = re.compile(r"\n+|;\s*|•|(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])")


def split_items(text: str | None) -> list[str]:
    """Causes or effects as separate boxes of the tree: one per line, «;» or sentence."""
    if not text:
        return []
    return [p.strip(" .-•") for p in _SPLIT_RE.split(text) if p.strip(" .-•")]


def phrases(text: str | None) -> list[str]:
    """``split_items``, and a comma list cut too when every piece says something on its own
    ("robo de cable, falta de mantenimiento"), not when a piece only qualifies ("robos, de noche")."""
    found: list[str] = []
    for item in split_items(text):
        pieces = [p.strip(" .-") for p in re.split(r",\s*|\s+y\s+(?=\w+\s+\w+)", item) if p.strip(" .-")]
        if len(pieces) > 1 and all(len(clustering.content_words(p)) >= 1 and len(p.split()) >= 2
                                   for p in pieces):
            found.extend(pieces)
        else:
            found.append(item)
    return found


@dataclass(frozen=True)
class Branch:
    """One merged phrase: how it is said most typically, how many people say it, other wordings."""

    text: str
    people: int
    folios: tuple[str, ...]
    variants: tuple[str, ...]


@dataclass(frozen=True)
class MergedTree:
    group_id: int
    name: str
    proposals: int
    people: int
    municipalities: tuple[tuple[str, int], ...]  # most proposals first
    problems: tuple[Branch, ...]
    causes: tuple[Branch, ...]
    effects: tuple[Branch, ...]
    affected: tuple[Branch, ...]
    solutions: tuple[Branch, ...]

    def branches(self) -> list[tuple[str, tuple[Branch, ...]]]:
        return [(kind, getattr(self, kind)) for kind in BRANCHES]


@dataclass(frozen=True)
class Mention:
    text: str
    author: str
    folio: str


def merge_phrases(mentions: Sequence[Mention], threshold: float = PHRASE_THRESHOLD) -> list[Branch]:
    """Near-duplicate phrases merged; most people first. Texts are masked before anything else."""
    masked = [Mention(_tidy(mask_personal_data(m.text)), m.author, m.folio) for m in mentions]
    masked = [m for m in masked if m.text]
    if not masked:
        return []
    docs = [" ".join(clustering.content_words(m.text)) or m.text.lower() for m in masked]
    labels, vectors = clustering.group_texts(docs, threshold)
    branches: list[Branch] = []
    for number in sorted(set(labels.tolist())):
        rows = np.flatnonzero(labels == number)
        branches.append(_branch([masked[i] for i in rows], vectors[rows] if vectors is not None else None))
    branches.sort(key=lambda b: (-b.people, -len(b.folios), b.text.lower()))
    return branches


def _tidy(text: str) -> str:
    text = " ".join(text.split()).strip(" .,;:-")
    return text[:1].upper() + text[1:]


def _branch(members: list[Mention], vectors: Any) -> Branch:
    """The wording closest to the group's centre (the shortest of equals) stands for the rest."""
    if vectors is not None:
        centre = np.asarray(vectors.mean(axis=0)).ravel()
        closeness = np.asarray(vectors @ centre).ravel()
    else:
        closeness = np.zeros(len(members))
    order = sorted(range(len(members)), key=lambda i: (-round(float(closeness[i]), 6),
                                                       len(members[i].text), members[i].text))
    text = members[order[0]].text
    wordings = Counter(m.text for m in members)
    variants = tuple(w for w in sorted(wordings, key=lambda w: (-wordings[w], w)) if w != text)
    folios = tuple(dict.fromkeys(m.folio for m in members))
    return Branch(text, len({m.author for m in members}), folios, variants[:MAX_VARIANTS])


def merged_tree(group_id: int, engine: Engine | None = None) -> MergedTree | None:
    """The group's merged tree, or None when there is no such group."""
    with session_scope(engine) as session:
        group = session.get(ProposalGroup, group_id)
        if group is None:
            return None
        found = list(session.scalars(
            select(Proposal).join(ProposalGroupMember, ProposalGroupMember.proposal_id == Proposal.id)
            .where(ProposalGroupMember.group_id == group_id).order_by(Proposal.id)).all())
        name = group.name
    return build(group_id, name, found)


def build(group_id: int, name: str, found: Sequence[Proposal]) -> MergedTree:
    fields = {"problems": lambda p: [p.problem], "causes": lambda p: phrases(p.causes),
              "effects": lambda p: phrases(p.effects), "affected": lambda p: phrases(p.affected),
              "solutions": lambda p: split_items(p.solution)}
    pooled = {kind: merge_phrases([Mention(text, p.author_key, p.folio or "") for p in found
                                   for text in get(p)]) for kind, get in fields.items()}
    towns = Counter(p.municipality for p in found)
    return MergedTree(
        group_id=group_id, name=name, proposals=len(found), people=len({p.author_key for p in found}),
        municipalities=tuple(sorted(towns.items(), key=lambda t: (-t[1], t[0]))),
        problems=tuple(pooled["problems"]), causes=tuple(pooled["causes"]), effects=tuple(pooled["effects"]),
        affected=tuple(pooled["affected"]), solutions=tuple(pooled["solutions"]),
    )


def all_trees(engine: Engine | None = None) -> list[MergedTree]:
    """Every group's tree, by group name (the printable set for a session of the tables)."""
    with session_scope(engine) as session:
        ids = list(session.scalars(select(ProposalGroup.id).order_by(ProposalGroup.name)).all())
    return [t for t in (merged_tree(i, engine) for i in ids) if t is not None and t.proposals]


def export_rows(tree: MergedTree) -> list[dict[str, Any]]:
    """One row per merged phrase, anonymised (masked text, folios, counts; never an author)."""
    kinds = {"problems": "problema", "causes": "causa", "effects": "efecto",
             "affected": "personas_afectadas", "solutions": "solucion"}
    return [{"grupo": tree.name, "rama": kinds[kind], "texto": b.text, "personas": b.people,
             "propuestas": len(b.folios), "otras_formas": " | ".join(b.variants),
             "folios": " ".join(b.folios)}
            for kind, branches in tree.branches() for b in branches]


EXPORT_FIELDS = ("grupo", "rama", "texto", "personas", "propuestas", "otras_formas", "folios")
