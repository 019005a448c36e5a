"""The floors of bench.ledger_floors do the same database work as what they bound.

No timing assertions: a floor is only worth quoting if the append it sends again writes every
row a real append writes, and if the replay floor loads every row a replay wrote."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import ledger_bench, ledger_floors
from incidents.events import INCIDENT_STREAM
from incidents.models import IncidentRevision
from ledger import projection, store
from ledger.wiring import projections

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in (m for p in projections() for m in p.models):
            cursor.execute(
                f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}"
            )
            counts[model._meta.db_table] = cursor.fetchone()[0]
    return counts


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        table: after[table] - before[table] for table in before if after[table] != before[table]
    }


def _indexes() -> set[str]:
    tables = [m._meta.db_table for p in projections() for m in p.models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY (%s)", [tables])
        return {row[0] for row in cursor.fetchall()}


def _past_small_positions() -> None:
    # The floor swaps the captured position among the parameters, so it wants one no small
    # integer parameter (a version, an edition id) could equal.
    ledger_bench.append_batch(2, 60, progress=False)


def test_the_append_floor_writes_every_row_a_real_append_writes():
    _past_small_positions()
    before = _counts()
    captured = ledger_floors.capture_append(
        INCIDENT_STREAM, ledger_bench.incident_recorded(1), ledger_bench.CAUSE
    )
    assert captured is not None
    real = _delta(before, _counts())

    before = _counts()
    ledger_floors._send_again(captured, asynchronous_commit=False)
    again = _delta(before, _counts())

    assert real and again == real
    assert captured.trips == 2  # the append's own round trips: the log, then projectors + COMMIT
    # The log handed the new stream its own position, and the projector's rows carry it.
    last = store.last_position()
    newest = IncidentRevision.objects.get(valid_from=last)
    assert str(newest.incident_id) != str(captured.stream_id)


def test_the_append_floor_reports_a_rate_with_and_without_waiting_for_the_disk():
    _past_small_positions()
    results = ledger_floors.append_single_floor(
        5, INCIDENT_STREAM, ledger_bench.incident_recorded(2), ledger_bench.CAUSE, progress=False
    )
    assert [r["name"] for r in results] == [
        "append_single_floor",
        "append_single_floor_async_commit",
    ]
    assert all(r["events"] == 5 and r["events_per_s"] > 0 for r in results)


def test_the_replay_floor_loads_every_replayed_row_and_leaves_the_tables_as_they_were():
    ledger_bench.append_batch(3, 10, progress=False)
    ledger_bench.append_single(4, progress=False)
    projection.rebuild_resumable(projections(), restart=True)
    counts, indexes = _counts(), _indexes()
    assert counts["incidents_incidentrevision"] == 34

    result = ledger_floors.replay_write_floor(store.last_position(), progress=False)

    assert result["events"] == store.last_position()
    assert result["rows"] == sum(counts.values())
    assert result["bytes"] > 0 and result["events_per_s"] > 0
    assert _counts() == counts
    assert _indexes() == indexes
