"""A generated ledger with history, for the replay benchmark: editions that record incidents and
revise earlier ones, as successive editions of a report do.

Each edition records a run of new incidents (the incident and the report's own claim of the toll)
and revises the ones the previous edition recorded: tolls revised (a new claim, ranked preferred,
the old one deprecated), places corrected, text rewritten, entries dropped, duplicates merged
(the duplicate marked merged, the survivor absorbing it). About 3.7 events per incident.
Appends go through ledger.store.append_batch with the projectors off, many streams per call.
Stream ids derive from the incident's number, so the generator keeps only a version counter per
incident in memory.
"""

from __future__ import annotations

import random
import uuid
from array import array
from collections.abc import Callable

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

    def _call(self, parts: list[Append], edition: int) -> int:
        cause = Cause(who=self.cause.who, why=self.cause.why, edition_id=edition)
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


def fill(target: int, *, update: Callable[[int], object] | None = None) -> int:
    """Append generated editions (log only) until at least `target` more events are stored."""
    from bench.ledger_bench import no_projectors

    appended = 0
    with no_projectors():
        # Small logs (the smoke test) still get several editions.
        history = History(per_edition=max(10, min(PER_EDITION, target // 200)))
        edition, previous = 0, range(0)
        while appended < target:
            edition += 1
            start = len(history.versions)
            count = history.append_edition(edition, previous)
            previous = range(start, start + history.per_edition)
            appended += count
            if update:
                update(count)
    return appended
