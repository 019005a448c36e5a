"""The change feed as read: public events after a position, each naming what it changed.

Incident and claim events carry the incident exactly as that event left it (its revision row),
so a consumer that applies the feed in order - upsert the incident, or remove it when the event
made it a tombstone - holds the incident list the API serves. Events that are not public (the
review queue's, ...) are skipped, but the feed's position moves past them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from actors.events import ACTOR_EVENTS, ActorMerged
from incidents.events import CLAIM_EVENTS, INCIDENT_EVENTS
from incidents.selectors import incident_states_at_positions
from incidents.state import IncidentState, Status
from ledger import store
from ledger.store import RecordedEvent

PUBLIC_EVENTS = frozenset((*INCIDENT_EVENTS, *CLAIM_EVENTS, *ACTOR_EVENTS))
_INCIDENT_EVENTS = frozenset((*INCIDENT_EVENTS, *CLAIM_EVENTS))


@dataclass(frozen=True)
class Tombstone:
    status: str  # dropped | retracted | merged
    merged_into: str | None


@dataclass(frozen=True)
class Change:
    recorded: RecordedEvent
    incident: uuid.UUID | None
    actor: uuid.UUID | None
    state: IncidentState | None  # the incident right after this event
    tombstone: Tombstone | None


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    position: int  # resume with after=position
    more: bool


def _change(recorded: RecordedEvent, states: dict[int, IncidentState]) -> Change:
    event = recorded.event
    if type(event) in _INCIDENT_EVENTS:
        state = states[recorded.position]
        tombstone = None
        if state.status != Status.ACTIVE:
            tombstone = Tombstone(state.status, state.merged_into)
        return Change(recorded, uuid.UUID(state.id), None, state, tombstone)
    tombstone = Tombstone(Status.MERGED, event.into) if isinstance(event, ActorMerged) else None
    return Change(recorded, None, recorded.stream_id, None, tombstone)


def change_page(*, after: int, limit: int) -> ChangePage:
    """Up to `limit` events after position `after`, in position order, public ones kept."""
    events = store.read_all(after=after, limit=limit + 1)
    more = len(events) > limit
    events = events[:limit]
    public = [e for e in events if type(e.event) in PUBLIC_EVENTS]
    states = incident_states_at_positions(
        positions=[e.position for e in public if type(e.event) in _INCIDENT_EVENTS]
    )
    position = events[-1].position if events else after
    return ChangePage([_change(e, states) for e in public], position, more)
