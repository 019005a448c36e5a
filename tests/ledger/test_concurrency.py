"""Concurrent appends on a real database: one winner per version, no gaps, no reordering.

These run on PostgreSQL in CI and on SQLite (the second pass of .ci/run), with real threads and
real connections; nothing is mocked.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection, transaction

from ledger import store
from ledger.errors import ConcurrencyConflict
from ledger.models import StoredEvent
from tests.ledger.helpers import record, revise, run_threads

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    """Raised on purpose inside an append's transaction."""


def test_two_writers_at_the_same_expected_version_exactly_one_wins():
    stream = record().events[0].stream_id
    barrier = threading.Barrier(2)

    def writer(text: str):
        barrier.wait()
        with transaction.atomic():
            result = revise(stream, 1, text)
            time.sleep(0.2)  # hold the transaction open so the other writer really overlaps
            return result

    outcomes = run_threads([lambda: writer("first"), lambda: writer("second")])
    conflicts = [o for o in outcomes if isinstance(o, ConcurrencyConflict)]
    winners = [o for o in outcomes if isinstance(o, store.AppendResult)]
    assert len(conflicts) == 1 and len(winners) == 1, outcomes
    stored = store.read_stream(stream)
    assert [e.version for e in stored] == [1, 2]
    assert stored[1].event.changes["text"] == winners[0].events[0].event.changes["text"]


def test_ten_writers_with_random_rollbacks_leave_no_gap_and_a_tailing_reader_sees_each_once():
    start = store.last_position()
    done = threading.Event()
    seen: list[int] = []

    def writer(seed: int) -> int:
        rng, committed = random.Random(seed), 0
        for _ in range(100):
            try:
                with transaction.atomic():
                    record()
                    if rng.random() < 0.25:
                        raise Rollback
                committed += 1
            except Rollback:
                pass
        return committed

    def reader() -> None:
        after = start
        while True:
            finished = done.is_set()  # read once more after the writers finish
            for event in store.read_all(after=after, limit=500):
                seen.append(event.position)
                after = event.position
            if finished:
                return
            time.sleep(0.005)

    tail = threading.Thread(target=lambda: (reader(), connection.close()))
    tail.start()
    committed = run_threads([lambda s=s: writer(s) for s in range(10)])
    done.set()
    tail.join(timeout=120)

    assert all(isinstance(c, int) for c in committed), committed
    total = sum(committed)
    assert 0 < total < 1000
    positions = list(
        StoredEvent.objects.filter(position__gt=start).values_list("position", flat=True)
    )
    assert positions == list(range(start + 1, start + total + 1))
    assert seen == positions


def test_the_same_idempotency_key_from_concurrent_writers_is_stored_once():
    barrier = threading.Barrier(4)

    def writer():
        barrier.wait()
        return record(idempotency_key="once-only")

    results = run_threads([writer] * 4)
    assert all(isinstance(r, store.AppendResult) for r in results), results
    assert sum(not r.deduplicated for r in results) == 1
    assert {r.events[0].position for r in results} == {results[0].events[0].position}
    assert StoredEvent.objects.filter(idempotency_key="once-only").count() == 1
