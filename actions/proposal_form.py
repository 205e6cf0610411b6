"""The guided proposal intake (Rasa form ``proposal_form``) and what follows it.

Validation handles what people really type at each step: "cancelar", "atrás",
"no sé" on optional steps, answers too short or too long, and a question in the
middle (answered, then the same step is asked again). Texts come from
``content/proposals.yml``.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.faq import FAQ_CONFIDENCE_THRESHOLD, ranked_faq_ids
from bot.i18n import N_, _, format_day, format_number
from bot.services import proposals as svc
from bot.services.content import faq_catalog, render_answer
from bot.services.municipalities import match_municipality
from bot.textnorm import normalize_words

log = logging.getLogger(__name__)

FORM_SLOTS = [
    "proposal_theme", "proposal_municipality", "proposal_problem", "proposal_causes",
    "proposal_effects", "proposal_affected", "proposal_solution", "proposal_contact_consent",
]
ALL_SLOTS = [*FORM_SLOTS, "proposal_contact_info", "proposal_municipality_code",
             "proposal_intake_id", "proposal_theme_hint", "proposal_offered_similar"]
FIELD_LABELS = {  # shown on the "Corregir …" buttons, translated there
    "proposal_theme": N_("tema"), "proposal_municipality": N_("municipio"),
    "proposal_problem": N_("problema"), "proposal_causes": N_("causas"),
    "proposal_effects": N_("efectos"), "proposal_affected": N_("afectados"),
    "proposal_solution": N_("solución"), "proposal_contact_consent": N_("contacto"),
}
CANCEL_WORDS = {"cancelar", "cancela", "cancelo", "salir", "ya no quiero", "olvidalo", "mejor no"}
CENTRE_BUTTON = "/buscar_centro"
BACK_WORDS = {"atras", "regresar", "volver", "anterior", "paso anterior", "corregir anterior"}
DONT_KNOW = {"no se", "nose", "ni idea", "no lo se", "no sabria", "no tengo idea", "paso", "saltar",
             "omitir", "ninguno", "ninguna"}
YES_WORDS = {"si", "si acepto", "acepto", "claro", "si quiero", "ok", "va", "sale", "de acuerdo"}
NO_WORDS = {"no", "no gracias", "no acepto", "no quiero", "nel"}
QUESTION_STARTS = ("que es", "que son", "que significa", "como ", "cual ", "cuales ", "quien ",
                   "quienes ", "para que", "donde ", "cuando ", "por que ")
UNKNOWN = "—"


def content() -> svc.ProposalContent:
    return svc.proposal_content()


def reset_events() -> list[EventType]:
    return [SlotSet(slot, None) for slot in ALL_SLOTS]


def required(tracker: Tracker) -> list[str]:
    slots = list(FORM_SLOTS)
    if tracker.get_slot("proposal_contact_consent") == "yes":
        slots.append("proposal_contact_info")
    return slots


def looks_like_question(text: str) -> bool:
    words = normalize_words(text)
    return text.strip().endswith("?") or words.startswith(QUESTION_STARTS)


def theme_buttons() -> list[dict[str, str]]:
    return [{"title": t.title, "payload": t.title} for t in content().themes]


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
        if requested and text.startswith(CENTRE_BUTTON):
            # The centre finder's button pressed mid-intake: her safety comes first.
            return [SlotSet(requested, None), SlotSet("requested_slot", None), ActiveLoop(None),
                    FollowupAction("action_buscar_centro")]
        if requested and words in CANCEL_WORDS:
            dispatcher.utter_message(text=content().message("cancelled"))
            return [*reset_events(), SlotSet("requested_slot", None), ActiveLoop(None)]
        if requested and words in BACK_WORDS:
            order = required(tracker)
            index = order.index(requested) if requested in order else 0
            if index == 0:
                dispatcher.utter_message(text=content().message("back_first"))
                return [SlotSet(requested, None)]
            previous = order[index - 1]
            return [SlotSet(requested, None), SlotSet(previous, None)]
        return await super().run(dispatcher, tracker, domain)

    def _digression(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
        """Answer an FAQ question asked in the middle of the intake; True when it was one."""
        if not looks_like_question(text):
            return False
        ranked = ranked_faq_ids(tracker.latest_message)
        entries = faq_catalog().by_id()
        if not ranked or ranked[0][1] < FAQ_CONFIDENCE_THRESHOLD or ranked[0][0] not in entries:
            return False
        dispatcher.utter_message(text=render_answer(entries[ranked[0][0]]))
        dispatcher.utter_message(text=content().message("resume"))
        return True

    def _free_text(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                   tracker: Tracker) -> dict[str, Any]:
        text = str(value or "").strip()
        step = content().steps[slot]
        if self._digression(dispatcher, tracker, text):
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
        theme = svc.match_theme(str(value or ""))
        if theme is None:
            if not self._digression(dispatcher, tracker, str(value or "")):
                dispatcher.utter_message(text=content().steps["proposal_theme"].ask,
                                         buttons=theme_buttons())
                return {"proposal_theme": None, "requested_slot": "proposal_theme"}
            return {"proposal_theme": None}
        return {"proposal_theme": theme}

    def validate_proposal_municipality(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if self._digression(dispatcher, tracker, text):
            return {"proposal_municipality": None}
        match = match_municipality(text)
        step = content().steps["proposal_municipality"]
        if match.best is not None:
            return {"proposal_municipality": match.best.name,
                    "proposal_municipality_code": match.best.code}
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
        if words in YES_WORDS or words == normalize_words(str(getattr(step, "accept", ""))):
            return {"proposal_contact_consent": "yes"}
        if words in NO_WORDS or words == normalize_words(str(getattr(step, "decline", ""))):
            return {"proposal_contact_consent": "no", "proposal_contact_info": None}
        if self._digression(dispatcher, tracker, str(value or "")):
            return {"proposal_contact_consent": None}
        return {"proposal_contact_consent": None}

    def validate_proposal_contact_info(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "")
        if normalize_words(text) in NO_WORDS | DONT_KNOW:
            return {"proposal_contact_info": UNKNOWN}
        contact = svc.valid_contact(text)
        if contact is None:
            step = content().steps["proposal_contact_info"]
            dispatcher.utter_message(text=str(getattr(step, "invalid", step.ask)))
            return {"proposal_contact_info": None}
        return {"proposal_contact_info": contact}


def _step_number(slot: str, tracker: Tracker) -> str:
    order = required(tracker)
    if slot not in order:
        return ""
    return _("(Paso {n} de {total})").format(n=order.index(slot) + 1, total=len(order)) + " "


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
        notice = " ".join(content().privacy_notice.text.split())
        return f"{notice}\n\n{content().steps[self.slot].ask}"

    def buttons(self, tracker: Tracker) -> list[dict[str, str]]:
        step = content().steps[self.slot]
        accept = str(getattr(step, "accept", _("Sí")))
        decline = str(getattr(step, "decline", _("No")))
        return [{"title": accept, "payload": accept}, {"title": decline, "payload": decline}]


class AskContactInfo(AskStep):
    slot = "proposal_contact_info"


class ActionStartProposal(Action):
    """Starts a fresh intake: a new intake id, a theme hint and the problem if already told."""

    def name(self) -> str:
        return "action_start_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        events = [*reset_events(), SlotSet("proposal_intake_id", uuid.uuid4().hex)]
        hint = svc.suggest_theme(text) if not text.startswith("/") else None
        if hint:
            events.append(SlotSet("proposal_theme_hint", hint))
        words = normalize_words(text)
        told_problem = (not text.startswith("/") and "propon" not in words and "propuesta" not in words
                        and len(text) >= content().steps["proposal_problem"].min + 10)
        if told_problem:
            events.append(SlotSet("proposal_problem", text[: content().steps["proposal_problem"].max]))
        dispatcher.utter_message(text=content().message("start"))
        return events


def summary_text(tracker: Tracker) -> str:
    c = content()
    consent = tracker.get_slot("proposal_contact_consent") == "yes"
    contact = tracker.get_slot("proposal_contact_info")
    shown = f" ({contact})" if contact and contact != UNKNOWN else ""
    answer = _("sí") + shown if consent else _("no")
    rows = [
        (_("Tema"), c.theme_title(tracker.get_slot("proposal_theme") or "")),
        (_("Municipio"), tracker.get_slot("proposal_municipality")),
        (_("Problema"), tracker.get_slot("proposal_problem")),
        (_("Causas"), tracker.get_slot("proposal_causes")),
        (_("Efectos"), tracker.get_slot("proposal_effects")),
        (_("A quiénes afecta"), tracker.get_slot("proposal_affected")),
        (_("Solución"), tracker.get_slot("proposal_solution")),
        (_("Avisos y contacto"), answer),
    ]
    return "\n".join([c.message("summary"), *(f"• {label}: {value}" for label, value in rows)])


def complete(tracker: Tracker) -> bool:
    return all(tracker.get_slot(s) for s in required(tracker)) and bool(
        tracker.get_slot("proposal_intake_id"))


class ActionProposalSummary(Action):
    """Shows everything to confirm, with a button to correct each field."""

    def name(self) -> str:
        return "action_proposal_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if not complete(tracker):
            return []
        c = content()
        buttons = [{"title": c.message("confirm"), "payload": "/confirmar_propuesta"}]
        for slot, label in FIELD_LABELS.items():
            payload = "/editar_propuesta" + json.dumps({"campo": slot.removeprefix("proposal_")},
                                                       separators=(",", ":"))
            buttons.append({"title": c.message("edit", field=_(label)), "payload": payload})
        buttons.append({"title": _("Cancelar"), "payload": "/cancelar"})
        dispatcher.utter_message(text=summary_text(tracker), buttons=buttons)
        return [SlotSet("proposal_offered_similar", False)]


class ActionEditProposal(Action):
    """Empties one field so the form asks it again, then the summary comes back."""

    def name(self) -> str:
        return "action_edit_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        field = next(tracker.get_latest_entity_values("campo"), None)
        slot = f"proposal_{field}"
        if not tracker.get_slot("proposal_intake_id") or slot not in FIELD_LABELS:
            dispatcher.utter_message(text=content().message("mine_none"))
            return [ActiveLoop(None)]
        events: list[EventType] = [SlotSet(slot, None)]
        if slot == "proposal_contact_consent":
            events.append(SlotSet("proposal_contact_info", None))
        return events


def _sender_channel(tracker: Tracker) -> tuple[str, str]:
    metadata = tracker.latest_message.get("metadata") or {}
    return tracker.sender_id, str(metadata.get("channel") or "terminal")


def _draft(tracker: Tracker) -> svc.Draft:
    def optional(slot: str) -> str | None:
        value = tracker.get_slot(slot)
        return None if value in (None, UNKNOWN) else str(value)

    return svc.Draft(
        theme=str(tracker.get_slot("proposal_theme")),
        municipality_code=str(tracker.get_slot("proposal_municipality_code")),
        municipality=str(tracker.get_slot("proposal_municipality")),
        problem=str(tracker.get_slot("proposal_problem")),
        causes=optional("proposal_causes"), effects=optional("proposal_effects"),
        affected=optional("proposal_affected"), solution=str(tracker.get_slot("proposal_solution")),
    )


def save(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    c = content()
    sender, channel = _sender_channel(tracker)
    consent = tracker.get_slot("proposal_contact_consent") == "yes"
    contact = tracker.get_slot("proposal_contact_info")
    try:
        proposal = svc.submit(
            _draft(tracker), intake_key=str(tracker.get_slot("proposal_intake_id")), sender=sender,
            channel=channel, consent=consent,
            contact_info=None if contact in (None, UNKNOWN) else str(contact),
        )
    except SQLAlchemyError as exc:
        log.error("proposal not saved: %s", type(exc).__name__)
        dispatcher.utter_message(text=c.message("save_failed"),
                                 buttons=[{"title": c.message("confirm"),
                                           "payload": "/guardar_propuesta"}])
        return []
    text = c.message("saved", folio=proposal.folio)
    if consent:
        text += " " + c.message("saved_notify")
    dispatcher.utter_message(text=text)
    return reset_events()


class ActionConfirmProposal(Action):
    """Before saving, offers up to 3 similar proposals to support instead."""

    def name(self) -> str:
        return "action_confirm_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if not complete(tracker):
            dispatcher.utter_message(text=content().message("mine_none"))
            return []
        if not tracker.get_slot("proposal_offered_similar"):
            sender = _sender_channel(tracker)[0]
            try:
                found = svc.similar(str(tracker.get_slot("proposal_theme")),
                                    str(tracker.get_slot("proposal_municipality_code")),
                                    str(tracker.get_slot("proposal_problem")), sender)
            except SQLAlchemyError:
                found = []
            if found:
                c = content()
                lines = [c.message("similar")]
                buttons = []
                for p in found:
                    lines.append(f"• {p.folio}: {p.problem[:140]}")
                    buttons.append({"title": c.message("support_button", folio=p.folio),
                                    "payload": "/apoyar_propuesta" + json.dumps(
                                        {"folio": p.folio}, separators=(",", ":"))})
                buttons.append({"title": c.message("save_mine"), "payload": "/guardar_propuesta"})
                dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
                return [SlotSet("proposal_offered_similar", True)]
        return save(dispatcher, tracker)


class ActionSaveProposal(Action):
    def name(self) -> str:
        return "action_save_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if not complete(tracker):
            dispatcher.utter_message(text=content().message("mine_none"))
            return []
        return save(dispatcher, tracker)


class ActionAdhereProposal(Action):
    """Supports someone else's proposal instead of saving a near-copy."""

    def name(self) -> str:
        return "action_adhere_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        folio = str(next(tracker.get_latest_entity_values("folio"), "") or "")
        sender = _sender_channel(tracker)[0]
        c = content()
        try:
            result = svc.adhere(folio, sender)
        except SQLAlchemyError:
            dispatcher.utter_message(text=c.message("save_failed"))
            return []
        dispatcher.utter_message(text=c.message(result, folio=folio))
        return reset_events() if result == "adhered" else []


class ActionCancelProposal(Action):
    def name(self) -> str:
        return "action_cancel_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("proposal_intake_id"):
            dispatcher.utter_message(text=content().message("cancelled"))
        else:
            dispatcher.utter_message(text=_("No tienes ninguna propuesta en curso. ¿Te ayudo con algo más?"))
        return reset_events()


class ActionMyProposals(Action):
    """Status and history of the person's own proposals (never anyone else's)."""

    def name(self) -> str:
        return "action_my_proposals"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        c = content()
        sender = _sender_channel(tracker)[0]
        try:
            own = svc.mine(sender)
        except SQLAlchemyError:
            dispatcher.utter_message(
                text=_("Ahorita no puedo consultar tus propuestas. Intenta en un momento.")
            )
            return []
        if not own:
            dispatcher.utter_message(text=c.message("mine_none"))
            return []
        blocks = [c.message("mine_header")]
        for p in own[:10]:
            info = c.statuses[p.status]
            history = " → ".join(
                f"{c.statuses[h.to_status].label} ({format_day(h.created_at.date())})"
                + (f": {h.note}" if h.note and h.actor != "ciudadanía" else "")
                for h in p.history
            )
            state = _("Estado: {label}. {meaning}").format(label=info.label, meaning=info.meaning)
            blocks.append(f"{p.folio} · {c.theme_title(p.theme)} · {p.municipality}\n{state}\n"
                          + _("Historial: {history}").format(history=history))
        dispatcher.utter_message(text="\n\n".join(blocks))
        return []
