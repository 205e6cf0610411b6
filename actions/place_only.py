"""A municipality's name typed alone, outside any form: ask what the person wants to know about it.

The model reads a bare name («<municipio>») as a request for the women's centres, because most
examples with a place in them ask for one; but a name alone says nothing about what is wanted.
So the bot asks, with buttons for what it can do about a municipality (its centres, a proposal,
the contracts, asking its government for information). A name typed while a form asks for one
never comes here (the form takes it), and after a conversation about violence the centres stay
the answer: there the name is where she is.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.content.faq import faq_catalog
from bot.content.municipalities import Municipality, municipality_index
from bot.i18n import _
from bot.textnorm import normalize_words

CENTRE_PAYLOAD = "/buscar_centro"
# Earlier turns that make a typed place the answer to "where are you?" (violence, centres).
VIOLENCE_INTENTS = frozenset({"buscar_centro", "salida_rapida"})
VIOLENCE_TOPIC = "violencia"


def bare_municipality(text: str) -> Municipality | None:
    """The one municipality whose whole name, seat or alias is the entire message, if any.

    Only an exact name (accents, case and punctuation aside): a sentence, a typo or a name shared
    by several municipalities is left to the usual paths."""
    if text.strip().startswith("/"):
        return None
    found = municipality_index().names.get(normalize_words(text))
    return found[0] if found is not None and len(found) == 1 else None


def _about_violence(parse_data: dict[str, Any]) -> bool:
    intent = str((parse_data.get("intent") or {}).get("name") or "")
    if intent in VIOLENCE_INTENTS:
        return True
    selector = (parse_data.get("response_selector") or {}).get("faq") or {}
    key = str((selector.get("response") or {}).get("intent_response_key") or "")
    entry = faq_catalog().by_id().get(key.removeprefix("faq/")) if intent == "faq" else None
    return entry is not None and entry.topic == VIOLENCE_TOPIC


def talked_about_violence(events: list[dict[str, Any]]) -> bool:
    """An earlier message of this conversation was sensitive or about violence or centres."""
    users = [e for e in events if e.get("event") == "user"]
    for event in users[:-1]:  # the latest is the name itself
        if (event.get("metadata") or {}).get("sensitive"):
            return True
        if bare_municipality(str(event.get("text") or "")) is not None:
            continue  # a name alone asked about earlier: what about it, not where she is
        if _about_violence(event.get("parse_data") or {}):
            return True
    return False


def place_buttons(municipality: Municipality) -> list[dict[str, str]]:
    """What the bot can do about one municipality, the centres first (they answer at once)."""
    centres = CENTRE_PAYLOAD + json.dumps({"municipio": municipality.code}, separators=(",", ":"))
    request = "/elegir_tema" + json.dumps({"tema": "como_pedir_informacion"}, separators=(",", ":"))
    return [
        {"title": _("Centros de atención a mujeres"), "payload": centres},
        {"title": _("Hacer una propuesta"), "payload": "/proponer"},
        {"title": _("Revisar contratos públicos"), "payload": "/menu_contratos"},
        {"title": _("Pedir información al gobierno"), "payload": request},
    ]


def ask_what_about(dispatcher: CollectingDispatcher, municipality: Municipality) -> None:
    text = _("¿Qué quieres saber de {place}? Elige una opción o escríbeme tu pregunta:")
    dispatcher.utter_message(text=text.format(place=municipality.name),
                             buttons=place_buttons(municipality))


def place_only(dispatcher: CollectingDispatcher, text: str, events: list[dict[str, Any]]) -> bool:
    """Ask what about the municipality when the message is only its name; say whether it asked."""
    municipality = bare_municipality(text)
    if municipality is None or talked_about_violence(events):
        return False
    ask_what_about(dispatcher, municipality)
    return True
