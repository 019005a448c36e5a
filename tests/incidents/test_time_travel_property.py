"""Time travel in SQL, as a property: over random histories (recordings, revisions, claims and
their ranks, drops, merges, retractions, editions listing incidents unchanged), the list as of
every position equals, filter by filter and in order, both what the live list answered at
that position and a plain Python reading of the states recorded then.

Runs on PostgreSQL and on SQLite (DATABASE_URL=sqlite:///... for the second pass).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from actors.seeding import seed_actor_id
from common.names import normalize_name
from incidents.models import IncidentRevision, IncidentRevisionPlace
from incidents.query import ActorMatch, IncidentFilters
from incidents.schema import date_span, place_fields
from incidents.selectors import Ordering, actor_match, incident_count, incident_iter
from incidents.services import (
    IncidentCommandError,
    IncidentFields,
    claim_assert,
    claim_rank,
    incident_drop,
    incident_merge,
    incident_record,
    incident_retract,
    incident_revise,
    incident_seen_part,
)
from incidents.state import IncidentState
from ledger import store
from ledger.store import Cause

CAUSE = Cause(who="system:property-test", why="random history")
PLACES = [  # name, admin1, lat, lon
    ("Gao", "Gao", 16.27, -0.04),
    ("Mopti", "Mopti", 14.49, -4.19),
    ("Menaka", "Menaka", 15.92, 2.4),
    ("Somewhere", None, None, None),
]
PERPETRATORS = [
    {"actor_id": str(seed_actor_id("jnim")), "name": "JNIM", "status": "claimed"},
    {"actor_id": str(seed_actor_id("isgs")), "name": "ISGS", "status": "suspected"},
    {"actor_id": None, "name": "AQIM", "status": "attributed"},
    {"actor_id": None, "name": "unidentified gunmen", "status": "unknown"},
]
DATES = [("2024-05-02", "day"), ("2024-05-01", "month"), ("2023-01-01", "year"), (None, "unknown")]
EVENT_TYPES = ["armed_attack", "ambush", "kidnapping"]

FILTERS: list[tuple[IncidentFilters, Ordering]] = [
    (IncidentFilters(), Ordering("date_start")),
    (IncidentFilters(include_dropped=True), Ordering("killed")),
    (IncidentFilters(statuses=("merged", "retracted")), Ordering("updated", descending=False)),
    (IncidentFilters(statuses=("active", "dropped", "merged", "retracted")), Ordering("killed")),
    (IncidentFilters(date_from=date(2024, 5, 10)), Ordering("date_start")),
    (IncidentFilters(date_to=date(2023, 12, 31)), Ordering("date_start", descending=False)),
    (IncidentFilters(countries=("niger",)), Ordering("date_start")),
    (IncidentFilters(admin1=("mopti",)), Ordering("date_start")),
    (IncidentFilters(places=("GAO", "menaka")), Ordering("killed")),
    (IncidentFilters(bbox=(-1.0, 16.0, 3.0, 17.0)), Ordering("date_start")),
    (IncidentFilters(actors=("GSIM",)), Ordering("date_start")),
    (
        IncidentFilters(actors=("AQIM",), include_related=frozenset({"successors"})),
        Ordering("killed"),
    ),
    (IncidentFilters(perpetrator_statuses=("suspected", "unknown")), Ordering("date_start")),
    (IncidentFilters(event_types=("AMBUSH",)), Ordering("date_start")),
    (IncidentFilters(killed_min=5), Ordering("killed")),
    (IncidentFilters(killed_max=4, include_dropped=True), Ordering("killed", descending=False)),
    (IncidentFilters(target="soldier"), Ordering("date_start")),
    (IncidentFilters(source="afp"), Ordering("date_start")),
    (IncidentFilters(q="market"), Ordering("updated")),
    (IncidentFilters(edition=2, include_dropped=True), Ordering("date_start")),
    (IncidentFilters(first_edition=1), Ordering("date_start")),
    (IncidentFilters(last_edition=3), Ordering("date_start")),
    (IncidentFilters(since_position=6), Ordering("updated")),
]


# --- the oracle: filters read in Python off a folded state ------------------------------------


def _contains(values: list[Any], needle: str) -> bool:
    return any(needle.upper() in str(v).upper() for v in values)


def _perpetrator_matches(p: dict[str, Any], f: IncidentFilters, actors: ActorMatch | None) -> bool:
    if f.perpetrator_statuses and p.get("status", "unknown") not in f.perpetrator_statuses:
        return False
    if actors is None:
        return True
    actor_id = p.get("actor_id")
    return (actor_id is not None and uuid.UUID(str(actor_id)) in actors.ids) or normalize_name(
        p.get("name") or ""
    ) in actors.name_keys


def matches(
    state: IncidentState, f: IncidentFilters, actors: ActorMatch | None, editions: set[int]
) -> bool:
    if state.status not in f.visible_statuses():
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
    if f.edition is not None and f.edition not in editions:
        return False
    if f.first_edition is not None and f.first_edition != state.first_edition_id:
        return False
    if f.last_edition is not None and f.last_edition != state.last_edition_id:
        return False
    if f.since_position is not None and state.last_position <= f.since_position:
        return False
    places = [place_fields(p) for p in state.places]
    if f.places and not {normalize_name(p["name"]) for p in places} & {
        normalize_name(p) for p in f.places
    }:
        return False
    if f.admin1 and not {normalize_name(p["admin1"]) for p in places if p["admin1"]} & {
        normalize_name(a) for a in f.admin1
    }:
        return False
    if f.bbox:
        lo_lon, lo_lat, hi_lon, hi_lat = f.bbox
        if not any(
            p["latitude"] is not None
            and lo_lat <= p["latitude"] <= hi_lat
            and lo_lon <= p["longitude"] <= hi_lon
            for p in places
        ):
            return False
    if actors is not None or f.perpetrator_statuses:
        return any(_perpetrator_matches(p, f, actors) for p in state.perpetrators)
    return True


def sort_key(ordering: Ordering) -> Callable[[IncidentState], Any]:
    def value(state: IncidentState) -> Any:
        if ordering.key == "date_start":
            return date.fromisoformat(state.date_start) if state.date_start else None
        if ordering.key == "killed":
            return state.estimate("killed").best
        return state.last_position

    return value


def ordered(states: list[IncidentState], ordering: Ordering) -> list[str]:
    """Nulls last; by value then id, both in the ordering's direction."""
    value = sort_key(ordering)
    valued = [s for s in states if value(s) is not None]
    nulls = [s for s in states if value(s) is None]
    valued.sort(key=lambda s: (value(s), uuid.UUID(s.id)), reverse=ordering.descending)
    nulls.sort(key=lambda s: uuid.UUID(s.id), reverse=ordering.descending)
    return [s.id for s in valued + nulls]


# --- random histories -----------------------------------------------------------------------


@dataclass
class History:
    incidents: list[uuid.UUID] = field(default_factory=list)
    claims: list[uuid.UUID] = field(default_factory=list)
    editions: dict[str, set[int]] = field(default_factory=dict)


def _fields(draw: st.DrawFn) -> dict[str, Any]:
    day, precision = draw(st.sampled_from(DATES))
    name, admin1, lat, lon = draw(st.sampled_from(PLACES))
    return {
        "date_start": day,
        "date_precision": precision,
        "country": draw(st.sampled_from(["Mali", "Niger"])),
        "places": [{"name": name, "admin1": admin1, "lat": lat, "lon": lon, "precision": "exact"}],
        "event_type": draw(st.sampled_from(EVENT_TYPES)),
        "perpetrators": [draw(st.sampled_from(PERPETRATORS))],
        "targets": [draw(st.sampled_from(["soldiers", "civilians"]))],
        "sources": [draw(st.sampled_from(["AFP", "Reuters"]))],
        "text": draw(st.sampled_from(["Gunmen attacked a market.", "An ambush on a convoy."])),
    }


@st.composite
def steps(draw: st.DrawFn) -> list[tuple[str, Any]]:
    count = draw(st.integers(min_value=3, max_value=10))
    out: list[tuple[str, Any]] = []
    for _ in range(count):
        kind = draw(
            st.sampled_from(
                ["record", "record", "revise", "claim", "rank", "drop", "merge", "retract", "seen"]
            )
        )
        if kind == "record":
            out.append((kind, (_fields(draw), draw(st.sampled_from([1, 2])))))
        elif kind == "revise":
            changed = draw(st.sampled_from(list(_fields(draw).items())))
            out.append(
                (kind, (draw(st.integers(0, 20)), dict([changed]), draw(st.sampled_from([2, 3]))))
            )
        elif kind == "claim":
            out.append(
                (
                    kind,
                    (
                        draw(st.integers(0, 20)),
                        draw(st.integers(0, 12)),
                        draw(st.sampled_from(["report", "army"])),
                    ),
                )
            )
        elif kind == "rank":
            out.append(
                (
                    kind,
                    (draw(st.integers(0, 20)), draw(st.sampled_from(["preferred", "deprecated"]))),
                )
            )
        elif kind == "merge":
            out.append((kind, (draw(st.integers(0, 20)), draw(st.integers(0, 20)))))
        elif kind == "seen":
            out.append((kind, (draw(st.integers(0, 20)), draw(st.sampled_from([2, 3])))))
        else:
            out.append((kind, draw(st.integers(0, 20))))
    return out  # fmt: skip


def _pick(items: list[uuid.UUID], n: int) -> uuid.UUID | None:
    return items[n % len(items)] if items else None


def _state(incident: uuid.UUID) -> IncidentState:
    row = IncidentRevision.objects.get(incident_id=incident, valid_to__isnull=True)
    return IncidentState.from_json(row.state)


def play(step: tuple[str, Any], h: History) -> None:
    """One step through the services; a step the rules refuse (e.g. merging into a tombstone)
    is a step that did nothing, as it would be for an editor."""
    with contextlib.suppress(IncidentCommandError):
        _play(step, h)


def _play(step: tuple[str, Any], h: History) -> None:
    kind, arg = step
    if kind == "record":
        values, edition = arg
        new = incident_record(
            report="mali", fields=IncidentFields(**values), edition_id=edition, cause=CAUSE
        )
        h.incidents.append(new)
        h.editions[str(new)] = {edition}
        return
    if kind == "rank":
        claim = _pick(h.claims, arg[0])
        if claim is not None:
            claim_rank(claim_id=claim, rank=arg[1], reason="editor", cause=CAUSE)
        return
    incident = _pick(h.incidents, arg[0] if isinstance(arg, tuple) else arg)
    if incident is None:
        return
    state = _state(incident)
    alive = state.status not in ("merged", "retracted")
    if kind == "revise" and alive:
        if incident_revise(incident_id=incident, changes=arg[1], edition_id=arg[2], cause=CAUSE):
            h.editions[str(incident)].add(arg[2])
    elif kind == "claim":
        h.claims.append(
            claim_assert(
                incident_id=incident,
                property="killed",
                claimant=arg[2],
                value_min=arg[1],
                value_max=arg[1],
                cause=CAUSE,
            )
        )
    elif kind == "drop":
        incident_drop(incident_id=incident, edition_id=3, cause=CAUSE)
    elif kind == "merge" and alive:
        other = _pick(h.incidents, arg[1])
        if other is not None and other != incident and _state(other).status == "active":
            incident_merge(loser_id=incident, survivor_id=other, cause=CAUSE)
    elif kind == "retract" and alive:
        incident_retract(incident_id=incident, reason="not an incident", cause=CAUSE)
    elif kind == "seen" and alive:
        part = incident_seen_part(state=state, edition_id=arg[1])
        if part is not None:
            store.append_batch([part], cause=CAUSE)
        h.editions[str(incident)].add(arg[1])


@dataclass
class Snapshot:
    states: list[IncidentState]
    editions: dict[str, set[int]]
    live: list[list[str]]


def _listed(filters: IncidentFilters, ordering: Ordering, as_of: int | None) -> list[str]:
    # Small pages, so the keyset cursor over revision rows is walked too.
    return [s.id for s in incident_iter(filters=filters, ordering=ordering, as_of=as_of, batch=2)]


def _snapshot(h: History) -> Snapshot:
    states = [
        IncidentState.from_json(r.state)
        for r in IncidentRevision.objects.filter(valid_to__isnull=True)
    ]
    live = [_listed(f, o, None) for f, o in FILTERS]
    return Snapshot(states, {k: set(v) for k, v in h.editions.items()}, live)


def _place_rows_whose_end_is_not_their_revisions() -> list[tuple[Any, ...]]:
    """Place rows repeat their revision's valid_to (the as-of place filters read it from them):
    any row whose end differs from its revision's, or that has no revision."""
    ends = dict(((r.incident_id, r.valid_from), r.valid_to) for r in IncidentRevision.objects.all())
    return [
        row
        for row in IncidentRevisionPlace.objects.values_list(
            "incident_id", "valid_from", "valid_to"
        )
        if (row[0], row[1]) not in ends or ends[(row[0], row[1])] != row[2]
    ]


class TestAsOfListsEqualTheStateRecordedThen(TestCase):
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(history=steps())
    def test_every_filter_as_of_every_position_equals_the_live_list_and_the_states_then(
        self, history: list[tuple[str, Any]]
    ) -> None:
        h = History()
        snapshots: dict[int, Snapshot] = {0: _snapshot(h)}
        for step in history:
            play(step, h)
            snapshots[store.last_position()] = _snapshot(h)
            assert _place_rows_whose_end_is_not_their_revisions() == [], (step, history)
        actors = {n: actor_match(names=f.actors, include_related=f.include_related) for n, (f, _) in enumerate(FILTERS) if f.actors}  # fmt: skip
        for position, snap in snapshots.items():
            for n, (filters, ordering) in enumerate(FILTERS):
                expected = ordered(
                    [
                        s
                        for s in snap.states
                        if matches(s, filters, actors.get(n), snap.editions.get(s.id, set()))
                    ],
                    ordering,
                )
                then = _listed(filters, ordering, position)
                context = (position, filters, ordering, history)
                assert then == snap.live[n], context
                assert then == expected, context
                assert incident_count(filters=filters, as_of=position) == len(expected), context


def test_the_oracle_can_tell_a_filter_from_no_filter() -> None:
    """The property is only as good as its oracle: it must reject what a filter rejects."""
    state = IncidentState(
        id=str(uuid.uuid4()),
        report="mali",
        country="Mali",
        date_start="2024-05-02",
        date_precision="day",
        updated_at=datetime(2024, 5, 3).isoformat(),
    )
    assert matches(state, IncidentFilters(), None, set())
    assert not matches(state, IncidentFilters(countries=("niger",)), None, set())
    assert not matches(state, IncidentFilters(edition=2), None, {1})
    assert not matches(state, IncidentFilters(statuses=("dropped",)), None, set())
