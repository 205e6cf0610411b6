"""The filler words (content/fillers.yml) each reader skips: pinned as they were when the four
lists became one (round 12), so moving them changed nothing a reader matches."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from bot.campaigns.subscriptions import subscription_content
from bot.content.files import ContentError
from bot.content.fillers import load_fillers
from bot.conversation.safety import _FILLER_RE
from bot.questions import FILLER_LEAD_INS, starts_like_form_question

# The four lists as they stood in round 11 (subscriptions.yml, bot/questions.py, the net), with
# the subscribe fillers prop12 added in the same round.
UNSUBSCRIBE = {"hola", "oye", "oiga", "disculpa", "perdon", "por favor", "gracias", "ya",
               "muchas gracias", "ok", "bueno", "porfa", "plis"}
SUBSCRIBE = {"hola", "oye", "oiga", "oigan", "disculpa", "disculpe", "perdon", "por favor", "por fa",
             "de favor", "gracias", "muchas gracias", "ok", "bueno", "buenas", "buen dia", "buenos dias",
             "buenas tardes", "buenas noches", "si", "simon", "orale", "sale", "va", "ya",
             "dios le bendiga", "dios los bendiga", "dios te bendiga", "amigo", "amiga", "joven",
             "senorita", "please",
             # prop12 (round 12): formal openings and closings around the request
             "seria usted tan amable de", "seria tan amable de", "me haria el favor de",
             "me hace el favor de", "le pido de favor", "le pido por favor", "de la manera mas atenta",
             "por medio del presente", "se lo agradecere", "se lo agradecere mucho", "se lo agradezco",
             "se lo agradezco mucho", "le agradezco", "le agradezco mucho", "le agradecere",
             "gracias de antemano", "de antemano gracias", "muy amable", "saludos", "quedo atenta",
             "quedo atento"}
QUESTION = {"oye", "oiga", "oigan", "oyes", "y", "ah", "ahh", "este", "a ver", "por cierto",
            "una pregunta", "pregunta", "otra pregunta", "disculpa", "disculpe", "perdon",
            "oye una pregunta", "oiga una pregunta", "ah oye", "y oye", "por favor", "porfa", "por fa",
            "x fa", "porfavor", "plis", "pliss"}
FIGURE_RE = re.compile(r"^((bueno|ya|oye|oiga|oigan|y|pero|entonces|ok|okey|en fin|ni modo|"
                       r"ahora si|fuera de broma|ya en serio|en serio|pregunta|una pregunta|"
                       r"rapido|rapidito)\b[ ,]*)+")
FIGURE = {"bueno", "ya", "oye", "oiga", "oigan", "y", "pero", "entonces", "ok", "okey", "en fin",
          "ni modo", "ahora si", "fuera de broma", "ya en serio", "en serio", "pregunta",
          "una pregunta", "rapido", "rapidito"}


def test_each_reader_skips_the_words_it_skipped() -> None:
    content = subscription_content("es_MX")
    assert set(content.unsubscribe.fillers) == UNSUBSCRIBE
    assert content.subscribe is not None and set(content.subscribe.fillers) == SUBSCRIBE
    assert set(FILLER_LEAD_INS) == QUESTION and len(FILLER_LEAD_INS) == len(QUESTION)


# Every filler of any list, alone, doubled, with a comma, before and after a few words.
_ALL = sorted(UNSUBSCRIBE | SUBSCRIBE | QUESTION | FIGURE)
_TAILS = ("", " que es el stl", " ya no me manden nada", " dame de alta", " y como le hago",
          ", rapido que es la puerta violeta", " en serio ya", "s que es")
_CORPUS = [f"{a}{sep}{b}{tail}" for a, b in itertools.product(_ALL, ["", *_ALL[::3]])
           for sep in (" ", ", ") for tail in _TAILS]


def test_the_safety_net_cuts_what_it_cut() -> None:
    assert [_FILLER_RE.sub("", t) for t in _CORPUS] == [FIGURE_RE.sub("", t) for t in _CORPUS]


@pytest.mark.parametrize(("words", "expected"), [
    ("oye una pregunta que es el stl", True), ("x fa donde queda", True), ("porfavor como le hago", True),
    ("ah oye y que es eso", True), ("y oye que es el stl", True), ("buenas tardes que es el stl", False),
    ("pero que es el stl", False), ("que arreglen la calle", False),
])
def test_a_question_in_the_interview_opens_after_the_same_words(words: str, expected: bool) -> None:
    assert starts_like_form_question(words) is expected


@pytest.mark.parametrize(("text", "unsubscribe", "subscribe"), [
    ("oye ya no me manden nada porfa", True, False), ("buenas tardes, dame de alta", False, True),
    ("buenas tardes, ya no me manden nada", False, False), ("dios le bendiga, alta", False, True),
    ("disculpe, baja", False, False), ("plis baja", True, False), ("oye", False, False),
])
def test_plain_words_read_past_the_same_fillers(text: str, unsubscribe: bool, subscribe: bool) -> None:
    content = subscription_content("es_MX")
    assert content.is_unsubscribe(text) is unsubscribe
    assert content.subscribe is not None and content.subscribe.matches(text) is subscribe


@pytest.mark.parametrize("line", ['"perdón": [question]', '"oye": []', '"oye": [menu]'])
def test_a_filler_is_plain_words_for_known_readers(tmp_path: Path, line: str) -> None:
    (tmp_path / "fillers.yml").write_text(f"fillers:\n  {line}\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_fillers(tmp_path)
