"""An append no projector handles, outside any transaction, is sent, checked and committed in
one round trip on PostgreSQL: it keeps every guarantee of the ordinary path."""

from __future__ import annotations

import uuid
from unittest import mock

import psycopg
import pytest
from django.db import connection, transaction

from incidents.models import Incident
from ledger import projection, store
from ledger.errors import ConcurrencyConflict
from ledger.models import StoredEvent
from tests.ledger.helpers import record, revise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_projection_wired():
    with mock.patch.object(projection, "_dispatch", dict):
        yield


def test_an_append_without_projectors_outside_a_transaction_takes_the_one_trip_path(
    no_projection_wired,
):
    with mock.patch.object(store, "_append_in_one_trip", wraps=store._append_in_one_trip) as trip:
        result = record()
    assert trip.call_count == 1
    stored = StoredEvent.objects.get(position=result.events[0].position)
    assert (stored.stream_id, stored.version) == (result.events[0].stream_id, 1)
    assert not Incident.objects.exists(), "no projection is wired"


def test_one_trip_appends_get_consecutive_positions_and_versions(no_projection_wired):
    stream = record().events[0].stream_id
    second = revise(stream, 1, "b")
    third = revise(stream, 2, "c")
    assert [second.events[0].version, third.events[0].version] == [2, 3]
    assert third.events[0].position == second.events[0].position + 1
    assert StoredEvent.objects.filter(stream_id=stream).count() == 3


def test_a_one_trip_conflict_writes_nothing_and_commits_nothing(no_projection_wired):
    stream = record().events[0].stream_id
    count = StoredEvent.objects.count()
    with pytest.raises(ConcurrencyConflict, match="at version 1, not 0"):
        revise(stream, 0, "stale")
    assert StoredEvent.objects.count() == count
    assert connection.connection.info.transaction_status == 0  # idle: nothing left open


def test_a_known_idempotency_key_returns_the_stored_events_on_the_one_trip_path(
    no_projection_wired,
):
    first = record(idempotency_key="one-trip-1")
    second = record(idempotency_key="one-trip-1")
    assert second.deduplicated and not first.deduplicated
    assert second.events == first.events
    assert StoredEvent.objects.filter(idempotency_key="one-trip-1").count() == 1


def test_a_failed_one_trip_append_leaves_the_connection_usable(no_projection_wired):
    count = StoredEvent.objects.count()

    def missing(sql: str) -> str:
        return sql.replace("ledger_append(", "ledger_append_missing(")

    with (
        mock.patch.object(store, "_APPEND_SQL", missing(store._APPEND_SQL)),
        mock.patch.object(store, "_APPEND_ONE_SQL", missing(store._APPEND_ONE_SQL)),
        pytest.raises(psycopg.errors.UndefinedFunction),
    ):
        record()
    assert StoredEvent.objects.count() == count
    record(uuid.uuid4())
    assert StoredEvent.objects.count() == count + 1


def test_an_append_that_projectors_handle_is_projected_in_its_transaction():
    with mock.patch.object(store, "_append_in_one_trip") as trip:
        result = record()
    trip.assert_not_called()
    assert Incident.objects.filter(id=result.events[0].stream_id).exists()


def test_an_append_inside_a_transaction_opened_by_hand_is_not_committed_by_it(
    no_projection_wired,
):
    count = StoredEvent.objects.count()
    transaction.set_autocommit(False)
    try:
        record()
        transaction.rollback()
    finally:
        transaction.set_autocommit(True)
    assert StoredEvent.objects.count() == count
