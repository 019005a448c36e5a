"""rebuild_projections [--verify]: replay the log into the read models, or check they match."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from ledger import projection
from ledger.wiring import projections


class Command(BaseCommand):
    help = (
        "Replay every event into empty read models. With --verify, replay inside a transaction "
        "that is rolled back, compare with the live rows, and exit non-zero on any difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--verify", action="store_true", help="Compare only; change nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, verify: bool, no_progress: bool, **options: Any) -> None:
        bar = tqdm(unit="event", disable=no_progress, file=sys.stderr, desc="replay")

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        started = time.perf_counter()
        selected = projections()
        if verify:
            differences = projection.verify(selected, progress=progress)
            bar.close()
            if differences:
                for diff in differences:
                    self.stderr.write(diff.describe())
                raise CommandError(
                    f"{len(differences)} read-model table(s) differ from a replay of the log."
                )
            self.stdout.write(
                "Verified: replay reproduces every read-model row "
                f"({time.perf_counter() - started:.2f}s)."
            )
            return
        with transaction.atomic():
            count = projection.rebuild(selected, progress=progress, truncate=True)
        bar.close()
        self.stdout.write(
            f"Rebuilt read models from {count} events in {time.perf_counter() - started:.2f}s."
        )
