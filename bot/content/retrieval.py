"""Lexical retrieval (BM25) over every FAQ answer: a second opinion when the model is unsure.

Each entry is one document: its title, answer, details and training examples. Words are
normalised like the model's input (:mod:`bot.textnorm`), stop words dropped, and each long word
counted twice: whole, and cut to a short prefix, a crude stemmer that suits Spanish. The index
is built from ``content/`` at first use and kept for the life of the process.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.content.faq import FaqCatalog, faq_catalog
from bot.content.municipalities import municipality_index
from bot.textnorm import normalize_words

PREFIX = 6
K1 = 1.2
B = 0.75
# Words that say nothing about which answer is meant.
_STOP_WORDS_TEXT = """a al algo alguien algun alguna algunas alguno algunos ante antes aqui asi aun bien bueno
buenas buenos cada casi como con contra cual cuales cuando de del desde donde dos el ella
ellas ellos en entonces era eres es esa esas ese eso esos esta estaba estan estar este esto
estos estoy fue gracias ha hace hacer hay hola la las le les lo los mas me mi mis mucho muy
nada ni no nos o otra otro para pero poco por porque puede pueden puedo que quien quiero
saber se ser si sin sobre solo son su sus tambien tan te tengo ti tiene tu tus un una unas
uno unos usted ustedes va vez y ya yo favor oye ok pues tarde tardes dias noches"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD_RE = re.compile(r"[a-z0-9ñ]+")


def terms(text: str) -> list[str]:
    """The words of ``text`` that carry meaning, normalised, each also cut to a common prefix
    (so "denuncio" meets "denunciar" while "violentometro" still outscores "violencia")."""
    out: list[str] = []
    for word in _WORD_RE.findall(normalize_words(text)):
        if word in STOP_WORDS or len(word) < 2:
            continue
        out.append(word[:PREFIX])
        if len(word) > PREFIX:
            out.append(word)
    return out


@dataclass(frozen=True)
class Hit:
    faq_id: str
    score: float


class FaqIndex:
    """Okapi BM25 over one document per FAQ entry."""

    def __init__(self, documents: dict[str, list[str]]) -> None:
        self.ids = list(documents)
        self.tf = [Counter(documents[i]) for i in self.ids]
        self.lengths = [len(documents[i]) for i in self.ids]
        self.avg_length = sum(self.lengths) / max(1, len(self.lengths))
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        n = len(self.ids)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    @classmethod
    def from_catalog(cls, catalog: FaqCatalog) -> FaqIndex:
        documents = {
            e.id: terms(" ".join([e.title, e.answer, e.details or "", *e.examples]))
            for e in catalog.entries
        }
        return cls(documents)

    def rank(self, text: str, limit: int = 10) -> list[Hit]:
        """Entries best first; only those sharing at least one meaningful word with ``text``."""
        query = set(terms(text))
        scores: list[Hit] = []
        for i, counts in enumerate(self.tf):
            norm = K1 * (1 - B + B * self.lengths[i] / self.avg_length)
            score = sum(
                self.idf[t] * counts[t] * (K1 + 1) / (counts[t] + norm)
                for t in query
                if t in counts
            )
            if score > 0:
                scores.append(Hit(self.ids[i], score))
        scores.sort(key=lambda h: h.score, reverse=True)
        return scores[:limit]


    def knows_any(self, text: str) -> bool:
        """Whether ``text`` has a word the content uses (or a common one): "asdkj qwe" has none."""
        words = _WORD_RE.findall(normalize_words(text))
        return any(w in STOP_WORDS or w in self.idf or w[:PREFIX] in self.idf for w in words)


@lru_cache(maxsize=1)
def faq_index() -> FaqIndex:
    """The index of the configured content, built once per process (a few milliseconds)."""
    return FaqIndex.from_catalog(faq_catalog())


# People and things the government counts (police officers, patrol cars, complaints…).
_COUNTED = (
    r"policias?|patrullas?|elementos|agentes|maestr[oa]s|profesores|medic[oa]s|doctor\w*"
    r"|enfermer[oa]s|emplead[oa]s|trabajador\w*|funcionari\w*|servidores|aviadores|plazas"
    r"|escuelas|hospitales|clinicas|camiones|unidades|luminarias|lamparas|baches|pozos|pipas"
    r"|mujeres|gente|personas|victimas|denuncias|quejas|ordenes|carpetas|casos|muertos|muertes"
    r"|accidentes|robos|asaltos|delitos|beneficiari\w*|becas|apoyos|despensas|multas"
    r"|infracciones|detenid\w*|feminicidios|homicidios|desaparecid\w*"
)
# "¿Cuánto gastó / gana / costó …?", "el sueldo del presidente municipal": data the bot does
# not hold. "¿Cuánto cuesta pedir información?" is a question about requests, not data.
_DATA_QUESTION_RE = re.compile(
    r"\b(cuanto|cuantos|cuanta|cuantas|que tanto)\b.{0,40}\b("
    r"gast\w*|gana\w*|cobra\w*|pag\w*|cost(o|aron)|invirti\w*|invierte\w*|destin\w*|recibi\w*"
    r"|compr(a|aron|o|ado|ada|ar|as|e|en|amos)|debe\w*|deuda\w*|firm\w*|otorg\w*|dieron|contrat\w*|denuncia\w*|carpetas"
    r"|trabajador\w*|empleados|recaud\w*|toco|toca|asign\w*|hubo|registr\w*|feminicidio\w*"
    r"|homicidio\w*|asesinat\w*|delitos|robos|abri\w*)\b"
    # ("no hay presupuesto para el drenaje" tells a problem: it asks for no figure)
    r"|(?<!no hay )(?<!ni )(?<!sin )(?<!falta de )\b(sueldo|sueldos|salario|salarios|nomina|presupuesto"
    r"|gasto|gastos)\s+(de|del|en|para)\b"
    # "¿Cuántos policías hay / cuántas patrullas sirven / cuánta gente atendió…?": a count of
    # people or things of the government (never "¿cuántos tipos de violencia hay?").
    r"|\bcuant[oa]s?\s+(\w+\s+)?(" + _COUNTED + r")\b.{0,50}\b(hay|habia|tiene|tienen|tenia"
    r"|cuenta|cuentan|atendi\w*|atiend\w*|tap\w*|sirv\w*|funcion\w*|emiti\w*|entreg\w*|recibi\w*"
    r"|hubo|registr\w*|detuv\w*|hicieron|hizo|repar\w*|arregl\w*|trabaj\w*|cobr\w*|abri\w*|dio)\b"
    r"|\b(numero|cifra|cifras|cantidad|total|estadisticas?) de (" + _COUNTED + r")\b"
    # "¿Cuál es el presupuesto asignado a mi escuela?", "la nómina completa", "el padrón de…".
    r"|\bpresupuesto\s+(asignad\w*|autorizad\w*|aprobad\w*|ejercid\w*|anual|total|que (le )?toca)\b"
    r"|\bcual (es|fue) el presupuesto\b|\bnomina completa\b|\bpadron de beneficiari\w*"
)


# A search of the contracts the bot holds names a company or a contract, not a municipality's own
# figures: "¿cuánto le pagaron a la constructora…?" is a contract search.
_CONTRACT_RE = re.compile(
    r"\b(contrat\w*|licitac\w*|adjudic\w*|proveedor\w*|constructora\w*|empresa\w*|compania\w*"
    r"|farmaceutica\w*|le compraron|le compro|le vendi\w*)\b"
)
_MUNICIPAL_RE = re.compile(
    r"\b(municipio\w*|ayuntamiento\w*|alcald\w*|presidente municipal|presidenta municipal|cabildo"
    r"|regidor\w*|delegad\w*)\b"
)
_DEFINITION_RE = re.compile(r"^(que es|que son|que significa|como|para que|por que)\b")
# "Busca los contratos del municipio con la empresa…", "contratos del IMSS", "¿qué contratos
# tiene el ISSSTE?", "¿cuánto le pagaron a Grupo X?": asked to search, whoever signed them.
_SEARCH_RE = re.compile(
    r"^((hola|oye|oiga|porfa|por favor|buenas|buenos dias|buenas tardes)\s+)*"
    r"(((quiero|kiero|queria|quisiera|me gustaria) )?"
    r"(busca\w*|busco|muestra\w*|ensena\w*|(quiero|kiero|queria|quisiera) ver|dame|pasame)\b.{0,20}\bcontrat"
    r"|(los )?contratos? (de|del|con)\b|compras? (de|del)\b"
    r"|(que|cuales) contratos? (tiene|tienen|hay|firmo|firmaron|ha firmado|han firmado|hizo)\b"
    r"|((quiero|kiero) (ver|saber) )?cuanto (dinero )?le (pagaron|pago|han pagado|ha pagado|dieron|dio)"
    r" ((el|la|los|las) \w+ )?(a|al)\b)"
)
# "¿Cuánto le pagaron al alcalde / a los maestros?", "¿cuánto le dieron a mi municipio?": a salary
# or a transfer, a figure the bot does not hold.
_PAID_PERSON_RE = re.compile(
    r"\ble (pagaron|pago|han pagado|ha pagado|dieron|dio) (a|al) (la |el |los |las |mi |nuestro )?"
    r"(alcald\w*|president\w*|gobernador\w*|diputad\w*|senador\w*|regidor\w*|sindic\w*"
    r"|funcionari\w*|maestr\w*|profe\w*|policia\w*|trabajador\w*|emplead\w*|servidor\w*"
    r"|director\w*|juez\w*|jueces|magistrad\w*|secretari[oa]s?\b(?! de\b)|delegad\w*|medic\w*"
    r"|enfermer\w*|municipio\w*|ayuntamiento\w*|estado|gobierno|escuela\w*|colonia\w*|pueblo\w*)"
)


# "¿Cuánto dinero le dieron a <municipio>?": a transfer to a municipality, not a company's contract.
_PAID_TO_RE = re.compile(
    r"\ble (pagaron|pago|han pagado|ha pagado|dieron|dio|toco|asignaron|transfirieron) (a|al) (.+)")
_MAX_PLACE_WORDS = 4


def _paid_to_a_municipality(words: str) -> bool:
    found = _PAID_TO_RE.search(words)
    if found is None:
        return False
    after = found.group(3).split()
    names = municipality_index().names
    return any(" ".join(after[:size]) in names for size in range(1, _MAX_PLACE_WORDS + 1))


def is_contract_search(text: str) -> bool:
    """A search of public contracts by company, product or contract ("contratos de paracaidas",
    "cuánto le pagaron a la constructora…"), not a question of what a contract term means."""
    words = normalize_words(text)
    if _PAID_PERSON_RE.search(words) or _paid_to_a_municipality(words):
        return False
    if _SEARCH_RE.search(words):
        return True
    return bool(_CONTRACT_RE.search(words)) and not _MUNICIPAL_RE.search(words) \
        and not _DEFINITION_RE.search(words)


def names_a_contract(text: str) -> bool:
    """The message names a contract, a tender or a supplier («contratos», «la constructora…»)."""
    return bool(_CONTRACT_RE.search(normalize_words(text)))


# Who spent: «la fiscalía», «el ayuntamiento», «la secretaría de salud». Spending with nobody named
# («¿cuánto se gastó en material de curación?») is what the contract data answers: a search.
_INSTITUTION_RE = re.compile(
    r"\b(fiscalia|ayuntamiento|municipio|cabildo|alcaldia|presidencia|gobierno|gobernador\w*"
    r"|secretaria|instituto|congreso|dif|policia|hospital|universidad|escuela)\b"
)


def spending_of_an_institution(text: str) -> bool:
    """What a named institution spent («¿cuánto gastó la fiscalía en patrullas?»): a figure to ask
    it for (the information request), unless a contract or supplier is named."""
    words = normalize_words(text)
    return bool(_SPENT_RE.search(words)) and bool(_INSTITUTION_RE.search(words)) \
        and not names_a_contract(text)


# «contratos secretaría de salud <estado>», «licitaciones imss 2017»: words typed into a search box,
# no question in them (what a word means is asked: «contratos abiertos que son»).
_KEYWORDS_FIRST = frozenset({"contrato", "contratos", "compras", "licitaciones", "licitacion",
                             "adjudicaciones", "proveedores", "proveedor"})
_NOT_KEYWORDS = frozenset({"que", "q", "como", "donde", "cuando", "cual", "cuales", "quien", "quienes",
                           "significa", "es", "son", "sirve", "sirven", "porque", "abiertos",
                           "abiertas", "emergencia", "explica", "explicame", "hay", "puedo", "se"})
_MAX_KEYWORDS = 8


def _keywords_only(words: str) -> bool:
    typed = words.split()
    return (2 <= len(typed) <= _MAX_KEYWORDS and typed[0] in _KEYWORDS_FIRST
            and not _NOT_KEYWORDS & set(typed))


def is_explicit_contract_search(text: str) -> bool:
    """"Contratos de …", "busca los contratos …", "contratos <institución>": a search even when an
    FAQ answer looks close."""
    words = normalize_words(text)
    keywords = False if "?" in text or "¿" in text else _keywords_only(words)
    return (bool(_SEARCH_RE.search(words)) or keywords) and not _PAID_PERSON_RE.search(words)


# «¿Cuánto dura y se paga algo por tramitarla?»: what a procedure costs or how long it takes is a
# question about the procedure (an FAQ answer), no figure of the government.
_PROCEDURE_RE = re.compile(
    r"\bcuanto (tiempo )?(dura|duran|tarda\w*|se tarda\w*|demora\w*)\b"
    r"|\b(se paga|hay que pagar|tengo que pagar|pagar algo|se cobra|cobran|cuesta|tiene costo"
    r"|es gratis|costo)\b.{0,30}\b(tramit\w*|sacar\w*|pedir\w*|solicitar\w*|presentar\w*)"
)
_SPENT_RE = re.compile(r"\b(gast\w*|invirti\w*|invierte\w*|destin\w*|presupuesto|sueldo\w*|salario\w*)\b")


def asks_about_a_procedure(text: str) -> bool:
    """The cost or the time of a procedure asked («¿cuánto tarda?», «¿se paga algo por sacarla?»),
    not what an institution spent or pays."""
    words = normalize_words(text)
    return bool(_PROCEDURE_RE.search(words)) and not _SPENT_RE.search(words)


def is_data_question(text: str) -> bool:
    """A question about government figures (spending, salaries, budgets) the bot has no data for."""
    return (bool(_DATA_QUESTION_RE.search(normalize_words(text))) and not is_contract_search(text)
            and not asks_about_a_procedure(text))
