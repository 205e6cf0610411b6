"""Blank the text of violence conversations before Rasa's tracker store saves them.

Runs inside the Rasa server (Python 3.10, ``nlu/tracker_stores/scrubbing.py``), so it uses the
standard library only and works on plain event dictionaries (``Event.as_dict()``).

A conversation session turns *sensitive* at its first user message that
  - the conversation core marked ``metadata.sensitive`` (its violence lexicon matched), or
  - Rasa understood as a sensitive intent (``buscar_centro``, a violence FAQ ``faq/<id>``…; while
    another form asks, only when the model is sure: a proposal's answers are not questions), or
  - arrived while a sensitive form was asking (``centro_form``: the municipality she typed).
From there to the end of the session no message text is kept: user messages keep only what
the dialogue needs (intent, its confidence, the FAQ chosen), bot messages lose their text and
attachments (centre addresses and map points), and sensitive slots lose their value.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

Event = dict[str, Any]

DEFAULT_INTENTS = frozenset({"buscar_centro", "salida_rapida"})
DEFAULT_LOOPS = frozenset({"centro_form"})
DEFAULT_SLOTS = frozenset({"municipio_centro"})


def _intent_keys(parse_data: dict[str, Any]) -> list[str]:
    intent = parse_data.get("intent") or {}
    keys = [intent.get("name"), intent.get("full_retrieval_intent_name")]
    if intent.get("name") == "faq":
        selector = ((parse_data.get("response_selector") or {}).get("faq") or {}).get("response")
        keys.append((selector or {}).get("intent_response_key"))
    return [k for k in keys if k]


# While another form asks (a proposal's theme, a municipality), the model's guess about the answer
# counts only when it is at least this sure: «Movilidad» at the theme step came back as a violence
# FAQ at 0.11 and blanked the whole interview, including the question «¿Quieres cancelar…?» the
# form reads back. The core's mark (its violence lexicon) still counts at once, in a form or not.
MIN_IN_FORM_CONFIDENCE = 0.45


def _confident_keys(parse_data: dict[str, Any]) -> list[str]:
    """A violence FAQ the model is sure of. Not ``buscar_centro``: a municipality typed at a
    proposal's municipality step («<municipio>») may be that intent at 0.65 for the model."""
    intent = parse_data.get("intent") or {}
    if intent.get("name") != "faq" or (intent.get("confidence") or 0.0) < MIN_IN_FORM_CONFIDENCE:
        return []
    response = ((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    key = response.get("intent_response_key")
    return [key] if key and (response.get("confidence") or 0.0) >= MIN_IN_FORM_CONFIDENCE else []


def is_sensitive_user_event(event: Event, intents: Iterable[str], in_other_form: bool = False) -> bool:
    """Marked by the core, or understood as a sensitive intent (in another form: confidently)."""
    if (event.get("metadata") or {}).get("sensitive") is True:
        return True
    wanted = set(intents)
    parse_data = event.get("parse_data") or {}
    keys = _confident_keys(parse_data) if in_other_form else _intent_keys(parse_data)
    return any(key in wanted for key in keys)


def sensitive_from(
    events: list[Event], intents: Iterable[str] = DEFAULT_INTENTS, loops: Iterable[str] = DEFAULT_LOOPS
) -> int | None:
    """Index of the first event of the current session whose text must not be kept, if any."""
    start = 0
    for i, event in enumerate(events):
        if event.get("event") == "session_started":
            start = i
    intents = frozenset(intents)
    loops = frozenset(loops)
    active: str | None = None
    for i in range(start, len(events)):
        event = events[i]
        kind = event.get("event")
        if kind == "active_loop":
            active = event.get("name")
        elif kind == "user" and (active in loops
                                 or is_sensitive_user_event(event, intents, in_other_form=bool(active))):
            return i
    return None


def _scrub_user(event: Event) -> Event:
    parse_data = event.get("parse_data") or {}
    intent = parse_data.get("intent") or {}
    kept_intent = {k: intent[k] for k in ("name", "confidence", "full_retrieval_intent_name") if k in intent}
    kept: dict[str, Any] = {"intent": kept_intent, "entities": [], "text": ""}
    if intent.get("name") == "faq":
        response = ((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}
        kept["response_selector"] = {
            "faq": {
                "response": {
                    "intent_response_key": response.get("intent_response_key"),
                    "confidence": response.get("confidence"),
                }
            }
        }
    event["text"] = ""
    event["parse_data"] = kept
    metadata = {k: v for k, v in (event.get("metadata") or {}).items() if k == "channel"}
    metadata["sensitive"] = True  # so the next turn, read back from the store, stays sensitive
    event["metadata"] = metadata
    return event


def scrub_event(event: Event, slots: Iterable[str] = DEFAULT_SLOTS) -> Event:
    """A copy of ``event`` without message text (the original is left untouched)."""
    event = copy.deepcopy(event)
    kind = event.get("event")
    if kind == "user":
        return _scrub_user(event)
    if kind == "bot":
        event["text"] = None
        event["data"] = {}
    elif kind == "entities":
        event["entities"] = []
    elif kind == "slot" and event.get("name") in set(slots):
        event["value"] = None
    return event


def scrub_new_events(
    events: list[Event],
    first_new: int,
    intents: Iterable[str] = DEFAULT_INTENTS,
    loops: Iterable[str] = DEFAULT_LOOPS,
    slots: Iterable[str] = DEFAULT_SLOTS,
) -> list[Event]:
    """The events from ``first_new`` on, as they may be stored (the session's earlier events are
    already stored; they are looked at only to know whether the session is sensitive)."""
    start = sensitive_from(events, intents, loops)
    slots = frozenset(slots)
    out: list[Event] = []
    for i in range(first_new, len(events)):
        event = events[i]
        in_sensitive_span = start is not None and i >= start
        sensitive_slot = event.get("event") == "slot" and event.get("name") in slots
        out.append(scrub_event(event, slots) if in_sensitive_span or sensitive_slot else event)
    return out
