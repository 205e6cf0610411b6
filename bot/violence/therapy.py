"""Therapy asked for after violence: the free services (or the nearest centres), not «qué hacer».

A woman whose violence is over and who asks «¿dónde me dan terapia gratis?» already knows what to
do; she asks where the psychological support is (issue 14: answered with the steps of what to do).
"""

from __future__ import annotations

import re

from bot.textnorm import normalize_words

# The entry with the free services, psychological support among them (content/faq/violencia.yml).
SERVICES_ENTRY = "programas_violencia"

_SUPPORT = r"(terapia\w*|apoyo psicologico|atencion psicologica|psicolog[oa]s?|ayuda psicologica)"
# Asked for as something to get ("¿hay apoyo psicológico gratis…?", "¿dónde me dan terapia?").
_ASKS_RE = re.compile(
    r"\b(donde|hay|existe\w*|puedo (pedir|recibir|tener|ir a)|me (den|dan|atiendan|puedan dar)"
    r"|busco|necesito|algun lugar)\b(\s\w+){0,8}\s" + _SUPPORT + r"\b"
    r"|\bque (reciba|recibiera|tome|tomara|vaya a|fuera a) (\w+ ){0,2}" + _SUPPORT + r"\b"
)
# «violencia psicológica» is a type of violence, not the support asked for.
_NOT_SUPPORT_RE = re.compile(r"\bviolencia psicologica\b|\b(pa|para) (hombres|agresores)\b")


def asks_for_therapy(text: str) -> bool:
    """She asks where to get psychological support (for herself or someone she cares for)."""
    words = normalize_words(text)
    return bool(_ASKS_RE.search(words)) and not _NOT_SUPPORT_RE.search(words)
