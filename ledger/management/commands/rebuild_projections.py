"""rebuild_projections [--verify]: replay the log into the read models, or check they match."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from ledger import projection
from ledger.wiring import projections


class Command(BaseCommand):
    help = (
        "Replay every event into empty read models, a chunk at a time, committing a checkpoint "
        "after each: a rebuild cut short resumes where it stopped when run again; then VACUUM "
        "the tables (PostgreSQL) so index-only scans need not read their rows. With "
        "--verify, replay inside a transaction that is rolled back, compare with the live rows, "
        "vacuum the tables as after a rebuild, and exit non-zero on any difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--verify", action="store_true", help="Compare only; change nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument(
            "--chunk-size", type=int, default=projection.CHUNK, help="Events per chunk."
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Start an unfinished rebuild over instead of resuming it.",
        )

    def handle(
        self,
        *args: Any,
        verify: bool,
        no_progress: bool,
        chunk_size: int,
        restart: bool,
        **options: Any,
    ) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        bar, progress = _progress_bar("replay", "event", disable=no_progress)
        started = time.perf_counter()
        selected = projections()
        if verify:
            if projection.rebuild_pending():
                raise CommandError(
                    "A rebuild is unfinished: run rebuild_projections to complete it first."
                )
            differences = projection.verify(selected, progress=progress, chunk_size=chunk_size)
            bar.close()
            seconds = time.perf_counter() - started
            # Verifying deleted every live row in a transaction it rolled back: the rows are
            # back, but their pages lost their all-visible marks, and index-only scans read
            # every row again until a vacuum (autovacuum's, throttled, is slow on large tables).
            if not differences:
                self.stdout.write(
                    f"Verified: replay reproduces every read-model row ({seconds:.2f}s)."
                )
            for diff in differences:
                self.stderr.write(diff.describe())
            self._vacuum(selected, no_progress=no_progress)
            if differences:
                raise CommandError(
                    f"{len(differences)} read-model table(s) differ from a replay of the log."
                )
            return
        pending = projection.rebuild_pending()
        if pending and not restart:
            self.stdout.write(f"Resuming the unfinished rebuild after position {pending.position}.")
        after, count = projection.rebuild_resumable(
            selected, progress=progress, chunk_size=chunk_size, restart=restart
        )
        bar.close()
        resumed = f" (resumed after position {after})" if after else ""
        self.stdout.write(
            f"Rebuilt read models from {count} events{resumed} "
            f"in {time.perf_counter() - started:.2f}s."
        )
        self._vacuum(selected, no_progress=no_progress)

    def _vacuum(self, selected: Sequence[projection.Projection], *, no_progress: bool) -> None:
        started = time.perf_counter()
        bar, progress = _progress_bar("vacuum", "table", disable=no_progress)
        tables = projection.vacuum(selected, progress=progress)
        bar.close()
        if tables:
            self.stdout.write(
                f"Vacuumed {len(tables)} read-model tables in "
                f"{time.perf_counter() - started:.2f}s: their pages are marked all-visible, so "
                "index-only scans skip the rows."
            )
        elif connection.in_atomic_block:
            self.stdout.write(
                "Not vacuumed: VACUUM cannot run inside the caller's transaction "
                "(autovacuum marks the pages all-visible later)."
            )


def _progress_bar(desc: str, unit: str, *, disable: bool) -> tuple[Any, Callable[[int, int], None]]:
    """A bar on stderr and the (done, total) callback that moves it."""
    bar = tqdm(unit=unit, disable=disable, file=sys.stderr, desc=desc)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, progress
