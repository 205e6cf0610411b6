"""The violence subject a message names in so many words: its own answer, not the generic one.

The response selector leans to «¿qué hacer si vives violencia?» for any story told in the first
person, however plainly the story ends asking for something else: «¿cómo saco una orden de
protección?», «¿todavía puedo denunciar?», «¿hay algún refugio?», «dice que sube mis fotos»
(issue 14: violence answered with a close but wrong violence answer). When the words name one of
these subjects, its entry is what she asked; with several named, the caller picks the one the
selector ranks first. Read on the words of :func:`bot.textnorm.normalize_words`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.content.faq import faq_catalog
from bot.textnorm import normalize_words

# entry id (content/faq/violencia.yml), or the start of one, -> the words that name its subject
_SUBJECTS: dict[str, re.Pattern[str]] = {
    "ordenes_proteccion": re.compile(
        r"\b(ordene?s? de (proteccion|restriccion|alejamiento)|medidas? de proteccion)\b"),
    "refugios_mujeres": re.compile(r"\b(refugios?|casas? de transicion|albergues?)\b"),
    # Asked how, where or whether to report: «¿cómo lo denuncio?», «¿todavía puedo denunciar?».
    # «No quiero denunciar, nomás hablar» asks for nothing of the kind.
    "como_denunciar_violencia": re.compile(
        r"(?<!no )(?<!ni )\b(como|donde|a donde|puedo|podria|se puede|quiero|quisiera|todavia|aun"
        r"|como le hago|tengo que|debo) (lo |la |le |les )?(poner una denuncia|levantar una denuncia"
        r"|denunci(o|ar|arlo|arla|arlos|amos))\b"),
    "violencia_digital": re.compile(
        r"\b(ley olimpia|fotos? (intimas?|mias|desnuda\w*)|videos? (intimos?|mios)|packs?"
        r"|(sube|subir|subira|suba|publica|publicar|publicara|pasa|pasar|pasara|mandar|manda|mandara"
        r"|difundir|difunde|compartir|comparte|va a subir|va a publicar|va a pasar|va a mandar)"
        r" (mis|unas|unos|las|los|esas|esos|sus) (fotos|videos|imagenes|fotografias))\b"),
    # Asked what the service is («¿qué son las UNIDAS? ¿hay una en …?»): its own entry, whose
    # answer says where they are, not the steps of what to do.
    "que_son_unidas": re.compile(r"\b(que|q|k) (es|son|hace|hacen|significa) (la |las |una |unas )?unidas\b"),
    "que_es_cjm": re.compile(
        r"\b(que|q|k) (es|son|hace|hacen|significa) (el |los |un |una )?(cjm|centros? de justicia)\b"),
    "violentometro": re.compile(r"\bviolentometro\b"),
    "ciclo_violencia": re.compile(r"\bciclo de (la )?violencia\b"),
    "alerta_genero": re.compile(r"\balerta d?e? ?genero\b"),  # the id names the state: a prefix
    "violencia_vicaria": re.compile(r"\bviolencia vicaria\b"),
    "violencia_obstetrica": re.compile(r"\bviolencia obstetrica\b"),
    "violencia_politica": re.compile(r"\bviolencia politica\b"),
    "acoso_callejero": re.compile(r"\b(acoso callejero|piropos?)\b"),
}


@lru_cache(maxsize=1)
def _entry_ids() -> dict[str, str]:
    """Each key of :data:`_SUBJECTS` -> the id of the entry it names (the one that starts so)."""
    ids = [entry.id for entry in faq_catalog().entries]
    return {key: next((i for i in ids if i == key), next((i for i in ids if i.startswith(key)), key))
            for key in _SUBJECTS}


def named_subjects(text: str) -> list[str]:
    """The entries whose subject the message names, in the order of :data:`_SUBJECTS`."""
    words = normalize_words(text)
    return [_entry_ids()[key] for key, pattern in _SUBJECTS.items() if pattern.search(words)]


# The message ends asking what to do, whatever it named before («… ¿qué puedo hacer?»).
_WHAT_TO_DO_END_RE = re.compile(
    r"\b(que|q|k) (puedo |debo |podria |tengo que |me recomiendan )?(hago|hacer|ago)( yo| ahora| ahorita)?$")


def ends_asking_what_to_do(text: str) -> bool:
    return bool(_WHAT_TO_DO_END_RE.search(normalize_words(text)))
