"""Group proposals that say the same thing, offline and deterministic.

Character n-grams (of the content words, accents and case removed) make "luminarias",
"luminaria" and "lumnarias" alike without a stemmer or a language model; TF-IDF weighs the words
that set a proposal apart; average-linkage agglomerative clustering with a cosine distance
threshold decides how many groups there are. Each group gets a label made of the words most
characteristic of it (as people wrote them, with accents) and the members closest to its centre
as representative quotes. Nothing here touches the database: ``suggestions`` does.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.textnorm import normalize_words, strip_accents

# Average cosine distance below which proposals join one group (tuned on tests/proposals data and
# benchmarks/clustering.py: same-topic proposals sit around 0.6-0.8, unrelated ones above 0.9).
DISTANCE_THRESHOLD = 0.88
LABEL_TERMS = 3
QUOTES = 3
QUOTE_CHARS = 220
# Above this many proposals in one theme all pairwise distances would not fit the memory budget
# (1 GB for 10,000 proposals, benchmarks/clustering.py): the theme is clustered in parts.
MAX_EXACT = 4000

# Spanish function words and words every proposal uses: they say nothing about the topic.
_STOPWORDS = """
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bien cada casi como con
contra cual cuales cuando de del desde donde dos el ella ellas ello ellos en entre era eran es esa
esas ese eso esos esta estaba estado estamos estan estar estas este esto estos fue fueron ha hace
hacen hacer hacia han hasta hay la las le les lo los mas me mi mis mucha muchas mucho muchos muy
nada ni no nos nosotros nuestra nuestro nuestras nuestros o otra otras otro otros para pero poco
por porque pues que se sea ser si sin sobre son su sus tambien tan tanto te tiene tienen todo
todos toda todas tu un una uno unos unas y ya yo vez veces cosa cosas gente persona personas
problema problemas propuesta propongo proponemos solucion hay falta mayor mejor mejorar sea ser
deben debe deberia haga hagan vecinos vecinas colonia municipio zona lugar
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD_RE = re.compile(r"[a-zñ]+")


@dataclass(frozen=True)
class Item:
    """One proposal as the clustering sees it."""

    key: str  # its folio
    municipality: str
    problem: str
    causes: str
    effects: str
    solution: str

    @property
    def text(self) -> str:
        # The problem twice: it is what the proposal is about; the rest gives context.
        return " ".join([self.problem, self.problem, self.causes, self.effects, self.solution])


@dataclass(frozen=True)
class Cluster:
    label: str
    keys: tuple[str, ...]  # folios, closest to the centre first
    municipalities: tuple[str, ...]  # most frequent first
    quotes: tuple[str, ...]


def content_words(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(normalize_words(text)) if len(w) > 2 and w not in STOPWORDS]


def _surface_forms(items: Sequence[Item]) -> dict[str, str]:
    """The way people wrote each normalised word most often ("iluminacion" → "iluminación")."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        for word in re.findall(r"[^\W\d_]+", item.text.lower()):
            counts[strip_accents(word)][word] += 1
    return {key: max(sorted(forms), key=lambda f: forms[f]) for key, forms in counts.items()}


def _vectors(docs: list[str]) -> Any:
    """Sparse TF-IDF rows of character n-grams (L2-normalised), or None when no text is left."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                 min_df=1, dtype=np.float32)
    try:
        return vectorizer.fit_transform(docs)
    except ValueError:  # no n-grams at all (every text empty after stop words)
        return None


def group_texts(docs: list[str], threshold: float) -> tuple[np.ndarray, Any]:
    """Cluster number per text (same method as proposals, any threshold) and the text vectors
    (None when no text has any n-gram: then every text is in group 0)."""
    vectors = _vectors(docs)
    if vectors is None:
        return np.zeros(len(docs), dtype=int), None
    return _assign(vectors, threshold), vectors


def _assign(vectors: Any, threshold: float, depth: int = 0) -> np.ndarray:
    """Cluster numbers per row: average linkage on cosine distances, cut at ``threshold``.

    The exact method needs all pairwise distances; above ``MAX_EXACT`` rows the theme is first
    split into parts of similar proposals (k-means on a 100-dimension LSA projection) and each
    part is clustered exactly, so memory stays bounded (a group could rarely be cut in two).
    """
    count = vectors.shape[0]
    if count == 1:
        return np.zeros(1, dtype=int)
    if count > MAX_EXACT and depth < 3:
        return _assign_in_parts(vectors, threshold, depth)
    similarity = vectors @ vectors.T
    similarity = similarity.toarray() if hasattr(similarity, "toarray") else np.asarray(similarity)
    distances = np.clip(1.0 - similarity, 0.0, 2.0)
    del similarity
    np.fill_diagonal(distances, 0.0)
    condensed = squareform(distances, checks=False).astype(np.float64)
    del distances
    tree = linkage(condensed, method="average")
    return fcluster(tree, t=threshold, criterion="distance") - 1  # type: ignore[no-any-return]


def _assign_in_parts(vectors: Any, threshold: float, depth: int) -> np.ndarray:
    count = vectors.shape[0]
    components = min(100, vectors.shape[1] - 1, count - 1)
    reduced = normalize(TruncatedSVD(n_components=components, random_state=0).fit_transform(vectors))
    parts = -(-count // (MAX_EXACT // 2))
    part_of = MiniBatchKMeans(n_clusters=parts, random_state=0, n_init=3,
                              batch_size=2048).fit_predict(reduced)
    labels = np.full(count, -1, dtype=int)
    offset = 0
    for part in range(parts):
        rows = np.flatnonzero(part_of == part)
        if len(rows) == 0:
            continue
        inner = _assign(vectors[rows], threshold, depth + 1)
        labels[rows] = inner + offset
        offset += int(inner.max()) + 1
    return labels


def _label(members: np.ndarray, weights: np.ndarray, vocabulary: list[str], forms: dict[str, str]) -> str:
    """The words with the highest weight in the group compared with the theme as a whole."""
    inside = weights[members].mean(axis=0)
    overall = weights.mean(axis=0)
    score = inside - overall if len(members) < weights.shape[0] else inside
    # Words present in most of the group first, then by how characteristic they are.
    present = (weights[members] > 0).mean(axis=0)
    order = sorted(range(len(vocabulary)), key=lambda i: (-round(float(present[i]), 2) * float(score[i]),
                                                          -float(score[i]), vocabulary[i]))
    terms = [forms.get(vocabulary[i], vocabulary[i]) for i in order[:LABEL_TERMS] if inside[i] > 0]
    return ", ".join(terms) if terms else "sin palabras en común"


def cluster(items: Sequence[Item], threshold: float = DISTANCE_THRESHOLD) -> list[Cluster]:
    """Groups of ``items`` (all of one theme), largest first; each item is in exactly one group."""
    items = sorted(items, key=lambda i: i.key)
    if not items:
        return []
    docs = [" ".join(content_words(i.text)) for i in items]
    vectors = _vectors(docs)
    labels = np.zeros(len(items), dtype=int) if vectors is None else _assign(vectors, threshold)
    parts = [np.flatnonzero(labels == number) for number in sorted(set(labels.tolist()))]
    result = _describe(items, docs, vectors, parts)
    result.sort(key=lambda c: (-len(c.keys), min(c.keys)))
    return result


def describe(items: Sequence[Item], parts: Sequence[Sequence[str]]) -> list[Cluster]:
    """Label, order and quote groups a reviewer made by hand (``parts``: keys of ``items``).

    Used when a reviewer merges or splits suggested groups: each part is described as if the
    clustering had found it among ``items``, in the order given.
    """
    items = sorted(items, key=lambda i: i.key)
    index = {item.key: row for row, item in enumerate(items)}
    docs = [" ".join(content_words(i.text)) for i in items]
    rows = [np.array(sorted(index[k] for k in part if k in index), dtype=int) for part in parts]
    return _describe(items, docs, _vectors(docs) if items else None, rows)


def _describe(items: Sequence[Item], docs: list[str], vectors: Any,
              parts: Sequence[np.ndarray]) -> list[Cluster]:
    word_vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    try:
        word_weights = np.asarray(word_vectorizer.fit_transform(docs).todense())
        vocabulary = list(word_vectorizer.get_feature_names_out())
    except ValueError:
        word_weights, vocabulary = np.zeros((len(items), 0)), []
    forms = _surface_forms(items)
    result: list[Cluster] = []
    for members in parts:
        if vectors is not None and len(members):
            block = vectors[members]
            centre = np.asarray(block.mean(axis=0)).ravel()
            closeness = np.asarray(block @ centre).ravel()
        else:
            closeness = np.zeros(len(members))
        ranked = [int(members[i]) for i in sorted(range(len(members)), key=lambda i: (-closeness[i], i))]
        towns = Counter(items[i].municipality for i in ranked)
        result.append(Cluster(
            label=(_label(members, word_weights, vocabulary, forms) if vocabulary and len(members)
                   else "sin palabras en común"),
            keys=tuple(items[i].key for i in ranked),
            municipalities=tuple(sorted(towns, key=lambda m: (-towns[m], m))),
            quotes=tuple(_quote(items[i].problem) for i in ranked[:QUOTES]),
        ))
    return result


def _quote(text: str) -> str:
    return short_quote(text, QUOTE_CHARS)


def short_quote(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
