"""Thanks said with a goodbye («ok muchas gracias, muy amable, hasta mañana»): the goodbye.

The model split such messages between «thanks» (the «¡Con gusto! Si tienes otra duda…» reply,
which asks for more) and an FAQ answer picked from the words of the story around them («… me
aclaró lo del trámite del ejido, mañana voy»). A message that thanks AND takes leave, and asks
nothing, is a goodbye (prop11).
"""

from __future__ import annotations

import re

from bot.textnorm import normalize_words

_THANKS_RE = re.compile(r"\b(graci\w*|grax|agradezco|agradecemos|agradecid[oa]s?|thx|thanks|thank you)\b")
_LEAVE_RE = re.compile(
    r"\b(adios|bye|bai|byebye|chao|chau|hasta (luego|pronto|ma[nñ]ana|la proxima|otra)|nos vemos"
    r"|me despido|nos despedimos|que descanse\w*|cuidese|cuidate|me retiro|ahi nos vemos"
    r"|que (tenga|tengas|pase|pases|este|estes) (buen|bonito|lindo|linda|bonita|buena|bien)\w*)\b"
)
_ASKS_RE = re.compile(r"\b(otra pregunta|una duda|otra duda|pero (como|donde|cuando|que|si))\b")
MAX_WORDS = 60


def thanks_and_goodbye(text: str) -> bool:
    """Thanks and a goodbye in one message that asks nothing."""
    words = normalize_words(text)
    if "?" in text or "¿" in text or _ASKS_RE.search(words):
        return False
    return (len(words.split()) <= MAX_WORDS and bool(_THANKS_RE.search(words))
            and bool(_LEAVE_RE.search(words)))
