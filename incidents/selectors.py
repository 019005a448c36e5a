"""Reads of incidents: filtered keyset pages of the current state or of the state as of a log
position, one incident's history, claims, and the revision lookups time travel rests on.

A filter has two evaluations that must agree: `_filtered` over the projected tables (the live
list, indexed) and `_matches` over a folded IncidentState (time travel, where only revision rows
hold the past). Both derive dates, places and names with the projection's own functions
(date_span, place_fields, normalize_name), and the API tests compare the two.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from actors.models import Actor, ActorAlias, ActorRelation
from actors.names import normalize_name
from incidents.models import (
    Claim,
    Incident,
    IncidentPerpetrator,
    IncidentPlace,
    IncidentRevision,
)
from incidents.projection import current_state, date_span, place_fields
from incidents.state import IncidentState, Status
from ledger import store
from ledger.store import RecordedEvent

RELATED = ("predecessors", "affiliates", "successors")
PERPETRATOR_STATUSES = ("claimed", "attributed", "suspected", "denied", "unknown")
# Public ordering name -> Incident column; every order ends on id in the same direction.
ORDERINGS = {"date_start": "date_start", "killed": "killed_best", "updated": "last_position"}
# An actor "evolves into" another: (relation kind, True when subject -> object is that direction).
_EVOLVES = {"merged_into": True, "renamed_to": True, "splinter_of": False}


# --- filters --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class IncidentFilters:
    """What a list asks for. Empty tuples and None mean "any"."""

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    actors: tuple[str, ...] = ()  # canonical names or aliases
    include_related: frozenset[str] = frozenset()
    perpetrator_statuses: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    killed_min: int | None = None
    killed_max: int | None = None
    target: str | None = None
    source: str | None = None
    edition: int | None = None  # first or last seen in
    first_edition: int | None = None
    last_edition: int | None = None
    include_dropped: bool = False
    q: str | None = None


@dataclass(frozen=True)
class ActorMatch:
    """The perpetrator rows an actor filter accepts: resolved actor ids, or unresolved names."""

    ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    name_keys: frozenset[str] = field(default_factory=frozenset)


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


def _visible_statuses(filters: IncidentFilters) -> tuple[str, ...]:
    return (Status.ACTIVE, Status.DROPPED) if filters.include_dropped else (Status.ACTIVE,)


def _any_iexact(column: str, values: tuple[str, ...]) -> Q:
    q = Q()
    for value in values:
        q |= Q(**{f"{column}__iexact": value})
    return q


def _filtered(filters: IncidentFilters, actors: ActorMatch | None) -> QuerySet[Incident]:
    f = filters
    qs = Incident.objects.filter(status__in=_visible_statuses(f))
    if f.date_from:
        qs = qs.filter(date_max__gte=f.date_from)
    if f.date_to:
        # date_start <= date_to is implied (a dated incident's date_min is its date_start), but
        # stated it lets the date-ordered index start at date_to instead of the newest incident.
        qs = qs.filter(date_min__lte=f.date_to, date_start__lte=f.date_to)
    if f.countries:
        qs = qs.filter(_any_iexact("country", f.countries))
    if f.event_types:
        qs = qs.filter(_any_iexact("event_type", f.event_types))
    if f.killed_min is not None:
        qs = qs.filter(killed_best__gte=f.killed_min)
    if f.killed_max is not None:
        qs = qs.filter(killed_best__lte=f.killed_max)
    if f.target:
        qs = qs.filter(targets__icontains=f.target)
    if f.source:
        qs = qs.filter(sources__icontains=f.source)
    if f.q:
        qs = qs.filter(text__icontains=f.q)
    if f.edition is not None:
        qs = qs.filter(Q(first_edition_id=f.edition) | Q(last_edition_id=f.edition))
    if f.first_edition is not None:
        qs = qs.filter(first_edition_id=f.first_edition)
    if f.last_edition is not None:
        qs = qs.filter(last_edition_id=f.last_edition)
    places = IncidentPlace.objects.filter(incident_id=OuterRef("pk"))
    if f.places:
        keys = [normalize_name(p) for p in f.places]
        qs = qs.filter(Exists(places.filter(name_key__in=keys)))
    if f.admin1:
        keys = [normalize_name(a) for a in f.admin1]
        qs = qs.filter(Exists(places.filter(admin1_key__in=keys)))
    if f.bbox:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        inside = places.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        qs = qs.filter(Exists(inside))
    if actors is not None or f.perpetrator_statuses:
        perps = IncidentPerpetrator.objects.filter(incident_id=OuterRef("pk"))
        if actors is not None:
            perps = perps.filter(Q(actor_id__in=actors.ids) | Q(name_key__in=actors.name_keys))
        if f.perpetrator_statuses:
            perps = perps.filter(status__in=f.perpetrator_statuses)
        qs = qs.filter(Exists(perps))
    return qs


def _contains(values: Iterable[Any], needle: str) -> bool:
    return any(needle.upper() in str(v).upper() for v in values)


def _in_bbox(place: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    lat, lon = place["latitude"], place["longitude"]
    if lat is None or lon is None:
        return False
    return bbox[1] <= lat <= bbox[3] and bbox[0] <= lon <= bbox[2]


def _perpetrator_matches(p: dict[str, Any], f: IncidentFilters, actors: ActorMatch | None) -> bool:
    if f.perpetrator_statuses and p.get("status", "unknown") not in f.perpetrator_statuses:
        return False
    if actors is None:
        return True
    actor_id = p.get("actor_id")
    return (actor_id is not None and uuid.UUID(str(actor_id)) in actors.ids) or normalize_name(
        p.get("name") or ""
    ) in actors.name_keys


def _matches(state: IncidentState, f: IncidentFilters, actors: ActorMatch | None) -> bool:
    """The same test as `_filtered`, on one folded state."""
    if state.status not in _visible_statuses(f):
        return False
    date_min, date_max = date_span(state)
    if f.date_from and (date_max is None or date_max < f.date_from):
        return False
    if f.date_to and (date_min is None or date_min > f.date_to):
        return False
    if f.countries and (state.country or "").upper() not in {c.upper() for c in f.countries}:
        return False
    if f.event_types and (state.event_type or "").upper() not in {e.upper() for e in f.event_types}:
        return False
    killed = state.estimate("killed").best
    if f.killed_min is not None and (killed is None or killed < f.killed_min):
        return False
    if f.killed_max is not None and (killed is None or killed > f.killed_max):
        return False
    if f.target and not _contains(state.targets, f.target):
        return False
    if f.source and not _contains(state.sources, f.source):
        return False
    if f.q and f.q.upper() not in state.text.upper():
        return False
    editions = (state.first_edition_id, state.last_edition_id)
    if f.edition is not None and f.edition not in editions:
        return False
    if f.first_edition is not None and f.first_edition != editions[0]:
        return False
    if f.last_edition is not None and f.last_edition != editions[1]:
        return False
    places = [place_fields(p) for p in state.places]
    if f.places:
        keys = {normalize_name(p) for p in f.places}
        if not any(normalize_name(p["name"]) in keys for p in places):
            return False
    if f.admin1:
        keys = {normalize_name(a) for a in f.admin1}
        if not any(p["admin1"] and normalize_name(p["admin1"]) in keys for p in places):
            return False
    if f.bbox and not any(_in_bbox(p, f.bbox) for p in places):
        return False
    if actors is not None or f.perpetrator_statuses:
        return any(_perpetrator_matches(p, f, actors) for p in state.perpetrators)
    return True


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


def _sort_value(state: IncidentState, key: str) -> Any:
    if key == "date_start":
        return state.date_start
    if key == "killed":
        return state.estimate("killed").best
    return state.last_position


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _page_of_states(
    states: list[IncidentState], ordering: Ordering, after: Cursor | None, size: int
) -> tuple[list[IncidentState], bool]:
    """Order in memory exactly as the SQL path does: by value then id, nulls last."""
    key, desc = ordering.key, ordering.descending
    valued = sorted(
        (s for s in states if _sort_value(s, key) is not None),
        key=lambda s: (_sort_value(s, key), uuid.UUID(s.id)),
        reverse=desc,
    )
    nulls = sorted(
        (s for s in states if _sort_value(s, key) is None),
        key=lambda s: uuid.UUID(s.id),
        reverse=desc,
    )
    if after is not None:
        mark = (after.value, after.id)

        def beyond(pair: tuple[Any, ...]) -> bool:
            return pair < mark[-len(pair) :] if desc else pair > mark[-len(pair) :]

        if after.value is None:  # the cursor is already among the nulls
            valued = []
            nulls = [s for s in nulls if beyond((uuid.UUID(s.id),))]
        else:
            valued = [s for s in valued if beyond((_sort_value(s, key), uuid.UUID(s.id)))]
    chosen = (valued + nulls)[: size + 1]
    return chosen[:size], len(chosen) > size


def _states_before(
    states: list[IncidentState], ordering: Ordering, before: Cursor, size: int
) -> tuple[list[IncidentState], bool]:
    """The `size` states just before `before` in the order _page_of_states uses, and whether
    more precede them."""
    ordered, _ = _page_of_states(states, ordering, None, len(states))
    mark = (before.value, before.id)
    index = next(
        (
            n
            for n, s in enumerate(ordered)
            if (_sort_value(s, ordering.key), uuid.UUID(s.id)) == mark
            or _after_mark(s, ordering, before)
        ),
        len(ordered),
    )
    return ordered[max(0, index - size) : index], index > size


def _after_mark(state: IncidentState, ordering: Ordering, mark: Cursor) -> bool:
    value, ident = _sort_value(state, ordering.key), uuid.UUID(state.id)
    if mark.value is None:
        return value is None and (ident < mark.id if ordering.descending else ident > mark.id)
    if value is None:
        return True
    pair = (_json_value(value), ident)
    return pair < (mark.value, mark.id) if ordering.descending else pair > (mark.value, mark.id)


def _page_of_rows(
    qs: QuerySet[Incident], ordering: Ordering, after: Cursor | None, size: int
) -> tuple[list[uuid.UUID], Cursor | None]:
    column, desc = ORDERINGS[ordering.key], ordering.descending
    id_order = F("id").desc() if desc else F("id").asc()
    rows: list[tuple[uuid.UUID, Any]] = []
    if after is None or after.value is not None:
        part = qs.filter(**{f"{column}__isnull": False})
        if after is not None:
            compare = TupleLessThan if desc else TupleGreaterThan
            part = part.filter(compare(Tuple(F(column), F("id")), (after.value, after.id)))
        order = F(column).desc(nulls_last=True) if desc else F(column).asc(nulls_last=True)
        rows = list(part.order_by(order, id_order).values_list("id", column)[: size + 1])
    if len(rows) <= size and Incident._meta.get_field(column).null:
        part = qs.filter(**{f"{column}__isnull": True})
        if after is not None and after.value is None:
            part = part.filter(id__lt=after.id) if desc else part.filter(id__gt=after.id)
        rows += list(part.order_by(id_order).values_list("id", column)[: size + 1 - len(rows)])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = Cursor(_json_value(rows[-1][1]), rows[-1][0]) if more and rows else None
    return [r[0] for r in rows], next_cursor


def _rows_before(
    qs: QuerySet[Incident], ordering: Ordering, before: Cursor, size: int
) -> tuple[list[uuid.UUID], bool]:
    """The ids just before `before` in _page_of_rows' order (read in the reverse order, then
    turned round), and whether more precede them."""
    column, desc = ORDERINGS[ordering.key], ordering.descending
    back_id = F("id").asc() if desc else F("id").desc()
    back_value = F(column).asc() if desc else F(column).desc()
    rows: list[uuid.UUID] = []
    if before.value is None:  # in the nulls: the earlier nulls, then every valued row
        nulls = qs.filter(**{f"{column}__isnull": True})
        nulls = nulls.filter(id__gt=before.id) if desc else nulls.filter(id__lt=before.id)
        rows = list(nulls.order_by(back_id).values_list("id", flat=True)[: size + 1])
        valued = qs.filter(**{f"{column}__isnull": False})
    else:
        compare = TupleGreaterThan if desc else TupleLessThan
        valued = qs.filter(**{f"{column}__isnull": False}).filter(
            compare(Tuple(F(column), F("id")), (before.value, before.id))
        )
    if len(rows) <= size:
        more_rows = valued.order_by(back_value, back_id).values_list("id", flat=True)
        rows += list(more_rows[: size + 1 - len(rows)])
    more = len(rows) > size
    return list(reversed(rows[:size])), more


def _open_states(ids: list[uuid.UUID]) -> list[IncidentState]:
    revisions = IncidentRevision.objects.filter(incident_id__in=ids, valid_to__isnull=True)
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
    `before`), as they are now or, with `as_of`, as they stood right after that log position.
    Actor names resolve through today's registry either way, so an alias added later finds
    old attributions too."""
    actors = _actors_of(filters)
    key = ordering.key
    if as_of is None:
        position = store.last_position()
        qs = _filtered(filters, actors)
        if before is not None:
            ids, more_before = _rows_before(qs, ordering, before, size)
            return _page_before(_open_states(ids), more_before, before, key, position)
        ids, next_cursor = _page_of_rows(qs, ordering, after, size)
        items = _open_states(ids)
        previous = _cursor_of(items[0], key) if after is not None and items else None
        return IncidentPage(items, next_cursor, position, previous)
    states = [s for s in incident_states_as_of(position=as_of) if _matches(s, filters, actors)]
    if before is not None:
        items, more_before = _states_before(states, ordering, before, size)
        return _page_before(items, more_before, before, key, as_of)
    items, more = _page_of_states(states, ordering, after, size)
    next_cursor = _cursor_of(items[-1], key) if more and items else None
    previous = _cursor_of(items[0], key) if after is not None and items else None
    return IncidentPage(items, next_cursor, as_of, previous)


def _page_before(
    items: list[IncidentState], more_before: bool, before: Cursor, key: str, position: int
) -> IncidentPage:
    """A page read backwards: its next page starts after its last item (or at `before`)."""
    next_cursor = _cursor_of(items[-1], key) if items else before
    previous = _cursor_of(items[0], key) if more_before and items else None
    return IncidentPage(items, next_cursor, position, previous)


def _cursor_of(state: IncidentState, key: str) -> Cursor:
    return Cursor(_json_value(_sort_value(state, key)), uuid.UUID(state.id))


def incident_count(*, filters: IncidentFilters, as_of: int | None = None) -> int:
    """How many incidents `filters` select: one COUNT over the list's own indexed filter (or,
    with `as_of`, the matching states of that moment). Only run when a client asks."""
    actors = _actors_of(filters)
    if as_of is None:
        return _filtered(filters, actors).count()
    return sum(1 for s in incident_states_as_of(position=as_of) if _matches(s, filters, actors))


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


def _valid_at(position: int) -> Q:
    return Q(valid_from__lte=position) & (Q(valid_to__isnull=True) | Q(valid_to__gt=position))


def incident_state_as_of(*, incident_id: uuid.UUID, position: int) -> IncidentState | None:
    """The incident exactly as it stood right after log position `position`."""
    revision = IncidentRevision.objects.filter(_valid_at(position), incident_id=incident_id).first()
    return IncidentState.from_json(revision.state) if revision else None


def incident_states_as_of(*, position: int) -> list[IncidentState]:
    """Every incident as it stood right after `position`, in one indexed query."""
    revisions = IncidentRevision.objects.filter(_valid_at(position)).order_by("incident_id")
    return [IncidentState.from_json(r.state) for r in revisions]


def incident_states_at_positions(*, positions: Iterable[int]) -> dict[int, IncidentState]:
    """The state each event left its incident in, keyed by the event's position (every incident
    or claim event opens exactly one revision, starting at its own position)."""
    revisions = IncidentRevision.objects.filter(valid_from__in=list(positions))
    return {r.valid_from: IncidentState.from_json(r.state) for r in revisions}


def position_as_of(*, moment: datetime) -> int:
    return store.position_at(moment)


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
    qs = Claim.objects.filter(incident__status__in=statuses)
    if incident_id is not None:
        qs = qs.filter(incident_id=incident_id)
    if property:
        qs = qs.filter(property=property)
    if rank:
        qs = qs.filter(rank=rank)
    if claimant:
        qs = qs.filter(claimant__icontains=claimant)
    return qs


def claim_get(*, claim_id: uuid.UUID) -> Claim | None:
    return Claim.objects.filter(id=claim_id).first()
