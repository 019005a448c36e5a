"""A generated ledger with history, for the replay benchmark: editions that record incidents and
revise earlier ones, as successive editions of a report do.

Each edition records a run of new incidents (the incident and the report's own claim of the toll)
and revises the ones the previous edition recorded: tolls revised (a new claim, ranked preferred,
the old one deprecated), places corrected, text rewritten, entries dropped, duplicates merged
(the duplicate marked merged, the survivor absorbing it). About 3.7 events per incident.

On PostgreSQL the events are built here and streamed into the event table with COPY (positions
and versions numbered as an append would): going through ledger.store.append_batch cost more
than a millisecond an event, and the point is the replay of a large log, not its appends.
Elsewhere they go through append_batch with the projectors off, many streams per call. Stream
ids derive from the incident's number, so the generator keeps only a version counter per
incident in memory.
"""

from __future__ import annotations

import random
import uuid
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from incidents.events import (
    CLAIM_STREAM,
    INCIDENT_STREAM,
    ClaimAsserted,
    ClaimRanked,
    IncidentAbsorbed,
    IncidentDropped,
    IncidentMerged,
    IncidentRecorded,
    IncidentRevised,
)
from ledger import store
from ledger.events import Event
from ledger.store import Append, Cause

PER_EDITION = 2_000
PARTS_PER_CALL = 400
# Of the incidents an edition recorded, the next edition revises (independently):
TOLL_REVISED, PLACE_CORRECTED, TEXT_REWRITTEN, DROPPED, MERGED = 0.35, 0.25, 0.30, 0.05, 0.03
EVENTS_PER_INCIDENT = 2 + 3 * TOLL_REVISED + PLACE_CORRECTED + TEXT_REWRITTEN + DROPPED + 2 * MERGED

_TEXT = (
    "Gunmen on motorcycles attacked the weekly market in the village before dawn, set fire to "
    "stalls and a grain store, and abducted traders. Residents said the attackers came from "
    "the forest to the north and left towards the border; local officials later confirmed "
    "casualties and said security forces had been deployed to the area."
)
_PLACES = [
    ("Mopti", "Mopti", 14.49, -4.19),
    ("Bandiagara", "Mopti", 14.35, -3.61),
    ("Gao", "Gao", 16.27, -0.04),
    ("Menaka", "Menaka", 15.92, 2.40),
    ("Segou", "Segou", 13.43, -6.26),
    ("Timbuktu", "Tombouctou", 16.77, -3.01),
]
_GROUPS = ["JNIM", "ISGS", "Katiba Macina", "unidentified gunmen"]


def _id(kind: int, n: int) -> uuid.UUID:
    return uuid.UUID(int=(0xBE7C << 112) | (kind << 64) | n)


def incident_id(n: int) -> uuid.UUID:
    return _id(1, n)


def _claim_id(n: int, which: int) -> uuid.UUID:
    return _id(1 + which, n)


def _place(rng: random.Random) -> dict:
    name, admin1, lat, lon = rng.choice(_PLACES)
    return {"name": name, "admin1": admin1, "lat": lat, "lon": lon, "precision": "exact"}


def _claim(n: int, value: int, edition: int) -> ClaimAsserted:
    return ClaimAsserted(
        incident_id=str(incident_id(n)),
        property="killed",
        claimant="report",
        value_min=value,
        value_max=value,
        qualifier="exact",
        phrase=f"killing {value} people",
        edition_id=edition,
    )


class History:
    """Appends editions until the log holds at least `target` events."""

    def __init__(self, *, per_edition: int = PER_EDITION, seed: int = 12) -> None:
        self.per_edition = per_edition
        self.rng = random.Random(seed)
        self.versions = array("I")  # incident stream version, by incident number
        self.cause = Cause(who="system:bench", why="generated edition")
        self.copy: _CopyLog | None = None

    def _call(self, parts: list[Append], edition: int) -> int:
        cause = Cause(who=self.cause.who, why=self.cause.why, edition_id=edition)
        if self.copy is not None:
            self.copy.add(parts, cause)
        else:
            store.append_batch(parts, cause=cause)
        return sum(len(p.events) for p in parts)

    def _record(self, n: int, edition: int) -> list[Append]:
        rng = self.rng
        day = 1 + n % 28
        recorded = IncidentRecorded(
            report="bench-mali",
            edition_id=edition,
            date_start=f"2024-{1 + n % 12:02d}-{day:02d}",
            date_end=None,
            date_precision="day",
            country="Mali",
            places=[_place(rng)],
            event_type="armed_assault",
            perpetrators=[{"name": rng.choice(_GROUPS), "actor_id": None, "status": "suspected"}],
            targets=["civilians"],
            sources=[f"edition {edition} p. {n % 40 + 1}"],
            text=f"{_TEXT} [{n}]",
        )
        self.versions.append(1)
        return [
            Append(
                stream_type=INCIDENT_STREAM,
                stream_id=incident_id(n),
                expected_version=0,
                events=[recorded],
            ),
            Append(
                stream_type=CLAIM_STREAM,
                stream_id=_claim_id(n, 1),
                expected_version=0,
                events=[_claim(n, 1 + n % 9, edition)],
            ),
        ]

    def _revise(self, n: int, edition: int) -> tuple[list[Append], bool]:
        """The next edition's changes to incident n, and whether it is merged away."""
        rng, parts = self.rng, []
        events: list[Event] = []
        if rng.random() < PLACE_CORRECTED:
            events.append(IncidentRevised(changes={"places": [_place(rng)]}, edition_id=edition))
        if rng.random() < TEXT_REWRITTEN:
            text = f"{_TEXT} [{n}, as edition {edition} tells it]"
            events.append(IncidentRevised(changes={"text": text}, edition_id=edition))
        if rng.random() < DROPPED:
            events.append(IncidentDropped(edition_id=edition))
        if events:
            parts.append(self._incident_part(n, events))
        if rng.random() < TOLL_REVISED:
            old, new = _claim_id(n, 1), _claim_id(n, 2)
            iid = str(incident_id(n))
            parts.append(
                Append(
                    stream_type=CLAIM_STREAM,
                    stream_id=old,
                    expected_version=1,
                    events=[ClaimRanked(incident_id=iid, rank="deprecated", reason="revised")],
                )
            )
            parts.append(
                Append(
                    stream_type=CLAIM_STREAM,
                    stream_id=new,
                    expected_version=0,
                    events=[
                        _claim(n, 10 + n % 30, edition),
                        ClaimRanked(incident_id=iid, rank="preferred", reason="latest toll"),
                    ],
                )
            )
        return parts, rng.random() < MERGED

    def _incident_part(self, n: int, events: list[Event]) -> Append:
        version = self.versions[n]
        self.versions[n] = version + len(events)
        return Append(
            stream_type=INCIDENT_STREAM,
            stream_id=incident_id(n),
            expected_version=version,
            events=events,
        )

    def _merge(self, loser: int, survivor: int) -> list[Append]:
        into = str(incident_id(survivor))
        merged = IncidentMerged(into=into)
        absorbed = IncidentAbsorbed(
            merged_id=str(incident_id(loser)), changes={}, reason="same attack reported twice"
        )
        return [self._incident_part(loser, [merged]), self._incident_part(survivor, [absorbed])]

    def append_edition(self, edition: int, previous: range) -> int:
        """Record `per_edition` new incidents and revise `previous` (the last edition's); returns
        the events appended."""
        count, parts = 0, []
        start = len(self.versions)
        for n in range(start, start + self.per_edition):
            parts += self._record(n, edition)
            if len(parts) >= PARTS_PER_CALL:
                count, parts = count + self._call(parts, edition), []
        merges = []
        for n in previous:
            revised, merged = self._revise(n, edition)
            parts += revised
            if merged and n > previous.start:
                merges.append((n, n - 1))
            if len(parts) >= PARTS_PER_CALL:
                count, parts = count + self._call(parts, edition), []
        if parts:
            count += self._call(parts, edition)
        for loser, survivor in merges:  # one call each: a survivor may be the next one's loser
            count += self._call(self._merge(loser, survivor), edition)
        return count


_EVENT_COLUMNS = (
    "position, stream_type, stream_id, version, type, schema_version, data, metadata, "
    "idempotency_key, recorded_at"
)


class _CopyLog:
    """Event rows numbered as appends would number them, streamed into ledger_event by COPY.

    One open COPY for the whole fill (in one transaction that holds the log's lock), so rows
    are never kept: memory stays flat at any size."""

    def __init__(self, copy: Any, after: int) -> None:
        self.copy, self.position = copy, after

    def add(self, parts: list[Append], cause: Cause) -> None:
        metadata = orjson.dumps(cause.to_metadata()).decode()
        now: datetime = timezone.now()
        write = self.copy.write_row
        for part in parts:
            for n, event in enumerate(part.events):
                self.position += 1
                kind = type(event)
                write(
                    (
                        self.position,
                        part.stream_type,
                        part.stream_id,
                        part.expected_version + n + 1,
                        kind.type_name(),
                        kind.schema_version,
                        orjson.dumps(event.to_data()).decode(),
                        metadata,
                        None,
                        now,
                    )
                )


def _editions(history: History, target: int, update: Callable[[int], object] | None) -> int:
    appended, edition, previous = 0, 0, range(0)
    while appended < target:
        edition += 1
        start = len(history.versions)
        count = history.append_edition(edition, previous)
        previous = range(start, start + history.per_edition)
        appended += count
        if update:
            update(count)
    return appended


@contextmanager
def copy_log() -> Iterator[_CopyLog]:
    """A COPY into the event table, numbered after its last position, in one transaction that
    holds the log's lock as an append does: nobody else numbers positions meanwhile."""
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("LOCK TABLE ledger_event IN EXCLUSIVE MODE")
            cursor.execute("SELECT COALESCE(MAX(position), 0) FROM ledger_event")
            row = cursor.fetchone()
            with cursor.copy(f"COPY ledger_event ({_EVENT_COLUMNS}) FROM STDIN") as copy:
                yield _CopyLog(copy, row[0] if row else 0)


def fill(target: int, *, update: Callable[[int], object] | None = None) -> int:
    """Append generated editions (log only) until at least `target` more events are stored."""
    from bench.ledger_bench import no_projectors

    # Small logs (the smoke test) still get several editions.
    history = History(per_edition=max(10, min(PER_EDITION, target // 200)))
    if connection.vendor != "postgresql":
        with no_projectors():
            return _editions(history, target, update)
    with copy_log() as log:
        history.copy = log
        return _editions(history, target, update)
