"""Floors: what the database alone needs for the rows the design asks of an append and of a
replay, with no Python work of ours per event. They bound what any client code could reach.

- `append_single_floor`: the statements one single-event append with projectors sends
  (captured from `ledger.store.append`), sent again with a fresh stream id and the position the
  log hands out, in the same round trips, prepared and pipelined as the append sends them. Only
  psycopg and the server work: no event encoding, no fold, no projector code. Also run with
  `synchronous_commit` off, which shows how much of the floor is waiting for the disk.
- `replay_write_floor`: the rows the last replay wrote, COPYed out and back in as
  `rebuild_resumable` loads them (tables truncated, secondary indexes dropped and built again
  from the loaded rows), in one transaction that is rolled back. No fold, no row building.

Both run against the benchmark database that `bench.ledger_bench` filled; PostgreSQL only.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
from django.conf import settings
from django.db import connection, models, transaction

from bench.rates import bar, measurement
from ledger import projection
from ledger.events import Event
from ledger.store import Cause, append
from ledger.wiring import projections

COPY_BLOCK = 1 << 20  # bytes read from a table's file per COPY write


@dataclass(frozen=True)
class _Sent:
    """One statement an append sent: in which round trip, through which kind of cursor."""

    trip: int
    numbered: bool  # psycopg.RawCursor ($1, $2 ...) rather than psycopg.Cursor (%s)
    query: Any
    params: Any
    prepare: bool | None


@dataclass(frozen=True)
class CapturedAppend:
    """The statements of one append, and the stream id and first position they were sent with."""

    sent: tuple[_Sent, ...]
    stream_id: uuid.UUID
    position: int

    @property
    def trips(self) -> int:
        return len({s.trip for s in self.sent})


class _Unsupported(Exception):
    """The append used a path the replay below does not send again (executemany, COPY)."""


@contextmanager
def _recording(sent: list[_Sent]) -> Iterator[None]:
    execute = psycopg.Cursor.execute
    pipeline = psycopg.Connection.pipeline
    trip = [0]

    def recorded_execute(self: psycopg.Cursor, query: Any, params: Any = None, **kwargs: Any):  # type: ignore[type-arg]
        numbered = isinstance(self, psycopg.RawCursor)
        sent.append(_Sent(trip[0], numbered, query, params, kwargs.get("prepare")))
        return execute(self, query, params, **kwargs)

    @contextmanager
    def counted_pipeline(self: psycopg.Connection) -> Iterator[Any]:  # type: ignore[type-arg]
        trip[0] += 1
        with pipeline(self) as p:
            yield p

    def unsupported(*args: Any, **kwargs: Any) -> Any:
        raise _Unsupported

    with (
        mock.patch.object(psycopg.Cursor, "execute", recorded_execute),
        mock.patch.object(psycopg.Connection, "pipeline", counted_pipeline),
        mock.patch.object(psycopg.Cursor, "executemany", unsupported),
        mock.patch.object(psycopg.Cursor, "copy", unsupported),
    ):
        yield


def capture_append(stream_type: str, event: Event, cause: Cause) -> CapturedAppend | None:
    """Append `event` to a fresh stream for real, recording every statement it sends; None
    when the append took a path the floor cannot send again."""
    sent: list[_Sent] = []
    stream_id = uuid.uuid4()
    try:
        with _recording(sent):
            result = append(
                stream_type=stream_type,
                stream_id=stream_id,
                expected_version=0,
                events=[event],
                cause=cause,
            )
    except _Unsupported:
        return None
    return CapturedAppend(tuple(sent), stream_id, result.events[0].position)


def _swap(value: Any, old: CapturedAppend, new_id: uuid.UUID, new_position: int) -> Any:
    """`value` with the captured stream id and position replaced by the new ones."""
    if isinstance(value, uuid.UUID):
        return new_id if value == old.stream_id else value
    if isinstance(value, str):
        return value.replace(str(old.stream_id), str(new_id))
    if type(value) is int:
        return new_position if value == old.position else value
    if isinstance(value, list | tuple):
        return type(value)(_swap(v, old, new_id, new_position) for v in value)
    return value


def _send_again(captured: CapturedAppend, *, asynchronous_commit: bool) -> None:
    """The captured statements once more, for a new stream, trip by trip."""
    raw = connection.connection
    new_id, position = uuid.uuid4(), 0
    with transaction.atomic():  # as the append's own: psycopg opens it with the first trip
        for trip in sorted({s.trip for s in captured.sent}):
            statements = [s for s in captured.sent if s.trip == trip]
            appends = None
            with psycopg.Cursor(raw) as cursor, psycopg.RawCursor(raw) as numbered:
                with raw.pipeline():
                    if asynchronous_commit and trip == captured.sent[0].trip:
                        cursor.execute("SET LOCAL synchronous_commit TO off")
                    for s in statements:
                        params = _swap(s.params, captured, new_id, position)
                        target = numbered if s.numbered else cursor
                        target.execute(s.query, params, prepare=s.prepare)
                        if "ledger_append" in str(s.query):
                            appends = target
                if appends is not None:
                    # The log hands out the position: the projector's rows carry it.
                    position = next(row[2] for row in appends.fetchall() if row[0] == "ok")


def append_single_floor(
    n: int, stream_type: str, event: Event, cause: Cause, *, progress: bool
) -> list[dict[str, Any]]:
    """n appends of `event`'s statements (captured once), each in its own transaction, with
    synchronous commit as configured and then with it off; [] when it cannot be captured."""
    captured = capture_append(stream_type, event, cause)
    if captured is None or captured.position <= 100:
        # A small position could equal another integer parameter and be swapped with it.
        return []
    results = []
    for asynchronous, suffix, how in (
        (False, "", "as configured"),
        (True, "_async_commit", "with synchronous_commit off"),
    ):
        with bar(f"floor 1/txn{suffix}", n, progress) as shown:
            started = time.perf_counter()
            for _ in range(n):
                _send_again(captured, asynchronous_commit=asynchronous)
                shown.update()
            seconds = time.perf_counter() - started
        results.append(
            measurement(
                f"append_single_floor{suffix}",
                f"append_single's SQL sent again, {captured.trips} round trips and nothing else "
                f"(commit {how})",
                events=n,
                transactions=n,
                seconds=seconds,
            )
        )
    return results


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _copy_out(raw: psycopg.Connection, model: type[models.Model], path: Path) -> None:  # type: ignore[type-arg]
    statement = f"COPY {_table(model)} TO STDOUT (FORMAT BINARY)"
    with raw.cursor() as cursor, path.open("wb") as out, cursor.copy(statement) as copy:
        for block in copy:
            out.write(block)


def _copy_in(
    raw: psycopg.Connection,  # type: ignore[type-arg]
    model: type[models.Model],
    path: Path,
    done: Callable[[int], object],
) -> None:
    statement = f"COPY {_table(model)} FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, path.open("rb") as source, cursor.copy(statement) as copy:
        while block := source.read(COPY_BLOCK):
            copy.write(block)
            done(len(block))


def replay_write_floor(events: int, *, progress: bool) -> dict[str, Any]:
    """Seconds to load the rows a replay of `events` events wrote, with nothing else to do."""
    wired: Sequence[projection.Projection] = projections()
    models_ = [m for p in wired for m in p.models]
    raw = connection.connection
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix="replay-floor-") as tmp:
        files: dict[type[models.Model], Path] = {}
        for model in models_:
            files[model] = Path(tmp) / f"{model._meta.db_table}.copy"
            _copy_out(raw, model, files[model])
        size = sum(f.stat().st_size for f in files.values())
        with bar("replay floor", size, progress, unit="B") as shown, transaction.atomic():
            started = time.perf_counter()
            # The rebuild's own steps: empty the tables, drop the indexes built at the end.
            for p in reversed(wired):
                p.clear(truncate=True)
            deferred = projection._drop_secondary_indexes(wired)
            for model in models_:
                _copy_in(raw, model, files[model], shown.update)
            projection._create_indexes(deferred)
            seconds = time.perf_counter() - started
            loaded = sum(m._default_manager.count() for m in models_)  # checked by the tests
            transaction.set_rollback(True)  # the replayed rows stay as they were
    result = measurement(
        "replay_write_floor",
        "the replayed rows COPYed back in, secondary indexes built after (no Python per row)",
        events=events,
        transactions=1,
        seconds=seconds,
    )
    result["bytes"] = size
    result["rows"] = loaded
    return result
