"""How a question starts, in one place for the safety net (bot/conversation/safety.py) and the
unsure path of the action server (actions/unsure_kinds.py, actions/unsure_ranking.py import bot.*).

Not in bot/textnorm.py: that file is an input of the Rasa model (bot/rasa/training.py hashes it),
so any change there retrains the model; these words are not read by the model.
"""

from __future__ import annotations

import re

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
_QUESTION_RE = re.compile(rf"^({'|'.join(QUESTION_WORDS)})\b")
_QUESTION_OR_LEAD_IN_RE = re.compile(rf"^({'|'.join(QUESTION_WORDS + ASKING_LEAD_INS)})\b")


def starts_like_question(words: str, lead_ins: bool = False) -> bool:
    """True when ``words`` (normalize_words output) open with a question word, or with one of
    ASKING_LEAD_INS when ``lead_ins``."""
    return bool((_QUESTION_OR_LEAD_IN_RE if lead_ins else _QUESTION_RE).match(words))
