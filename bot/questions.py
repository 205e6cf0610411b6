"""How a question starts, in one place for the safety net (bot/conversation/safety.py), the
unsure path of the action server (actions/unsure_kinds.py, actions/unsure_ranking.py import bot.*)
and a question asked in the middle of the proposal interview (actions/proposal_form.py).

Not in bot/textnorm.py: that file is an input of the Rasa model (bot/rasa/training.py hashes it),
so any change there retrains the model; these words are not read by the model.
"""

from __future__ import annotations

import re

from bot.content.fillers import fillers

# How a question starts, once for the safety net and the unsure path (words as normalize_words
# gives them). QUESTION_WORDS alone never take a told problem for a question ("hay baches…" is a
# problem); ASKING_LEAD_INS add the ways a question opens after a figure of speech is cut off
# ("me muero de hambre jaja, ¿hay comedores…?").
QUESTION_WORDS = ("que", "como", "cual", "cuales", "quien", "quienes", "para que", "donde",
                  "cuando", "por que", "cuanto", "cuanta", "cuantos", "cuantas", "a quien",
                  "en donde", "puedo", "se puede")
ASKING_LEAD_INS = ("a que", "a donde", "en que", "hay", "me pueden", "me puedes", "tienen",
                   "existe", "dime", "digame", "diganme", "me dices", "me dice", "explicame",
                   "quisiera saber", "quiero saber")
# Inside the proposal interview an answer can open like a question: «que arreglen la calle» (a
# solution), «cuantos niños se mojan» (whom it affects), «se puede caer el puente». There a bare
# «que» opens a question only as «qué es / qué son / qué significa», and these words not at all.
ANSWER_OPENERS = ("que", "cuanto", "cuanta", "cuantos", "cuantas", "puedo", "se puede")
FORM_QUESTION_WORDS = (*(w for w in QUESTION_WORDS if w not in ANSWER_OPENERS),
                       "que es", "que son", "que significa")
# What people put before a question in the middle of a conversation («oye, ¿qué es…?», «y q es…»,
# «una pregunta, ¿dónde…?»): skipped before the interview looks for a question word.
FILLER_LEAD_INS = fillers("question")  # content/fillers.yml
_FILLERS_RE = re.compile(rf"^(?:(?:{'|'.join(sorted(FILLER_LEAD_INS, key=len, reverse=True))})\b\s*)+")
_QUESTION_RE = re.compile(rf"^({'|'.join(QUESTION_WORDS)})\b")
_FORM_QUESTION_RE = re.compile(rf"^({'|'.join(FORM_QUESTION_WORDS)})\b")
_QUESTION_OR_LEAD_IN_RE = re.compile(rf"^({'|'.join(QUESTION_WORDS + ASKING_LEAD_INS)})\b")


def starts_like_question(words: str, lead_ins: bool = False) -> bool:
    """True when ``words`` (normalize_words output) open with a question word, or with one of
    ASKING_LEAD_INS when ``lead_ins``."""
    return bool((_QUESTION_OR_LEAD_IN_RE if lead_ins else _QUESTION_RE).match(words))


def starts_like_form_question(words: str) -> bool:
    """True when ``words`` open a question even as an answer to a step of the proposal interview
    (FORM_QUESTION_WORDS: «qué es…», «¿cómo…?», «¿dónde…?», never a bare «que arreglen…»), also
    after FILLER_LEAD_INS («oye y q es el stl»: the citizen walk got «No encontré el municipio»)."""
    return bool(_FORM_QUESTION_RE.match(_FILLERS_RE.sub("", words)))
