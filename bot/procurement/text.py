"""Understand a contract search written in a citizen's own words.

"¿qué le compraron a grupo siayec en 2017?" becomes: supplier Grupo Siayec,
year 2017. Supplier and buyer names are matched against the names in the loaded
data (accents, capitals and legal forms such as "S.A. de C.V." ignored; small
typos forgiven); the lexicon in content/procurement/search.yml gives the phrases
for "más grandes", "adjudicación directa", emergencies, synonyms and stopwords.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, select

from bot.procurement.content import Lexicon, procurement_content
from bot.procurement.service import SearchQuery, data_version
from bot.storage.db import default_engine, session_scope
from bot.storage.models.procurement import ProcurementContract, ProcurementParty
from bot.textnorm import normalize_words

log = logging.getLogger(__name__)
YEAR_RE = re.compile(r"\b(19[89]\d|20\d\d)\b")
LEGAL_FORMS = {"sa", "cv", "rl", "sc", "s", "a", "c", "v", "r", "l", "de", "sapi", "srl", "sab"}
FUZZY_TOKEN = 80  # siayek ~ siayec (83); shorter words must be exact, or cut by one letter
MIN_CUT_TOKEN = 4  # «salu» for «salud»; «sal» is a word of its own


@dataclass(frozen=True)
class Name:
    display: str
    key: str
    kind: str  # "supplier" or "buyer"
    tokens: frozenset[str]
    distinctive: frozenset[str]


@dataclass
class NameIndex:
    names: list[Name]
    by_token: dict[str, list[Name]]
    subject_vocabulary: frozenset[str]

    def match(self, tokens: list[str], lexicon: Lexicon) -> tuple[list[Name], set[str]]:
        """Names the text refers to, and the text tokens that referred to them."""
        stop = set(lexicon.normalised(lexicon.stopwords))
        vocabulary = list(self.by_token)
        hits: dict[str, str] = {}  # name token -> text token
        for token in tokens:
            if token in stop or len(token) < 3 or token.isdigit():
                continue
            if token in self.by_token:
                hits[token] = token
            elif len(token) >= 6:
                best = process.extractOne(token, vocabulary, scorer=fuzz.ratio)
                if best and best[1] >= FUZZY_TOKEN:
                    hits[best[0]] = token
            elif len(token) >= MIN_CUT_TOKEN and (cut := self._last_letter_dropped(token)):
                hits[cut] = token
        scored: list[tuple[float, Name]] = []
        seen: set[str] = set()
        for name_token in hits:
            for name in self.by_token[name_token]:
                if name.key in seen:
                    continue
                seen.add(name.key)
                matched = name.tokens & set(hits)
                if matched and matched == name.tokens - stop:
                    scored.append((2.0, name))  # the whole name was written ("del" is never a hit)
                    continue
                distinctive = name.distinctive & set(hits)
                if not distinctive or len(distinctive) / len(name.distinctive) < 0.5:
                    continue
                # A word that also describes what was bought ("limpieza") is a keyword.
                if all(hits[t] in self.subject_vocabulary for t in distinctive):
                    continue
                scored.append((len(distinctive) / len(name.distinctive), name))
        if not scored:
            return [], set()
        full = [name for score, name in scored if score > 1]
        chosen = full or [name for _, name in scored]
        used = {hits[t] for name in chosen for t in name.tokens & set(hits)}
        return chosen, used

    def _last_letter_dropped(self, token: str) -> str | None:
        """The one name word ``token`` is with its last letter missing («salu» → «salud»): the
        commonest slip in a short word, too short for the fuzzy match of longer ones."""
        found = [w for w in self.by_token if len(w) == len(token) + 1 and w.startswith(token)]
        return found[0] if len(found) == 1 else None

    def suggestions(self, text: str, limit: int = 3) -> list[Name]:
        """Names that look like what was written, for "did you mean" buttons."""
        if not text.strip():
            return []
        keys = [n.key for n in self.names]
        found = process.extract(text, keys, scorer=fuzz.token_set_ratio, limit=limit * 3)
        out: list[Name] = []
        for _, score, index in found:
            if score >= 60 and self.names[index] not in out:
                out.append(self.names[index])
        return out[:limit]


def _name_tokens(key: str) -> frozenset[str]:
    return frozenset(t for t in key.split() if t not in LEGAL_FORMS and len(t) > 1)


def build_index(engine: Engine | None = None) -> NameIndex:
    lexicon = procurement_content().lexicon
    generic = set(lexicon.normalised(lexicon.generic_name_words))
    C, Pa = ProcurementContract, ProcurementParty
    names: dict[tuple[str, str], Name] = {}
    vocabulary: set[str] = set()
    with session_scope(engine) as session:
        parties = session.execute(select(Pa.name, Pa.name_key, Pa.roles).distinct())
        raw: list[tuple[str, str, str]] = []
        for party_name, key, roles in parties:
            if set(roles.split(",")) & {"supplier", "tenderer", "payee"}:
                raw.append((party_name, key, "supplier"))
        for (buyer,) in session.execute(select(C.buyer_name).distinct()):
            if buyer:
                raw.append((buyer, normalize_words(buyer), "buyer"))
        for (subject,) in session.execute(select(C.subject_text)):
            vocabulary.update(subject.split())
    for display, key, kind in raw:
        tokens = _name_tokens(key)
        if tokens and (key, kind) not in names:
            names[(key, kind)] = Name(display, key, kind, tokens, frozenset(tokens - generic))
    by_token: dict[str, list[Name]] = {}
    for name in names.values():
        for token in name.tokens:
            by_token.setdefault(token, []).append(name)
    return NameIndex(list(names.values()), by_token, frozenset(vocabulary))


_cache: dict[str, tuple[tuple[int, int], NameIndex]] = {}
_lock = threading.Lock()
_build_locks: dict[str, threading.Lock] = {}  # one build at a time per database
_kept_warm: set[str] = set()  # databases whose index a background task keeps current
NAMES_CHECK_SECONDS = 30.0


def _key(engine: Engine) -> str:
    return str(engine.url)


def name_index(engine: Engine | None = None) -> NameIndex:
    """The index for the data loaded now (rebuilt after each load).

    Where :func:`keep_names_warm` runs (``participa serve`` and ``chat``), a search right after a
    load gets the previous index at once while the new one builds in the background: at a
    million contracts building takes about ten seconds, and nobody should wait for it.
    """
    engine = engine or default_engine()
    key = _key(engine)
    version = data_version(engine)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == version:
            return cached[1]
        stale = cached[1] if cached and key in _kept_warm else None
    if stale is not None:
        threading.Thread(target=_build, args=(engine, version), name="names-index", daemon=True).start()
        return stale
    return _build(engine, version)


def _build(engine: Engine, version: tuple[int, int]) -> NameIndex:
    """Build the index of ``version`` unless another thread built it (or builds it: wait)."""
    key = _key(engine)
    with _lock:
        build_lock = _build_locks.setdefault(key, threading.Lock())
    with build_lock:
        with _lock:
            cached = _cache.get(key)
            if cached and cached[0] >= version:
                return cached[1]
        index = build_index(engine)
        with _lock:
            _cache[key] = (version, index)
        return index


def names_ready(engine: Engine | None = None) -> bool:
    """Whether the index of the data loaded now is built (a search will not wait for it)."""
    engine = engine or default_engine()
    with _lock:
        cached = _cache.get(_key(engine))
    return cached is not None and cached[0] == data_version(engine)


async def keep_names_warm(stop: asyncio.Event, interval: float = NAMES_CHECK_SECONDS,
                          engine: Engine | None = None) -> None:
    """Build the names index now and again after every load, before a citizen asks.

    ``participa procurement load`` runs in another process (and on another machine with several
    replicas), so each serving process checks the data version (one primary-key lookup) every
    ``interval`` seconds; a search in between starts the build itself and keeps the old index.
    """
    engine = engine or default_engine()
    key = _key(engine)
    try:
        while not stop.is_set():
            try:
                version = await asyncio.to_thread(data_version, engine)
                if version[0]:
                    await asyncio.to_thread(_build, engine, version)
                    with _lock:
                        _kept_warm.add(key)
            except Exception as exc:  # the database may be down for a while: try again later
                log.warning("names index not built: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
    finally:
        with _lock:
            _kept_warm.discard(key)


def stem(word: str) -> str:
    """Singular-ish stem so "computadoras" finds "computadora" and "licencias" finds "licencia"."""
    if word.endswith("es") and len(word) >= 6 and word[-3] not in "aeiou":
        return word[:-2]
    if word.endswith("s") and len(word) >= 4:
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def _phrases() -> tuple[list[str], list[str], list[tuple[str, str]], list[str]]:
    lex = procurement_content().lexicon
    methods = sorted(
        ((normalize_words(p), m) for m, ps in lex.method_phrases.items() for p in ps),
        key=lambda pm: -len(pm[0]),
    )
    by_length = lambda ps: sorted(lex.normalised(ps), key=len, reverse=True)  # noqa: E731
    return by_length(lex.largest), by_length(lex.recent), methods, by_length(lex.emergency_phrases)


@lru_cache(maxsize=1)
def _short_names() -> list[tuple[str, str]]:
    """(short name as written, full name's key), longest first: «seguro social» before «imss»."""
    pairs = [(normalize_words(short), normalize_words(full))
             for full, shorts in procurement_content().lexicon.short_names.items()
             for short in shorts]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def _short_name_buyers(norm: str, index: NameIndex) -> tuple[list[Name], set[str]]:
    """Buyers named by a short name ("imss"), only when the loaded data has them; and the words
    that named them (the short name, and the full name's words written around it)."""
    found: list[Name] = []
    used: set[str] = set()
    for short, full in _short_names():
        if f" {short} " not in norm:
            continue
        buyer = next((n for n in index.names if n.kind == "buyer" and n.key == full), None)
        if buyer is not None:  # not loaded: the short name stays a word of the search
            found.append(buyer)
            used.update(short.split(), buyer.tokens)
    return found, used


@lru_cache(maxsize=1)
def _place_phrases() -> list[tuple[str, tuple[str, str]]]:
    """(way of writing it, (phrase searched, label)), longest first."""
    places = procurement_content().lexicon.place_phrases
    pairs = [
        (normalize_words(written), (normalize_words(label), label))
        for label, ways in places.items()
        for written in [label, *ways]
    ]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def _take(text: str, phrase: str) -> tuple[str, bool]:
    padded = f" {phrase} "
    if padded in text:
        return text.replace(padded, " "), True
    return text, False


def understand(text: str, engine: Engine | None = None) -> tuple[SearchQuery, str]:
    """The query a message asks for, and the words left over (for suggestions)."""
    lexicon = procurement_content().lexicon
    largest, recent, methods, emergency_phrases = _phrases()
    norm = f" {normalize_words(text)} "
    years = tuple(sorted({int(y) for y in YEAR_RE.findall(norm)}))
    norm = YEAR_RE.sub(" ", norm)
    norm = f" {' '.join(norm.split())} "
    order = "amount"
    for phrase in recent:
        norm, found = _take(norm, phrase)
        if found:
            order = "date"
    for phrase in largest:
        norm, _ = _take(norm, phrase)
    found_methods: list[str] = []
    for phrase, method in methods:
        norm, found = _take(norm, phrase)
        if found and method not in found_methods:
            found_methods.append(method)
    emergency = False
    for phrase in emergency_phrases:
        norm, found = _take(norm, phrase)
        emergency = emergency or found
    places: dict[str, str] = {}  # phrase searched -> label shown
    keywords_labels: list[str] = []
    for phrase, (searched, label) in _place_phrases():
        norm, found = _take(norm, phrase)
        if found:
            places[searched] = label
    tokens = norm.split()
    index = name_index(engine)
    names, used = index.match(tokens, lexicon)
    short_named, short_words = _short_name_buyers(norm, index)
    names.extend(n for n in short_named if n not in names)
    used |= short_words
    place_groups: list[tuple[str, ...]] = []
    for searched, label in places.items():
        # A place written as a place (search.yml, place_phrases) means its buyers (state and
        # municipal) when the data has them; otherwise it is searched as one phrase.
        buyers_there = [n for n in index.names if n.kind == "buyer" and f" {searched} " in f" {n.key} "]
        if buyers_there:
            names.extend(n for n in buyers_there if n not in names)
        else:
            place_groups.append((searched,))
            keywords_labels.append(label)
    stop = set(lexicon.normalised(lexicon.stopwords))
    keywords = [t for t in tokens if t not in used and t not in stop and len(t) > 1]
    # Keyed by stem, so "computadora" gets the synonyms listed under "computadoras".
    synonyms: dict[str, list[str]] = {}
    for key, values in lexicon.synonyms.items():
        synonyms.setdefault(stem(normalize_words(key)), []).extend(lexicon.normalised(values))
    groups = place_groups
    for word in dict.fromkeys(keywords):
        group = [stem(word), *(stem(s) for s in synonyms.get(stem(word), []))]
        groups.append(tuple(dict.fromkeys(group)))
    suppliers = [n for n in names if n.kind == "supplier"]
    buyers = [n for n in names if n.kind == "buyer"]
    query = SearchQuery(
        words=tuple(groups),
        word_labels=tuple(dict.fromkeys([*keywords_labels, *keywords])),
        suppliers=tuple(sorted({n.key for n in suppliers})),
        supplier_labels=tuple(sorted({n.display for n in suppliers})),
        buyers=tuple(sorted({n.display for n in buyers})),
        years=years,
        methods=tuple(sorted(set(found_methods))),
        emergency=emergency,
        order=order,
    )
    return query, " ".join(keywords)
