"""An append that owns its transaction on PostgreSQL sends its projectors' batched writes and
its COMMIT in one round trip: the event and its rows commit together or not at all, a caller's
own transaction is left to the caller, and the connection is usable after any failure."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from unittest import mock

import psycopg
import pytest
from django.db import connection, transaction

from actors.events import ActorRegistered
from actors.models import Actor, ActorAlias, ActorKind
from incidents.events import IncidentRecorded
from incidents.models import Incident, IncidentPlace, IncidentRevision
from incidents.projection import IncidentProjection
from ledger import bulk, store
from ledger.models import StoredEvent
from ledger.store import Append, RecordedEvent
from tests.ledger.helpers import CAUSE, record, revise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

_apply = IncidentProjection.apply_live_many


def _then_also(*queue) -> mock._patch:
    """IncidentProjection.apply_live_many, then one more batched write it flushes."""

    def apply_then_write(self: IncidentProjection, recorded: Sequence[RecordedEvent]) -> None:
        _apply(self, recorded)
        writes = bulk.Writes()
        getattr(writes, queue[0])(*queue[1:])
        writes.flush()

    return mock.patch.object(IncidentProjection, "apply_live_many", apply_then_write)


def _idle() -> bool:
    return connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_an_append_outside_a_transaction_commits_its_rows_with_its_writes():
    spy = mock.patch.object(
        bulk.Writes, "flush_and_commit", autospec=True, side_effect=bulk.Writes.flush_and_commit
    )
    with spy as commit:
        result = record(text="committed with its rows")
    assert commit.call_count == 1
    stream_id = result.events[0].stream_id
    assert Incident.objects.get(id=stream_id).text == "committed with its rows"
    assert IncidentRevision.objects.filter(incident_id=stream_id, valid_to=None).count() == 1
    assert StoredEvent.objects.filter(stream_id=stream_id).count() == 1
    assert _idle() and connection.get_autocommit()


def test_revisions_appended_outside_a_transaction_close_the_open_revision():
    stream_id = record(text="first").events[0].stream_id
    revise(stream_id, 1, "second")
    revise(stream_id, 2, "third")
    assert Incident.objects.get(id=stream_id).text == "third"
    revisions = IncidentRevision.objects.filter(incident_id=stream_id).order_by("valid_from")
    assert [r.valid_to is None for r in revisions] == [False, False, True]


def test_inside_a_callers_transaction_the_caller_commits_and_may_still_roll_back():
    events = StoredEvent.objects.count()
    with mock.patch.object(bulk.Writes, "flush_and_commit") as commit, transaction.atomic():
        stream_id = record().events[0].stream_id
        assert Incident.objects.filter(id=stream_id).exists()
        transaction.set_rollback(True)
    commit.assert_not_called()
    assert StoredEvent.objects.count() == events
    assert not Incident.objects.filter(id=stream_id).exists()


def test_a_failing_batched_write_rolls_the_event_back_and_leaves_the_connection_usable():
    events = StoredEvent.objects.count()
    stream_id = uuid.uuid4()
    with _then_also("execute", "SELECT 1 / 0"), pytest.raises(psycopg.errors.DivisionByZero):
        record(stream_id)
    assert _idle()
    assert StoredEvent.objects.count() == events
    assert not Incident.objects.filter(id=stream_id).exists()
    record(stream_id)  # the same append goes through once the projector is sound again
    assert Incident.objects.filter(id=stream_id).exists()


def test_a_commit_refused_by_a_deferred_check_rolls_everything_back():
    """Django's foreign keys are checked at COMMIT: the COMMIT sent with the writes fails."""
    events = StoredEvent.objects.count()
    orphan = {
        "incident_id": uuid.uuid4(),  # no such incident
        "name": "nowhere",
        "name_key": "nowhere",
        "country": "",
        "admin1": None,
        "admin1_key": None,
        "latitude": None,
        "longitude": None,
        "precision": "",
    }
    stream_id = uuid.uuid4()
    with (
        _then_also("insert", IncidentPlace, [orphan]),
        pytest.raises(psycopg.errors.ForeignKeyViolation),
    ):
        record(stream_id)
    assert _idle()
    assert StoredEvent.objects.count() == events
    assert not Incident.objects.filter(id=stream_id).exists()
    assert not IncidentPlace.objects.filter(name="nowhere").exists()


def test_a_projector_that_raises_before_writing_rolls_the_event_back():
    events = StoredEvent.objects.count()

    def broken(self, recorded):
        raise RuntimeError("projector bug")

    with (
        mock.patch.object(IncidentProjection, "apply_live_many", broken),
        pytest.raises(RuntimeError, match="projector bug"),
    ):
        record()
    assert _idle()
    assert StoredEvent.objects.count() == events


def test_orm_projectors_with_their_own_savepoints_commit_in_the_same_append():
    """The actor projector writes through the ORM (get_or_create opens a savepoint) while the
    incident projector's writes wait for the COMMIT: both land, in one transaction."""
    actor_id, incident_id = uuid.uuid4(), uuid.uuid4()
    store.append_batch(
        [
            Append(
                stream_type="actor",
                stream_id=actor_id,
                expected_version=0,
                events=[ActorRegistered(name="Some Armed Group", kind=ActorKind.MILITIA)],
            ),
            Append(
                stream_type="incident",
                stream_id=incident_id,
                expected_version=0,
                events=[IncidentRecorded(report="test", text="both projected")],
            ),
        ],
        cause=CAUSE,
    )
    assert Actor.objects.filter(id=actor_id).exists()
    assert ActorAlias.objects.filter(actor_id=actor_id).exists()
    assert Incident.objects.get(id=incident_id).text == "both projected"
    assert _idle()


def test_writes_flushed_outside_an_append_are_sent_at_once():
    """Outside an append's gathering, a projector's flush still sends its writes itself."""
    stream_id = record().events[0].stream_id
    with transaction.atomic():
        writes = bulk.Writes()
        writes.execute(
            f"UPDATE {Incident._meta.db_table} SET text = %s WHERE id = %s",
            ["flushed at once", stream_id],
        )
        writes.flush()
        assert Incident.objects.get(id=stream_id).text == "flushed at once"
        transaction.set_rollback(True)


def test_a_projector_that_marks_the_transaction_for_rollback_gets_it_rolled_back():
    events = StoredEvent.objects.count()
    stream_id = uuid.uuid4()

    def doomed(self, recorded):
        _apply(self, recorded)
        transaction.set_rollback(True)

    with (
        mock.patch.object(IncidentProjection, "apply_live_many", doomed),
        mock.patch.object(bulk.Writes, "flush_and_commit") as commit,
    ):
        record(stream_id)
    commit.assert_not_called()
    assert _idle()
    assert StoredEvent.objects.count() == events
    assert not Incident.objects.filter(id=stream_id).exists()
