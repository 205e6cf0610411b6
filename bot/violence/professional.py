"""A psychologist or a lawyer asked for: the free services for women, not the STL's team.

«Quiero hablar con una psicóloga de verdad» or «necesito una abogada» asks for someone who
attends violence (the UNIDAS, the Centros de Justicia, the Línea Sin Violencia), not for the
team that answers Participa for the STL (issue 14, round 11: the model read «hablar con…» as
the generic talk-to-a-person request and opened the STL's queue). The core answers with the
centres near a municipality the message names, or else with the free services. Read on the
words of :func:`bot.textnorm.normalize_words`.
"""

from __future__ import annotations

import re

from bot.textnorm import normalize_words
from bot.violence.own_violence import MEN_ENTRY, wants_to_stop_own_violence

# The entry with the free services: psychological and legal support, the line, the centres
# (content/faq/violencia.yml); the same one bot/violence/therapy.py answers with.
SERVICES_ENTRY = "programas_violencia"

# Someone who attends a woman who lives violence, as people name them.
_PROFESSIONAL_RE = re.compile(
    r"\b(psicolog[oa]s?|psic[oa]s?|terapeutas?|terapia|tanatolog[oa]s?|abogad[oa]s?|licenciad[oa] en derecho"
    r"|trabajador[a]? social|trabajadoras sociales|consejer[oa]s?|orientador[a]?s?"
    r"|asesor[a]?s? (legal|juridic[oa]|psicologic[oa])|asesoria (legal|juridica|psicologica)"
    r"|especialistas? en (violencia|mujeres|pareja)|alguien que sepa de (violencia|esto))\b"
)
# Asked about the STL, a proposal or the bot itself: the team is the right person.
_ABOUT_THE_STL_RE = re.compile(
    r"\b(propuesta\w*|folio|stl|secretariado|cocreacion|mesa\w* de cocreacion|solicitud\w*"
    r"|contrat\w*|transparencia|gobierno abierto)\b"
)


def asks_for_a_professional(text: str) -> bool:
    """She asks for a psychologist, a lawyer or a counsellor, and not about the STL's work."""
    words = normalize_words(text)
    return bool(_PROFESSIONAL_RE.search(words)) and not _ABOUT_THE_STL_RE.search(words)


def entry_for(text: str) -> str:
    """The entry that answers the request: the one for men when he asks help to stop his own
    violence («necesito un psicólogo, le pegué a mi esposa»), else the free services."""
    return MEN_ENTRY if wants_to_stop_own_violence(text) else SERVICES_ENTRY
