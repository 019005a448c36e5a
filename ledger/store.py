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

import orjson
from django.db import connection, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast
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
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidEventPayload(f"{what} is not JSON: {exc}") from exc
    if "\\u0000" in text:  # valid JSON, but no database stores NUL in text
        raise InvalidEventPayload(f"{what} contains a NUL character; remove it before recording.")
    return json.loads(text)


def _idempotency_keys(key: str, count: int) -> list[str]:
    return [key if i == 0 else f"{key}#{i}" for i in range(count)]


@dataclass(frozen=True, kw_only=True)
class Append:
    """One stream's part of an append: its events and the version the caller read it at."""

    stream_type: str
    stream_id: uuid.UUID
    expected_version: int
    events: Sequence[Event]
    idempotency_key: str | None = None


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
    part = Append(
        stream_type=stream_type,
        stream_id=stream_id,
        expected_version=expected_version,
        events=events,
        idempotency_key=idempotency_key,
    )
    return append_batch([part], cause=cause)[0]


def append_batch(parts: Sequence[Append], *, cause: Cause) -> list[AppendResult]:
    """Append to several streams in one transaction: all parts or none.

    Each part keeps its own optimistic check and idempotency key; a part whose key was stored
    before is skipped (its result is the stored events). One lock, one position lookup and one
    insert serve the whole batch, which is what makes bulk ingestion fast.
    """
    if not parts or any(not part.events for part in parts):
        raise ValueError("append needs at least one event in every stream part.")
    if len({part.stream_id for part in parts}) != len(parts):
        raise ValueError(
            "A batch names each stream once; put all of a stream's events in one part."
        )
    registry = _registry()
    payloads: list[list[Any]] = []
    for part in parts:
        for event in part.events:
            if not registry.is_registered(type(event)):
                raise UnknownEventType(
                    f"{type(event).__name__} is not registered in config/wiring.py; "
                    "register it there."
                )
        payloads.append(
            [_checked_json(e.to_data(), f"{type(e).__name__} data") for e in part.events]
        )
    metadata = _checked_json(cause.to_metadata(), "Event metadata")
    if any("#" in (p.idempotency_key or "") for p in parts):
        raise ValueError("Idempotency keys may not contain '#': it numbers a batch's events.")
    keys = [
        _idempotency_keys(p.idempotency_key, len(p.events)) if p.idempotency_key else None
        for p in parts
    ]

    with transaction.atomic():
        _lock_log()
        first_keys = [k[0] for k in keys if k]
        stored: dict[str, list[StoredEvent]] = {}
        if first_keys:
            all_keys = [key for k in keys if k for key in k]
            for row in StoredEvent.objects.filter(idempotency_key__in=all_keys).order_by(
                "position"
            ):
                stem = (row.idempotency_key or "").split("#", 1)[0]
                stored.setdefault(stem, []).append(row)
        fresh = [i for i, k in enumerate(keys) if not (k and k[0] in stored)]
        versions, position = _heads([parts[i].stream_id for i in fresh])
        for i in fresh:
            part = parts[i]
            actual = versions.get(part.stream_id, 0)
            if actual != part.expected_version:
                raise ConcurrencyConflict(
                    stream_id=str(part.stream_id), expected=part.expected_version, actual=actual
                )
        now = timezone.now()
        rows: list[StoredEvent] = []
        recorded: list[RecordedEvent] = []
        results: list[AppendResult] = []
        for i, part in enumerate(parts):
            if i not in fresh:
                key = keys[i][0]  # type: ignore[index]
                results.append(AppendResult([_decode(r) for r in stored[key]], deduplicated=True))
                continue
            mine = []
            for n, (event, data) in enumerate(zip(part.events, payloads[i], strict=True)):
                position += 1
                row = StoredEvent(
                    position=position,
                    stream_type=part.stream_type,
                    stream_id=part.stream_id,
                    version=part.expected_version + n + 1,
                    type=type(event).type_name(),
                    schema_version=type(event).schema_version,
                    data=data,
                    metadata=metadata,
                    idempotency_key=keys[i][n] if keys[i] else None,  # type: ignore[index]
                    recorded_at=now,
                )
                rows.append(row)
                mine.append(
                    RecordedEvent(
                        position=row.position,
                        stream_type=part.stream_type,
                        stream_id=part.stream_id,
                        version=row.version,
                        event=event,
                        metadata=metadata,
                        recorded_at=now,
                    )
                )
            recorded.extend(mine)
            results.append(AppendResult(mine, deduplicated=False))
        if rows:
            StoredEvent.objects.bulk_create(rows, batch_size=1000)
            from ledger.projection import project_live

            project_live(recorded)
    return results


def _heads(stream_ids: Sequence[uuid.UUID]) -> tuple[dict[uuid.UUID, int], int]:
    """The current version of each stream and the log's last position, in one round trip."""
    field = StoredEvent._meta.get_field("stream_id")
    params = [field.get_db_prep_value(sid, connection) for sid in stream_ids]
    marks = ", ".join(["%s"] * len(params))
    sql = "SELECT NULL, COALESCE(MAX(position), 0) FROM ledger_event"
    if params:
        sql += (
            f" UNION ALL SELECT stream_id, MAX(version) FROM ledger_event"
            f" WHERE stream_id IN ({marks}) GROUP BY stream_id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    versions = {field.to_python(sid): version for sid, version in rows if sid is not None}
    position = next(version for sid, version in rows if sid is None)
    return versions, position


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


_COLUMNS = (
    "position",
    "stream_type",
    "stream_id",
    "version",
    "type",
    "schema_version",
    "data_text",
    "metadata_text",
    "recorded_at",
)


def read_all(*, after: int = 0, limit: int | None = None) -> list[RecordedEvent]:
    """Events with position > `after`, in position order: a reader resumes from the last it saw."""
    rows = (
        StoredEvent.objects.filter(position__gt=after)
        .order_by("position")
        # JSON comes as text and is parsed with orjson: replay reads every event, and the
        # standard library's parser was a tenth of its time.
        .annotate(data_text=Cast("data", TextField()), metadata_text=Cast("metadata", TextField()))
        .values_list(*_COLUMNS)
    )
    return [_from_row(*row) for row in (rows[:limit] if limit is not None else rows)]


def _from_row(
    position: int,
    stream_type: str,
    stream_id: uuid.UUID,
    version: int,
    type_: str,
    schema_version: int,
    data: str,
    metadata: str,
    recorded_at: datetime,
) -> RecordedEvent:
    return RecordedEvent(
        position=position,
        stream_type=stream_type,
        stream_id=stream_id,
        version=version,
        event=_registry().decode(type_, schema_version, orjson.loads(data)),
        metadata=orjson.loads(metadata),
        recorded_at=recorded_at,
    )


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
