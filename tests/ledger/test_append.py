"""append(): optimistic concurrency, idempotency and refusals of bad input."""

from __future__ import annotations

import dataclasses
import math
import uuid
from datetime import UTC, datetime
from unittest import mock

import pytest

from incidents.events import IncidentRecorded, IncidentRevised
from ledger import store
from ledger.errors import ConcurrencyConflict, InvalidEventPayload, UnknownEventType
from ledger.events import Event
from ledger.models import StoredEvent
from tests.ledger.helpers import CAUSE, record, revise

pytestmark = pytest.mark.django_db


def test_a_new_stream_starts_at_version_one_and_the_next_global_position():
    before = store.last_position()
    result = record()
    assert [e.version for e in result.events] == [1]
    assert [e.position for e in result.events] == [before + 1]


def test_a_batch_gets_consecutive_versions_and_positions():
    stream = record().events[0].stream_id
    before = store.last_position()
    result = store.append(
        stream_type="incident",
        stream_id=stream,
        expected_version=1,
        cause=CAUSE,
        events=[IncidentRevised(changes={"text": "a"}), IncidentRevised(changes={"text": "b"})],
    )
    assert [(e.version, e.position) for e in result.events] == [(2, before + 1), (3, before + 2)]
    assert [e.event for e in store.read_stream(stream)][1:] == [
        IncidentRevised(changes={"text": "a"}),
        IncidentRevised(changes={"text": "b"}),
    ]


def test_a_wrong_expected_version_is_a_conflict_and_writes_nothing():
    stream = record().events[0].stream_id
    count = StoredEvent.objects.count()
    with pytest.raises(ConcurrencyConflict, match="at version 1, not 0"):
        revise(stream, 0, "stale")
    assert StoredEvent.objects.count() == count


def test_the_same_idempotency_key_twice_is_stored_once():
    first = record(idempotency_key="cmd-1")
    second = record(idempotency_key="cmd-1")
    assert second.deduplicated and not first.deduplicated
    assert second.events == first.events
    assert StoredEvent.objects.filter(idempotency_key="cmd-1").count() == 1


def test_an_unknown_event_type_is_refused_and_nothing_is_written():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class SomethingHappened(Event):
        what: str

    count = StoredEvent.objects.count()
    with pytest.raises(UnknownEventType, match="not registered"):
        store.append(
            stream_type="x",
            stream_id=uuid.uuid4(),
            expected_version=0,
            events=[SomethingHappened(what="?")],
            cause=CAUSE,
        )
    assert StoredEvent.objects.count() == count


@pytest.mark.parametrize("bad", [{1, 2}, math.nan, object(), "a\x00b"])
def test_a_payload_that_is_not_json_or_holds_nul_is_refused_and_nothing_is_written(bad):
    count = StoredEvent.objects.count()
    with pytest.raises(InvalidEventPayload, match=r"not JSON|NUL"):
        store.append(
            stream_type="incident",
            stream_id=uuid.uuid4(),
            expected_version=0,
            events=[IncidentRecorded(report="t", places=[{"bad": bad}])],
            cause=CAUSE,
        )
    assert StoredEvent.objects.count() == count


def test_a_stored_row_of_an_unregistered_type_cannot_be_read_silently():
    from ledger.wiring import event_registry

    with pytest.raises(UnknownEventType, match="No event class"):
        event_registry().decode("NoSuchEvent", 1, {})


def test_an_upcaster_turns_old_data_into_the_current_shape_on_read():
    from ledger.events import EventRegistry

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Renamed(Event):
        schema_version = 2
        title: str

    registry = EventRegistry()
    registry.register(Renamed)
    registry.register_upcaster("Renamed", 1, lambda d: {"title": d.pop("name")})
    assert registry.decode("Renamed", 1, {"name": "x"}) == Renamed(title="x")
    assert registry.decode("Renamed", 2, {"title": "y"}) == Renamed(title="y")


def test_read_all_after_a_position_returns_later_events_in_order():
    start = store.last_position()
    for _ in range(3):
        record()
    seen = store.read_all(after=start)
    assert [e.position for e in seen] == [start + 1, start + 2, start + 3]
    assert [e.position for e in store.iter_all(after=start, batch_size=2)] == [
        start + 1,
        start + 2,
        start + 3,
    ]


@pytest.mark.parametrize("microsecond", [0, 7, 999_999])
def test_read_all_gives_each_event_the_moment_the_store_holds_in_the_same_zone(microsecond):
    # Replay writes the moment into rows as text, so even its zone must be the one a row's read
    # gives (read_all parses it itself on PostgreSQL).
    moment = datetime(2026, 3, 29, 1, 30, 5, microsecond, tzinfo=UTC)
    start = store.last_position()
    with mock.patch.object(store.timezone, "now", return_value=moment):
        record()
    (seen,) = store.read_all(after=start)
    stored = StoredEvent.objects.get(position=seen.position).recorded_at
    assert seen.recorded_at == stored == moment
    assert seen.recorded_at.isoformat() == stored.isoformat()
    assert seen.recorded_at.tzinfo == stored.tzinfo


def test_metadata_records_who_and_why():
    result = record()
    row = StoredEvent.objects.get(position=result.events[0].position)
    assert row.metadata == {"who": "user:tester", "why": "test"}


def test_a_batch_across_streams_is_all_or_nothing():
    taken = record().events[0].stream_id
    count = StoredEvent.objects.count()
    parts = [
        store.Append(
            stream_type="incident",
            stream_id=uuid.uuid4(),
            expected_version=0,
            events=[IncidentRecorded(report="t")],
        ),
        store.Append(
            stream_type="incident",
            stream_id=taken,
            expected_version=0,
            events=[IncidentRecorded(report="t")],
        ),
    ]
    with pytest.raises(ConcurrencyConflict):
        store.append_batch(parts, cause=CAUSE)
    assert StoredEvent.objects.count() == count


def test_a_batch_skips_the_parts_whose_key_was_stored_and_appends_the_rest():
    first = record(idempotency_key="part-a")
    fresh = uuid.uuid4()
    results = store.append_batch(
        [
            store.Append(
                stream_type="incident",
                stream_id=first.events[0].stream_id,
                expected_version=0,
                events=[IncidentRecorded(report="t")],
                idempotency_key="part-a",
            ),
            store.Append(
                stream_type="incident",
                stream_id=fresh,
                expected_version=0,
                events=[IncidentRecorded(report="t"), IncidentRevised(changes={"text": "x"})],
                idempotency_key="part-b",
            ),
        ],
        cause=CAUSE,
    )
    assert [r.deduplicated for r in results] == [True, False]
    assert results[0].events == first.events
    assert [e.version for e in results[1].events] == [1, 2]
    assert [e.position for e in results[1].events] == [
        first.events[0].position + 1,
        first.events[0].position + 2,
    ]
