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

The database work of a turn (reading the newest event id or the conversation, writing the new
events) runs in a worker thread, not on Rasa's event loop: a synchronous query there stopped the
whole Sanic worker, every other conversation included, for each round trip to PostgreSQL (and
longer when the database waited for a busy CPU). The memory of recent conversations is only
touched on the event loop; Rasa's lock store keeps one turn per conversation at a time.
"""

import asyncio
import json
import logging
from collections import OrderedDict
from typing import Any, Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, Event, Restarted, SessionStarted,
                                     UserUttered, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_scrub import DEFAULT_INTENTS, DEFAULT_LOOPS, DEFAULT_SLOTS, scrub_new_events

logger = logging.getLogger(__name__)

# What the model understood in each conversation's last saved turn (intent, FAQ answer, the form
# that took the message; never text), for the ``participa`` channel's reply: it saves reading the
# conversation once more.
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


def form_that_took(events: Iterable[Event]) -> Optional[str]:
    """The form that took the latest user message as an answer: the one waiting when she wrote
    it, run after it (not rejected). None when no form waited, or another action answered.
    ``events``: all of the tracker's (its applied events leave out a form's happy turns)."""
    waiting: Optional[str] = None
    asked: Optional[str] = None
    took: Optional[str] = None
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            waiting = asked = took = None
        elif isinstance(event, ActiveLoop):
            waiting = event.name
        elif isinstance(event, UserUtteranceReverted):
            waiting, took = asked, None  # a re-stated message: as before it was first said
        elif isinstance(event, UserUttered):
            asked, took = waiting, None
        elif isinstance(event, ActionExecuted) and asked and event.action_name == asked:
            took = asked
    return took


def turn_understanding(tracker: DialogueStateTracker) -> Dict[str, Any]:
    """What the turn understood (:func:`understanding`) and the form that took the message."""
    latest = tracker.latest_message
    understood = understanding(latest.parse_data if latest else None)
    understood["form"] = form_that_took(tracker.events)
    return understood


def pop_understanding(sender_id: str) -> Optional[Dict[str, Any]]:
    return _UNDERSTOOD.pop(sender_id, None)


def _keep_understanding(tracker: DialogueStateTracker) -> None:
    _UNDERSTOOD.pop(tracker.sender_id, None)
    _UNDERSTOOD[tracker.sender_id] = turn_understanding(tracker)
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

    def _newest_stored_id(self, session: Any, sender_id: str) -> Optional[int]:
        return session.execute(self._newest_id, {"sender_id": sender_id}).scalar()

    def _still_current(
        self, session: Any, sender_id: str, entry: Optional[Tuple[Optional[int], List[str]]]
    ) -> bool:
        """True if the remembered events are still all there is (no one wrote since)."""
        return entry is not None and self._newest_stored_id(session, sender_id) == entry[0]

    def _use(self, sender_id: str, entry: Tuple[Optional[int], List[str]]) -> None:
        """The remembered events were current: keep them as the most recently used."""
        if self._recent.get(sender_id) is entry:
            self._recent.move_to_end(sender_id)
        else:  # dropped for room meanwhile
            self._remember(sender_id, *entry)

    @staticmethod
    def _current_session(events: List[str]) -> List[str]:
        """What ``_event_query`` would return: events from the latest session start on."""
        parsed = [json.loads(item) for item in events]
        starts = [e.get("timestamp") or 0 for e in parsed if e.get("event") == SessionStarted.type_name]
        if not starts:
            return events
        start = max(starts)
        return [item for item, e in zip(events, parsed) if (e.get("timestamp") or 0) >= start]

    def _read(
        self, sender_id: str, entry: Optional[Tuple[Optional[int], List[str]]]
    ) -> Optional[Tuple[Optional[int], List[str]]]:
        """In a worker thread: None if ``entry`` is current, else the stored session's events."""
        with self.session_scope() as session:
            if self._still_current(session, sender_id, entry):
                return None
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            return (rows[-1].id if rows else None), [row.data for row in rows]

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions or not self.cache_bytes:  # Rasa's own read
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        entry = self._recent.get(sender_id)
        read = await asyncio.to_thread(self._read, sender_id, entry)
        if read is None:
            assert entry is not None
            self._use(sender_id, entry)
            stored = entry[1]
        else:
            # A new conversation is remembered too (no events, no id): its first save then
            # needs no count of stored events, and its second turn no full read.
            self._remember(sender_id, *read)
            stored = read[1]
        if self.domain and stored:
            events = [json.loads(item) for item in stored]
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _write(
        self,
        tracker: DialogueStateTracker,
        entry: Optional[Tuple[Optional[int], List[str]]],
    ) -> Tuple[bool, List[Tuple[int, str]], bool]:
        """In a worker thread: store the events not stored yet, scrubbed.

        Returns whether ``entry`` was current, the (id, JSON) rows written, and whether a new
        session started among them.
        """
        with self.session_scope() as session:
            current = self._still_current(session, tracker.sender_id, entry)
            if current:
                assert entry is not None
                stored = len(entry[1])
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
            new_session = any(e.type_name == SessionStarted.type_name for e in events[stored:])
            return current, written, new_session

    async def save(self, tracker: DialogueStateTracker) -> None:
        _keep_understanding(tracker)
        entry = self._recent.get(tracker.sender_id) if self.cache_bytes else None
        current, written, new_session = await asyncio.to_thread(self._write, tracker, entry)
        if entry is None:
            return
        if not current:
            self._forget(tracker.sender_id)
            return
        if written:
            events = entry[1] + [data for _, data in written]
            if new_session:
                events = self._current_session(events)
            self._remember(tracker.sender_id, written[-1][0], events)
        else:
            self._use(tracker.sender_id, entry)
