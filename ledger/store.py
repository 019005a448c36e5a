"""Append to and read from the event store.

Guarantees (ARCHITECTURE.md lists them as invariants):
- optimistic concurrency: an append names the stream version it expects, or fails whole;
- a gap-free global position in commit order: appends serialise on a table lock (PostgreSQL) or
  on SQLite's single writer (BEGIN IMMEDIATE), and take max(position) + 1, so a rolled-back
  append leaves no hole and a reader polling "after P" never skips an event that commits later;
- idempotency: an append whose key was stored before returns the stored events and writes nothing;
- projectors run inside the append's transaction, so read models never lag or lead the log
  (an append that opens its own transaction on PostgreSQL sends their batched writes with its
  COMMIT: one round trip for both).
Nothing here performs network I/O; callers schedule side effects with transaction.on_commit.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any

import orjson
import psycopg
from django.db import connection, transaction
from django.db.models import F, Func, Max, TextField
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

    def as_row(self) -> dict[str, Any]:
        """The event as one row of a history, in the API and the admin alike: what happened,
        where in the log, who appended it and why."""
        return {
            "position": self.position,
            "recorded_at": self.recorded_at,
            "type": type(self.event).type_name(),
            "stream_type": self.stream_type,
            "stream_id": self.stream_id,
            "version": self.version,
            "who": self.metadata.get("who"),
            "why": self.metadata.get("why"),
            "edition_id": self.metadata.get("edition_id"),
            "flag_id": self.metadata.get("flag_id"),
            "data": self.event.to_data(),
        }


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


def _json_text(value: Any, what: str) -> str:
    """`value` as JSON text, refused if it is not JSON or holds what no database stores."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidEventPayload(f"{what} is not JSON: {exc}") from exc
    if "\\u0000" in text:  # valid JSON, but no database stores NUL in text
        raise InvalidEventPayload(f"{what} contains a NUL character; remove it before recording.")
    return text


_FIELD_NAMES: dict[type[Event], tuple[str, ...]] = {}


def _field_names(cls: type[Event]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _data_text(event: Event) -> str:
    """The event's data as JSON text: to_data() without its deep copy, which JSON text does not
    need and which was a fifth of a projected batch's client time. A value only to_data() can
    turn into JSON (a nested dataclass) takes the long way, so the text is the same."""
    what = f"{type(event).__name__} data"
    shallow = {name: getattr(event, name) for name in _field_names(type(event))}
    try:
        return _json_text(shallow, what)
    except InvalidEventPayload:
        return _json_text(event.to_data(), what)


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
    payloads: list[list[str]] = []
    for part in parts:
        for event in part.events:
            if not registry.is_registered(type(event)):
                raise UnknownEventType(
                    f"{type(event).__name__} is not registered in config/wiring.py; "
                    "register it there."
                )
        payloads.append([_data_text(e) for e in part.events])
    metadata_text = _json_text(cause.to_metadata(), "Event metadata")
    if any("#" in (p.idempotency_key or "") for p in parts):
        raise ValueError("Idempotency keys may not contain '#': it numbers a batch's events.")
    keys = [
        _idempotency_keys(p.idempotency_key, len(p.events)) if p.idempotency_key else None
        for p in parts
    ]
    batch = _Batch(parts, payloads, keys, metadata_text, json.loads(metadata_text), timezone.now())
    if _one_trip(batch) and (first := _append_in_one_trip(batch)) is not None:
        return batch.results(first, {})[0]
    owns_transaction = _owns_next_transaction()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            first, stored, rebuilding = _insert_postgres(batch)
        else:
            first, stored, rebuilding = _insert_locked(batch)
        results, recorded = batch.results(first, stored)
        if recorded and not rebuilding:
            _project(recorded, commit=owns_transaction)
    return results


def _owns_next_transaction() -> bool:
    """True when the atomic block append_batch opens next is the outermost one on PostgreSQL:
    the append then owns its transaction and may send its COMMIT with the projectors' writes."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and connection.get_autocommit()
    )


def _project(recorded: list[RecordedEvent], *, commit: bool) -> None:
    """Run the projectors; with `commit`, their batched writes and the COMMIT go in one round
    trip, as the last thing the append's own transaction does (nothing may follow it there:
    it would run after the commit, and an error in it could no longer roll the append back).
    Projectors that write through the ORM have written by then; the batched writes wait."""
    from ledger.bulk import gathered
    from ledger.projection import project_live

    if not commit:
        project_live(recorded)
        return
    with gathered() as writes:
        project_live(recorded)
    if connection.needs_rollback:  # a projector marked the transaction: atomic() rolls back
        writes.flush()
        return
    writes.flush_and_commit()


@dataclass
class _Batch:
    """One append_batch call's parts, their JSON text and keys, ready for either database."""

    parts: Sequence[Append]
    payloads: list[list[str]]
    keys: list[list[str] | None]
    metadata_text: str
    metadata: dict[str, Any]
    now: datetime

    def first_keys(self, among: Sequence[int]) -> list[str]:
        return [k[0] for i in among if (k := self.keys[i])]

    def all_keys(self, among: Sequence[int]) -> list[str]:
        return [key for i in among if (k := self.keys[i]) for key in k]

    def results(
        self, first: int, stored: dict[str, list[StoredEvent]]
    ) -> tuple[list[AppendResult], list[RecordedEvent]]:
        """Each part's result: the stored events for a known key, else its new events, numbered
        from position `first` in part order."""
        position = first
        results: list[AppendResult] = []
        recorded: list[RecordedEvent] = []
        for i, part in enumerate(self.parts):
            key = self.keys[i]
            if key and key[0] in stored:
                results.append(
                    AppendResult([_decode(r) for r in stored[key[0]]], deduplicated=True)
                )
                continue
            mine = [
                RecordedEvent(
                    position=position + n,
                    stream_type=part.stream_type,
                    stream_id=part.stream_id,
                    version=part.expected_version + n + 1,
                    event=event,
                    metadata=self.metadata,
                    recorded_at=self.now,
                )
                for n, event in enumerate(part.events)
            ]
            position += len(mine)
            recorded.extend(mine)
            results.append(AppendResult(mine, deduplicated=False))
        return results, recorded


def _stored_by_key(keys: Sequence[str]) -> dict[str, list[StoredEvent]]:
    """Events stored under these keys, grouped by their part's first key."""
    stored: dict[str, list[StoredEvent]] = {}
    if keys:
        for row in StoredEvent.objects.filter(idempotency_key__in=keys).order_by("position"):
            stem = (row.idempotency_key or "").split("#", 1)[0]
            stored.setdefault(stem, []).append(row)
    return stored


_APPEND_SQL = (
    "SELECT outcome, stream_id, value FROM ledger_append(%s::text[], %s::uuid[], %s::int[],"
    " %s::text[], %s::int[], %s::jsonb[], %s::text[], %s::jsonb, %s, %s::uuid[], %s::int[],"
    " %s::text[])"
)
# The same call for one event in one stream, the most common append, with scalar parameters:
# psycopg dumps arrays in Python, and twelve one-element arrays were a fifth of the client's
# time in a single append. The database builds the arrays; no key gives an empty key array.
_APPEND_ONE_SQL = (
    "SELECT outcome, stream_id, value FROM ledger_append(ARRAY[%s::text], ARRAY[%s::uuid],"
    " ARRAY[%s::int], ARRAY[%s::text], ARRAY[%s::int], ARRAY[%s::jsonb], ARRAY[%s::text],"
    " %s::jsonb, %s, ARRAY[%s::uuid], ARRAY[%s::int], array_remove(ARRAY[%s::text], NULL))"
)


def _one_trip(batch: _Batch) -> bool:
    """True when the append may be sent, checked and committed in one round trip: on
    PostgreSQL, outside any transaction (nothing else to commit with it), and no projector
    handles its events (nothing else to write in it)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    if not connection.get_autocommit():  # a transaction opened by hand: commit is its owner's
        return False
    from ledger.projection import projects

    return not projects({type(e) for part in batch.parts for e in part.events})


def _append_in_one_trip(batch: _Batch) -> int | None:
    """BEGIN, the ledger_append call and COMMIT in one pipeline: the function writes nothing
    unless every check passes, so committing whatever it reports is safe. Returns the first
    position, raises on a conflict, or None when a key was stored before (nothing written: the
    caller takes the ordinary path, which returns the stored events)."""
    connection.ensure_connection()
    raw = connection.connection
    every = list(range(len(batch.parts)))
    statement, params = _append_call(batch, every, batch.first_keys(every))
    with psycopg.Cursor(raw) as control, psycopg.Cursor(raw) as cursor:
        try:
            with raw.pipeline():
                control.execute("BEGIN")
                cursor.execute(statement, params, prepare=True)
                control.execute("COMMIT")
        except BaseException:
            # A failed statement makes the pipeline skip the COMMIT: end the transaction here,
            # or the connection stays aborted for whoever uses it next.
            if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raw.execute("ROLLBACK")
            raise
        rows = cursor.fetchall()
    if any(outcome == "stored" for outcome, _, _ in rows):
        return None
    return _first_or_conflict(batch, every, rows)


def _append_call(batch: _Batch, fresh: list[int], first_keys: list[str]) -> tuple[str, tuple]:
    """The ledger_append statement and its parameters for the parts `fresh`."""
    if len(fresh) == 1 and len(batch.parts[fresh[0]].events) == 1:
        i = fresh[0]
        part, event, keys = batch.parts[i], batch.parts[i].events[0], batch.keys[i]
        return _APPEND_ONE_SQL, (
            part.stream_type,
            part.stream_id,
            part.expected_version + 1,
            type(event).type_name(),
            type(event).schema_version,
            batch.payloads[i][0],
            keys[0] if keys else None,
            batch.metadata_text,
            batch.now,
            part.stream_id,
            part.expected_version,
            first_keys[0] if first_keys else None,
        )
    return _APPEND_SQL, _append_params(batch, fresh, first_keys)


def _append_params(batch: _Batch, fresh: list[int], first_keys: list[str]) -> tuple:
    parts = [batch.parts[i] for i in fresh]
    events = [(i, n) for i in fresh for n in range(len(batch.parts[i].events))]
    return (
        [batch.parts[i].stream_type for i, _ in events],
        [batch.parts[i].stream_id for i, _ in events],
        [batch.parts[i].expected_version + n + 1 for i, n in events],
        [type(batch.parts[i].events[n]).type_name() for i, n in events],
        [type(batch.parts[i].events[n]).schema_version for i, n in events],
        [batch.payloads[i][n] for i, n in events],
        [k[n] if (k := batch.keys[i]) else None for i, n in events],
        batch.metadata_text,
        batch.now,
        [p.stream_id for p in parts],
        [p.expected_version for p in parts],
        first_keys,
    )


def _first_or_conflict(batch: _Batch, fresh: list[int], rows: list[tuple]) -> int:
    """The first new position ledger_append reported, or its conflict raised."""
    for outcome, stream_id, actual in rows:
        if outcome == "conflict":
            expected = next(
                batch.parts[i].expected_version
                for i in fresh
                if str(batch.parts[i].stream_id) == str(stream_id)
            )
            raise ConcurrencyConflict(stream_id=str(stream_id), expected=expected, actual=actual)
    return next(value for outcome, _, value in rows if outcome == "ok")


def _insert_postgres(batch: _Batch) -> tuple[int, dict[str, list[StoredEvent]], bool]:
    """Lock, checks and insert in one prepared call of ledger_append (migration 0004).

    Returns the first new position, the stored events of parts whose key was known, and
    whether an unfinished rebuild holds the projectors off."""
    fresh = list(range(len(batch.parts)))
    stored: dict[str, list[StoredEvent]] = {}
    first_keys = batch.first_keys(fresh)
    connection.ensure_connection()
    raw = connection.connection
    # A server-side binding cursor on Django's own connection (same transaction): Django's
    # cursors bind on the client, which rules out prepared statements.
    with psycopg.Cursor(raw) as cursor:
        while True:
            statement, params = _append_call(batch, fresh, first_keys)
            # In a pipeline, the BEGIN that opens the transaction travels with the call.
            with raw.pipeline():
                cursor.execute(statement, params, prepare=True)
            rows = cursor.fetchall()
            outcomes = {outcome for outcome, _, _ in rows}
            rebuilding = "rebuilding" in outcomes
            if "stored" in outcomes:
                # Rare: redelivery. The lock is held now, so what is stored cannot change.
                stored = _stored_by_key(batch.all_keys(fresh))
                fresh = [i for i in fresh if not ((k := batch.keys[i]) and k[0] in stored)]
                first_keys = []
                if not fresh:
                    return 0, stored, rebuilding
                continue
            return _first_or_conflict(batch, fresh, rows), stored, rebuilding


def _insert_locked(batch: _Batch) -> tuple[int, dict[str, list[StoredEvent]], bool]:
    """The portable path (SQLite): transaction_mode=IMMEDIATE already took the database's
    single write lock at BEGIN, so look up, check and insert in separate statements."""
    from ledger.models import ReplayCheckpoint

    parts = batch.parts
    stored = _stored_by_key(batch.all_keys(range(len(parts))))
    fresh = [i for i in range(len(parts)) if not ((k := batch.keys[i]) and k[0] in stored)]
    versions, last = _heads([parts[i].stream_id for i in fresh])
    for i in fresh:
        actual = versions.get(parts[i].stream_id, 0)
        if actual != parts[i].expected_version:
            raise ConcurrencyConflict(
                stream_id=str(parts[i].stream_id), expected=parts[i].expected_version, actual=actual
            )
    rows, position = [], last
    for i in fresh:
        part, keys = parts[i], batch.keys[i]
        for n, event in enumerate(part.events):
            position += 1
            rows.append(
                StoredEvent(
                    position=position,
                    stream_type=part.stream_type,
                    stream_id=part.stream_id,
                    version=part.expected_version + n + 1,
                    type=type(event).type_name(),
                    schema_version=type(event).schema_version,
                    data=json.loads(batch.payloads[i][n]),
                    metadata=batch.metadata,
                    idempotency_key=keys[n] if keys else None,
                    recorded_at=batch.now,
                )
            )
    StoredEvent.objects.bulk_create(rows, batch_size=1000)
    return last + 1, stored, ReplayCheckpoint.objects.exists()


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
    )
    columns, zone = _COLUMNS, connection.timezone
    if connection.vendor == "postgresql" and zone is not None:
        # The moment as UTC text too: Django's loader for it is Python and was a third of the
        # time a row took to read; an append's events share one, so each is parsed once.
        rows = rows.annotate(recorded_at_text=_UTC_TEXT)
        columns = (*_COLUMNS[:-1], "recorded_at_text")
    values = rows.values_list(*columns)
    return [_from_row(*row, zone=zone) for row in (values[:limit] if limit is not None else values)]


_UTC_TEXT = Func(
    F("recorded_at"),
    template="""to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')""",
    output_field=TextField(),
)


@lru_cache(maxsize=1 << 12)
def _moment(utc: str, zone: tzinfo) -> datetime:
    """A moment read as UTC text, in the zone Django's own loader would give it."""
    return datetime.fromisoformat(utc).replace(tzinfo=UTC).astimezone(zone)


def _from_row(
    position: int,
    stream_type: str,
    stream_id: uuid.UUID,
    version: int,
    type_: str,
    schema_version: int,
    data: str,
    metadata: str,
    recorded_at: datetime | str,
    *,
    zone: tzinfo | None,
) -> RecordedEvent:
    return RecordedEvent(
        position=position,
        stream_type=stream_type,
        stream_id=stream_id,
        version=version,
        event=_registry().decode(type_, schema_version, orjson.loads(data)),
        metadata=orjson.loads(metadata),
        recorded_at=(
            recorded_at if isinstance(recorded_at, datetime) else _moment(recorded_at, zone or UTC)
        ),
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
