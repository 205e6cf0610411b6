"""Safety net: spot a message from someone in danger before any NLU runs.

It is plain pattern matching over normalised text, so it works when Rasa is
down, slow or unsure. Patterns live in ``content/emergency.yml`` where people
can edit them; ``benchmarks/emergency_recall.py`` measures them against a
held-out set. The same file holds a broader violence lexicon: messages that
match it are marked sensitive so Rasa's tracker store keeps no text of them.

Four outcomes (:class:`Level`): danger now (the emergency block, Rasa never asked);
suicide or self-harm (the crisis block, the crisis line first); violence that is over
("hace años me golpeaba": Rasa answers, marked sensitive, with one line about 911 in
front); and merely sensitive.

A danger pattern alone is not enough to raise the alarm: the message is weighed by cue
classes, strongest first, so every decision can be explained by the cue that made it:

1. an acute pattern (fire, a weapon in hand, hiding, locked in, being dragged) in a sentence
   with no past-time cue: emergency, whatever else the message says ("no sé qué hacer … hoy
   me encerró");
2. a present cue (`now`: "ahorita", "ya viene", "está afuera"): emergency — unless the cue is
   part of a safe-now phrase ("ahorita está en el trabajo", blanked first);
3. a question about the topic (`asks`: "¿a dónde acudo?", "¿eso tiene nombre?"): disclosure;
4. a safe-now phrase ("estoy en casa de mi hermana", "hoy no está"): disclosure;
5. a recent cue ("hoy", "otra vez", "anoche"): emergency; 6. not knowing what to do
   (`unsure`): disclosure; 7. a past cue ("hace años", "me pegaba"): disclosure;
   8. otherwise the pattern stands: emergency.

Laughter ("jajaja", "xd", 😂) turns the figures of speech in `jokes` off ("me va a matar
cuando vea la cuenta jaja"), never a suicide pattern. Patterns name categories of meaning
(`{weapon}`, `{child}`… in `categories:`) instead of listing phrases; a match right after a
negation does not count; sentences framed as news, fiction, games, dreams or hypotheticals
(`frames:`) are not read for danger. A story of violence in any tense (`violence_story`) is
sensitive and never starts a proposal interview.

Round 8: a learned second opinion (:mod:`bot.conversation.safety_model`) reads what the patterns
leave below a crisis: past its cross-validated threshold it makes the message a crisis or an
emergency (a surer verdict is needed over a disclosure); it never reads a message that laughs
or has fewer than three words, and without its artefact the patterns work alone. A crisis told
about someone else gets `crisis_other:` (how to help them, the crisis line first); a bare plea
("ayuda por favor") gets `check_in:` («¿estás en peligro ahora?» with 911).

Round 9: the model is built by ``participa nlu build`` / ``nlu train`` (``make setup``, the
Dockerfile); the bot only reads it (`serving_net`). Missing or stale, the patterns answer at once
and it is built in the background, never on a citizen's message.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from bot.content import checks
from bot.content.files import ContentError, content_dir
from bot.content.fillers import fillers
from bot.content.hotlines import hotlines, load_hotlines
from bot.conversation.replies import Button, Reply
from bot.conversation.safety_model import (
    DISCLOSURE_CEILING,
    DISCLOSURE_MARGIN,
    SafetyModel,
    load,
    load_or_build,
)
from bot.questions import starts_like_question
from bot.textnorm import clean, normalize_words, strip_accents

log = logging.getLogger(__name__)

# Messages are scanned in full (Telegram caps them at 4,096 characters; the terminal does not).
_SCAN_LIMIT = 200_000
# Verdicts remembered by `SafetyNet.assess_with_rule` (≈ 100 bytes each).
_VERDICTS_KEPT = 8192
EMERGENCY_PAYLOAD = "/ayuda_urgente"
_DOUBLE_VOWEL_RE = re.compile(r"([aeiou])\1+")
_REGEX_ESCAPE_RE = re.compile(r"\\[a-zA-Z]")
_LEXICON_WORD_RE = re.compile(r"[a-zñ]{2,}")
_PRONOUN_SUFFIXES = ("me", "nos", "la", "le", "lo", "te")
# The cue lists of content/emergency.yml whose words misspellings are folded onto.
_CUE_KEYS = ("now", "recent", "past_time", "over", "asks", "unsure", "safe_now")
# Sentences, for acute danger told at the end of a long story ("… pero hoy me encerró").
_SENTENCE_RE = re.compile(r"[.!?;¡¿\n]+")
# Negation right before a match: "no trae el cuchillo", "nunca me ha pegado", "ya no me sigue".
_NEGATED_RE = re.compile(r"(?:^|[^a-zñ0-9])(no|nunca|jamas|ni|tampoco)\s+$")
# Where a message turns to what matters now (`SafetyNet._tail`): the end is weighed on its own.
_TURN_RE = re.compile(r"\b(pero|es que|la verdad|bueno|ahorita|ahora mismo|de repente|en este momento)\b",
                      re.IGNORECASE)
# The fewest words of a message's end read on its own (fewer say too little to weigh).
_TAIL_MIN_WORDS = 4
# The fewest words the learned model reads (shorter messages are the patterns' alone).
_LEARNED_MIN_WORDS = 3
# Words that say nothing of what happens (a no, a «mejor», thanks, «quiero» without an object):
# a message made only of them («no mejor ya no», «mejor ya no quiero», said to drop a question)
# is an answer to the bot, not a crisis, and the learned model does not read it. A citizen walk
# found «no mejor ya no» typed inside the information-request questions answered with the crisis
# lines; the patterns still read every such message.
_EMPTY_WORDS = frozenset({
    "no", "si", "ya", "mejor", "nel", "nop", "nada", "pues", "bueno", "ok", "okey", "oki", "va",
    "vale", "sale", "dale", "gracias", "quiero", "queria", "quisiera", "mas", "luego", "despues",
    "ahorita", "otra", "vez", "asi", "bien", "tampoco", "nunca", "porfa", "por", "favor", "de",
    "que", "eso", "este", "esta", "esa", "ese", "y", "o", "pero", "la", "el", "lo", "los", "las",
    "un", "una", "me", "te", "se", "mi", "tu", "todavia", "aun", "perdon", "olvidalo", "dejalo",
    "cancela", "cancelar", "mm", "mmm", "ah", "ay", "oye",
})
# How far back a negation is looked for: the longest word, a space, the character before it.
_NEGATION_REACH = 16
# A category of meaning named in a pattern ("{weapon}"); regex counts ("{0,3}") have digits.
_CATEGORY_RE = re.compile(r"\{([a-z_]+)\}")
# Clauses of a message, for cutting a figure of speech off a question (`without_figures`).
_CLAUSE_RE = re.compile(r"[^,.;:!?¿¡\n]+[?]?")
# What makes a blanked idiom a figure of speech about dying or killing ("me muero de hambre").
_DEATH_WORD_RE = re.compile(
    r"\b(mata|matan|matando|matar|mato|muero|mori|moria|muriendo|morir|morirme|colgar|ahorcar)\b")
# Words that only lead into the question after a figure of speech ("… bueno ya, oye, ¿qué es…?").
_FILLER_RE = re.compile(rf"^(({'|'.join(fillers('figure'))})\b[ ,]*)+")  # content/fillers.yml
_T = TypeVar("_T")
# What the net has already worked out of the message it is reading (`reading`): the same text
# was normalised ~7 times per message (the frames, the patterns, the sensitive words, the story
# patterns, the learned model's features…). None outside a reading: nothing is kept.
_READING: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "participa_safety_reading", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Within this block the net works out each reading of a text (normalised, folded, its
    idioms blanked, the raw lower-case text) once and reuses it; all of it is dropped when
    the outermost block ends, so nothing a person wrote outlives the message. Nested blocks
    share the outer one (the core opens one per message, the net one per question asked)."""
    if _READING.get() is not None:
        yield
        return
    token = _READING.set({})
    try:
        yield
    finally:
        _READING.reset(token)


def _once(key: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
    """``compute()``, worked out once per ``key`` within a `reading` (always afresh outside)."""
    memo = _READING.get()
    if memo is None:
        return compute()
    if key in memo:
        return cast(_T, memo[key])
    found = memo[key] = compute()
    return found


class Level(enum.IntEnum):
    """How a message is treated, from least to most urgent."""

    NONE = 0
    SENSITIVE = 1  # touches violence: Rasa stores none of its text
    DISCLOSURE = 2  # tells of violence that is over: Rasa answers, 911 line in front
    CRISIS = 3  # suicide or self-harm: the crisis block, crisis line first
    EMERGENCY = 4  # danger now: the emergency block, Rasa never sees it


def phonetic_key(word: str) -> str:
    """Fold Spanish spellings that sound alike: b/v, y/ll/i, s/z/c, silent h, qu/k/c, g/j, x/j.

    "aiuda" and "ayuda", "ba" and "va", "pejando" and "pegando" meet. Used only to map a word
    onto the danger lexicon, never on the text Rasa or anyone else reads.
    """
    w = word.replace("ch", "\x00")
    w = re.sub(r"qu(?=[ei])", "k", w)
    w = re.sub(r"gu(?=[ei])", "g", w)  # "sige" is how "sigue" is misspelt: both fold to "sije"
    w = re.sub(r"g(?=[ei])", "j", w)
    w = re.sub(r"c(?=[ei])", "s", w).replace("c", "k").replace("q", "k")
    w = w.replace("h", "").replace("\x00", "ch")
    w = w.replace("ll", "y").replace("v", "b").replace("w", "u").replace("z", "s").replace("x", "j")
    w = w.replace("y", "i")
    w = re.sub(r"e(?=[aou])", "i", w)  # "golpiaba", "peliar": e before a vowel said as i
    return re.sub(r"(.)\1+", r"\1", w)


def lexicon_words(patterns: list[str]) -> set[str]:
    """The literal words of a set of regular expressions (escapes such as \\b left out)."""
    words: set[str] = {"a", "y", "o"}  # one-letter words the regex below leaves out ("va ha matar")
    for pattern in patterns:
        words.update(_LEXICON_WORD_RE.findall(_REGEX_ESCAPE_RE.sub(" ", pattern)))
    return words


@dataclass(frozen=True)
class PhoneticFold:
    """Maps a misspelt word onto the danger lexicon word that sounds the same ("ba" -> "va")."""

    words: frozenset[str]
    by_key: dict[str, str]

    @classmethod
    def build(cls, words: set[str]) -> PhoneticFold:
        keys: dict[str, set[str]] = {}
        for word in words:
            keys.setdefault(phonetic_key(word), set()).add(word)
        # A key shared by two lexicon words ("ves"/"vez") is ambiguous: left alone.
        return cls(frozenset(words), {k: next(iter(v)) for k, v in keys.items() if len(v) == 1})

    def word(self, word: str) -> str:
        if word in self.words or len(word) < 2:
            return word
        found = self._lookup(word)
        if found is None and "j" in word:  # "pejando": a hard g typed as j (never the other way)
            found = self._lookup(word.replace("j", "g"))
        return found or word

    def _lookup(self, word: str) -> str | None:
        found = self.by_key.get(phonetic_key(word))
        if found:
            return found
        for suffix in _PRONOUN_SUFFIXES:  # "pegandome" with its pronoun, "pejandome" too
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                stem = self.by_key.get(phonetic_key(word[: -len(suffix)]))
                if stem:
                    return stem + suffix
        return None

    def __call__(self, normalised: str) -> str:
        words = normalised.split()
        out = [self.word(w) for w in words]
        for i, word in enumerate(words[:-1]):  # "va ha matar": "ha" before an infinitive is "a"
            if word == "ha" and words[i + 1].endswith(("ar", "er", "ir")):
                out[i] = "a"
        return " ".join(out)


@dataclass(frozen=True)
class Rule:
    """A danger pattern, optionally ignored when ``unless`` matches the same message (idioms)."""

    match: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    raw: bool = False  # match the lower-cased, accent-free text before letters are folded
    acute: bool = False  # danger that can only be now (fire, weapon in hand): questions don't soften it
    check: bool = False  # a bare plea ("ayuda por favor"): ask "¿estás en peligro ahora?" first

    def hits(self, normalised: str, raw: str) -> bool:
        """True when the pattern matches somewhere not negated ("no trae el cuchillo")."""
        text = raw if self.raw else normalised
        for found in self.match.finditer(text):
            if not _NEGATED_RE.search(text, max(0, found.start() - _NEGATION_REACH), found.start()):
                # the exception is read only when the pattern matched (most rules never do)
                return not (self.unless and self.unless.search(text))
        return False


@dataclass(frozen=True)
class Block:
    """A reply block: `intro`, the hotlines.yml lines named in `lines` (in order), `outro`."""

    intro: str
    outro: str
    line_ids: tuple[str, ...]
    buttons: tuple[Button, ...] = ()

    def reply(self) -> Reply:
        text = "\n".join(
            [self.intro.strip(), hotlines().render(list(self.line_ids)), "", self.outro.strip()]
        )
        return Reply(text=text.strip(), buttons=list(self.buttons))


@dataclass(frozen=True)
class SafetyNet:
    rules: tuple[Rule, ...]
    sensitive: tuple[re.Pattern[str], ...]
    aliases: dict[str, str]
    intro: str
    outro: str
    line_ids: tuple[str, ...]
    buttons: tuple[Button, ...]
    quick_exit: frozenset[str] = frozenset()
    quick_exit_said: tuple[re.Pattern[str], ...] = ()
    crisis_rules: tuple[Rule, ...] = ()
    crisis: Block | None = None
    idioms: tuple[re.Pattern[str], ...] = ()
    over: tuple[re.Pattern[str], ...] = ()
    past_time: tuple[re.Pattern[str], ...] = ()
    recent: tuple[re.Pattern[str], ...] = ()
    now: tuple[re.Pattern[str], ...] = ()
    asks: tuple[re.Pattern[str], ...] = ()
    unsure: tuple[re.Pattern[str], ...] = ()
    safe_now: tuple[re.Pattern[str], ...] = ()
    laughter: tuple[re.Pattern[str], ...] = ()
    jokes: tuple[re.Pattern[str], ...] = ()
    frames: tuple[Rule, ...] = ()
    stories: tuple[re.Pattern[str], ...] = ()
    disclosure_line: str = ""
    fold: PhoneticFold = PhoneticFold(frozenset(), {})
    # crisis about someone else ("mi hermano dice que se quiere matar"): how to help them
    crisis_other_rules: tuple[re.Pattern[str], ...] = ()
    crisis_self: tuple[re.Pattern[str], ...] = ()
    crisis_other: Block | None = None
    # a bare plea: "¿estás en peligro ahora?" with 911 in sight
    check_in: Block | None = None
    # the learned second opinion (bot/conversation/safety_model.py); None: patterns alone
    model: SafetyModel | None = None
    # verdicts already given (see `assess_with_rule`): digest of the text -> (model, verdict)
    _verdicts: dict[bytes, tuple[SafetyModel | None, tuple[Level, Rule | None]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def adopt(self, model: SafetyModel) -> None:
        """Take the learned model built in the background (`serving_net`): the one change a
        net ever sees, a single reference set while other threads may be reading it."""
        object.__setattr__(self, "model", model)

    def normalise(self, text: str) -> str:
        """clean + normalize_words, doubled vowels folded ("ayudaa"), then chat aliases ("m" -> "me")."""
        return _once((id(self), "normalised", text), lambda: self._normalise(text))

    def _normalise(self, text: str) -> str:
        words = _DOUBLE_VOWEL_RE.sub(r"\1", normalize_words(clean(text[:_SCAN_LIMIT]))).split()
        return " ".join(self.aliases.get(w, w) for w in words)

    def _read(self, text: str) -> tuple[str, str]:
        """(normalised with misspelt words mapped onto the danger lexicon, raw lower-case text)."""
        return self._folded(text), self._raw(text)

    def _folded(self, text: str) -> str:
        """Normalised, misspelt words mapped onto the danger lexicon."""
        return _once((id(self), "folded", text), lambda: self.fold(self.normalise(text)))

    def _raw(self, text: str) -> str:
        """The lower-case, accent-free text the ``raw`` rules and the laughter patterns read."""
        return _once((id(self), "raw", text),
                     lambda: strip_accents(clean(text[:_SCAN_LIMIT]).lower()))

    def _idioms_blanked(self, normalised: str) -> str:
        return _once((id(self), "idioms", normalised),
                     lambda: self._blank(normalised, self.idioms))

    def _blank(self, text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
        for pattern in patterns:
            text = pattern.sub(" · ", text)
        return text

    def _danger(self, normalised: str, raw: str) -> str:
        """The text the danger patterns read: idioms blanked, and jokes when she laughs.

        Suicide patterns never see the jokes blanked: dark humour can hide a real crisis.
        """
        return _once((id(self), "danger", normalised, raw), lambda: self._read_danger(normalised, raw))

    def _read_danger(self, normalised: str, raw: str) -> str:
        text = self._idioms_blanked(normalised)
        if self.jokes and any(p.search(raw) for p in self.laughter):
            text = self._blank(text, self.jokes)
        return text

    def _level(self, normalised: str, raw: str) -> tuple[Level, Rule | None]:
        idioms_blanked = self._idioms_blanked(normalised)
        rule = next((r for r in self.crisis_rules if r.hits(idioms_blanked, raw)), None)
        if rule is not None:
            return Level.CRISIS, rule
        text = self._danger(normalised, raw)
        rule = next((r for r in self.rules if r.hits(text, raw)), None)
        if rule is None:
            return Level.NONE, None
        cues = self._blank(text, self.safe_now)  # "ahorita está en el trabajo" is no present cue
        # Nor is a weapon in violence told as over ("me amenazaba con un cuchillo").
        if any(p.search(self._blank(cues, self.over)) for p in self.now):
            return Level.EMERGENCY, rule  # "ahorita", "ya viene", "está afuera", "me está pegando"
        if any(p.search(text) for p in self.asks):
            return Level.DISCLOSURE, rule  # "mi esposo me pega, ¿qué puedo hacer?"
        if cues != text:
            return Level.DISCLOSURE, rule  # "hoy no está", "estoy con mi hermana"
        if any(p.search(cues) for p in self.recent):
            return Level.EMERGENCY, rule  # "hace años que me pega y hoy otra vez"
        if any(p.search(text) for p in self.unsure):
            return Level.DISCLOSURE, rule  # "me revisa el celular y me da miedo, no sé qué hacer"
        if self._past(text):
            return Level.DISCLOSURE, rule  # "hace diez años me golpeaba", "el año pasado…"
        # Violence told in a past tense ("me pegaba") is blanked; what is left must still match.
        rest = self._blank(text, self.over)
        if not any(r.hits(rest, raw) for r in self.rules):
            return Level.DISCLOSURE, rule
        return Level.EMERGENCY, rule

    def _has_acute(self, text: str, raw: str) -> bool:
        return any(r.acute and r.hits(text, raw) for r in self.rules)

    def _past(self, text: str) -> bool:
        return any(p.search(text) for p in self.past_time)

    def _acute(self, message: str) -> Rule | None:
        """An acute pattern in a sentence that tells nothing of the past: danger now.

        Read sentence by sentence, so a long story of violence that is over, or a question,
        does not hide "y ahorita trae el machete" in its last line.
        """
        for sentence in _SENTENCE_RE.split(message[:_SCAN_LIMIT]):
            normalised, raw = self._read(sentence)
            text = self._danger(normalised, raw)
            if self._past(text) or any(p.search(text) for p in self.over):
                continue
            rule = next((r for r in self.rules if r.acute and r.hits(text, raw)), None)
            if rule is not None:
                return rule
        return None

    def assess(self, text: str) -> Level:
        """How urgent ``text`` is."""
        return self.assess_with_rule(text)[0]

    def _unframed(self, message: str) -> str | None:
        """``message`` without the sentences told as news, fiction, a game, a dream or a drill
        (None when there is none).

        "Vi en las noticias que le prendió fuego a su casa" tells of someone else's danger, not
        hers; a frame's own ``unless`` ("ahorita", "me está…") keeps a sentence that is about now.
        """
        normalised = self.normalise(message) if self.frames else ""
        if not any(f.match.search(normalised) for f in self.frames):
            return None  # no frame word anywhere: no sentence to read apart (the usual case)
        sentences = _SENTENCE_RE.split(message[:_SCAN_LIMIT])
        kept = [s for s in sentences if not any(f.hits(*self._read(s)) for f in self.frames)]
        return None if len(kept) == len(sentences) else ". ".join(kept)

    def features(self, text: str) -> str:
        """The text the learned model reads: normalised, misspellings folded onto the danger
        lexicon, figures of speech ("me muero de risa") blanked."""
        return self._idioms_blanked(self._folded(text))

    def assess_with_rule(self, text: str) -> tuple[Level, Rule | None]:
        """The patterns decide the clear cases; the learned model adds what they miss.

        A text read before gets the same verdict without reading it again: the verdict depends
        only on the text and the net (its patterns, its model), and the same texts come again
        and again (every button tapped, «hola», «/start»): reading one took 0.4-3 ms, about a
        tenth of the bot's CPU per message. Kept by a 128-bit digest, never the text itself
        (nothing a person wrote stays in memory); with the model it was given under, so a
        model adopted later reads every text afresh.
        """
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        model = self.model
        known = self._verdicts.get(key)
        if known is not None and known[0] is model:
            return known[1]
        with reading():
            verdict = self._assess_with_rule(text)
        if len(self._verdicts) >= _VERDICTS_KEPT:
            self._verdicts.clear()  # simple and safe across threads; refilled by the next texts
        self._verdicts[key] = (model, verdict)
        return verdict

    def _assess_with_rule(self, text: str) -> tuple[Level, Rule | None]:
        level, rule = self._patterns(text)
        if level >= Level.CRISIS or self.model is None or text.strip() == EMERGENCY_PAYLOAD:
            return level, rule
        learned = self._second_opinion(text, level)
        return (learned, LEARNED) if learned is not None else (level, rule)

    def learned_level(self, text: str) -> Level | None:
        """The model's verdict alone (for the benchmark): CRISIS, EMERGENCY or None."""
        if self.model is None:
            return None
        with reading():
            return self._second_opinion(text, Level.NONE)

    def _second_opinion(self, text: str, level: Level) -> Level | None:
        model = self.model
        if model is None:
            return None
        raw = self._raw(text)
        if any(p.search(raw) for p in self.laughter):
            return None  # «me va a matar cuando vea la boleta jaja»: the jokes logic decides
        features = self.features(text)
        words = features.split()
        if len(words) < _LEARNED_MIN_WORDS:
            return None  # «ayuda», «auxilio»: too little to weigh; the patterns and the menu decide
        if all(word in _EMPTY_WORDS for word in words):
            return None  # «no mejor ya no»: an answer to the bot, nothing happening in it
        danger, crisis = model.probabilities(features)
        unframed = self._unframed(text) if self.frames else None
        if unframed is not None:  # news, fiction, a game: danger only from what is left
            danger = model.probabilities(self.features(unframed))[0] if unframed.strip() else 0.0
        tail = self._tail(unframed if unframed is not None else text)
        if tail is not None and any(p.search(self._folded(tail)) for p in self.safe_now):
            tail = None  # «… ahorita está en el taller»: an end that says she is safe now
        if tail is not None:  # a story that turns at the end: the end weighed on its own
            tail_danger, tail_crisis = model.probabilities(self.features(tail))
            if tail_danger + tail_crisis > danger + crisis:
                danger, crisis = tail_danger, tail_crisis
        threshold = model.threshold
        if level == Level.DISCLOSURE:  # over, or a question: a surer model, within reach
            threshold = min(threshold + DISCLOSURE_MARGIN, max(threshold, DISCLOSURE_CEILING))
        if danger + crisis < threshold:
            return None
        return Level.CRISIS if crisis >= danger else Level.EMERGENCY

    @staticmethod
    def _tail(text: str) -> str | None:
        """The end of a message that turns: its last sentence, or what follows its last turn
        word («pero», «es que», «ahorita»…), when something comes before it and it has words
        enough to weigh. In a long message about something else («… una pregunta del
        predial… pero ahorita me está pegando») the danger is a few words among many, and the
        model, reading the whole, weighs it down; read alone, the end says what it says.
        None when the message does not turn (the usual case)."""
        scanned = text[:_SCAN_LIMIT]
        cuts = [m.end() for m in _SENTENCE_RE.finditer(scanned) if m.end() < len(scanned)]
        cuts += [m.start() for m in _TURN_RE.finditer(scanned)]
        for cut in sorted(set(cuts), reverse=True):
            tail = scanned[cut:].strip()
            if len(_LEXICON_WORD_RE.findall(tail.lower())) >= _TAIL_MIN_WORDS \
                    and _LEXICON_WORD_RE.search(scanned[:cut].lower()):
                return tail
        return None

    def _patterns(self, text: str) -> tuple[Level, Rule | None]:
        if text.strip() == EMERGENCY_PAYLOAD:
            return Level.EMERGENCY, None
        unframed = self._unframed(text)
        if unframed is not None:
            # Suicide patterns read the whole message (a crisis hides in any frame); danger
            # patterns only the sentences that are not news, fiction, games or dreams.
            normalised, raw = self._read(text)
            idioms_blanked = self._idioms_blanked(normalised)
            rule = next((r for r in self.crisis_rules if r.hits(idioms_blanked, raw)), None)
            if rule is not None:
                return Level.CRISIS, rule
            level, rule = self._assess(unframed)
            if level == Level.NONE and self._is_sensitive_text(text):
                return Level.SENSITIVE, None
            return level, rule
        return self._assess(text)

    def _assess(self, text: str) -> tuple[Level, Rule | None]:
        normalised, raw = self._read(text)
        found = self._level(normalised, raw)
        if found[0] == Level.DISCLOSURE and self._has_acute(self._danger(normalised, raw), raw):
            acute = self._acute(text)
            if acute is not None:
                return Level.EMERGENCY, acute
        if found[0] == Level.NONE and self._is_sensitive_text(text):
            return Level.SENSITIVE, None
        return found

    def without_figures(self, text: str) -> str | None:
        """The question of a message that opens with a figure of speech about dying or killing
        ("me muero de hambre jaja, ¿qué es la puerta violeta?" -> "qué es la puerta violeta?"),
        for Rasa to read instead of the whole: the model took the figure for chit-chat or out of
        scope and never answered the question. None when there is no such figure, or nothing
        but it, or what is left asks nothing. Only for a message that is no emergency."""
        if not _DEATH_WORD_RE.search(self.normalise(text)):
            return None  # the usual case: no word of dying or killing at all
        scanned = text[:_SCAN_LIMIT]
        laughs = any(p.search(strip_accents(scanned.lower())) for p in self.laughter)
        if laughs:  # laughter ends the figure like a comma: «… cuando vea la cuenta 😂 oye ¿tienen…?»
            scanned = scanned.lower()
            for p in self.laughter:
                scanned = p.sub(",", scanned)
        clauses = [c.strip() for c in _CLAUSE_RE.findall(scanned) if c.strip(" ,")]
        if len(clauses) < 2:
            return None
        kept: list[str] = []
        for clause in clauses:
            normalised = self.normalise(clause)
            blanked = self._blank(normalised, self.idioms)
            if laughs:
                blanked = self._blank(blanked, self.jokes)
            if blanked != normalised and _DEATH_WORD_RE.search(normalised) \
                    and not _DEATH_WORD_RE.search(blanked) and not clause.endswith("?"):
                continue  # the figure of speech: left out
            words = [w for w in clause.split()
                     if not any(p.search(strip_accents(w.lower())) for p in self.laughter)]
            if words:
                kept.append(" ".join(words))
        if len(kept) == len(clauses):
            return None
        while kept and not _FILLER_RE.sub("", normalize_words(kept[0])):
            kept.pop(0)  # "bueno ya", "oye": nothing of the question
        if not kept:
            return None
        kept[0] = _FILLER_RE.sub("", kept[0].lower()) or kept[0]  # "oye y ¿cómo…?" -> "¿cómo…?"
        rest = ", ".join(kept)
        lead = _FILLER_RE.sub("", normalize_words(rest))
        asks = rest.endswith("?") or starts_like_question(lead, lead_ins=True)
        return rest if asks and len(rest.split()) >= 2 else None

    def matching_rule(self, text: str) -> Rule | None:
        """The rule that made ``text`` urgent (for the benchmark's error report)."""
        return self.assess_with_rule(text)[1]

    def is_emergency(self, text: str) -> bool:
        """Danger now or a suicidal crisis: answered by the core alone, never sent to Rasa."""
        return self.assess(text) >= Level.CRISIS

    def is_quick_exit(self, text: str) -> bool:
        """The exact words the bot tells people to type to leave quickly ("salida rápida"), or
        the chat asked to be hidden in a hurry because someone is coming (`quick_exit_said`)."""
        if len(text) > 120:
            return False
        words = self.normalise(text)
        return (len(text) <= 60 and words in self.quick_exit) \
            or any(p.search(words) for p in self.quick_exit_said)

    def _is_sensitive_text(self, text: str) -> bool:
        """Violence words outside a figure of speech: «me muero de hambre jaja, ¿a qué hora…?» or
        «este trámite me mata» is no sign of violence, and marked sensitive it was answered
        as if it were (the unsure path and the data-request reply weigh the mark)."""
        normalised = self.normalise(text)
        figures_cut = self._danger(normalised, self._raw(text))
        return any(p.search(figures_cut) for p in self.sensitive) or self.is_violence_story(text)

    def is_violence_story(self, text: str) -> bool:
        """Violence done to her or to someone close, in any tense ("de niña mi tío abusaba de
        mí"): such a message never starts a proposal interview, however sure the model is that
        it proposes something (`violence_story` in content/emergency.yml). A public problem
        that mentions an assault on a stranger ("a una muchacha la quisieron subir a una
        camioneta, queremos alumbrado") is not one: it may still become a proposal."""
        normalised = self._folded(text[:_SCAN_LIMIT])
        return any(p.search(normalised) for p in self.stories)

    def is_sensitive(self, text: str) -> bool:
        """True when the message touches violence: Rasa then stores none of its text."""
        return self.assess(text) >= Level.SENSITIVE

    def reply(self) -> Reply:
        return Block(self.intro, self.outro, self.line_ids, self.buttons).reply()

    def crisis_reply(self) -> Reply:
        """For suicide or self-harm: the crisis line first (content/emergency.yml `crisis:`)."""
        return self.crisis.reply() if self.crisis else self.reply()

    def reply_for(self, level: Level, text: str | None = None) -> Reply:
        """The block for ``level``; with the message's ``text``, a crisis about someone else
        gets how to help them (crisis line first), and a bare plea ("ayuda por favor") gets
        the short "¿estás en peligro ahora?" with 911."""
        if level == Level.CRISIS:
            if text is not None and self.crisis_other is not None and self.about_someone_else(text):
                return self.crisis_other.reply()
            return self.crisis_reply()
        if text is not None and self.check_in is not None and level == Level.EMERGENCY:
            rule = self.assess_with_rule(text)[1]
            if rule is not None and rule.check:
                return self.check_in.reply()
        return self.reply()

    def about_someone_else(self, text: str) -> bool:
        """A crisis told about another person ("mi hermana dice que ya no quiere vivir") and
        nothing said of her own ("yo también quiero morirme")."""
        normalised = self._folded(text)
        return any(p.search(normalised) for p in self.crisis_other_rules) \
            and not any(p.search(normalised) for p in self.crisis_self)

    def with_disclosure_line(self, replies: list[Reply]) -> list[Reply]:
        """Rasa's answer to a disclosure, with the one line about 911 in front of it."""
        line = self.disclosure_line.strip()
        if not line or not replies:
            return [Reply(text=line)] if line else replies
        first = replies[0]
        return [Reply(f"{line}\n\n{first.text}".strip(), first.buttons, first.custom), *replies[1:]]


# The rule a verdict of the learned model is explained by.
LEARNED = Rule(re.compile("(modelo aprendido)"))


def expand(pattern: str, categories: dict[str, str]) -> str:
    """``pattern`` with every ``{name}`` replaced by its category's words (``categories:``).

    A category is a class of meaning ("a weapon", "a verb of holding said about now"), so one
    pattern reads "he is somewhere with a weapon" for every weapon and every place, instead
    of one phrase per example.
    """
    def words(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in categories:
            raise ContentError(f"emergency.yml: categoría desconocida {{{name}}} en {pattern!r}")
        return f"(?:{categories[name]})"

    for _depth in range(3):  # a category may name another one
        pattern = _CATEGORY_RE.sub(words, pattern)
    return pattern


def _rule(raw: Any, categories: dict[str, str] | None = None) -> Rule:
    cats = categories or {}
    if isinstance(raw, str):
        return Rule(re.compile(expand(raw, cats)))
    if isinstance(raw, dict) and "match" in raw:
        unless = raw.get("unless")
        return Rule(
            re.compile(expand(raw["match"], cats)),
            re.compile(expand(unless, cats)) if unless else None, bool(raw.get("raw")),
            bool(raw.get("acute")), bool(raw.get("check")),
        )
    raise ContentError(f"emergency.yml: patrón inválido: {raw!r}")


def _regexes(data: dict[str, Any], key: str,
             categories: dict[str, str] | None = None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(expand(p, categories or {})) for p in data.get(key) or [])


def _block(raw: Any) -> Block | None:
    if not raw:
        return None
    buttons = tuple(Button(**b) for b in raw.get("buttons") or [])
    return Block(raw["intro"], raw.get("outro") or "", tuple(raw.get("lines") or []), buttons)


def load_safety_net(directory: Path | None = None) -> SafetyNet:
    path = (directory or content_dir()) / "emergency.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    try:
        cats = {str(k): str(v) for k, v in (data.get("categories") or {}).items()}
        rules = tuple(_rule(p, cats) for p in data["patterns"])
        crisis_rules = tuple(_rule(p, cats) for p in data.get("crisis_patterns") or [])
        words = lexicon_words(
            [r.match.pattern for r in rules + crisis_rules]
            + [expand(p, cats) for key in _CUE_KEYS for p in data.get(key) or []]
        )
        return SafetyNet(
            rules=rules,
            sensitive=_regexes(data, "sensitive", cats),
            aliases={str(k): str(v) for k, v in (data.get("aliases") or {}).items()},
            intro=data["intro"],
            outro=data.get("outro") or "",
            line_ids=tuple(data.get("lines") or []),
            buttons=tuple(Button(**b) for b in data["buttons"]),
            quick_exit=frozenset(normalize_words(p) for p in data.get("quick_exit") or []),
            quick_exit_said=_regexes(data, "quick_exit_said", cats),
            crisis_rules=crisis_rules,
            crisis=_block(data.get("crisis")),
            idioms=_regexes(data, "idioms", cats),
            over=_regexes(data, "over", cats),
            past_time=_regexes(data, "past_time", cats),
            recent=_regexes(data, "recent", cats),
            now=_regexes(data, "now", cats),
            asks=_regexes(data, "asks", cats),
            unsure=_regexes(data, "unsure", cats),
            safe_now=_regexes(data, "safe_now", cats),
            laughter=_regexes(data, "laughter", cats),
            jokes=_regexes(data, "jokes", cats),
            frames=tuple(_rule(p, cats) for p in data.get("frames") or []),
            stories=_regexes(data, "violence_story", cats),
            disclosure_line=str(data.get("disclosure_line") or ""),
            fold=PhoneticFold.build(words),
            crisis_other_rules=_regexes(data, "crisis_other_patterns", cats),
            crisis_self=_regexes(data, "crisis_self", cats),
            crisis_other=_block(data.get("crisis_other")),
            check_in=_block(data.get("check_in")),
        )
    except re.error as exc:
        raise ContentError(f"emergency.yml: expresión regular inválida: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise ContentError(f"emergency.yml: falta o sobra un campo: {exc}") from exc


@checks.register("emergency.yml")
def check_emergency(directory: Path | None = None) -> list[str]:
    """Problems in ``emergency.yml`` (for ``participa content check``)."""
    try:
        net = load_safety_net(directory)
    except (ContentError, OSError, yaml.YAMLError) as exc:
        return [str(exc)]
    problems: list[str] = []
    try:
        known = load_hotlines(directory).by_id()
    except ContentError:
        known = {}
    crisis_lines = net.crisis.line_ids if net.crisis else ()
    for line_id in (*net.line_ids, *crisis_lines):
        if line_id not in known:
            problems.append(f"emergency.yml: la línea {line_id!r} no está en hotlines.yml")
    if not net.buttons or net.buttons[0].payload != "/buscar_centro":
        problems.append("emergency.yml: el primer botón debe ser /buscar_centro")
    for button in net.buttons:
        if len(button.title) > 40:
            problems.append(f"emergency.yml: botón de más de 40 caracteres: {button.title}")
    problems += checks.faq_references("emergency.yml: un botón", (b.payload for b in net.buttons),
                                      directory)
    return problems


def with_model(net: SafetyNet, directory: Path | None = None,
               cache: Path | None = None, build: bool = True) -> SafetyNet:
    """``net`` with its learned second opinion, read from the cache and, with ``build``, built
    when missing or stale (patterns alone when it cannot be had)."""
    if not model_wanted():
        return net  # patterns alone (to measure them, or if the model misbehaves)
    content = directory or content_dir()
    if not build:
        return replace(net, model=load(content, cache))
    model = load_or_build(
        content, net.features,
        crisis_of=lambda t: net.assess(t) == Level.CRISIS,
        violence_of=lambda t: net.assess(t) >= Level.DISCLOSURE or net.is_violence_story(t),
        flagged_by_patterns=net.is_emergency,
        directory=cache,
    )
    return replace(net, model=model)


def model_wanted() -> bool:
    """False when ``PARTICIPA_SAFETY_MODEL`` turns the learned second opinion off."""
    return os.environ.get("PARTICIPA_SAFETY_MODEL", "").lower() not in {"0", "off", "no"}


def build_model(directory: Path | None = None, cache: Path | None = None) -> SafetyModel | None:
    """Build (or find current) the learned model's artefact: ``participa nlu build`` and
    ``nlu train`` (so ``make setup`` and the Dockerfile) run it, never the bot's hot path."""
    return with_model(load_safety_net(directory), directory, cache).model


# The background build started by `serving_net` when the artefact was missing or stale.
_builder: threading.Thread | None = None


def serving_net(directory: Path | None = None, cache: Path | None = None,
                mode: str | None = None) -> SafetyNet:
    """The net the bot answers with: the patterns at once, the learned model only READ.

    Building the model takes 15-20 s of CPU; done on the first message after its inputs
    changed, it held back the emergency reply of someone in danger. ``participa nlu build``
    builds it; when it is missing or stale here, a warning is logged and the patterns answer
    alone while, by ``PARTICIPA_SAFETY_BUILD`` (``mode``): ``background`` (the default) builds
    it in a thread and the net takes it when ready; ``off`` never builds it; ``now`` builds it
    before returning (tests and benchmarks, where no citizen waits).
    """
    global _builder
    net = load_safety_net(directory)
    mode = (mode or os.environ.get("PARTICIPA_SAFETY_BUILD") or "background").lower()
    if not model_wanted():
        return net
    if mode == "now":
        return with_model(net, directory, cache)
    ready = with_model(net, directory, cache, build=False)
    if ready.model is not None or not ((directory or content_dir()) / "safety_examples.yml").is_file():
        return ready
    log.warning("safety model missing or stale: the patterns answer alone%s (`participa nlu build` "
                "builds it)", " while it is built in the background" if mode == "background" else "")
    if mode == "background":
        def build_and_adopt() -> None:
            built = with_model(net, directory, cache).model
            if built is not None:
                ready.adopt(built)
                log.info("safety model: built in the background and in use")

        _builder = threading.Thread(target=build_and_adopt, name="safety-model-build", daemon=True)
        _builder.start()
    return ready


def background_build() -> threading.Thread | None:
    """The thread building the model for the serving net, if one was started (tests wait on it)."""
    return _builder


@lru_cache(maxsize=1)
def safety_net() -> SafetyNet:
    return serving_net()
