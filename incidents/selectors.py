"""Reads of incidents: filtered keyset pages of the current state or of the state as of a log
position, counts, one incident's history, claims, and the revision lookups time travel rests on.

Lists, exports and counts select through one FilterSet (incidents.query) over the live rows or
over the revision rows valid at a position: the same SQL, the same indexes, at any position.
`time_travel_position` turns as_of / as_of_position / as_of_edition into that position.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from actors.models import Actor, ActorAlias, ActorRelation
from common.names import normalize_name
from common.query import filtered
from incidents.editions import edition_records
from incidents.models import (
    Claim,
    Incident,
    IncidentRevision,
)
from incidents.projection import current_state
from incidents.query import (
    ALL_STATUSES,
    ActorMatch,
    ClaimFilterSet,
    IncidentFilters,
    IncidentFilterSet,
    Table,
    valid_at,
)
from incidents.state import IncidentState, Status
from ledger import store
from ledger.models import StoredEvent
from ledger.store import RecordedEvent

RELATED = ("predecessors", "affiliates", "successors")
PERPETRATOR_STATUSES = ("claimed", "attributed", "suspected", "denied", "unknown")
INCIDENT_STATUSES = ALL_STATUSES
# What the parser classifies an entry as (ingestion.parsing.events.classify), the closed
# vocabulary of event_type; a test keeps the two in step.
EVENT_TYPES = (
    "ambush",
    "armed_attack",
    "arrest_or_trial",
    "designation_or_sanction",
    "hostage_release",
    "ied_or_landmine",
    "kidnapping",
    "leader_killed_or_captured",
    "massacre_of_civilians",
    "military_operation",
    "mortar_or_rocket",
    "report_or_assessment",
    "statement_or_propaganda",
    "suicide_bombing",
    "vehicle_bomb",
    "other",
)
# Public ordering name -> Incident column; every order ends on id in the same direction.
ORDERINGS = {"date_start": "date_start", "killed": "killed_best", "updated": "last_position"}
# An actor "evolves into" another: (relation kind, True when subject -> object is that direction).
_EVOLVES = {"merged_into": True, "renamed_to": True, "splinter_of": False}


# --- filters --------------------------------------------------------------------------------


def actor_match(*, names: Iterable[str], include_related: Iterable[str] = ()) -> ActorMatch:
    """Actors going by any of `names` (any alias, merged duplicates included), widened by
    `include_related`: predecessors and successors follow merged_into / renamed_to /
    splinter_of transitively; affiliates are one affiliate_of step either way."""
    keys = {normalize_name(n) for n in names} - {""}
    ids = set(ActorAlias.objects.filter(normalized__in=keys).values_list("actor_id", flat=True))
    edges = list(ActorRelation.objects.values_list("subject_id", "kind", "object_id"))
    merged: list[tuple[uuid.UUID, uuid.UUID]] = [
        (a, b) for a, b in Actor.objects.values_list("id", "merged_into") if b is not None
    ]

    def closure(start: set[uuid.UUID], step: Callable[[uuid.UUID], set[uuid.UUID]]) -> set:
        seen, todo = set(start), list(start)
        while todo:
            for other in step(todo.pop()) - seen:
                seen.add(other)
                todo.append(other)
        return seen

    def same(a: uuid.UUID) -> set[uuid.UUID]:
        return {x for x, y in merged if y == a} | {y for x, y in merged if x == a}

    def evolves(a: uuid.UUID, forward: bool) -> set[uuid.UUID]:
        out = set()
        for subject, kind, obj in edges:
            if kind in _EVOLVES:
                before, after = (subject, obj) if _EVOLVES[kind] else (obj, subject)
                if (before if forward else after) == a:
                    out.add(after if forward else before)
        return out

    ids = closure(ids, same)
    related = set(ids)
    if "predecessors" in include_related:
        related |= closure(ids, lambda a: evolves(a, False) | same(a))
    if "successors" in include_related:
        related |= closure(ids, lambda a: evolves(a, True) | same(a))
    if "affiliates" in include_related:
        for subject, kind, obj in edges:
            if kind == "affiliate_of" and (subject in ids or obj in ids):
                related |= {subject, obj}
    related = closure(related, same)
    aliases = ActorAlias.objects.filter(actor_id__in=related).values_list("normalized", flat=True)
    return ActorMatch(frozenset(related), frozenset(keys | set(aliases)))


def _filtered(filters: IncidentFilters, actors: ActorMatch | None, table: Table) -> QuerySet[Any]:
    return IncidentFilterSet.for_filters(filters, table=table, actors=actors).qs


def _actors_of(filters: IncidentFilters) -> ActorMatch | None:
    if not filters.actors:
        return None
    return actor_match(names=filters.actors, include_related=filters.include_related)


# --- ordered keyset pages -------------------------------------------------------------------


@dataclass(frozen=True)
class Ordering:
    key: str  # a key of ORDERINGS
    descending: bool = True


@dataclass(frozen=True)
class Cursor:
    """The last item of a page: its ordering value (JSON-able: ISO date, int or None) and id."""

    value: Any
    id: uuid.UUID


@dataclass(frozen=True)
class IncidentPage:
    items: list[IncidentState]
    next: Cursor | None
    position: int  # the log position the page reflects
    previous: Cursor | None = (
        None  # page backwards from here (its first item), if anything precedes
    )


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _cursor(row: tuple[uuid.UUID, Any]) -> Cursor:
    return Cursor(_json_value(row[1]), row[0])


def _page_of_rows(
    qs: QuerySet[Any], table: Table, ordering: Ordering, after: Cursor | None, size: int
) -> tuple[list[tuple[uuid.UUID, Any]], bool]:
    """(id, ordering value) of one keyset page, by the ordering's column then the incident's
    id, nulls last; and whether more follow."""
    column, desc, key = ORDERINGS[ordering.key], ordering.descending, table.id_column
    id_order = F(key).desc() if desc else F(key).asc()
    rows: list[tuple[uuid.UUID, Any]] = []
    if after is None or after.value is not None:
        part = qs.filter(**{f"{column}__isnull": False})
        if after is not None:
            compare = TupleLessThan if desc else TupleGreaterThan
            part = part.filter(compare(Tuple(F(column), F(key)), (after.value, after.id)))
        order = F(column).desc(nulls_last=True) if desc else F(column).asc(nulls_last=True)
        rows = list(part.order_by(order, id_order).values_list(key, column)[: size + 1])
    if len(rows) <= size and table.model._meta.get_field(column).null:
        part = qs.filter(**{f"{column}__isnull": True})
        if after is not None and after.value is None:
            part = part.filter(**{f"{key}__lt" if desc else f"{key}__gt": after.id})
        rows += list(part.order_by(id_order).values_list(key, column)[: size + 1 - len(rows)])
    return rows[:size], len(rows) > size


def _rows_before(
    qs: QuerySet[Any], table: Table, ordering: Ordering, before: Cursor, size: int
) -> tuple[list[tuple[uuid.UUID, Any]], bool]:
    """The rows just before `before` in _page_of_rows' order (read in the reverse order, then
    turned round), and whether more precede them."""
    column, desc, key = ORDERINGS[ordering.key], ordering.descending, table.id_column
    back_id = F(key).asc() if desc else F(key).desc()
    back_value = F(column).asc() if desc else F(column).desc()
    rows: list[tuple[uuid.UUID, Any]] = []
    if before.value is None:  # in the nulls: the earlier nulls, then every valued row
        nulls = qs.filter(**{f"{column}__isnull": True})
        nulls = nulls.filter(**{f"{key}__gt" if desc else f"{key}__lt": before.id})
        rows = list(nulls.order_by(back_id).values_list(key, column)[: size + 1])
        valued = qs.filter(**{f"{column}__isnull": False})
    else:
        compare = TupleGreaterThan if desc else TupleLessThan
        valued = qs.filter(**{f"{column}__isnull": False}).filter(
            compare(Tuple(F(column), F(key)), (before.value, before.id))
        )
    if len(rows) <= size:
        more_rows = valued.order_by(back_value, back_id).values_list(key, column)
        rows += list(more_rows[: size + 1 - len(rows)])
    return list(reversed(rows[:size])), len(rows) > size


@contextmanager
def _serial_plans() -> Iterator[None]:
    """Plan the queries inside without parallel workers (PostgreSQL).

    A page is a LIMITed walk of an order index that stops when the page is full. PostgreSQL
    may still plan it as a Gather Merge of workers that each walk part of the index: each
    must fill its own share of the page, so together they read about twice the entries one
    walk would, and start processes first. Counts (a whole scan) keep their workers: this
    holds only around a page's row queries, in a transaction of its own, or inside the
    caller's with the setting given back after.
    """
    if connection.vendor != "postgresql":
        yield
        return
    inside = connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_parallel_workers_per_gather'), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
        (previous, _) = cursor.fetchone()
        yield
        if inside:  # otherwise the commit ends the setting
            cursor.execute(
                "SELECT set_config('max_parallel_workers_per_gather', %s, true)", [previous]
            )


def _states(ids: list[uuid.UUID], table: Table) -> list[IncidentState]:
    """The states of `ids` at the table's position (the open revision when live), in order."""
    revisions = IncidentRevision.objects.filter(incident_id__in=ids)
    if table.position is None:
        revisions = revisions.filter(valid_to__isnull=True)
    else:
        revisions = revisions.filter(valid_at(table.position))
    by_id = {r.incident_id: r.state for r in revisions}
    return [IncidentState.from_json(by_id[i]) for i in ids if i in by_id]


def incident_page(
    *,
    filters: IncidentFilters,
    ordering: Ordering = Ordering("date_start"),
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = 50,
    as_of: int | None = None,
) -> IncidentPage:
    """One page of the incidents `filters` select, after `after` (or, paging back, before
    `before`), as they are now or, with `as_of`, as they stood right after that log position:
    the same query either way, over the live rows or the revisions valid then. Actor names
    resolve through today's registry either way, so an alias added later finds old
    attributions too."""
    table = Table(as_of)
    position = store.last_position() if as_of is None else as_of
    qs = _filtered(filters, _actors_of(filters), table)
    next_cursor: Cursor | None
    with _serial_plans():
        if before is not None:
            rows, more_before = _rows_before(qs, table, ordering, before, size)
            # Read backwards, the page's next page starts after its last row (or at `before`).
            next_cursor = _cursor(rows[-1]) if rows else before
            previous = _cursor(rows[0]) if more_before and rows else None
        else:
            rows, more = _page_of_rows(qs, table, ordering, after, size)
            next_cursor = _cursor(rows[-1]) if more and rows else None
            previous = _cursor(rows[0]) if after is not None and rows else None
    items = _states([row[0] for row in rows], table)
    return IncidentPage(items, next_cursor, position, previous)


def incident_count(*, filters: IncidentFilters, as_of: int | None = None) -> int:
    """How many incidents `filters` select, now or as of a position: one COUNT over the same
    query a page runs, only when a client asks, so it costs what the index behind the
    filters makes it cost."""
    table = Table(as_of, counting=True)
    return _filtered(filters, _actors_of(filters), table).count()


def incident_iter(
    *,
    filters: IncidentFilters,
    ordering: Ordering = Ordering("date_start"),
    as_of: int | None = None,
    batch: int = 500,
) -> Iterator[IncidentState]:
    """Every selected incident, in order, fetched a keyset page at a time (for exports)."""
    after: Cursor | None = None
    while True:
        page = incident_page(
            filters=filters, ordering=ordering, after=after, size=batch, as_of=as_of
        )
        yield from page.items
        if page.next is None:
            return
        after = page.next


# --- single incidents, history, time travel -------------------------------------------------


def incident_get(*, incident_id: uuid.UUID) -> IncidentState | None:
    return current_state(incident_id)


def incident_list(*, include_dropped: bool = False) -> QuerySet[Incident]:
    qs = Incident.objects.exclude(status__in=["retracted", "merged"])
    return qs if include_dropped else qs.exclude(status="dropped")


def incident_history(*, incident_id: uuid.UUID) -> list[RecordedEvent] | None:
    """Events of the incident's stream and of its claims' streams, in log order."""
    state = current_state(incident_id)
    if state is None:
        return None
    streams = [incident_id, *(uuid.UUID(c) for c in state.claims)]
    events = [e for stream in streams for e in store.read_stream(stream)]
    return sorted(events, key=lambda e: e.position)


def incident_state_as_of(*, incident_id: uuid.UUID, position: int) -> IncidentState | None:
    """The incident exactly as it stood right after log position `position`."""
    revision = IncidentRevision.objects.filter(valid_at(position), incident_id=incident_id).first()
    return IncidentState.from_json(revision.state) if revision else None


def incident_states_as_of(*, position: int) -> list[IncidentState]:
    """Every incident as it stood right after `position`, in one indexed query."""
    revisions = IncidentRevision.objects.filter(valid_at(position)).order_by("incident_id")
    return [IncidentState.from_json(r.state) for r in revisions]


def incident_states_at_positions(*, positions: Iterable[int]) -> dict[int, IncidentState]:
    """The state each event left its incident in, keyed by the event's position (every incident
    or claim event opens exactly one revision, starting at its own position)."""
    revisions = IncidentRevision.objects.filter(valid_from__in=list(positions))
    return {r.valid_from: IncidentState.from_json(r.state) for r in revisions}


def position_as_of(*, moment: datetime) -> int:
    """The log position as of a moment of *ledger* time: the last event recorded at or before
    it. Not the report's date: an edition ingested a week after its date is not in the ledger
    yet at that date; ask with `as_of_edition` for "as the report stood"."""
    return store.position_at(moment)


def edition_position(*, edition_id: int) -> int | None:
    """The position at which an edition's ingestion committed: the last event it appended
    (they carry Cause(edition_id=...)); None when it appended none."""
    last = StoredEvent.objects.filter(metadata__edition_id=edition_id).aggregate(
        last=Max("position")
    )["last"]
    return int(last) if last is not None else None


class TimeTravelError(ValueError):
    """A time-travel question the ledger cannot answer; `parameter` names the culprit."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def position_in_log(parameter: str, position: int | None) -> None:
    """Refuse a log position past the log's end (TimeTravelError naming `parameter`): asked
    here, not in the input serializers, so that parsing input reads nothing."""
    if position is None:
        return
    last = store.last_position()
    if position > last:
        raise TimeTravelError(parameter, f"The log holds positions 0 to {last}.")


def time_travel_position(
    *,
    as_of: datetime | None = None,
    as_of_position: int | None = None,
    as_of_edition: int | None = None,
) -> int | None:
    """The one log position a read answers at, from whichever of the three was given (None:
    now). `as_of` is ledger time (when events were recorded); `as_of_edition` is the ledger
    right after that edition's ingestion, i.e. the incidents as the report stood in it;
    `as_of_position` is exact. Raises TimeTravelError for a position past the log's end or an
    edition that appended nothing."""
    given = [
        name
        for name, value in (
            ("as_of", as_of),
            ("as_of_position", as_of_position),
            ("as_of_edition", as_of_edition),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise TimeTravelError(given[0], "Give one of as_of, as_of_position and as_of_edition.")
    if as_of_position is not None:
        last = store.last_position()
        if as_of_position > last or as_of_position < 0:
            raise TimeTravelError("as_of_position", f"The log holds positions 0 to {last}.")
        return as_of_position
    if as_of_edition is not None:
        position = edition_position(edition_id=as_of_edition)
        if position is None:
            exists = edition_records().edition_exists(edition_id=as_of_edition)
            raise TimeTravelError(
                "as_of_edition",
                f"Edition {as_of_edition} changed nothing in the ledger (failed, pending or "
                "unchanged); give as_of with its ingestion time instead."
                if exists
                else f"There is no edition {as_of_edition}.",
            )
        return position
    if as_of is not None:
        return position_as_of(moment=as_of)
    return None


# --- claims ---------------------------------------------------------------------------------


def claim_list(
    *,
    incident_id: uuid.UUID | None = None,
    property: str | None = None,
    rank: str | None = None,
    claimant: str | None = None,
    include_dropped: bool = False,
) -> QuerySet[Claim]:
    """Claims about incidents the incident list would show (tombstones' claims are left out)."""
    statuses = (Status.ACTIVE, Status.DROPPED) if include_dropped else (Status.ACTIVE,)
    return filtered(
        ClaimFilterSet,
        Claim.objects.all(),
        statuses=statuses,
        incident=incident_id,
        property=property,
        rank=rank,
        claimant=claimant,
    )


def claim_get(*, claim_id: uuid.UUID) -> Claim | None:
    return Claim.objects.filter(id=claim_id).first()
