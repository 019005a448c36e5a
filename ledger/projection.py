"""Projections: read models written only by projectors, live in the append's transaction
or by replay.

A projection owns a set of tables and declares the event types it handles; ledger.wiring lists
every projection explicitly (no signals). Live, it applies each appended event to the rows it
touches. On replay it starts from empty tables and may take a faster path (in memory, then bulk
inserts), which is why `rebuild_projections --verify` exists: both paths must give the same rows.
"""

from __future__ import annotations

import gc
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from ledger.events import Event
from ledger.store import RecordedEvent, iter_all, last_position


class Projection(ABC):
    """A read model: the tables it owns and how events change them."""

    name: str
    models: tuple[type[models.Model], ...]  # parents first; cleared in reverse order
    handles: frozenset[type[Event]]

    @abstractmethod
    def apply_live(self, recorded: RecordedEvent) -> None:
        """Change the rows one just-appended event touches."""

    def apply_live_many(self, recorded: Sequence[RecordedEvent]) -> None:
        """Change rows for the events of one append, in order; override to batch the writes."""
        for item in recorded:
            self.apply_live(item)

    def replay_start(self) -> None:
        """Called once before replay into empty tables."""

    def replay_event(self, recorded: RecordedEvent) -> None:
        self.apply_live(recorded)

    def replay_finish(self) -> None:
        """Called once after the last event; a batching projection writes its rows here."""

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

    table: dict[type[Event], list[Projection]] = {}
    for projection in projections():
        for event_type in projection.handles:
            table.setdefault(event_type, []).append(projection)
    return table


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


def rebuild(
    projections: Sequence[Projection],
    *,
    progress: Callable[[int, int], None] | None = None,
    truncate: bool = False,
) -> int:
    """Clear the projections' tables and replay the whole log into them; returns events replayed.

    Must run inside a transaction (the caller's), which also holds appends off until it ends.
    `truncate` (a real rebuild) empties tables fast and refreshes planner statistics after.
    """
    _lock_log_against_appends()
    for projection in reversed(projections):
        projection.clear(truncate=truncate)
    table: dict[type[Event], list[Projection]] = {}
    for projection in projections:
        for event_type in projection.handles:
            table.setdefault(event_type, []).append(projection)
    total, count = last_position(), 0
    # Replay allocates millions of small containers that live until the end; the cyclic
    # collector would rescan them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for projection in projections:
            projection.replay_start()
        for item in iter_all():
            for projection in table.get(type(item.event), ()):
                projection.replay_event(item)
            count += 1
            if progress and count % 1000 == 0:
                progress(count, total)
        for projection in projections:
            projection.replay_finish()
    finally:
        if collecting:
            gc.enable()
    if truncate and connection.vendor == "postgresql":
        _analyze(projections)
    if progress:
        progress(count, total)
    return count


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


@dataclass(frozen=True)
class TableDifference:
    table: str
    only_live: list[Any]
    only_rebuilt: list[Any]

    def describe(self, limit: int = 3) -> str:
        return (
            f"{self.table}: {len(self.only_live)} row(s) only in the live table, "
            f"{len(self.only_rebuilt)} only after replay; e.g. live {self.only_live[:limit]} "
            f"vs replayed {self.only_rebuilt[:limit]}"
        )


def _snapshot(model: type[models.Model]) -> Counter[str]:
    """Every row as canonical JSON, without surrogate auto keys that replay renumbers."""
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    rows = model._default_manager.order_by().values_list(*fields)
    return Counter(
        json.dumps(dict(zip(fields, row, strict=True)), sort_keys=True, default=str) for row in rows
    )


def verify(
    projections: Sequence[Projection], *, progress: Callable[[int, int], None] | None = None
) -> list[TableDifference]:
    """Replay into the tables inside a transaction that is rolled back, and compare row for row.

    Live rows are snapshotted first; the rebuilt rows are compared with them; the rollback then
    restores the live tables untouched, so verifying is safe on a running system.
    """
    differences: list[TableDifference] = []
    with transaction.atomic():
        _lock_log_against_appends()
        models_ = [m for p in projections for m in p.models]
        live = {m._meta.db_table: _snapshot(m) for m in models_}
        rebuild(projections, progress=progress)
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
