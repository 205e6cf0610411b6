"""Rasa's SQL tracker store, minus the text of violence conversations.

Configured in the endpoints file that ``bot/rasa/servers.py`` writes::

    tracker_store:
      type: tracker_stores.scrubbing.ScrubbingSQLTrackerStore
      dialect: postgresql
      ...
      sensitive_intents: [buscar_centro, salida_rapida, faq/que_es_feminicidio, ...]

What is blanked, and when, is decided by ``bot/rasa/tracker_scrub.py`` (standard library only, unit
tested in the application's environment). Events are scrubbed on their way to the database; the
tracker Rasa holds in memory for the current turn keeps its text, so actions still see it.
No event broker is used with this store (a broker would receive the unscrubbed events).

It also remembers, for the most recent conversations, the stored (already scrubbed) events of
their current session, so a turn reads the conversation from memory instead of loading and
parsing every event again (twice: Rasa reads it, and the ``participa`` channel reads it once more
for the intent). The memory is checked against the database on every use (the newest event id of
the conversation), so another Rasa replica writing to the same conversation, or an erasure, is
never missed. ``cache_bytes: 0`` turns it off.
"""

import json
import logging
from collections import OrderedDict
from typing import Any, Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_scrub import DEFAULT_INTENTS, DEFAULT_LOOPS, DEFAULT_SLOTS, scrub_new_events

logger = logging.getLogger(__name__)

# What the model understood in each conversation's last saved turn (intent and FAQ answer, never
# text), for the ``participa`` channel's reply: it saves reading the conversation once more.
# Popped when read; bounded for channels that never read it.
_UNDERSTOOD: "OrderedDict[str, Dict[str, Any]]" = OrderedDict()
_UNDERSTOOD_MAX = 10_000


def understanding(parse_data: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Intent, confidence and the FAQ response selector's pick from a message's parse data."""
    data = parse_data or {}
    intent = data.get("intent") or {}
    selector = (data.get("response_selector") or {}).get("faq") or {}
    prediction = selector.get("response") or {}
    return {
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "faq": prediction.get("intent_response_key"),
        "faq_confidence": prediction.get("confidence"),
    }


def pop_understanding(sender_id: str) -> Optional[Dict[str, Any]]:
    return _UNDERSTOOD.pop(sender_id, None)


def _keep_understanding(tracker: DialogueStateTracker) -> None:
    latest = tracker.latest_message
    _UNDERSTOOD.pop(tracker.sender_id, None)
    _UNDERSTOOD[tracker.sender_id] = understanding(latest.parse_data if latest else None)
    while len(_UNDERSTOOD) > _UNDERSTOOD_MAX:
        _UNDERSTOOD.popitem(last=False)


class ScrubbingSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Any] = None,
        sensitive_intents: Optional[Iterable[str]] = None,
        sensitive_loops: Optional[Iterable[str]] = None,
        sensitive_slots: Optional[Iterable[str]] = None,
        cache_bytes: int = 64 * 1024 * 1024,
        **kwargs: Any,
    ) -> None:
        self.sensitive_intents = frozenset(sensitive_intents or ()) | DEFAULT_INTENTS
        self.sensitive_loops = frozenset(sensitive_loops or ()) | DEFAULT_LOOPS
        self.sensitive_slots = frozenset(sensitive_slots or ()) | DEFAULT_SLOTS
        if kwargs.get("event_broker") is not None:
            logger.warning("participa.scrubbing: event broker ignored (it would get unscrubbed text)")
            kwargs["event_broker"] = None
        super().__init__(domain=domain, **kwargs)
        self.cache_bytes = int(cache_bytes)
        # sender id -> (newest stored event id or None, current session's events as stored JSON)
        self._recent: "OrderedDict[str, Tuple[Optional[int], List[str]]]" = OrderedDict()
        self._recent_size = 0
        # Built once: the ORM query for this cost ≈ 0.5 ms of CPU per use, two or three per turn.
        events = self.SQLEvent.__table__
        self._newest_id = sa.select(sa.func.max(events.c.id)).where(
            events.c.sender_id == sa.bindparam("sender_id")
        )
        logger.info(
            "participa.scrubbing: active (%d sensitive intents)", len(self.sensitive_intents)
        )

    def _forget(self, sender_id: str) -> None:
        entry = self._recent.pop(sender_id, None)
        if entry is not None:
            self._recent_size -= sum(len(item) for item in entry[1])

    def _remember(self, sender_id: str, last_id: Optional[int], events: List[str]) -> None:
        self._forget(sender_id)
        size = sum(len(item) for item in events)
        if not self.cache_bytes or size > self.cache_bytes // 4:
            return
        self._recent[sender_id] = (last_id, events)
        self._recent_size += size
        while self._recent_size > self.cache_bytes and self._recent:
            self._forget(next(iter(self._recent)))

    def _cached(self, session: Any, sender_id: str) -> Optional[List[str]]:
        """The remembered events, if no one has written this conversation since."""
        entry = self._recent.get(sender_id)
        if entry is None:
            return None
        newest = session.execute(self._newest_id, {"sender_id": sender_id}).scalar()
        if newest != entry[0]:
            self._forget(sender_id)
            return None
        self._recent.move_to_end(sender_id)
        return entry[1]

    @staticmethod
    def _current_session(events: List[str]) -> List[str]:
        """What ``_event_query`` would return: events from the latest session start on."""
        parsed = [json.loads(item) for item in events]
        starts = [e.get("timestamp") or 0 for e in parsed if e.get("event") == SessionStarted.type_name]
        if not starts:
            return events
        start = max(starts)
        return [item for item, e in zip(events, parsed) if (e.get("timestamp") or 0) >= start]

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions or not self.cache_bytes:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            stored = self._cached(session, sender_id)
            if stored is None:
                rows = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=False
                ).all()
                stored = [row.data for row in rows]
                # A new conversation is remembered too (no events, no id): its first save then
                # needs no count of stored events, and its second turn no full read.
                self._remember(sender_id, rows[-1].id if rows else None, stored)
        if self.domain and stored:
            events = [json.loads(item) for item in stored]
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        _keep_understanding(tracker)
        with self.session_scope() as session:
            cached = self._cached(session, tracker.sender_id) if self.cache_bytes else None
            if cached is not None:
                stored = len(cached)
            else:
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
            rows = []
            for event, data in zip(events[stored:], scrubbed):
                intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
                rows.append(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.add_all(rows)
            session.flush()
            written = [(row.id, row.data) for row in rows]
            session.commit()
            if cached is not None and written:
                current = cached + [data for _, data in written]
                if any(event.type_name == SessionStarted.type_name for event in events[stored:]):
                    current = self._current_session(current)
                self._remember(tracker.sender_id, written[-1][0], current)
