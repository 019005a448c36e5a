"""Ingestion benchmark: the seed into an empty ledger, a next edition, then the same bytes again.

Targets (issue 4): <= 3 s, <= 3 s, <= 0.2 s. The "next edition" is made here, in memory, from the
seed: the newest entry removed, a toll raised, a date moved by two days, lines re-wrapped.
Without the seed (../shared/seed), our own sample editions stand in and the run says so.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import Any

from django.db import transaction

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"


def _editions() -> tuple[str, bytes, bytes]:
    seeds = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if seeds:
        first = seeds[0].read_bytes()
        return "seed", first, _next_edition(first.decode("utf-8"))
    samples = sorted((ROOT / "samples" / "editions").glob("*.txt"))
    return "samples", samples[0].read_bytes(), samples[-1].read_bytes()


def _next_edition(text: str) -> bytes:
    lines = text.split("\n")
    bullets = [
        i for i, line in enumerate(lines) if re.match(r"- [A-Z][a-z]+ \d{1,2}, \d{4}:", line)
    ]
    if len(bullets) > 1:
        del lines[bullets[0] : bullets[1]]  # the newest entry vanishes, continuation and all
    edited = "\n".join(lines)
    edited = re.sub(r"killing (\d+)", lambda m: f"killing {int(m.group(1)) + 3}", edited, count=2)
    edited = re.sub(
        r"(- [A-Z][a-z]+ )(1\d)(, \d{4}:)",
        lambda m: f"{m.group(1)}{int(m.group(2)) + 2}{m.group(3)}",
        edited,
        count=1,
    )
    return edited.replace(". ", ".\n", 40).encode("utf-8")


def _clear_ledger() -> None:
    """Empty the benchmark database's ledger: operational tables, the log, then every projection.

    TRUNCATE, because the append-only trigger refuses DELETE; only ever run on the bench database.
    """
    from django.db import connection

    from actors.seeding import actors_seed
    from ledger.projection import rebuild
    from ledger.wiring import projections

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE ingestion_editionentry, ingestion_ingestrun, ingestion_edition, "
            "ingestion_source, ingestion_report, ledger_event"
        )
    with transaction.atomic():
        rebuild(projections())
    actors_seed()


def run(*, quick: bool = False, progress: bool = True) -> dict[str, Any]:
    from ingestion.fetching import Fetched
    from ingestion.services import ingest_fetched, warm_up

    kind, first, second = _editions()
    started = time.perf_counter()
    warm_up()  # gazetteer and lexicon load once per process (a worker does it at start)
    warm = time.perf_counter() - started
    rounds = 1 if quick else 3
    timings: dict[str, list[float]] = {"first": [], "next": [], "same_bytes": []}
    for _ in range(rounds):
        _clear_ledger()
        for name, data in (("first", first), ("next", second), ("same_bytes", second)):
            started = time.perf_counter()
            summary = ingest_fetched(
                report_slug="bench", fetched=Fetched(data, name), trigger="bench"
            )
            timings[name].append(time.perf_counter() - started)
            if summary["status"] == "failed":
                raise RuntimeError(f"{name} failed: {summary['error']}")
    result: dict[str, Any] = {
        f"{k}_s_median": round(statistics.median(v), 3) for k, v in timings.items()
    }
    result |= {
        "warm_up_s": round(warm, 3),
        "editions": kind,
        "rounds": rounds,
        "targets_s": {"first": 3, "next": 3, "same_bytes": 0.2},
    }
    return result
