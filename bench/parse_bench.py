"""Parser benchmark: median time to parse the seed edition as text, PDF and HTML.

`run(progress)` returns the numbers (milliseconds); run standalone to print them. Process start,
the gazetteer build and the PDF/HTML rendering are excluded; only `parse_edition` is timed.
Without the seed (../shared/seed/) the bench uses the team's own sample edition instead.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / ".." / "shared" / "seed" / "000_778926942f83a8bb.txt"
SAMPLE = ROOT / "samples" / "editions" / "mali_2024b.txt"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (compiled patterns), as a long-running worker would have them
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def run(progress: bool = False, quick: bool = False) -> dict[str, Any]:
    from actors.seed_data import SEED_ACTORS
    from ingestion.parsing import ActorLexicon, default_gazetteer, parse_edition
    from tests.ingestion.renderings import to_html, to_pdf

    lexicon = ActorLexicon.from_entries(
        (a.key, a.name, tuple(x for x in (a.short_name, *a.aliases) if x)) for a in SEED_ACTORS
    )
    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    gazetteer = default_gazetteer()
    gazetteer_ms = round((time.perf_counter() - started) * 1000, 1)
    source = SEED if SEED.exists() else SAMPLE
    text = source.read_text(encoding="utf-8")
    inputs = {
        "text": text.encode("utf-8"),
        "pdf": to_pdf(text),
        "html": to_html(text),
    }
    results: dict[str, Any] = {
        "input": source.name,
        "gazetteer_build_ms": gazetteer_ms,
    }
    for kind, data in inputs.items():
        runs = (30 if kind != "pdf" else 10) if not quick else 3
        if progress:
            print(f"parsing {kind} x{runs} ...", file=sys.stderr)
        parsed = parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)
        results[f"{kind}_median_ms"] = _median_ms(
            partial(parse_edition, data, lexicon=lexicon, gazetteer=gazetteer), runs
        )
        results[f"{kind}_entries"] = len(parsed.entries)
    results["target_text_median_ms"] = 50
    # Timings on a shared machine depend on what else runs: report the load they were taken at.
    results["load_avg_1m_before_after"] = [load_before, round(os.getloadavg()[0], 2)]
    results["cpus"] = os.cpu_count()
    return results


if __name__ == "__main__":
    print(json.dumps(run(progress=True), indent=2))
