"""After the proposal form: summary, corrections, similar proposals, saving, support, "mis propuestas".

The form itself (asking and validating each step) is in :mod:`actions.proposal_form`.
"""

from __future__ import annotations

import json
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.channel import in_terminal
from actions.proposal_form import (
    CANCEL_ASKED,
    FIELD_LABELS,
    UNKNOWN,
    ask_cancel,
    asked_instead,
    asked_to_cancel,
    cancel_confirmed,
    cancelled,
    content,
    has_answers,
    required,
    reset_events,
)
from bot.i18n import _, format_day
from bot.privacy.masking import mask_personal_data
from bot.proposals import service as svc
from bot.proposals.follow_dialogue import follow_button
from bot.proposals.record_dialogue import question_buttons

log = logging.getLogger(__name__)


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
            dispatcher.utter_message(text=content().message("none_in_progress"))
            # The rule runs the form next: stop it, or an empty interview starts (and takes the
            # next button pressed, «/apoyar_propuesta…», as its theme).
            return [ActiveLoop(None), FollowupAction("action_listen")]
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
        text += " " + c.message("saved_notify_terminal" if in_terminal(tracker) else "saved_notify")
    dispatcher.utter_message(text=text)
    # The one question after sending: its public record (answered by the core, no NLU change).
    dispatcher.utter_message(text=c.message("record_question"),
                             buttons=question_buttons(str(proposal.folio)))
    return reset_events()


class ActionConfirmProposal(Action):
    """Before saving, offers up to 3 similar proposals to support instead."""

    def name(self) -> str:
        return "action_confirm_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if not complete(tracker):  # a stale button: sent, cancelled or never started
            dispatcher.utter_message(text=content().message("none_in_progress"))
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
                    lines.append(f"• {p.folio}: {mask_personal_data(p.problem)[:140]}")
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
        if not complete(tracker):  # a stale button: sent, cancelled or never started
            dispatcher.utter_message(text=content().message("none_in_progress"))
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
        if not folio.strip():  # «/apoyar_propuesta» alone: which one? (it said «No encontré … .»)
            dispatcher.utter_message(text=c.message("support_which"))
            return []
        try:
            result = svc.adhere(folio, sender)
        except SQLAlchemyError:
            dispatcher.utter_message(text=c.message("save_failed"))
            return []
        if result in ("adhered", "already_adhered") and in_terminal(tracker):
            dispatcher.utter_message(text=c.message(result, folio=folio))  # no notice reaches it
        elif result in ("adhered", "already_adhered"):
            # «Avísame cómo va»: answered by the core (bot/proposals/follow_dialogue.py).
            dispatcher.utter_message(text=c.message(result, folio=folio) + " " + c.message("follow_offer"),
                                     buttons=[follow_button(folio.strip().upper())])
        else:
            dispatcher.utter_message(text=c.message(result, folio=folio))
        return reset_events() if result == "adhered" else []


class ActionCancelProposal(Action):
    def name(self) -> str:
        return "action_cancel_proposal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("proposal_intake_id"):
            in_form = bool(tracker.active_loop_name)
            confirmed = cancel_confirmed(tracker) or (in_form and asked_to_cancel(tracker))
            if has_answers(tracker) and not confirmed:
                # Nothing lost without asking: "sí" (typed or pressed) comes back here.
                ask_cancel(dispatcher)
                return [SlotSet(CANCEL_ASKED, True)] if in_form else []
            if in_form:
                return cancelled(dispatcher, then=asked_instead(tracker) if confirmed else None)
            dispatcher.utter_message(text=content().message("cancelled"))
        else:
            # Nothing of any flow is pending (the core answers «cancelar» to its own questions):
            # «propuesta» confused someone who had just drafted an information request (walk8).
            dispatcher.utter_message(text=_("No hay nada en curso que cancelar. ¿Te ayudo con algo más?"))
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
                f"{c.statuses[h.to_status].label} ({format_day(h.created_at)})"
                + (f": {h.note}" if h.note and h.actor != "ciudadanía" else "")
                for h in p.history
            )
            state = _("Estado: {label}. {meaning}").format(label=info.label, meaning=info.meaning)
            blocks.append(f"{p.folio} · {c.theme_title(p.theme)} · {p.municipality}\n{state}\n"
                          + _("Historial: {history}").format(history=history))
        dispatcher.utter_message(text="\n\n".join(blocks))
        return []
