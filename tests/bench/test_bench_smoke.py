"""Smoke test of the ledger benchmark: tiny counts on the test database, positive rates only.

No timing assertions: this only proves `make bench` runs end to end. The eventsourcing
comparison runs only when var/bench-deps/ already holds the library (tests never install it).
"""

from __future__ import annotations

import pytest

from bench import ledger_bench

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TINY = ledger_bench.Counts(single=5, batches=2, batch_size=10, multi_txns=2, replay_events=60)


def test_ledger_bench_reports_positive_rates() -> None:
    mode: ledger_bench.EventSourcingMode = (
        "if-present" if ledger_bench.eventsourcing_present() else "skip"
    )
    results = ledger_bench.measure(TINY, progress=False, eventsourcing=mode)

    by_name = {b["name"]: b for b in results["benchmarks"]}
    expected = {
        "append_single",
        "append_single_store_only",
        "append_batch",
        "append_batch_store_only",
        "append_multi_stream",
        "replay",
        "verify",
    }
    if mode == "if-present":
        expected |= {"eventsourcing_single", "eventsourcing_batch"}
    assert expected <= set(by_name)
    for bench in by_name.values():
        assert bench["events"] > 0, bench
        assert bench["seconds"] > 0, bench
        assert bench["events_per_s"] > 0, bench
    assert by_name["replay"]["events"] >= TINY.replay_events
    assert by_name["verify"]["differences"] == 0
    if mode == "if-present":
        assert set(results["ratios_ours_over_eventsourcing"]) == {
            "single_with_projectors",
            "single_store_only",
            "batch_with_projectors",
            "batch_store_only",
        }
        assert all(r > 0 for r in results["ratios_ours_over_eventsourcing"].values())
