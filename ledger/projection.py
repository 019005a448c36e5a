"""Projections: read models written only by projectors, live in the append's transaction
or by replay.

A projection owns a set of tables and declares the event types it handles; ledger.wiring lists
every projection explicitly (no signals). Live, it applies each append's events to the rows they
touch. Replay feeds a projection's `Replay` the log a chunk at a time (by default through the
same batched path as live), so memory stays bounded whatever the log's length;
`rebuild_projections --verify` checks both give the same rows.
"""

from __future__ import annotations

import gc
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ledger.events import Event
from ledger.models import ReplayCheckpoint
from ledger.store import RecordedEvent, last_position, read_all

CHUNK = 20_000  # events replayed per batch (and per commit when resumable)
CHECKPOINT = "read_models"


class Replay:
    """One rebuild's replay into a projection: `chunk` per chunk of the log in order, then
    `finish` in the last chunk's transaction. It lives for one rebuild, so a projection may keep
    what it learnt in earlier chunks here, provided every committed chunk leaves rows that a
    rebuild resumed with a fresh Replay (after `resume`) completes correctly."""

    def __init__(self, projection: Projection) -> None:
        self.projection = projection

    def resume(self) -> None:
        """Before the first chunk of a rebuild resumed after a cut, in its own transaction:
        complete what an earlier Replay had kept in memory when it was cut short."""

    def chunk(self, recorded: Sequence[RecordedEvent]) -> None:
        self.projection.replay_chunk(recorded)

    def finish(self) -> None:
        """Write what is still held, after the log's last chunk."""


class Projection(ABC):
    """A read model: the tables it owns and how events change them."""

    name: str
    models: tuple[type[models.Model], ...]  # parents first; cleared in reverse order
    handles: frozenset[type[Event]]
    # Secondary indexes (by name) a rebuild keeps while loading because its replay reads by them.
    replay_indexes: frozenset[str] = frozenset()

    @abstractmethod
    def apply_live(self, recorded: RecordedEvent) -> None:
        """Change the rows one just-appended event touches."""

    def apply_live_many(self, recorded: Sequence[RecordedEvent]) -> None:
        """Change rows for the events of one append, in order; override to batch the writes."""
        for item in recorded:
            self.apply_live(item)

    def replay_chunk(self, recorded: Sequence[RecordedEvent]) -> None:
        """Apply a chunk of the log (the events this projection handles, in order) on replay.

        The live batched path by default: it loads only the rows the chunk touches, so nothing
        is kept between chunks."""
        self.apply_live_many(recorded)

    def replay(self) -> Replay:
        """A fresh replay for one rebuild (override with a Replay that keeps state)."""
        return Replay(self)

    def clear(self, *, truncate: bool = False) -> None:
        """Empty the projection's tables without the ORM's cascade bookkeeping.

        `verify` deletes, so readers of the live tables keep their snapshot instead of waiting
        for an exclusive lock; a real rebuild on PostgreSQL truncates, which is much faster.
        """
        tables = [connection.ops.quote_name(m._meta.db_table) for m in reversed(self.models)]
        with connection.cursor() as cursor:
            if truncate and connection.vendor == "postgresql":
                # Django's foreign keys are deferred; TRUNCATE refuses to run while checks of
                # rows written earlier in this transaction are pending, so run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
                return
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def _dispatch() -> dict[type[Event], list[Projection]]:
    from ledger.wiring import projections

    return _dispatch_of(projections())


@lru_cache(maxsize=4)
def _dispatch_of(wired: tuple[Projection, ...]) -> dict[type[Event], list[Projection]]:
    """The dispatch table of the wired projections, made once: every append asks it twice.
    Keyed by the wiring's tuple (itself made once), so it is never stale."""
    return _by_event_type(wired, lambda projection: projection.handles)


def _by_event_type[T](
    items: Sequence[T], handles: Callable[[T], frozenset[type[Event]]]
) -> dict[type[Event], list[T]]:
    """The items that handle each event type, in the order given."""
    table: dict[type[Event], list[T]] = {}
    for item in items:
        for event_type in handles(item):
            table.setdefault(event_type, []).append(item)
    return table


def projects(event_types: set[type[Event]]) -> bool:
    """True when some projection handles one of these event types."""
    table = _dispatch()
    return any(t in table for t in event_types)


def project_live(recorded: Sequence[RecordedEvent]) -> None:
    """Run the projectors of one append's events, in order, inside its transaction.

    Each projection receives all the events it handles at once; projections never read each
    other's tables, so the order between projections does not matter.
    """
    table = _dispatch()
    mine: dict[Projection, list[RecordedEvent]] = {}
    for item in recorded:
        for projection in table.get(type(item.event), ()):
            mine.setdefault(projection, []).append(item)
    for projection, events in mine.items():
        projection.apply_live_many(events)


def _lock_log_against_appends() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE ledger_event IN SHARE MODE")


def _replay_chunk(table: dict[type[Event], list[Replay]], chunk: Sequence[RecordedEvent]) -> None:
    """Each projection's replay gets the chunk's events it handles at once, in log order."""
    mine: dict[Replay, list[RecordedEvent]] = {}
    for item in chunk:
        for replay in table.get(type(item.event), ()):
            mine.setdefault(replay, []).append(item)
    for replay, events in mine.items():
        replay.chunk(events)


REPLAY_GC_THRESHOLD = 50_000  # allocations between young-generation collections, replaying


@contextmanager
def _rare_cyclic_collections() -> Iterator[None]:
    """Replay allocates millions of objects that live a chunk or longer (events, cached states,
    rows), and at the default thresholds the cyclic collector walked them again and again: a
    third of replay's Python time on the bench ledger. The fold's data has no cycles, so
    reference counting frees it all the same; the rare cycle waits for a later collection."""
    thresholds = gc.get_threshold()
    gc.set_threshold(REPLAY_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _handlers(replays: Sequence[Replay]) -> dict[type[Event], list[Replay]]:
    return _by_event_type(replays, lambda replay: replay.projection.handles)


def rebuild(
    projections: Sequence[Projection],
    *,
    progress: Callable[[int, int], None] | None = None,
    truncate: bool = False,
    chunk_size: int = CHUNK,
) -> int:
    """Clear the projections' tables and replay the whole log into them; returns events replayed.

    Must run inside a transaction (the caller's), which also holds appends off until it ends.
    Memory is one chunk of events and the rows it touches. `truncate` (a real rebuild) empties
    tables fast and refreshes planner statistics after.
    """
    _lock_log_against_appends()
    for projection in reversed(projections):
        projection.clear(truncate=truncate)
    replays = [p.replay() for p in projections]
    table = _handlers(replays)
    total, after, count = last_position(), 0, 0
    with _rare_cyclic_collections():
        while chunk := read_all(after=after, limit=chunk_size):
            _replay_chunk(table, chunk)
            after, count = chunk[-1].position, count + len(chunk)
            if progress:
                progress(after, total)
    for replay in replays:
        replay.finish()
    if truncate and connection.vendor == "postgresql":
        _analyze(projections)
    if progress:
        progress(after, total)
    return count


def rebuild_resumable(
    projections: Sequence[Projection],
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK,
    restart: bool = False,
) -> tuple[int, int]:
    """Rebuild committing every chunk with a checkpoint, so a rebuild cut short resumes where it
    stopped; returns (the position it started after, events replayed).

    While the checkpoint exists the read models are partial: appends go on but skip the
    projectors (ledger.store), and this replays their events too, up to the log's end. The last
    chunk, the checkpoint's removal and the statistics commit together under the log's lock.
    """
    with transaction.atomic():
        _lock_log_against_appends()
        checkpoint = ReplayCheckpoint.objects.select_for_update().filter(name=CHECKPOINT).first()
        if checkpoint is None or restart:
            # A restart keeps what the cut-short rebuild dropped: those are gone from the catalog.
            deferred = list(checkpoint.deferred_indexes) if checkpoint else []
            for projection in reversed(projections):
                projection.clear(truncate=True)
            deferred += _drop_secondary_indexes(projections)
            checkpoint, _ = ReplayCheckpoint.objects.update_or_create(
                name=CHECKPOINT,
                defaults={
                    "position": 0,
                    "last_position": last_position(),
                    "started_at": timezone.now(),
                    "deferred_indexes": deferred,
                },
            )
    replays = [p.replay() for p in projections]
    table = _handlers(replays)
    started_after, after, count = checkpoint.position, checkpoint.position, 0
    if started_after:
        with transaction.atomic():
            _lock_log_against_appends()
            for replay in replays:
                replay.resume()
    with _rare_cyclic_collections():
        while True:
            with transaction.atomic():
                _lock_log_against_appends()
                chunk = read_all(after=after, limit=chunk_size)
                _replay_chunk(table, chunk)
                if chunk:
                    after, count = chunk[-1].position, count + len(chunk)
                if len(chunk) < chunk_size:  # the log's end, and appends wait for this commit
                    for replay in replays:
                        replay.finish()
                    ReplayCheckpoint.objects.filter(name=CHECKPOINT).delete()
                    if connection.vendor == "postgresql":
                        _create_indexes(checkpoint.deferred_indexes)
                        _analyze(projections)
                    break
                ReplayCheckpoint.objects.filter(name=CHECKPOINT).update(position=after)
            if progress:
                progress(after, max(checkpoint.last_position, after))
    if progress:
        progress(after, after)
    return started_after, count


def _drop_secondary_indexes(projections: Sequence[Projection]) -> list[str]:
    """Drop the projections' secondary indexes for a rebuild and return how to create them.

    Keeping every index up to date row by row was a third of a replay's time; built once at
    the end from the loaded rows they cost a fraction. Kept: primary keys, unique indexes and
    constraints (they are rules, and replay looks rows up by them), single-column indexes
    on foreign keys (replay replaces an incident's child rows by them) and the indexes a
    projection names in `replay_indexes`. PostgreSQL only."""
    if connection.vendor != "postgresql":
        return []
    models_ = [m for p in projections for m in p.models]
    keep = {
        (m._meta.db_table, f.column)
        for m in models_
        for f in m._meta.concrete_fields
        if f.is_relation and f.column
    }
    kept_by_name = {name for p in projections for name in p.replay_indexes}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                   (SELECT array_agg(a.attname::text) FROM pg_attribute a
                    WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey))
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY (%s) AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 2
            """,
            [[m._meta.db_table for m in models_]],
        )
        dropped: list[str] = []
        for table, index, definition, columns in cursor.fetchall():
            if len(columns or []) == 1 and (table, columns[0]) in keep:
                continue
            if index.rsplit(".", 1)[-1].strip('"') in kept_by_name:
                continue
            cursor.execute(f"DROP INDEX {index}")
            dropped.append(definition)
    return dropped


def _create_indexes(definitions: Sequence[str]) -> None:
    with connection.cursor() as cursor:
        # CREATE INDEX refuses to run while checks of this transaction's rows are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in definitions:
            cursor.execute(definition)


def rebuild_pending() -> ReplayCheckpoint | None:
    """The unfinished rebuild, if one was cut short."""
    return ReplayCheckpoint.objects.filter(name=CHECKPOINT).first()


def _analyze(projections: Sequence[Projection]) -> None:
    """Fresh tables have no planner statistics, and lookups by key then walk whole indexes.

    Only columns worth planning on are sampled: large JSON and text columns would cost most of
    the time and inform no plan.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (m for p in projections for m in p.models):
            columns = [
                quote(f.column)
                for f in model._meta.concrete_fields
                if f.column and not isinstance(f, models.JSONField | models.TextField)
            ]
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)} ({', '.join(columns)})")


def vacuum(
    projections: Sequence[Projection], *, progress: Callable[[int, int], None] | None = None
) -> list[str]:
    """VACUUM the projections' tables after a rebuild; returns the tables vacuumed.

    A rebuild writes every row anew, and until a vacuum marks their pages all-visible an
    index-only scan (the lists' covering indexes, incidents 0010) still visits the row of each
    entry it reads; autovacuum gets there minutes later, or on a large table much later. A
    plain VACUUM: the rebuild's last transaction took the statistics (`_analyze`), and a full
    ANALYZE would add the JSON and text columns it leaves out on purpose.

    PostgreSQL only (SQLite has no visibility map), and only with no transaction open: VACUUM
    cannot run in one. Otherwise it does nothing and returns no table.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    tables = [m._meta.db_table for p in projections for m in p.models]
    with connection.cursor() as cursor:
        for done, table in enumerate(tables, 1):
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
            if progress:
                progress(done, len(tables))
    return tables


@dataclass(frozen=True)
class TableDifference:
    """Rows of one table that differ between the live tables and a replay (examples, counts)."""

    table: str
    only_live: list[Any]
    only_rebuilt: list[Any]
    live_count: int | None = None
    rebuilt_count: int | None = None

    def describe(self, limit: int = 3) -> str:
        live = len(self.only_live) if self.live_count is None else self.live_count
        rebuilt = len(self.only_rebuilt) if self.rebuilt_count is None else self.rebuilt_count
        return (
            f"{self.table}: {live} row(s) only in the live table, "
            f"{rebuilt} only after replay; e.g. live {self.only_live[:limit]} "
            f"vs replayed {self.only_rebuilt[:limit]}"
        )


def _compared_fields(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    """Every column but a surrogate auto key, which replay renumbers."""
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


def _snapshot(model: type[models.Model]) -> Counter[str]:
    """Every row as canonical JSON (the portable comparison, for small SQLite logs)."""
    fields = [f.attname for f in _compared_fields(model)]
    rows = model._default_manager.order_by().values_list(*fields)
    return Counter(
        json.dumps(dict(zip(fields, row, strict=True)), sort_keys=True, default=str) for row in rows
    )


class _SqlComparison:
    """On PostgreSQL the live rows are copied aside into a temporary table and compared with
    the replayed ones by the server (EXCEPT ALL): nothing is held in this process."""

    EXAMPLES = 5

    def __init__(self, model: type[models.Model], n: int) -> None:
        quote = connection.ops.quote_name
        self.model, self.table = model, model._meta.db_table
        self.saved = quote(f"ledger_verify_{n}")
        self.columns = ", ".join(quote(f.column or f.attname) for f in _compared_fields(model))
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.saved} ON COMMIT DROP AS "
                f"SELECT {self.columns} FROM {quote(self.table)}"
            )

    def _missing(self, left: str, right: str) -> tuple[int, list[str]]:
        sql = f"SELECT {self.columns} FROM {left} EXCEPT ALL SELECT {self.columns} FROM {right}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql}) d")
            count = cursor.fetchone()[0]
            if not count:
                return 0, []
            cursor.execute(f"SELECT row_to_json(d)::text FROM ({sql}) d LIMIT {self.EXAMPLES}")
            return count, sorted(row[0] for row in cursor.fetchall())

    def difference(self) -> TableDifference | None:
        table = connection.ops.quote_name(self.table)
        live_count, live = self._missing(self.saved, table)
        rebuilt_count, rebuilt = self._missing(table, self.saved)
        if not live_count and not rebuilt_count:
            return None
        return TableDifference(self.table, live, rebuilt, live_count, rebuilt_count)


def verify(
    projections: Sequence[Projection],
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK,
) -> list[TableDifference]:
    """Replay into the tables inside a transaction that is rolled back, and compare row for row.

    Live rows are set aside first; the rebuilt rows are compared with them; the rollback then
    restores the live tables untouched, so verifying is safe on a running system. Replay goes
    by chunks and, on PostgreSQL, the comparison runs in the database, so memory stays bounded.
    """
    differences: list[TableDifference] = []
    with transaction.atomic():
        _lock_log_against_appends()
        models_ = [m for p in projections for m in p.models]
        if connection.vendor == "postgresql":
            saved = [_SqlComparison(m, n) for n, m in enumerate(models_)]
            rebuild(projections, progress=progress, chunk_size=chunk_size)
            differences = [d for c in saved if (d := c.difference()) is not None]
        else:
            live = {m._meta.db_table: _snapshot(m) for m in models_}
            rebuild(projections, progress=progress, chunk_size=chunk_size)
            for model in models_:
                table = model._meta.db_table
                rebuilt = _snapshot(model)
                if rebuilt != live[table]:
                    differences.append(
                        TableDifference(
                            table,
                            sorted((live[table] - rebuilt).elements()),
                            sorted((rebuilt - live[table]).elements()),
                        )
                    )
        transaction.set_rollback(True)
    return differences
