"""Append to and read from the event store.

Guarantees (ARCHITECTURE.md lists them as invariants):
- optimistic concurrency: an append names the stream version it expects, or fails whole;
- a gap-free global position in commit order: appends serialise on a table lock (PostgreSQL) or
  on SQLite's single writer (BEGIN IMMEDIATE), and take max(position) + 1, so a rolled-back
  append leaves no hole and a reader polling "after P" never skips an event that commits later;
- idempotency: an append whose key was stored before returns the stored events and writes nothing;
- projectors run inside the append's transaction, so read models never lag or lead the log.
Nothing here performs network I/O; callers schedule side effects with transaction.on_commit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ledger.errors import ConcurrencyConflict, InvalidEventPayload, UnknownEventType
from ledger.events import Event
from ledger.models import StoredEvent


@dataclass(frozen=True, kw_only=True)
class Cause:
    """Who made a change and why: stored as each event's metadata."""

    who: str  # "user:<username>" or "system:<component>"
    why: str | None = None
    edition_id: int | None = None
    flag_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"who": self.who}
        for key in ("why", "edition_id", "flag_id"):
            if getattr(self, key) is not None:
                meta[key] = getattr(self, key)
        return {**meta, **self.extra}


@dataclass(frozen=True, kw_only=True)
class RecordedEvent:
    """An event as stored: its place in the log and in its stream, and why it was appended."""

    position: int
    stream_type: str
    stream_id: uuid.UUID
    version: int
    event: Event
    metadata: dict[str, Any]
    recorded_at: datetime


@dataclass(frozen=True)
class AppendResult:
    events: list[RecordedEvent]
    deduplicated: bool  # True when the idempotency key had been used: nothing was written

    @property
    def last_version(self) -> int:
        return self.events[-1].version if self.events else 0


def _registry():  # imported late: the wiring imports every app's events and projectors
    from ledger.wiring import event_registry

    return event_registry()


def _lock_log() -> None:
    """Serialise appends until commit, so positions are handed out in commit order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE ledger_event IN EXCLUSIVE MODE")
    # SQLite: transaction_mode=IMMEDIATE already took the database's single write lock at BEGIN.


def _checked_json(value: Any, what: str) -> Any:
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise InvalidEventPayload(f"{what} is not JSON: {exc}") from exc


def _idempotency_keys(key: str, count: int) -> list[str]:
    return [key if i == 0 else f"{key}#{i}" for i in range(count)]


def append(
    *,
    stream_type: str,
    stream_id: uuid.UUID,
    expected_version: int,
    events: Sequence[Event],
    cause: Cause,
    idempotency_key: str | None = None,
) -> AppendResult:
    """Append `events` to a stream at `expected_version` (0 for a new stream), all or nothing."""
    if not events:
        raise ValueError("append() needs at least one event.")
    registry = _registry()
    rows_data = []
    for event in events:
        if not registry.is_registered(type(event)):
            raise UnknownEventType(
                f"{type(event).__name__} is not registered in ledger.wiring; register it there."
            )
        rows_data.append(_checked_json(event.to_data(), f"{type(event).__name__} data"))
    metadata = _checked_json(cause.to_metadata(), "Event metadata")
    keys = _idempotency_keys(idempotency_key, len(events)) if idempotency_key else None

    with transaction.atomic():
        _lock_log()
        if keys:
            stored = list(StoredEvent.objects.filter(idempotency_key__in=keys).order_by("position"))
            if stored:
                return AppendResult([_decode(row) for row in stored], deduplicated=True)
        actual = (
            StoredEvent.objects.filter(stream_id=stream_id).aggregate(v=Max("version"))["v"] or 0
        )
        if actual != expected_version:
            raise ConcurrencyConflict(
                stream_id=str(stream_id), expected=expected_version, actual=actual
            )
        position = StoredEvent.objects.aggregate(p=Max("position"))["p"] or 0
        now = timezone.now()
        rows = [
            StoredEvent(
                position=position + i + 1,
                stream_type=stream_type,
                stream_id=stream_id,
                version=expected_version + i + 1,
                type=type(event).type_name(),
                schema_version=type(event).schema_version,
                data=data,
                metadata=metadata,
                idempotency_key=keys[i] if keys else None,
                recorded_at=now,
            )
            for i, (event, data) in enumerate(zip(events, rows_data, strict=True))
        ]
        StoredEvent.objects.bulk_create(rows)
        recorded = [
            RecordedEvent(
                position=row.position,
                stream_type=stream_type,
                stream_id=stream_id,
                version=row.version,
                event=event,
                metadata=metadata,
                recorded_at=now,
            )
            for row, event in zip(rows, events, strict=True)
        ]
        from ledger.projection import project_live

        project_live(recorded)
    return AppendResult(recorded, deduplicated=False)


def _decode(row: StoredEvent) -> RecordedEvent:
    return RecordedEvent(
        position=row.position,
        stream_type=row.stream_type,
        stream_id=row.stream_id,
        version=row.version,
        event=_registry().decode(row.type, row.schema_version, dict(row.data)),
        metadata=row.metadata,
        recorded_at=row.recorded_at,
    )


def stream_version(stream_id: uuid.UUID) -> int:
    return StoredEvent.objects.filter(stream_id=stream_id).aggregate(v=Max("version"))["v"] or 0


def read_stream(stream_id: uuid.UUID, *, up_to_position: int | None = None) -> list[RecordedEvent]:
    rows = StoredEvent.objects.filter(stream_id=stream_id).order_by("version")
    if up_to_position is not None:
        rows = rows.filter(position__lte=up_to_position)
    return [_decode(row) for row in rows]


def read_all(*, after: int = 0, limit: int | None = None) -> list[RecordedEvent]:
    """Events with position > `after`, in position order: a reader resumes from the last it saw."""
    rows = StoredEvent.objects.filter(position__gt=after).order_by("position")
    return [_decode(row) for row in (rows[:limit] if limit is not None else rows)]


def iter_all(*, after: int = 0, batch_size: int = 5000) -> Iterator[RecordedEvent]:
    """Every event after `after`, fetched in batches by position (constant memory)."""
    while True:
        batch = read_all(after=after, limit=batch_size)
        if not batch:
            return
        yield from batch
        after = batch[-1].position


def last_position() -> int:
    return StoredEvent.objects.aggregate(p=Max("position"))["p"] or 0


def position_at(moment: datetime) -> int:
    """The last position recorded at or before `moment` (0 before the first event)."""
    return (
        StoredEvent.objects.filter(recorded_at__lte=moment).aggregate(p=Max("position"))["p"] or 0
    )
