"""The question a survivor asks after telling violence that is over (round 12, look12).

"Hace diez años mi ex me golpeaba, ya lo superé. Ahora quiero ser voluntaria para acompañar a
otras mujeres, ¿cómo le hago?": Rasa, reading the whole message, answered the story (what to do
when you live violence) and not what she asked (how to help others, what the kinds of violence
are, a workshop). When the message tells a story that the safety net reads as over and then turns
to the present («ahora», «hoy», «actualmente», «ya lo superé») to ask or request something, Rasa
gets the part after the turn. The net's verdict on the whole message does not change (the 911
line stays in front of a disclosure, the message stays sensitive): only what Rasa reads does.
"""

from __future__ import annotations

import re

from bot.conversation.safety import Level, SafetyNet

# Where the present begins: a time word at the start of a clause, or healing said outright
# («ya lo superé», «ya estoy bien», «gracias a dios ya estoy bien»). Matched on the lower-case text
# with its accents, so positions are those of the message.
_TURN_RE = re.compile(
    r"(?:^|[.,;:!?¡¿]\s*|\s(?:y|pero|e|entonces)\s+)"
    r"(?P<turn>(?:y\s+)?(?:ahora|hoy\s+en\s+d[ií]a|hoy|actualmente|en\s+la\s+actualidad|"
    r"hoy\s+por\s+hoy|ya\s+lo\s+super[eé]|ya\s+estoy\s+bien|ya\s+estoy\s+tranquila|"
    r"ya\s+sal[ií]\s+de\s+eso|eso\s+ya\s+qued[oó]\s+atr[aá]s)\b)(?!\s+mismo)"
)
# What the present part must do to be taken alone: ask or request something.
_ASKS_RE = re.compile(
    r"\?|\b(?:c[oó]mo|qu[eé]\s+(?:hago|hacer|puedo|debo|necesito|hay|es|son|tipos?|significa)"
    r"|d[oó]nde|cu[aá]l(?:es)?|cu[aá]ndo|a\s+qui[eé]n|hay\s+alg[uú]n[a]?|"
    r"existe[n]?|quisiera|me\s+gustar[ií]a|quiero\s+(?:saber|ser|ayudar|apoyar|orientar|dar|"
    r"aprender|entender|conocer|tomar|estudiar|informarme|participar)|busco|necesito\s+"
    r"(?:saber|informaci[oó]n|material))\b"
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_MIN_WORDS = 4  # «¿cómo le hago?» alone says too little: the story is its context


def question_after_story(net: SafetyNet, message: str) -> str | None:
    """The part of ``message`` after its last turn to the present, when what comes before tells
    violence that is over (a past-time word or a past-tense deed of the net) and what comes
    after asks something and holds no danger itself; None otherwise (the usual case)."""
    lowered = message.lower()
    turns = list(_TURN_RE.finditer(lowered))
    for found in reversed(turns):
        before, after = message[: found.start("turn")], message[found.start("turn"):]
        if len(_WORD_RE.findall(after)) < _MIN_WORDS or not _WORD_RE.search(before):
            continue
        if not _ASKS_RE.search(after.lower()):
            continue
        told = net.normalise(before)
        if not (any(p.search(told) for p in net.past_time) or any(p.search(told) for p in net.over)):
            continue
        if net.assess(after) >= Level.DISCLOSURE:
            return None  # the present part tells danger (or more violence): the whole is read
        return after.strip(" ,;:")
    return None
