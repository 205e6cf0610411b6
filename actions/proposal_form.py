"""The guided proposal intake (Rasa form ``proposal_form``): asking and validating each step.

Validation handles what people really type at each step: "cancelar", "atrás",
"no sé" on optional steps, answers too short or too long, and a question in the
middle (answered, then the same step is asked again). Texts come from
``content/proposals.yml``.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.channel import in_terminal
from actions.faq import FAQ_CONFIDENCE_THRESHOLD, ranked_faq_ids
from actions.unsure import DATA_INTENT, handover_events, selector_ranking, violence_help
from actions.unsure_kinds import (
    CENTRE_INTENT,
    MY_PROPOSALS_INTENT,
    asks_about_own_proposal,
    asks_for_data,
    contracts_or_open_data_asked,
)
from actions.unsure_ranking import titles_asked
from actions.unsure_replies import answer_offering, latest_user_event, restate_as
from actions.violence_guard import named_instead, typed_violence
from bot.content.faq import faq_catalog
from bot.content.municipalities import match_municipality, municipality_index
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import faq_index
from bot.conversation.choices import THEN
from bot.conversation.yesno import after_no, change_of_mind, yes_no
from bot.i18n import N_, _, format_number
from bot.proposals import service as svc
from bot.questions import starts_like_form_question
from bot.textnorm import normalize_words
from bot.violence.named import asks_where_to_go
from bot.violence.own_violence import wants_to_stop_own_violence

log = logging.getLogger(__name__)

FORM_SLOTS = [
    "proposal_theme", "proposal_municipality", "proposal_problem", "proposal_causes",
    "proposal_effects", "proposal_affected", "proposal_solution", "proposal_contact_consent",
]
# Set when the form asks «¿Quieres cancelar tu propuesta?», cleared by the next message: the
# answer is read from this slot, not from the bot's words in Rasa's store (blanked in a session
# marked sensitive, which made a «no» get stored as the step's answer).
CANCEL_ASKED = "proposal_cancel_asked"
ALL_SLOTS = [*FORM_SLOTS, "proposal_contact_info", "proposal_municipality_code",
             "proposal_intake_id", "proposal_theme_hint", "proposal_offered_similar", CANCEL_ASKED]
FIELD_LABELS = {  # shown on the "Corregir …" buttons, translated there
    "proposal_theme": N_("tema"), "proposal_municipality": N_("municipio"),
    "proposal_problem": N_("problema"), "proposal_causes": N_("causas"),
    "proposal_effects": N_("efectos"), "proposal_affected": N_("afectados"),
    "proposal_solution": N_("solución"), "proposal_contact_consent": N_("contacto"),
}
CANCEL_WORDS = {"cancelar", "cancela", "cancelo", "salir", "ya no quiero", "olvidalo", "mejor no"}
# ... and a short message that says it in more words («ya no quiero, cancelar», «cancela todo
# porfa»): asked before anything is dropped, so a wrong guess costs one question, not an answer.
_CANCEL_SAID_RE = re.compile(r"\b(cancelar|cancela|cancelo|cancelala|cancelarla|olvidalo)\b"
    r"|^ya no quiero( (seguir|continuar|hacerla|hacer esto|esto|nada|la propuesta)\b|$)")
CANCEL_SAID_MAX_WORDS = 6
CENTRE_BUTTON = "/buscar_centro"
CANCEL_PAYLOAD = "/cancelar"
# «Sí, cancelarla»: the core sends it to Rasa as /cancelar with ``cancel_confirmed`` in the
# metadata (bot/conversation/core.py). «No, seguir con ella»: at the summary the core answers it;
# in the form the core passes it on to Rasa, and the form asks the same step again.
CONFIRM_CANCEL_PAYLOAD = "/cancelar_si"
KEEP_PAYLOAD = "/seguir_propuesta"
BACK_WORDS = {"atras", "regresar", "volver", "anterior", "paso anterior", "corregir anterior"}
DONT_KNOW = {"no se", "nose", "no c", "noc", "ni idea", "no lo se", "no sabria", "no tengo idea", "paso",
             "saltar", "omitir", "ninguno", "ninguna"}
NO_WORDS = {"no", "no gracias", "no acepto", "no quiero", "nel"}
UNKNOWN = "—"
CHANGE_RE = re.compile(r"^(?:(?:si|simon|sale|ok|va|bueno)\s+)?(?:pero\s+)?(?:no\s+)?(?:mejor\s+)?"
                       r"(?:cambia|cambiale|cambiar|cambio|corrige|corregir|pon|ponle)\s+"
                       r"(?:el\s+)?(?P<field>tema|municipio)\s+(?:a|por|es|que sea|en)\s+(?P<value>.+)$")
# «Espera, quiero cambiar el municipio», «me equivoqué de tema»: a field named, no new value yet.
REDO_RE = re.compile(
    r"^(?:(?:espera|esperate|oye|perdon|ay|ups|no|mejor|este|oh|ah|pero)\s+)*"
    r"(?:(?:quiero|quisiera|puedo|necesito|me gustaria|deja|dejame|hay que)\s+)?"
    r"(?:(?:cambiar|cambia|cambiale|cambio|corregir|corrige|corrijo|modificar|modifica|editar|"
    r"edita|arreglar)\s+(?:el|la|las|los|lo del|lo de la)?\s*|me equivoque (?:de|en el|en la)\s+)"
    r"(?P<field>tema|municipio|problema|causas?|efectos?|afectados|solucion|contacto)"
    r"(?:\s+(?:por favor|porfa|plis))?$")
REDO_FIELDS = {"tema": "proposal_theme", "municipio": "proposal_municipality",
               "problema": "proposal_problem", "causa": "proposal_causes", "causas": "proposal_causes",
               "efecto": "proposal_effects", "efectos": "proposal_effects",
               "afectados": "proposal_affected", "solucion": "proposal_solution",
               "contacto": "proposal_contact_consent"}
# «movilidad no, es alumbrado», «no es movilidad, es alumbrado»: the theme said wrong, then right.
THEME_SWAP_RES = (
    re.compile(r"^(?P<old>.+?)\s+no\s+(?:(?:es|era|sino|mejor|mas bien)\s+)*(?:de\s+|del\s+)?"
               r"(?P<new>.+)$"),
    re.compile(r"^no\s+(?:es|era)\s+(?:de\s+|del\s+)?(?P<old>.+?)\s+(?:(?:es|sino|mejor)\s+)+"
               r"(?:de\s+|del\s+)?(?P<new>.+)$"),
)
MAX_SWAP_WORDS = 8
# A button payload of another flow («/apoyar_propuesta{"folio":…}»): never an answer to a step.
OTHER_PAYLOAD_RE = re.compile(r"^/[a-z_]+(?:\{.*\}|\s+\S.*)$", re.DOTALL)
# What /start, /ayuda, /menu and /propuesta reach Rasa as (bot/conversation/core.py COMMANDS).
RETURN_PAYLOADS = {"/greet", "/help", "/proponer"}
# «nel mejor luego», «al rato», «otro día»: leaving for now is a wish to stop; asked before anything
# is dropped (the citizen walk: «No encontré el municipio «nel mejor luego»»). Not at the contact
# steps, where «después» can be about the contact.
LATER_WORDS = frozenset({"luego", "mejor luego", "nel mejor luego", "no mejor luego", "despues",
                         "mejor despues", "no mejor despues", "al rato", "mejor al rato", "luego sigo",
                         "despues sigo", "otro dia", "mejor otro dia", "ahorita no", "ahorita no puedo",
                         "luego le sigo", "despues le sigo", "mas tarde", "mejor mas tarde"})
# A goodbye mid-interview («gracias bye»): the proposal is kept, half done, and said so; a greeting
# later («hola») offers it back, as /start does. Rasa's intent confirms a short message.
GOODBYE_INTENTS = frozenset({"goodbye"})
GREETING_INTENTS = frozenset({"greet"})
SHORT_SOCIAL_WORDS = 4
NO_LATER_STEPS = frozenset({"proposal_contact_consent", "proposal_contact_info"})


def content() -> svc.ProposalContent:
    return svc.proposal_content()


def reset_events() -> list[EventType]:
    return [SlotSet(slot, None) for slot in ALL_SLOTS]


def required(tracker: Tracker) -> list[str]:
    slots = list(FORM_SLOTS)
    if tracker.get_slot("proposal_contact_consent") == "yes":
        slots.append("proposal_contact_info")
    return slots


def _topic(tracker: Tracker) -> str:
    """What the interview in progress is about, in a few words: her problem, else the theme."""
    problem = str(tracker.get_slot("proposal_problem") or "")
    if problem and problem not in RETURN_PAYLOADS:  # (the slot may hold this turn's "/greet")
        return problem if len(problem) <= 80 else problem[:77].rsplit(" ", 1)[0] + "…"
    theme = tracker.get_slot("proposal_theme") or tracker.get_slot("proposal_theme_hint")
    return content().theme_title(str(theme)) if theme else _("tu tema")


def typed_text(tracker: Tracker) -> str:
    """The latest message as the person typed it (the NLU pipeline folds accents and case)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("text") or "").strip()
    return str(tracker.latest_message.get("text") or "").strip()


def told_violence(tracker: Tracker) -> bool:
    """The core marked the latest message a story of violence (``metadata.violence``), or its
    words are clearly about violence against a woman (actions/violence_guard.py)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return typed_violence(str(event.get("text") or ""), event)
    return False


def looks_like_question(text: str) -> bool:
    words = normalize_words(text)
    return text.strip().endswith("?") or starts_like_form_question(words)


def theme_buttons() -> list[dict[str, str]]:
    return [{"title": t.title, "payload": t.title} for t in content().themes]


# A refusal that is about going on, not about the theme suggested («ya no», «mejor no»).
STOP_REFUSALS = frozenset({"ya no", "ya mejor no", "mejor ya no", "ya no mejor", "mejor no",
                           "no ya no", "nel ya no", "ya no gracias", "ya no quiero", "ya nel"})

class ValidateProposalForm(FormValidationAction):
    """Checks each answer of the intake and handles cancel, back, "no sé" and questions."""

    def name(self) -> str:
        return "validate_proposal_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return required(tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        words = normalize_words(text)
        requested = tracker.get_slot("requested_slot")
        if requested and (text.startswith(CENTRE_BUTTON) or asks_for_a_centre(words)):
            # The centre finder's button pressed mid-intake: her safety comes first.
            return [SlotSet(requested, None), SlotSet("requested_slot", None), ActiveLoop(None),
                    SlotSet(CANCEL_ASKED, None), FollowupAction("action_buscar_centro")]
        if requested and (cancel_confirmed(tracker) or asked_to_cancel(tracker)):
            if cancel_confirmed(tracker) or wants_cancel(text):
                return cancelled(dispatcher, then=asked_instead(tracker))
            # "no", "seguir" or anything else: nothing is dropped, the same step again.
            dispatcher.utter_message(text=content().message("resume"))
            return [SlotSet(requested, None), SlotSet(CANCEL_ASKED, None)]
        if requested and text.split("{", 1)[0].strip() == KEEP_PAYLOAD:
            # «No, seguir con ella» pressed when the question was not (or no longer) pending.
            dispatcher.utter_message(text=content().message("resume"))
            return [SlotSet(requested, None)]
        if requested and (words in CANCEL_WORDS or is_cancel_command(text) or says_cancel(words)
                          or changes_mind(text)):
            if has_answers(tracker):
                ask_cancel(dispatcher)
                return [SlotSet(requested, None), SlotSet(CANCEL_ASKED, True)]
            return cancelled(dispatcher, then=change_of_mind(text))
        if requested and words in LATER_WORDS and requested not in NO_LATER_STEPS:
            if has_answers(tracker):
                ask_cancel(dispatcher)
                return [SlotSet(requested, None), SlotSet(CANCEL_ASKED, True)]
            return cancelled(dispatcher)
        social = social_intent(tracker, words)
        if requested and social in GOODBYE_INTENTS:
            dispatcher.utter_message(text=content().message("goodbye_kept"))
            return [SlotSet(requested, None)]  # the step is asked again, below her goodbye
        if requested and (text in RETURN_PAYLOADS or social in GREETING_INTENTS):
            # Back after a while (/start, /ayuda, /propuesta) with an interview half done:
            # offer it back instead of storing "/greet" as an answer or starting from zero.
            dispatcher.utter_message(text=content().message("welcome_back", topic=_topic(tracker)))
            return [SlotSet(requested, None)]
        if requested and OTHER_PAYLOAD_RE.match(text):
            # A button of another flow pressed mid-interview (an old «Apoyar P-…»): no answer to
            # this step, which is asked again; the proposal keeps everything it had.
            dispatcher.utter_message(text=content().message("resume"))
            return [SlotSet(requested, None)]
        change = correction(text, requested) if requested else None
        if change is not None:
            return self._apply(dispatcher, change, str(requested))
        redo = field_to_redo(text) if requested else None
        if redo is not None:
            return self._redo(dispatcher, tracker, redo, str(requested))
        if requested and words in BACK_WORDS:
            order = required(tracker)
            index = order.index(requested) if requested in order else 0
            if index == 0:
                dispatcher.utter_message(text=content().message("back_first"))
                return [SlotSet(requested, None)]
            previous = order[index - 1]
            return [SlotSet(requested, None), SlotSet(previous, None)]
        return await super().run(dispatcher, tracker, domain)

    def _apply(self, dispatcher: CollectingDispatcher, change: dict[str, Any],
               requested: str) -> list[EventType]:
        """A change of mind about an earlier answer: kept, said, and the same step asked again."""
        slot = next(iter(change))
        shown = change[slot]
        if slot == "proposal_theme":
            shown = content().theme_title(str(shown))
        dispatcher.utter_message(text=content().message(
            "field_changed", field=_(FIELD_LABELS[slot]), value=shown))
        events: list[EventType] = [SlotSet(name, value) for name, value in change.items()]
        if requested not in change:
            events.append(SlotSet(requested, None))  # this message was not the step's answer
        return events

    def _redo(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str,
              requested: str) -> list[EventType]:
        """«Espera, quiero cambiar el municipio»: that answer is asked again, then the interview
        goes on where it was (this message answers nothing; it was kept as «a quiénes afecta»)."""
        events: list[EventType] = [SlotSet(requested, None), SlotSet(slot, None)]
        if slot == "proposal_municipality":
            events.append(SlotSet("proposal_municipality_code", None))
        if slot == "proposal_contact_consent":
            events.append(SlotSet("proposal_contact_info", None))
        if tracker.get_slot(slot) not in (None, "") and slot != requested:
            dispatcher.utter_message(text=content().message("redo_field", field=_(FIELD_LABELS[slot])))
        return events

    def _digression(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
        """Answer an FAQ question asked in the middle of the intake; True when it was one."""
        if not looks_like_question(text):
            return False
        ranked = ranked_faq_ids(tracker.latest_message)
        entries = faq_catalog().by_id()
        if not ranked or ranked[0][1] < FAQ_CONFIDENCE_THRESHOLD or ranked[0][0] not in entries:
            return False
        entry = entries[ranked[0][0]]
        dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
        dispatcher.utter_message(text=content().message("resume"))
        return True

    def _free_text(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                   tracker: Tracker) -> dict[str, Any]:
        text = str(value or "").strip()
        step = content().steps[slot]
        if text == UNKNOWN and step.optional:
            return {slot: UNKNOWN}  # "no sé" given before, checked again when a field is corrected
        if self._digression(dispatcher, tracker, text):
            return {slot: None}
        answer = yes_no(text)
        if answer == "no" and step.optional:
            return {slot: UNKNOWN}  # «nel» to «¿Por qué crees que pasa? (si no sabes…)»: skipped
        if answer is not None:
            # "no gracias" is no problem nor solution, and «simón» no cause (it was stored as
            # the causes): the step asked for words (once).
            dispatcher.utter_message(text=f"{content().message('too_short')} {step.example or ''}".strip())
            return {slot: None}
        if normalize_words(text) in DONT_KNOW:
            if step.optional:
                return {slot: UNKNOWN}
            dispatcher.utter_message(text=content().message("required"))
            return {slot: None}
        if len(text) < step.min:
            dispatcher.utter_message(text=f"{content().message('too_short')} {step.example or ''}".strip())
            return {slot: None}
        if len(text) > step.max:
            dispatcher.utter_message(text=content().message(
                "too_long", length=format_number(len(text)), max=format_number(step.max)))
            return {slot: None}
        return {slot: text}

    def validate_proposal_theme(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        hint = tracker.get_slot("proposal_theme_hint")
        answer = yes_no(text)
        if answer == "yes" and hint:
            return {"proposal_theme": hint}
        if answer == "yes":
            dispatcher.utter_message(text=content().message("theme_hint"))
            return {"proposal_theme": None}
        if (answer == "no" and not hint) or normalize_words(text) in STOP_REFUSALS:
            # «nel» with no theme offered, or «ya no»: a wish to stop, asked before dropping it.
            ask_cancel(dispatcher)
            return {"proposal_theme": None, CANCEL_ASKED: True}
        if answer == "no":
            # "No" to the suggestion: ask again without it (the ask action asks, once).
            dispatcher.utter_message(text=content().message("theme_other"))
            return {"proposal_theme": None, "proposal_theme_hint": None}
        place = self._place_told(dispatcher, tracker, text)
        words = normalize_words(text).split()
        if place and hint and words and yes_no(words[0]) == "yes":  # «sí, en Neza»
            return {"proposal_theme": hint, **place}
        theme = svc.match_theme(after_no(text) or text)
        told = self._problem_told(dispatcher, tracker, text)
        if theme is None:
            if place or told or not self._digression(dispatcher, tracker, text):
                dispatcher.utter_message(text=content().message("theme_hint"))
            return {"proposal_theme": None, **place, **told}
        if told:  # the theme read from her story, not named: said, so she can correct it
            dispatcher.utter_message(text=content().message(
                "theme_noted", theme=content().theme_title(theme)))
        return {"proposal_theme": theme, **place, **told}

    def _problem_told(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      text: str) -> dict[str, Any]:
        """«Es que no hay luz en mi calle y asaltan a la gente» at the theme step: the problem is
        kept (and said), not asked again at step 3 (walk8). Not a question, nor a theme's name."""
        if tracker.get_slot("proposal_problem") or looks_like_question(text) \
                or strict_theme(text) is not None or len(normalize_words(text).split()) < 5:
            return {}
        problem = told_problem(text)
        if problem is None:
            return {}
        dispatcher.utter_message(text=content().message("problem_noted", problem=_short(problem)))
        return {"proposal_problem": problem}

    def _place_told(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                    text: str) -> dict[str, Any]:
        """«Seguridad, en Neza» at the theme step: the municipality is kept (and said), so the
        interview does not ask for it again; only one clear name, never a guess among several."""
        if tracker.get_slot("proposal_municipality") or text.startswith("/"):
            return {}
        found = municipality_index().find_in_text(text).best
        if found is None:
            return {}
        dispatcher.utter_message(text=content().message("municipality_noted", municipality=found.name))
        return {"proposal_municipality": found.name, "proposal_municipality_code": found.code}

    def validate_proposal_municipality(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if self._digression(dispatcher, tracker, text):
            return {"proposal_municipality": None}
        match = match_municipality(text)
        step = content().steps["proposal_municipality"]
        # «Atizapán», one of the buttons offered for «atizapan»: its official name, exactly.
        best = match.best or next((m for m in match.candidates if m.name == text.strip()), None)
        if best is not None:
            return {"proposal_municipality": best.name, "proposal_municipality_code": best.code}
        words = normalize_words(text)
        if words in DONT_KNOW:  # «no sé», «no c»: not a misspelt name; say why it is needed
            dispatcher.utter_message(text=str(getattr(step, "required", step.ask)))
            return {"proposal_municipality": None}
        answer = yes_no(text)
        if answer == "no" or words in STOP_REFUSALS:  # «nel», «ya no»: a wish to stop
            ask_cancel(dispatcher)
            return {"proposal_municipality": None, CANCEL_ASKED: True}
        if answer == "yes":  # «sí», «ok»: the name comes next
            dispatcher.utter_message(text=str(getattr(step, "which", step.ask)))
            return {"proposal_municipality": None}
        if match.candidates:
            dispatcher.utter_message(
                text=str(getattr(step, "choose", step.ask)),
                buttons=[{"title": m.name, "payload": m.name} for m in match.candidates],
            )
        else:
            dispatcher.utter_message(text=str(getattr(step, "unknown", step.ask)).format(text=text[:60]))
        return {"proposal_municipality": None}

    def validate_proposal_problem(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._free_text("proposal_problem", value, dispatcher, tracker)

    def validate_proposal_causes(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._free_text("proposal_causes", value, dispatcher, tracker)

    def validate_proposal_effects(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._free_text("proposal_effects", value, dispatcher, tracker)

    def validate_proposal_affected(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._free_text("proposal_affected", value, dispatcher, tracker)

    def validate_proposal_solution(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._free_text("proposal_solution", value, dispatcher, tracker)

    def validate_proposal_contact_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                          tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        step = content().steps["proposal_contact_consent"]
        words = normalize_words(str(value or ""))
        answer = yes_no(str(value or ""))
        if answer == "yes" or words == normalize_words(str(getattr(step, "accept", ""))):
            return {"proposal_contact_consent": "yes"}
        if answer == "no" or words == normalize_words(str(getattr(step, "decline", ""))):
            return {"proposal_contact_consent": "no", "proposal_contact_info": None}
        if not self._digression(dispatcher, tracker, str(value or "")):
            dispatcher.utter_message(text=content().message("yes_no_hint"))
        return {"proposal_contact_consent": None}

    def validate_proposal_contact_info(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if normalize_words(text) in NO_WORDS | DONT_KNOW or yes_no(text) == "no":
            return {"proposal_contact_info": UNKNOWN}
        contact = svc.valid_contact(text)
        if contact is None:
            step = content().steps["proposal_contact_info"]
            # A bare «sí» / «simón» answers "si quieres, déjanos…": ask for it, it is no mistake.
            key = "yes_hint" if yes_no(text) == "yes" else "invalid"
            dispatcher.utter_message(text=str(getattr(step, key, step.ask)))
            return {"proposal_contact_info": None}
        return {"proposal_contact_info": contact}


def _step_number(slot: str, tracker: Tracker) -> str:
    """«(Paso 3 de 8)»; the contact, asked only after a «sí» to step 8, is «(Último paso)» (it
    was «Paso 9 de 9» right after «Paso 8 de 8»)."""
    if slot == "proposal_contact_info":
        return _("(Último paso)") + " "
    order = [s for s in required(tracker) if s != "proposal_contact_info"]
    if slot not in order:
        return ""
    return _("(Paso {n} de {total})").format(n=order.index(slot) + 1, total=len(order)) + " "


def strict_theme(text: str) -> str | None:
    """A theme named in a correction ("seguridad", "medio ambiente"), never guessed."""
    key = normalize_words(text)
    for theme in content().themes:
        names = {normalize_words(theme.title), normalize_words(theme.id.replace("_", " "))}
        if key and any(key == name or (len(key) >= 5 and key in name) for name in names):
            return theme.id
    return None


def correction(text: str, requested: str | None) -> dict[str, Any] | None:
    """"no, es de seguridad", "cambia el tema a movilidad", "cambia el municipio a …" at a
    later step: the slots to change, or None when the text is not such a correction."""
    if text.startswith("/"):
        return None
    words = normalize_words(text)
    if requested != "proposal_theme":
        told = after_no(text)  # "no, es de seguridad"
        theme = strict_theme(told) if told else None
        match = CHANGE_RE.match(words)
        if theme is None and match and match.group("field") == "tema":
            theme = strict_theme(match.group("value"))
        if theme is None:
            theme = swapped_theme(words)
        if theme is not None:
            return {"proposal_theme": theme}
    match = CHANGE_RE.match(words)
    if match and match.group("field") == "municipio":
        found = match_municipality(match.group("value")).best
        if found is not None:
            return {"proposal_municipality": found.name, "proposal_municipality_code": found.code}
    return None


def swapped_theme(words: str) -> str | None:
    """The right theme of «movilidad no, es alumbrado» (normalised words): the first part must
    name a theme and the second another one, so «neza no, es chalco» at the municipality step is
    left to the municipality."""
    if len(words.split()) > MAX_SWAP_WORDS:
        return None
    for pattern in THEME_SWAP_RES:
        found = pattern.match(words)
        if found is None:
            continue
        old = strict_theme(found.group("old")) or svc.suggest_theme(found.group("old"))
        new = strict_theme(found.group("new")) or svc.suggest_theme(found.group("new"))
        if old is not None and new is not None and new != old:
            return new
    return None


def field_to_redo(text: str) -> str | None:
    """The slot a person wants to answer again («quiero cambiar el municipio»), or None."""
    if text.startswith("/"):
        return None
    match = REDO_RE.match(normalize_words(text))
    return REDO_FIELDS[match.group("field")] if match else None


def is_cancel_command(text: str) -> bool:
    """/cancelar (the command, the summary's button) as it reaches Rasa."""
    return text.split("{", 1)[0].strip().lower() == CANCEL_PAYLOAD


# «x fa dime dónde hay un centro de ayuda para mujeres en Chalco» typed mid-interview was kept as
# the proposal's causes (the lead's walk, round 10): where to find a centre is asked, not told
# («que pongan un centro para mujeres» is a solution, «no hay refugio» a problem).
_ASKS_FOR_A_CENTRE_RE = re.compile(
    r"\b(donde|adonde|a donde) (hay|esta|estan|queda|quedan|encuentro|puedo ir|voy|acudo|busco)\b"
    r".*\b(centros?|refugios?|unidad|unidades|cjm|instancia|lugar|lugares) (de|para|que)\b"
    r"|\b(busco|necesito|ocupo) (un |una |algun |algún )?(centro|refugio|lugar) (de|para|que)\b")


def asks_for_a_centre(words: str) -> bool:
    """Where a centre or refuge is, asked in the middle of the interview (normalised words)."""
    return bool(_ASKS_FOR_A_CENTRE_RE.search(words))


def social_intent(tracker: Tracker, words: str) -> str | None:
    """«gracias bye», «hola»: the intent of a short greeting or goodbye Rasa is sure of, else None
    (a longer message or an unsure guess is the step's answer)."""
    intent = tracker.latest_message.get("intent") or {}
    name = str(intent.get("name") or "")
    if name not in GOODBYE_INTENTS | GREETING_INTENTS or not words:
        return None
    if len(words.split()) > SHORT_SOCIAL_WORDS or float(intent.get("confidence") or 0.0) < 0.7:
        return None
    if municipality_index().find_in_text(str(tracker.latest_message.get("text") or "")).best:
        return None  # «hola, es en <municipio>»: an answer with a greeting
    return name


def says_cancel(words: str) -> bool:
    """A short message that asks to cancel in its own words (normalised words)."""
    return len(words.split()) <= CANCEL_SAID_MAX_WORDS and bool(_CANCEL_SAID_RE.search(words))


def changes_mind(text: str) -> bool:
    """A message that drops the question to ask something else («mejor no, ¿qué es…?»): never the
    step's answer (it was kept as the central problem), asked before anything is dropped (walk8)."""
    return change_of_mind(text) is not None


def asked_instead(tracker: Tracker) -> str | None:
    """What «nel, mejor dime qué es X» asked instead, when that message is what made the form
    ask «¿Quieres cancelar tu propuesta?» (the user message before this one): X, else None."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if seen_latest:
            return change_of_mind(str(event.get("text") or ""))
        seen_latest = True
    return None


def cancelled(dispatcher: CollectingDispatcher, then: str | None = None) -> list[EventType]:
    """Drop the interview and say so; ``then``: what she asked instead, for the core to answer
    right after (it went unanswered: walk8)."""
    if then:
        dispatcher.utter_message(text=content().message("cancelled"), json_message={THEN: then})
    else:
        dispatcher.utter_message(text=content().message("cancelled"))
    return [*reset_events(), SlotSet("requested_slot", None), ActiveLoop(None)]


def wants_cancel(text: str) -> bool:
    """The answer to "¿Quieres cancelar tu propuesta?" is a yes (typed, or the button)."""
    return is_cancel_command(text) or yes_no(text) == "yes" or normalize_words(text) in CANCEL_WORDS


def has_answers(tracker: Tracker) -> bool:
    """Whether the interview holds at least one answer the person would lose.

    The step being asked is left out: in the form it holds this very message ("cancelar").
    """
    asked = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
    return any(tracker.get_slot(slot) not in (None, "") for slot in FORM_SLOTS if slot != asked)


def previous_bot_text(tracker: Tracker) -> str:
    """What the bot said last before the person's latest message ("" when nothing)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return ""
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            return str(event.get("text") or "")
    return ""


def asked_to_cancel(tracker: Tracker) -> bool:
    """The form asked "¿Quieres cancelar tu propuesta?" last turn: this message answers it.

    Read from a slot (Rasa's SQL store), so it holds after a restart and in a session whose texts
    are blanked. The bot's own words are the fallback for a model trained before the slot
    existed (Rasa drops a slot its model does not know). Only trusted in the form: at the summary
    the core may have answered «no» itself, unseen by Rasa.
    """
    if tracker.get_slot(CANCEL_ASKED):
        return True
    return previous_bot_text(tracker) == content().message("leave_confirm")


def cancel_confirmed(tracker: Tracker) -> bool:
    """The person pressed (or typed a yes to) «Sí, cancelarla»: the core says so in the metadata."""
    metadata = tracker.latest_message.get("metadata") or {}
    return bool(metadata.get("cancel_confirmed"))


def ask_cancel(dispatcher: CollectingDispatcher) -> None:
    """Ask before dropping answers; the caller sets :data:`CANCEL_ASKED` when in the form.

    «No, seguir con ella» is /seguir_propuesta everywhere (its title, sent as text, was read by
    the model as an FAQ at 0.9999): at the summary the core shows the kept proposal; in the form
    the core passes it on and the same step is asked again.
    """
    dispatcher.utter_message(text=content().message("leave_confirm"), buttons=[
        {"title": content().message("leave_yes"), "payload": CONFIRM_CANCEL_PAYLOAD},
        {"title": content().message("leave_no"), "payload": KEEP_PAYLOAD},
    ])


def just_said(tracker: Tracker, text: str) -> bool:
    """True when the bot already said ``text`` this turn (e.g. the validation asked with choices)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text") == text:
            return True
    return False


# «quiero hacer una propuesta», «tengo una propuesta»…: the words that open an interview, before the
# problem itself («…, hay mucha basura en mi colonia»). Only at the start of a message.
_PROPOSING_RE = re.compile(r"^(?P<lead>(?:\W*\w+){0,7}?\W*\b(?:propon\w*|propuestas?|proposicion)\b)"
                           r"(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
# Words between the opening and the problem: «…propuesta sobre que hay…», «…proponer algo, es que…».
_LINKING = frozenset({"algo", "sobre", "acerca", "de", "del", "que", "para", "porque", "pues", "pos",
                      "es", "y", "o", "sea", "mira", "oye", "este", "entonces", "ya", "una", "un",
                      "ciudadana", "ciudadano", "por", "lo", "relacionada", "respecto", "con", "a"})


def told_problem(text: str) -> str | None:
    """The central problem told in the message that opens the interview, else None: the whole
    message («hay baches en toda mi calle desde hace meses»), or what follows the wish to
    propose («kiero aser una propuesta, ay mucha vasura tirada en mi colonia»)."""
    if text.startswith("/"):
        return None
    step = content().steps["proposal_problem"]
    words = normalize_words(text)
    rest = text.strip()
    if "propon" in words or "propuesta" in words or "proposicion" in words:
        found = _PROPOSING_RE.match(rest)
        if found is None:
            return None
        rest = found.group("rest")
        if normalize_words(rest).startswith(("que ", "q ")):
            return None  # «quiero proponer que pongan luminarias»: a solution, not the problem
        while True:
            rest = re.sub(r"^[\W_]+", "", rest)
            head = rest.split(maxsplit=1)
            if not head or normalize_words(head[0]) not in _LINKING:
                break
            rest = head[1] if len(head) > 1 else ""
        if "propon" in normalize_words(rest) or "propuesta" in normalize_words(rest):
            return None  # «tengo una propuesta y otra propuesta…»: not the problem, ask it
    if len(rest) < step.min + 10 or yes_no(rest) is not None:
        return None
    return rest[: step.max]


# The last sentence of a story, when it asks something: «… desde hace meses. ¿Para qué sirve…?»
_SENTENCES_RE = re.compile(r"(?<=[.!?…\n])\s+|\s*¿")
QUESTION_AGREEMENT = 0.5  # the model's confidence in the entry both rankings put first


def closing_question_entry(text: str, latest_message: dict[str, Any]) -> str | None:
    """The FAQ entry the story's closing question asks about, when two readings agree: the
    model's (on the whole message) and the keyword index's (on the question alone); else None.
    Only a question after a story (at least one sentence before it)."""
    parts = [p.strip() for p in _SENTENCES_RE.split(text.strip()) if p and p.strip()]
    if len(parts) < 2:
        return None
    question = parts[-1]
    words = normalize_words(question)
    if not (question.endswith("?") or starts_like_form_question(words)):
        return None
    if len(words.split()) < 3:
        return None
    titled = titles_asked(question)
    if titled:
        return titled[0]
    ranked = ranked_faq_ids(latest_message)
    hits = faq_index().rank(question, limit=3)
    if not ranked or not hits or ranked[0][1] < QUESTION_AGREEMENT or ranked[0][0] != hits[0].faq_id:
        return None
    return ranked[0][0] if ranked[0][0] in faq_catalog().by_id() else None


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "…"


class AskStep(Action):
    """Asks one step of the intake, with its number and, where useful, buttons."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def buttons(self, tracker: Tracker) -> list[dict[str, str]]:
        return []

    def question(self, tracker: Tracker) -> str:
        return content().steps[self.slot].ask

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if tracker.get_slot(CANCEL_ASKED) or just_said(tracker, content().message("leave_confirm")):
            return []  # one prompt per turn: the cancel question waits for its answer
        text = _step_number(self.slot, tracker) + self.question(tracker)
        dispatcher.utter_message(text=text, buttons=self.buttons(tracker) or None)
        return []


class AskTheme(AskStep):
    slot = "proposal_theme"

    def question(self, tracker: Tracker) -> str:
        hint = tracker.get_slot("proposal_theme_hint")
        step = content().steps[self.slot]
        if hint:
            return str(getattr(step, "suggest", step.ask)).format(theme=content().theme_title(hint))
        return step.ask

    def buttons(self, tracker: Tracker) -> list[dict[str, str]]:
        buttons = theme_buttons()
        hint = tracker.get_slot("proposal_theme_hint")
        buttons.sort(key=lambda b: b["title"] != content().theme_title(hint or ""))
        return buttons


class AskMunicipality(AskStep):
    slot = "proposal_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        step = content().steps[self.slot]
        if just_said(tracker, str(getattr(step, "choose", ""))):
            return []  # the validation already asked, with the candidates: one prompt per turn
        return await super().run(dispatcher, tracker, domain)


class AskProblem(AskStep):
    slot = "proposal_problem"


class AskCauses(AskStep):
    slot = "proposal_causes"


class AskEffects(AskStep):
    slot = "proposal_effects"


class AskAffected(AskStep):
    slot = "proposal_affected"


class AskSolution(AskStep):
    slot = "proposal_solution"


class AskContactConsent(AskStep):
    slot = "proposal_contact_consent"

    def question(self, tracker: Tracker) -> str:
        step = content().steps[self.slot]
        if in_terminal(tracker):
            return (f"{content().message('privacy_notice_terminal')}\n\n"
                    f"{getattr(step, 'ask_terminal', step.ask)}")
        notice = " ".join(content().privacy_notice.text.split())
        return f"{notice}\n\n{step.ask}"

    def buttons(self, tracker: Tracker) -> list[dict[str, str]]:
        step = content().steps[self.slot]
        accept = str(getattr(step, "accept", _("Sí")))
        decline = str(getattr(step, "decline", _("No")))
        return [{"title": accept, "payload": accept}, {"title": decline, "payload": decline}]


class AskContactInfo(AskStep):
    slot = "proposal_contact_info"

    def question(self, tracker: Tracker) -> str:
        step = content().steps[self.slot]
        return str(getattr(step, "ask_terminal", step.ask)) if in_terminal(tracker) else step.ask


class ActionStartProposal(Action):
    """Starts a fresh intake: a new intake id, a theme hint and the problem if already told."""

    def name(self) -> str:
        return "action_start_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        text = typed_text(tracker)
        if told_violence(tracker) and not text.startswith("/"):
            # A story of violence is never a proposal, however sure the model is (the unsure
            # path refuses it too): what to do when living violence, and nothing of her words
            # kept in a proposal slot. The form does not start. A story that ends asking where
            # to go («¿a dónde puedo ir para que me orienten?») gets the centre finder (round 12).
            if asks_where_to_go(text) and not wants_to_stop_own_violence(text):
                return restate_as(CENTRE_INTENT, tracker.latest_message, latest_user_event(tracker.events))
            if not named_instead(dispatcher, text, selector_ranking(tracker.latest_message),
                                 latest_user_event(tracker.events)):
                # (how to help her, when the story is another woman's: round 12)
                violence_help(dispatcher, selector_ranking(tracker.latest_message), faq_index().rank(text),
                              text)
            return [FollowupAction("action_listen")]
        if not text.startswith("/") and asks_about_own_proposal(text):
            # «¿ya le dieron seguimiento a lo que reporté del bache?»: the status of what she
            # sent, not a new proposal (the model took the problem's words for one).
            return restate_as(MY_PROPOSALS_INTENT, tracker.latest_message,
                              latest_user_event(tracker.events))
        plain = normalize_words(text)
        proposes = "propon" in plain or "propuesta" in plain
        asked = None if text.startswith("/") or proposes else contracts_or_open_data_asked(text)
        if asked is not None:
            # «hay contratos de emergencia por las lluvias en <municipio>? quiero verlos», «¿hay
            # datos abiertos del agua por municipio?»: the contracts or the data, however much the
            # words sound like a problem to propose on.
            return handover_events(asked, dispatcher, tracker.latest_message,
                                   latest_user_event(tracker.events))[1]
        titled = [] if text.startswith("/") or proposes else titles_asked(text)
        if titled:
            # «¿y para qué sirve el parlamento abierto si los diputados…?»: a question about what X
            # is or is for, however sure the model is that the complaint around it proposes.
            answer_offering(dispatcher, faq_catalog().by_id()[titled[0]], titled)
            return [FollowupAction("action_listen")]
        if (not text.startswith("/") and asks_for_data(text)
                and "propon" not in plain and "propuesta" not in plain):
            # «pavimentaron la calle y ya se levanta, ¿cuánto costó?»: a figure the bot does not
            # hold, asked with a problem's words; the data request (or the FAQ about asking).
            return restate_as(DATA_INTENT, tracker.latest_message, latest_user_event(tracker.events))
        asked = None if text.startswith("/") else closing_question_entry(text, tracker.latest_message)
        if asked is not None:
            # A problem told, then a question («… ¿y para qué sirve el gobierno abierto?», «…
            # ¿cómo pido la información?»): the question is answered first, then the problem
            # becomes the proposal (prop12).
            entry = faq_catalog().by_id()[asked]
            dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
        events = [*reset_events(), SlotSet("proposal_intake_id", uuid.uuid4().hex)]
        hint = svc.suggest_theme(text, typos=True) if not text.startswith("/") else None
        if hint:
            events.append(SlotSet("proposal_theme_hint", hint))
        problem = told_problem(text)
        if problem:
            events.append(SlotSet("proposal_problem", problem))
        dispatcher.utter_message(text=content().message("start"))
        if problem and problem != text:
            # «quiero hacer una propuesta, hay mucha basura en mi colonia»: said once, kept and
            # shown, never asked again at step 3 (walk8); «cambiar el problema» redoes it.
            dispatcher.utter_message(text=content().message("problem_noted", problem=_short(problem)))
        # «quiero proponer algo de los baches en <municipio>»: kept and said, never asked again at
        # step 2 (only a name written out: a typo-like word in a story is no place).
        place = municipality_index().find_in_text(text, fuzzy=False).best \
            if not text.startswith("/") else None
        if place is not None:
            events += [SlotSet("proposal_municipality", place.name),
                       SlotSet("proposal_municipality_code", place.code)]
            dispatcher.utter_message(text=content().message("municipality_noted",
                                                            municipality=place.name))
        return events
