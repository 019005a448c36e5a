"""The change feed as read: one item per incident per append, carrying its whole public state.

Every event that moves an incident's public representation is folded into its revision rows
(incident and claim events, and review flags and decisions about it: they move `review_state`,
`updated_at` and `last_position`). The feed reads the log's appends and, for each incident an
append touched, gives the state its last event in that append left it in. So the consumer's fold
is "keep the latest state per id": applied from position 0, it holds exactly
`GET /incidents/?include=all` (tombstones included) at the end of every append, which is every
`position` a page reports. Actor events are listed one item each.

An append is the run of consecutive events that share one `recorded_at`: the store stamps all of
an append's events with one instant (ledger.store.append_batch), taken under the log's lock, so
successive appends never share it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models.fields.json import KeyTextTransform

from actors.events import ACTOR_EVENTS
from incidents.projection import IncidentProjection
from incidents.selectors import incident_states_at_positions
from incidents.state import IncidentState, Status
from ledger import store
from ledger.models import StoredEvent

# Whatever the incident projection folds into revisions moves the public incident: an event
# type added there is in the feed without a change here.
_INCIDENT_TYPES = frozenset(t.type_name() for t in IncidentProjection.handles)
_ACTOR_TYPES = frozenset(t.type_name() for t in ACTOR_EVENTS)
_SCAN = 5000  # log rows read per query; only light columns, never incident payloads


@dataclass(frozen=True)
class Tombstone:
    status: str  # dropped | retracted | merged
    merged_into: str | None


@dataclass(frozen=True)
class Change:
    """One incident as an append left it, or one actor event."""

    position: int  # the incident's last event in the append, or the actor event's
    recorded_at: datetime
    metadata: dict[str, Any]
    events: list[str]  # the types of the append's events that changed it, in log order
    incident: uuid.UUID | None = None
    actor: uuid.UUID | None = None
    state: IncidentState | None = None
    tombstone: Tombstone | None = None
    data: dict[str, Any] | None = None  # an actor event's payload


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    position: int  # the end of the last append read: resume with after=position
    more: bool


@dataclass
class _Item:
    position: int
    recorded_at: datetime
    metadata: dict[str, Any]
    events: list[str] = field(default_factory=list)
    incident: str | None = None
    actor: uuid.UUID | None = None


def _rows(after: int, upto: int) -> Iterator[tuple[Any, ...]]:
    """(position, type, stream_id, recorded_at, incident_id in the data, metadata) in order."""
    while after < upto:
        rows = list(
            StoredEvent.objects.filter(position__gt=after, position__lte=upto)
            .order_by("position")
            .annotate(about=KeyTextTransform("incident_id", "data"))
            .values_list("position", "type", "stream_id", "recorded_at", "about", "metadata")[
                :_SCAN
            ]
        )
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def _appends(after: int, upto: int) -> Iterator[tuple[int, list[_Item]]]:
    """Each append after `after` as (its last position, its compacted items in order)."""
    items: dict[Any, _Item] = {}
    current: datetime | None = None
    end = after
    for position, type_, stream_id, at, about, metadata in _rows(after, upto):
        if current is not None and at != current:
            yield end, sorted(items.values(), key=lambda i: i.position)
            items = {}
        current, end = at, position
        if type_ in _ACTOR_TYPES:
            items[position] = _Item(position, at, metadata, [type_], actor=stream_id)
            continue
        if type_ not in _INCIDENT_TYPES:
            continue  # not about incidents: places, ...
        # As the projection keys it; a flag about no incident gets no revision, so no item.
        key = about or str(stream_id)
        item = items.setdefault(("incident", key), _Item(position, at, metadata, incident=key))
        item.position = position
        item.events.append(type_)
    if current is not None:
        yield end, sorted(items.values(), key=lambda i: i.position)


def _change(item: _Item, states: dict[int, IncidentState], rows: dict[int, Any]) -> Change | None:
    if item.actor is not None:
        return Change(
            item.position,
            item.recorded_at,
            item.metadata,
            item.events,
            actor=item.actor,
            data=rows[item.position],
        )
    state = states.get(item.position)
    if state is None:  # only flags about no incident, or one never recorded: never projected
        return None
    tombstone = None
    if state.status != Status.ACTIVE:
        tombstone = Tombstone(state.status, state.merged_into)
    return Change(
        item.position,
        item.recorded_at,
        item.metadata,
        item.events,
        incident=uuid.UUID(state.id),
        state=state,
        tombstone=tombstone,
    )


def change_page(*, after: int, limit: int) -> ChangePage:
    """Whole appends after position `after` until at least `limit` items are gathered (a page
    ends at an append's end, so one large append can make it longer than `limit`)."""
    # Taken first: every position up to it is committed (positions follow commit order), so
    # nothing appended while this page is read is skipped by the next one.
    last = store.last_position()
    items: list[_Item] = []
    position = after
    for end, appended in _appends(after, last):
        items += appended
        position = end
        if len(items) >= limit:
            break
    incident_positions = [i.position for i in items if i.incident is not None]
    states = incident_states_at_positions(positions=incident_positions)
    actor_positions = [i.position for i in items if i.actor is not None]
    data = dict(
        StoredEvent.objects.filter(position__in=actor_positions).values_list("position", "data")
    )
    changes = [c for i in items if (c := _change(i, states, data)) is not None]
    return ChangePage(changes, position, position < last)
