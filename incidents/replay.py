"""The incident projection's replay: the log folded a chunk at a time, with the open state of
recently touched incidents kept between chunks.

Live, each append reads back the open revision of every incident it touches and rewrites the
incident's current rows (Incident, Claim, IncidentPerpetrator, IncidentPlace). Replayed the same
way, every chunk read back the incidents the previous one had just written and rewrote their
rows. Here the states of the last `CACHED` incidents stay in memory: an incident met again is
folded on from there, its open revision closed by key with no read, and its current rows are
written once, when it leaves the cache or when the replay finishes.

What a cut (a crash between chunks) loses is only what the cache held: revisions are written with
every chunk, so an incident whose current rows are missing still has its open revision, and
`resume` writes those rows from it before the rebuild goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson
from django.db import connection
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast

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
from incidents.projection import (
    REVISION_COLUMNS,
    REVISION_PERPETRATOR_KEYS,
    REVISION_PLACE_KEYS,
    _edition_listed,
    _fold,
    _incident_key,
    _is_flag,
    _records_it,
    claim_rows,
    incident_row,
    perpetrator_rows,
    place_rows,
    revision_values,
)
from incidents.state import IncidentState
from ledger.bulk import Writes
from ledger.projection import Projection, Replay
from ledger.store import RecordedEvent

CACHED = 20_000  # incidents whose open state replay keeps between chunks
RESUME_BATCH = 5_000  # open revisions turned into current rows per statement on resume

_REVISIONS = IncidentRevision._meta.db_table
_REVISION_PLACES = IncidentRevisionPlace._meta.db_table
_INCIDENT_ID = IncidentRevision._meta.get_field("incident_id")


_PLACE_COLUMNS = ("incident_id", "valid_from", "valid_to", *REVISION_PLACE_KEYS)
_PERPETRATOR_COLUMNS = ("incident_id", "valid_from", *REVISION_PERPETRATOR_KEYS)


class _PerList:
    """Values derived from a state's list (its places, its perpetrators), remembered per list:
    the fold replaces a list when it changes and shares it otherwise, so most revisions of an
    incident derive the same rows. An entry holds its list, so its id is not reused meanwhile."""

    def __init__(self, derive: Callable[[IncidentState], list[tuple[Any, ...]]], attr: str) -> None:
        self.derive, self.attr = derive, attr
        self.known: dict[int, tuple[object, list[tuple[Any, ...]]]] = {}

    def __call__(self, state: IncidentState) -> list[tuple[Any, ...]]:
        items = getattr(state, self.attr)
        known = self.known.get(id(items))
        if known is None or known[0] is not items:
            if len(self.known) >= 1 << 14:
                self.known.clear()
            known = self.known[id(items)] = (items, self.derive(state))
        return known[1]


class _RevisionRows:
    """IncidentRevision and its place, perpetrator and edition rows, as RevisionRows builds
    them live (the same values), gathered as tuples for COPY."""

    places_of = _PerList(
        lambda s: [tuple(p[k] for k in REVISION_PLACE_KEYS) for p in place_rows(s)],
        "places",
    )
    perpetrators_of = _PerList(
        lambda s: [tuple(p[k] for k in REVISION_PERPETRATOR_KEYS) for p in perpetrator_rows(s)],
        "perpetrators",
    )

    def __init__(self) -> None:
        self.revisions: list[tuple[Any, ...]] = []
        self.places: list[tuple[Any, ...]] = []
        self.perpetrators: list[tuple[Any, ...]] = []
        self.editions: dict[tuple[int, str], dict[str, Any]] = {}

    def add(
        self, key: str, recorded: RecordedEvent, state: IncidentState, valid_to: int | None
    ) -> None:
        at = recorded.position
        self.revisions.append(revision_values(key, at, state, valid_to))
        # Place rows carry the revision's end too (see IncidentRevisionPlace).
        self.places += [(key, at, valid_to, *place) for place in self.places_of(state)]
        self.perpetrators += [(key, at, *p) for p in self.perpetrators_of(state)]
        edition = _edition_listed(recorded)
        if edition is not None:
            self.editions.setdefault(
                (edition, key), {"incident_id": key, "edition_id": edition, "position": at}
            )

    def write(self, writes: Writes) -> None:
        writes.insert_rows(IncidentRevision, REVISION_COLUMNS, self.revisions)
        writes.insert_rows(IncidentRevisionPlace, _PLACE_COLUMNS, self.places)
        writes.insert_rows(IncidentRevisionPerpetrator, _PERPETRATOR_COLUMNS, self.perpetrators)
        # An edition that revised the incident twice, or that an earlier chunk already listed
        # it in, keeps the first position: conflicts are ignored.
        writes.insert_new(IncidentEdition, list(self.editions.values()))


class _Open:
    """An incident as the replay last left it: its state, where its open revision starts, and
    whether its current rows are stored (read back from the tables) or still only here."""

    __slots__ = ("state", "stored", "valid_from")

    def __init__(self, state: IncidentState, valid_from: int, stored: bool) -> None:
        self.state, self.valid_from, self.stored = state, valid_from, stored


class IncidentReplay(Replay):
    """Replays incident, claim and flag events (see the module docstring)."""

    def __init__(self, projection: Projection) -> None:
        super().__init__(projection)
        self.cached = CACHED
        self.open: dict[str, _Open] = {}  # least recently touched first

    def chunk(self, recorded: Sequence[RecordedEvent]) -> None:
        by_key: dict[str, list[RecordedEvent]] = {}
        for item in recorded:
            if _is_flag(item) and not getattr(item.event, "incident_id", None):
                continue
            by_key.setdefault(_incident_key(item), []).append(item)
        stored = _open_states(
            [k for k, items in by_key.items() if k not in self.open and not _records_it(items[0])]
        )
        rows = _RevisionRows()
        closed: list[tuple[str, int, int]] = []  # incident, open revision's start, its end
        for key, items in by_key.items():
            entry = self.open.pop(key, None) or stored.get(key)
            state = entry.state if entry else None
            if state is None:  # as live: flags about an incident never recorded are ignored
                while items and _is_flag(items[0]):
                    items = items[1:]
                if not items:
                    continue
            for n, item in enumerate(items):
                state = _fold(state, item)
                rows.add(key, item, state, items[n + 1].position if n + 1 < len(items) else None)
            assert state is not None
            if entry is not None:
                closed.append((key, entry.valid_from, items[0].position))
            self.open[key] = _Open(state, items[-1].position, entry.stored if entry else False)
        writes = Writes()
        _close(writes, closed)
        rows.write(writes)
        leaving = []
        while len(self.open) > self.cached:
            leaving.append(self.open.pop(next(iter(self.open))))
        _write_current(writes, leaving)
        writes.flush()

    def finish(self) -> None:
        writes = Writes()
        _write_current(writes, self.open.values())
        self.open = {}
        writes.flush()

    def resume(self) -> None:
        """Current rows for every incident whose rows a cut-short replay still held in memory:
        those with no Incident row yet, and those whose Incident row is behind their open
        revision (read back, folded further, then cut before it left memory). Every fold moves
        `last_position`, so a row written from an earlier state shows a different one."""
        incident = Incident.objects.filter(id=OuterRef("incident_id"))
        missing = (
            IncidentRevision.objects.filter(valid_to__isnull=True)
            .exclude(Exists(incident.filter(last_position=OuterRef("last_position"))))
            .annotate(state_text=Cast("state", TextField()), stored=Exists(incident))
            .values_list("state_text", "stored")
        )
        batch: list[_Open] = []
        for text, stored in missing.iterator(chunk_size=RESUME_BATCH):
            batch.append(_Open(IncidentState.from_json(orjson.loads(text)), 0, stored))
            if len(batch) == RESUME_BATCH:
                _flush_current(batch)
                batch = []
        _flush_current(batch)


def _open_states(keys: Sequence[str]) -> dict[str, _Open]:
    """The open revisions of incidents the replay does not hold, read back (their current rows
    are stored: an incident leaves the cache by writing them)."""
    if not keys:
        return {}
    rows = (
        IncidentRevision.objects.filter(incident_id__in=keys, valid_to__isnull=True)
        .annotate(state_text=Cast("state", TextField()))
        .values_list("incident_id", "valid_from", "state_text")
    )
    return {
        str(incident): _Open(IncidentState.from_json(orjson.loads(state)), valid_from, True)
        for incident, valid_from, state in rows
    }


def _close(writes: Writes, closed: Sequence[tuple[str, int, int]]) -> None:
    """End open revisions, and their place rows, by their key (incident, start)."""
    if not closed:
        return
    prep = [
        _INCIDENT_ID.get_db_prep_value(_INCIDENT_ID.to_python(k), connection) for k, _, _ in closed
    ]
    starts = [start for _, start, _ in closed]
    ends = [end for _, _, end in closed]
    for table in (_REVISIONS, _REVISION_PLACES):
        if connection.vendor == "postgresql":
            writes.execute(
                f"UPDATE {table} AS r SET valid_to = c.valid_to"
                " FROM unnest(%s::uuid[], %s::bigint[], %s::bigint[])"
                " AS c(incident_id, valid_from, valid_to)"
                " WHERE r.incident_id = c.incident_id AND r.valid_from = c.valid_from",
                [prep, starts, ends],
            )
        else:
            writes.executemany(
                f"UPDATE {table} SET valid_to = %s WHERE incident_id = %s AND valid_from = %s",
                list(zip(ends, prep, starts, strict=True)),
            )


def _write_current(writes: Writes, entries: Iterable[_Open]) -> None:
    """Queue the current rows of incidents leaving the replay's memory: replaced where stored,
    inserted where not."""
    entries = list(entries)
    if not entries:
        return
    existing = [e.state.id for e in entries if e.stored]
    writes.update_many(Incident, [incident_row(e.state) for e in entries if e.stored])
    writes.insert(Incident, [incident_row(e.state) for e in entries if not e.stored])
    states = [e.state for e in entries]
    for model, rows_of in (
        (Claim, claim_rows),
        (IncidentPerpetrator, perpetrator_rows),
        (IncidentPlace, place_rows),
    ):
        writes.delete_in(model, "incident_id", existing)
        writes.insert(model, [row for s in states for row in rows_of(s)])


def _flush_current(entries: Sequence[_Open]) -> None:
    writes = Writes()
    _write_current(writes, entries)
    writes.flush()
