"""Projects incident and claim events into Incident, Claim, IncidentPerpetrator, IncidentPlace
and IncidentRevision.

Live, an append's events are folded per incident from its open revision (incidents.state.apply),
and each incident's rows are written once, in bulk. Replay folds the same way from the states it
keeps between chunks (incidents.replay).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from common.names import normalize_name
from incidents.events import (
    CLAIM_EVENTS,
    FLAG_EVENTS,
    INCIDENT_EVENTS,
    IncidentRecorded,
    IncidentRevised,
    IncidentSeen,
)
from incidents.models import (
    Claim,
    Incident,
    IncidentEdition,
    IncidentPerpetrator,
    IncidentPlace,
    IncidentRevision,
    IncidentRevisionPerpetrator,
    IncidentRevisionPlace,
)
from incidents.schema import column_values, day, day_span, place_fields
from incidents.state import CASUALTY_PROPERTIES, Estimate, IncidentState, apply, claim_assertion
from ledger.bulk import Writes
from ledger.projection import Projection, Replay
from ledger.store import RecordedEvent

BATCH = 2000
# Replay writes a name key per place and perpetrator of every revision, from a few thousand
# distinct names: normalising each once was most of the time the rows took to build.
_name_key = lru_cache(maxsize=1 << 16)(normalize_name)


# Replay asks for a span per revision, from few distinct dates.
_span = lru_cache(maxsize=1 << 14)(day_span)


def date_span(state: IncidentState) -> tuple[date | None, date | None]:
    """The first and last day the incident may fall on (incidents.schema.day_span), cached."""
    return _span(state.date_start, state.date_end, state.date_precision)


_ESTIMATES: dict[int, tuple[dict[str, Any], dict[str, Estimate]]] = {}


def estimate(state: IncidentState, prop: str) -> Estimate:
    """state.estimate(prop), remembered per claims dict: a state's claims dict is replaced,
    never changed, when a claim folds in, so every revision sharing it has the same figures.
    An entry holds its dict, so its id cannot be reused while the entry lives."""
    claims = state.claims
    cached = _ESTIMATES.get(id(claims))
    if cached is None or cached[0] is not claims:
        if len(_ESTIMATES) >= 1 << 14:
            _ESTIMATES.clear()
        cached = _ESTIMATES[id(claims)] = (claims, {})
    figures = cached[1]
    result = figures.get(prop)
    if result is None:
        result = figures[prop] = state.estimate(prop)
    return result


def incident_row(state: IncidentState) -> dict[str, Any]:
    """The Incident row's column values (by attribute name) for a state.

    Ids stay strings: the database and Django's UUIDField take them as they are, and replay
    builds millions of these rows."""
    figures: dict[str, Any] = {}
    for prop in CASUALTY_PROPERTIES:
        estimate_ = estimate(state, prop)
        figures |= {
            f"{prop}_low": estimate_.low,
            f"{prop}_best": estimate_.best,
            f"{prop}_high": estimate_.high,
        }
    date_min, date_max = date_span(state)
    return dict(
        id=state.id,
        report=state.report,
        status=state.status,
        merged_into=state.merged_into or None,
        **column_values(state),
        date_min=date_min,
        date_max=date_max,
        review_state=state.review_state,
        first_edition_id=state.first_edition_id,
        last_edition_id=state.last_edition_id,
        stream_version=state.stream_version,
        last_position=state.last_position,
        recorded_at=datetime.fromisoformat(state.recorded_at),
        updated_at=datetime.fromisoformat(state.updated_at),
        **figures,
    )


def claim_rows(state: IncidentState) -> list[dict[str, Any]]:
    return [
        dict(
            id=claim["id"],
            incident_id=state.id,
            **claim_assertion(claim),
            rank=claim["rank"],
            rank_reason=claim.get("rank_reason", ""),
            merged_from=claim.get("merged_from"),
        )
        for claim in state.claims.values()
    ]


def perpetrator_rows(state: IncidentState) -> list[dict[str, Any]]:
    return [
        dict(
            incident_id=state.id,
            actor_id=p.get("actor_id"),
            name=p.get("name", ""),
            name_key=_name_key(p.get("name") or ""),
            status=p.get("status", "unknown"),
        )
        for p in state.perpetrators
    ]


def place_rows(state: IncidentState) -> list[dict[str, Any]]:
    rows = []
    for place in map(place_fields, state.places):
        admin1 = place["admin1"]
        rows.append(
            dict(
                incident_id=state.id,
                name=place["name"],
                name_key=_name_key(place["name"]),
                country=place["country"],
                admin1=admin1,
                admin1_key=_name_key(admin1) if admin1 else None,
                latitude=place["latitude"],
                longitude=place["longitude"],
                precision=place["precision"],
            )
        )
    return rows


# A revision row's columns, in the order revision_values gives them (replay COPYs tuples).
REVISION_COLUMNS = (
    "incident_id",
    "valid_from",
    "valid_to",
    "state",
    "status",
    "date_start",
    "date_min",
    "date_max",
    "country",
    "event_type",
    "killed_best",
    "targets",
    "sources",
    "text",
    "first_edition_id",
    "last_edition_id",
    "last_position",
    "updated_at",
)
# What a revision's place and perpetrator rows take from the incident's (after the revision's
# incident_id, valid_from and, for places, valid_to).
REVISION_PLACE_KEYS = ("name_key", "admin1_key", "latitude", "longitude")
REVISION_PERPETRATOR_KEYS = ("actor_id", "name_key", "status")

# Replay asks for a day and a moment per revision, from few distinct values.
_day = lru_cache(maxsize=1 << 14)(day)
_moment = lru_cache(maxsize=1 << 10)(datetime.fromisoformat)


def revision_values(
    key: str, position: int, state: IncidentState, valid_to: int | None
) -> tuple[Any, ...]:
    """The IncidentRevision row of `state` from `position`, in REVISION_COLUMNS order."""
    date_min, date_max = date_span(state)
    return (
        key,
        position,
        valid_to,
        state.to_json(),
        state.status,
        _day(state.date_start) if state.date_start else None,
        date_min,
        date_max,
        state.country,
        state.event_type,
        estimate(state, "killed").best,
        state.targets,
        state.sources,
        state.text,
        state.first_edition_id,
        state.last_edition_id,
        state.last_position,
        _moment(state.updated_at),
    )


class RevisionRows:
    """A revision and its place, perpetrator and edition-membership rows, gathered for bulk
    inserts. The membership row keeps the first position an edition listed the incident."""

    def __init__(self) -> None:
        self.revisions: list[dict[str, Any]] = []
        self.places: list[dict[str, Any]] = []
        self.perpetrators: list[dict[str, Any]] = []
        self.editions: dict[tuple[int, str], dict[str, Any]] = {}

    def add(
        self, key: str, recorded: RecordedEvent, state: IncidentState, valid_to: int | None
    ) -> dict[str, Any]:
        values = revision_values(key, recorded.position, state, valid_to)
        revision = dict(zip(REVISION_COLUMNS, values, strict=True))
        self.revisions.append(revision)
        at = {"incident_id": key, "valid_from": recorded.position}
        # Place rows carry the revision's end too (see IncidentRevisionPlace).
        for place in place_rows(state):
            self.places.append(
                at | {"valid_to": valid_to} | {k: place[k] for k in REVISION_PLACE_KEYS}
            )
        for perpetrator in perpetrator_rows(state):
            self.perpetrators.append(at | {k: perpetrator[k] for k in REVISION_PERPETRATOR_KEYS})
        edition = _edition_listed(recorded)
        if edition is not None:
            self.editions.setdefault(
                (edition, key),
                {"incident_id": key, "edition_id": edition, "position": recorded.position},
            )
        return revision

    def write(self, writes: Writes) -> None:
        """Queue the revision rows on the projector's batched writes."""
        writes.insert(IncidentRevision, self.revisions)
        writes.insert(IncidentRevisionPlace, self.places)
        writes.insert(IncidentRevisionPerpetrator, self.perpetrators)

        # An edition that revised the incident twice, or that an earlier append (or replay
        # chunk) already listed it in, keeps the first position: conflicts are ignored.
        writes.insert_new(IncidentEdition, list(self.editions.values()))


_REVISIONS = IncidentRevision._meta.db_table
_REVISION_PLACES = IncidentRevisionPlace._meta.db_table


def _edition_listed(recorded: RecordedEvent) -> int | None:
    """The edition an incident event shows the incident present in, if any (a drop says the
    opposite; claims and flags speak about the incident, not about its entry)."""
    if recorded.stream_type != "incident":
        return None
    event = recorded.event
    if isinstance(event, IncidentRecorded | IncidentRevised | IncidentSeen):
        return event.edition_id
    return None


def _incident_key(recorded: RecordedEvent) -> str:
    incident_id = getattr(recorded.event, "incident_id", None)
    return incident_id or str(recorded.stream_id)


def _is_flag(recorded: RecordedEvent) -> bool:
    return recorded.stream_type == "flag"


def _fold(state: IncidentState | None, recorded: RecordedEvent) -> IncidentState:
    return apply(
        state,
        recorded.event,
        stream_id=str(recorded.stream_id),
        stream_type=recorded.stream_type,
        version=recorded.version,
        position=recorded.position,
        recorded_at=recorded.recorded_at,
    )


def _records_it(first: RecordedEvent) -> bool:
    """True when the event opens its incident's history: nothing about it is stored yet."""
    return isinstance(first.event, IncidentRecorded)


def _open_revisions(keys: Sequence[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    """Each incident's open revision: its key and state. The state comes as text parsed with
    orjson: replay loads many of them."""
    if not keys:
        return {}
    rows = (
        IncidentRevision.objects.filter(incident_id__in=keys, valid_to__isnull=True)
        .annotate(state_text=Cast("state", TextField()))
        .values_list("pk", "incident_id", "state_text")
    )
    return {str(incident): (pk, orjson.loads(state)) for pk, incident, state in rows}


def current_state(incident_id: str | uuid.UUID) -> IncidentState | None:
    # Ordered by the index's own column: .first() would order by id and, on tables not yet
    # analysed after a rebuild, walk the whole primary key.
    revision = (
        IncidentRevision.objects.filter(incident_id=incident_id, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    return IncidentState.from_json(revision.state) if revision else None


class IncidentProjection(Projection):
    name = "incidents"
    models = (
        Incident,
        Claim,
        IncidentPerpetrator,
        IncidentPlace,
        IncidentRevision,
        IncidentRevisionPlace,
        IncidentRevisionPerpetrator,
        IncidentEdition,
    )
    # Review flags and decisions about an incident change its review state and the fields
    # editors hold, so they are folded too; flags about no incident (a narrative paragraph,
    # or an incident this log never recorded) are not the incident projection's business.
    handles = frozenset((*INCIDENT_EVENTS, *CLAIM_EVENTS, *FLAG_EVENTS))
    # Replay closes an incident's open revision's place rows by (incident, start), and
    # replaces an incident's place rows by its id (the index that replaced the foreign key's).
    replay_indexes = frozenset({"revision_place_valid_coords", "incident_place_coords_of"})

    def replay(self) -> Replay:
        from incidents.replay import IncidentReplay  # it builds on this module's rows

        return IncidentReplay(self)

    def apply_live(self, recorded: RecordedEvent) -> None:
        self.apply_live_many([recorded])

    def apply_live_many(self, recorded: Sequence[RecordedEvent]) -> None:
        """Fold one append's events per incident from its open revision, then write each
        incident's rows once: one revision per event, as replay does.

        Replay calls this with a chunk of the log at a time, so the writes are batched: one
        statement per table, sent together (ledger.bulk.Writes). An incident whose first
        event here is its recording has no rows yet, so nothing is read or deleted for it."""
        by_key: dict[str, list[RecordedEvent]] = {}
        for item in recorded:
            if _is_flag(item) and not getattr(item.event, "incident_id", None):
                continue
            by_key.setdefault(_incident_key(item), []).append(item)
        known = [key for key, items in by_key.items() if not _records_it(items[0])]
        open_revisions = _open_revisions(known)
        states: dict[str, IncidentState] = {}
        rows = RevisionRows()
        for key, items in by_key.items():
            current = open_revisions.get(key)
            state = IncidentState.from_json(current[1]) if current else None
            if state is None:  # as on replay: flags about an incident never recorded are ignored
                while items and _is_flag(items[0]):
                    items = items[1:]
                if not items:
                    continue
            for n, item in enumerate(items):
                state = _fold(state, item)
                rows.add(key, item, state, items[n + 1].position if n + 1 < len(items) else None)
            assert state is not None
            states[key] = state
        writes = Writes()
        if open_revisions:
            # One statement closes every open revision this batch supersedes.
            ids = [pk for pk, _ in open_revisions.values()]
            ends = [by_key[key][0].position for key in open_revisions]
            # Their place rows close with them: one more statement, by the same revision ids.
            if connection.vendor == "postgresql":
                writes.execute(
                    f"UPDATE {_REVISIONS} AS r SET valid_to = c.valid_to"
                    " FROM unnest(%s::bigint[], %s::bigint[]) AS c(id, valid_to)"
                    " WHERE r.id = c.id",
                    [ids, ends],
                )
                writes.execute(
                    f"UPDATE {_REVISION_PLACES} AS p SET valid_to = c.valid_to"
                    " FROM unnest(%s::bigint[], %s::bigint[]) AS c(id, valid_to)"
                    f" JOIN {_REVISIONS} AS r ON r.id = c.id"
                    " WHERE p.incident_id = r.incident_id AND p.valid_from = r.valid_from",
                    [ids, ends],
                )
            else:
                closed = f"UPDATE {_REVISIONS} SET valid_to = %s WHERE id = %s"
                writes.executemany(closed, list(zip(ends, ids, strict=True)))
                places_closed = (
                    f"UPDATE {_REVISION_PLACES} SET valid_to = %s"
                    " WHERE (incident_id, valid_from) ="
                    f" (SELECT incident_id, valid_from FROM {_REVISIONS} WHERE id = %s)"
                )
                writes.executemany(places_closed, list(zip(ends, ids, strict=True)))
        if states:
            existing = [key for key in states if key in open_revisions]
            writes.update_many(Incident, [incident_row(states[key]) for key in existing])
            writes.insert(
                Incident, [incident_row(s) for k, s in states.items() if k not in open_revisions]
            )
            for model, rows_of in (
                (Claim, claim_rows),
                (IncidentPerpetrator, perpetrator_rows),
                (IncidentPlace, place_rows),
            ):
                writes.delete_in(model, "incident_id", existing)
                writes.insert(model, [row for s in states.values() for row in rows_of(s)])
        rows.write(writes)
        writes.flush()
