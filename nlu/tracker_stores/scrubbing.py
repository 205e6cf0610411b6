"""Rasa's SQL tracker store, minus the text of violence conversations.

Configured in the endpoints file that ``bot/servers.py`` writes::

    tracker_store:
      type: tracker_stores.scrubbing.ScrubbingSQLTrackerStore
      dialect: postgresql
      ...
      sensitive_intents: [buscar_centro, salida_rapida, faq/que_es_feminicidio, ...]

What is blanked, and when, is decided by ``bot/tracker_scrub.py`` (standard library only, unit
tested in the application's environment). Events are scrubbed on their way to the database; the
tracker Rasa holds in memory for the current turn keeps its text, so actions still see it.
No event broker is used with this store (a broker would receive the unscrubbed events).
"""

import json
import logging
from typing import Any, Iterable, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_scrub import DEFAULT_INTENTS, DEFAULT_LOOPS, DEFAULT_SLOTS, scrub_new_events

logger = logging.getLogger(__name__)


class ScrubbingSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Any] = None,
        sensitive_intents: Optional[Iterable[str]] = None,
        sensitive_loops: Optional[Iterable[str]] = None,
        sensitive_slots: Optional[Iterable[str]] = None,
        **kwargs: Any,
    ) -> None:
        self.sensitive_intents = frozenset(sensitive_intents or ()) | DEFAULT_INTENTS
        self.sensitive_loops = frozenset(sensitive_loops or ()) | DEFAULT_LOOPS
        self.sensitive_slots = frozenset(sensitive_slots or ()) | DEFAULT_SLOTS
        if kwargs.get("event_broker") is not None:
            logger.warning("participa.scrubbing: event broker ignored (it would get unscrubbed text)")
            kwargs["event_broker"] = None
        super().__init__(domain=domain, **kwargs)
        logger.info(
            "participa.scrubbing: active (%d sensitive intents)", len(self.sensitive_intents)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            stored = self._event_query(
                session, tracker.sender_id, fetch_events_from_all_sessions=False
            ).count()
            events = list(tracker.events)
            as_dicts = [event.as_dict() for event in events]
            scrubbed = scrub_new_events(
                as_dicts,
                stored,
                self.sensitive_intents,
                self.sensitive_loops,
                self.sensitive_slots,
            )
            for event, data in zip(events[stored:], scrubbed):
                intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
