"""A drafted information request: what is asked, for which period, in what format, to whom.

Deterministic (no new NLU): the person's own words become the subject, with a few common shapes
turned into the precise wording a Unidad de Transparencia expects ("cuánto gana X" → "el sueldo
mensual bruto y neto, con sus prestaciones, de X"). Every text comes from
``content/solicitudes.yml``; the bodies and channels from ``content/sujetos_obligados.yml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel
from rapidfuzz import fuzz

from bot.content.files import Source, content_dir, load_model
from bot.content.municipalities import FUZZY_IN_TEXT, FUZZY_MIN_CHARS, MAX_NAME_WORDS, municipality_index
from bot.conversation.replies import Reply
from bot.i18n import current_locale
from bot.inforequests.bodies import Body, bodies_file, channels
from bot.textnorm import normalize_words

FILE = "solicitudes.yml"
MAX_SUBJECT_CHARS = 400

# Openings that say "I want to know" and carry no subject ("hola, quiero saber …").
_OPENING_RE = re.compile(
    r"^\W*(?:(?:hola|oye|buen(?:os|as)? d[ií]as?|buenas tardes|buenas noches)\W+)?"
    r"(?:(?:yo\s+)?(?:quiero|kiero|qiero|quisiera|necesito|nesecito|nececito|me gustar[ií]a|"
    r"deseo|ocupo)\s+(?:saber|saver|zaber|conocer|pedir|solicitar|preguntar|consultar)\s*"
    r"(?:(?:informaci[oó]n|info|datos?)\s+)?(?:(?:sobre|de|acerca de)\s+)?"
    r"|(?:c[oó]mo\s+(?:puedo\s+)?(?:saber|averiguar)\s+))?",
    re.IGNORECASE,
)
_SALARY_RE = re.compile(
    r"^cu[aá]nto\s+(?:gana|ganan|cobra|cobran|percibe|perciben|le pagan a|les pagan a)\s+(?P<rest>.+)$",
    re.IGNORECASE)
_SPENDING_RE = re.compile(
    r"^cu[aá]nto\s+(?:dinero\s+)?(?:se\s+)?(?:gast[oó]|gasta|gastaron|gastan|invirti[oó]|invierte|pag[oó]|"
    r"destin[oó])\s+(?P<rest>.+)$", re.IGNORECASE)
_COUNT_RE = re.compile(r"^cu[aá]nt[oa]s\s+(?P<rest>.+)$", re.IGNORECASE)
_DE_EL_RE = re.compile(r"\b([Dd])e el\b")
_A_EL_RE = re.compile(r"(?<![\w])([Aa]) el\b")
_YEAR_RE = re.compile(r"\b(19[89]\d|20\d\d)\b")
_YEAR = r"(?:19[89]\d|20\d\d)"
# The period as the person wrote it inside the subject («… en 2024», «durante el año pasado»):
# the request names it once, in «correspondiente a …», so it leaves the subject.
_PERIOD_IN_SUBJECT_RE = re.compile(
    r"(?:,\s*|\s+|^)(?:(?:en|durante|de|del|para|por|entre|desde)\s+)?(?:(?:el|los)\s+)?"
    r"(?:(?:a[ñn]os?|ejercicios?(?:\s+fiscal(?:es)?)?)\s+(?:de\s+)?)?"
    rf"(?:{_YEAR}(?:\s*(?:a|al|y|-|hasta|hasta el)\s*{_YEAR})?|a[ñn]o\s+pasado)\b"
    r"|(?:,\s*|\s+|^)(?:(?:en|durante|de|del)\s+)?este\s+a[ñn]o\b",
    re.IGNORECASE)
# Words that say "a request" but not what is asked: left alone, they mean the subject is missing.
_EMPTY_WORDS = frozenset({
    "quiero", "kiero", "qiero", "quisiera", "necesito", "nesecito", "nececito", "gustaria",
    "deseo", "ocupo", "saber", "saver", "zaber", "conocer", "pedir",
    "solicitar", "preguntar", "consultar", "hacer", "una", "un", "solicitud", "informacion",
    "dato", "datos", "al", "a", "la", "el", "lo", "de", "del", "los", "las", "sobre", "acerca",
    "me", "yo", "como", "puedo", "hola", "oye", "por", "favor", "que", "le", "les", "se", "y", "o",
    "en", "con", "para", "ayuntamiento", "municipio", "municipal", "gobierno", "institucion",
    "publica", "publico", "transparencia",
})


class Messages(BaseModel):
    sources: list[Source]
    recurso_sources: list[Source]
    messages: dict[str, str]

    def text(self, key: str, **values: object) -> str:
        template = self.messages[key]
        return template.format(**values) if values else template


@lru_cache(maxsize=4)
def _messages(locale: str) -> Messages:
    return load_model(content_dir() / FILE, Messages, locale)  # type: ignore[return-value]


def messages() -> Messages:
    """``solicitudes.yml`` in the current locale."""
    return _messages(current_locale())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def raw_subject(text: str) -> str:
    """The person's question without its greeting and "quiero saber" opening or final marks."""
    text = _one_line(text).strip(" ¿?¡!.")
    match = _OPENING_RE.match(text)
    if match:
        text = text[match.end():]
    return text.strip(" ¿?¡!.,")


def has_subject(text: str, body: Body | None) -> bool:
    """Whether anything is asked once the request words and the body's own name are set aside."""
    words = set(normalize_words(text).split()) - _EMPTY_WORDS
    if body is not None:
        words -= set(normalize_words(body.name).split())
        for alias, targets in _aliases().items():
            if body.name.endswith(tuple(targets)):
                words -= set(alias.split())
        for spec in bodies_file().bodies:
            if body.key == f"edo:{spec.id}":
                for alias in spec.aliases:
                    words -= set(normalize_words(alias).split())
    return len(words) >= 1


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[str, ...]]:
    """Typed short names of municipalities → official names (to set them aside as non-subject)."""
    index = municipality_index()
    return {alias: tuple(m.name for m in found) for alias, found in index.names.items()}


def without_period(text: str) -> str:
    """``text`` without the period it names (the draft says it once, after the subject)."""
    cut = _PERIOD_IN_SUBJECT_RE.sub("", text).strip(" ,")
    return cut if has_subject(cut, None) else text


def subject_text(text: str) -> str:
    """The subject in the wording of a request (``text`` is the person's question or answer)."""
    raw = without_period(raw_subject(text))[:MAX_SUBJECT_CHARS]
    m = messages()
    question = raw[:1].lower() + raw[1:]
    if (found := _SALARY_RE.match(raw)) is not None:
        return contract(m.text("subject_salary", who=found.group("rest")))
    if _SPENDING_RE.match(raw):
        return m.text("subject_spending", question=question)
    if _COUNT_RE.match(raw):
        return m.text("subject_count", question=question)
    return m.text("subject_generic", text=raw)


def contract(text: str) -> str:
    """Spanish contractions after filling a template: «de el» → «del», «a el» → «al»."""
    return _A_EL_RE.sub(lambda m: m.group(1) + "l", _DE_EL_RE.sub(lambda m: m.group(1) + "el", text))


def period_text(text: str, today: dt.date) -> str:
    """The period the person named (a year or two), else from January of last year to today."""
    years = sorted({int(y) for y in _YEAR_RE.findall(text)})
    m = messages()
    words = normalize_words(text).replace("ñ", "n")
    if not years and "ano pasado" in words:
        years = [today.year - 1]
    elif not years and "este ano" in words:
        years = [today.year]
    if len(years) == 1:
        return m.text("period_year", year=years[0])
    if len(years) > 1:
        return m.text("period_years", first=years[0], last=years[-1])
    return m.text("period_default", year=today.year - 1)


_WORD_RE = re.compile(r"\w+")


def official_names(text: str, body: Body | None) -> str:
    """The subject with the ayuntamiento's municipality under its official name: «cuánto gana el
    presidente de <nombre corto>» asks for data «de <nombre oficial>», as a request should.
    Only that municipality's names, seat and aliases (and their typos) are touched; a short name
    several share counts, since the person already chose which one she meant."""
    if body is None or not body.key.startswith("mun:"):
        return text
    index = municipality_index()
    own = next((m for m in index.municipalities if f"mun:{m.code}" == body.key), None)
    if own is None:
        return text
    names = {n for n, found in index.names.items() if own in found}  # «tenango», once chosen
    words = list(_WORD_RE.finditer(text))
    pieces: list[str] = []
    done = at = 0
    while at < len(words):
        size = _name_at(words, at, names)
        if size:
            pieces += [text[done:words[at].start()], own.name]
            done, at = words[at + size - 1].end(), at + size
        else:
            at += 1
    return "".join(pieces) + text[done:]


def _name_at(words: list[re.Match[str]], at: int, names: set[str]) -> int:
    """How many words from ``at`` are one of ``names`` (exactly, else a typo of one): 0 if none."""
    sizes = range(min(MAX_NAME_WORDS, len(words) - at), 0, -1)
    phrases = [(size, normalize_words(" ".join(w.group() for w in words[at:at + size])))
               for size in sizes]
    for size, phrase in phrases:
        if phrase in names:
            return size
    for size, phrase in phrases:  # a typo: word for word close to a name, and long enough to tell
        if len(phrase) >= FUZZY_MIN_CHARS and any(_close(phrase.split(), n.split()) for n in names):
            return size
    return 0


def _close(typed: list[str], name: list[str]) -> bool:
    return len(typed) == len(name) and all(
        t == n or fuzz.ratio(t, n) >= FUZZY_IN_TEXT for t, n in zip(typed, name, strict=True))


@dataclass(frozen=True)
class Draft:
    body: Body | None
    subject: str
    period: str

    def request(self) -> str:
        m = messages()
        if self.body is None:
            return contract(m.text("request_no_body", subject=self.subject, period=self.period))
        return contract(m.text("request", body=self.body.the_name,
                               subject=official_names(self.subject, self.body), period=self.period))


def _channel_lines() -> list[str]:
    m = messages()
    lines = []
    for c in channels():
        head = f"• {c.name}"
        if c.url:
            head += f", {c.url}"
        elif c.id == "pnt":
            head += f" ({m.text('no_url')})"
        line = f"{head}: {_one_line(c.how)}"
        if c.unverified:
            line += " " + m.text("unverified", text=_one_line(c.unverified))
        lines.append(line)
    return lines


def draft_replies(draft: Draft) -> list[Reply]:
    """Three messages: what it is, the request text alone (easy to copy), where and how to file."""
    m = messages()
    body_name = draft.body.the_name if draft.body else m.text("unknown_body")
    intro = contract(_one_line(m.text("intro", body=body_name)))
    where = [m.text("where_title"), *_channel_lines()]
    if draft.body is not None and draft.body.contact is None:
        where.append(contract(_one_line(m.text("no_contact", body=draft.body.the_name))))
    refs = [s.ref for s in (draft.body.sources if draft.body else ())]
    refs += [s.ref for c in channels() for s in c.sources]
    refs += [s.ref for s in m.sources]
    notes = [_one_line(m.text(k)) for k in ("no_reason", "deadline", "check_public", "after_draft")]
    notes.append(m.text("sources", sources=", ".join(dict.fromkeys(refs))))
    return [Reply(intro), Reply(draft.request()),
            Reply("\n".join(where)), Reply("\n\n".join(notes))]
