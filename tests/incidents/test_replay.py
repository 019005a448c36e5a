"""Replay keeps recently touched incidents in memory between chunks (incidents.replay): the rows
are the live ones whether an incident stays there, leaves it, or a cut loses it."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection

from incidents import replay
from incidents.events import IncidentRecorded
from incidents.models import Incident, IncidentRevision
from ledger import bulk, projection, store
from ledger.models import ReplayCheckpoint
from ledger.wiring import projections
from tests.ledger.helpers import record, revise
from tests.ledger.test_rebuild_chunks import HISTORY, _tables
from tests.ledger.test_replay import _run

pytestmark = pytest.mark.django_db


class _Cut(Exception):
    pass


def _cut_after(chunks: int):
    seen = 0

    def progress(done: int, total: int) -> None:
        nonlocal seen
        seen += 1
        if seen == chunks:
            raise _Cut

    return progress


@pytest.mark.parametrize("cached", [1, 2, 3])
def test_incidents_leaving_a_small_cache_replay_the_live_rows_in_chunks_of_any_size(cached):
    _run(HISTORY)
    live = _tables()
    with mock.patch.object(replay, "CACHED", cached):
        for chunk_size in (1, 2, 5, 5000):
            projection.rebuild(projections(), chunk_size=chunk_size)
            assert _tables() == live, f"a cache of {cached}, chunks of {chunk_size} differ"


def test_incidents_met_again_in_later_chunks_are_not_read_back():
    streams = [record(text=f"incident {n}").events[0].stream_id for n in range(5)]
    for n, stream in enumerate(streams):
        revise(stream, 1, f"incident {n}, revised")
    live = _tables()
    with mock.patch.object(replay, "_open_states", wraps=replay._open_states) as read_back:
        projection.rebuild(projections(), chunk_size=3)
    assert _tables() == live
    assert all(not call.args[0] for call in read_back.call_args_list)


def test_incidents_read_back_after_leaving_the_cache_have_their_current_rows_replaced():
    # Enough incidents that their rows leave the cache together and are updated by COPY.
    many = bulk.COPY_FROM + 6
    streams = [record(text=f"incident {n}").events[0].stream_id for n in range(many)]
    for n, stream in enumerate(streams):
        revise(stream, 1, f"incident {n}, revised")
    live = _tables()
    first_revision = store.last_position() - many  # so the revisions fall in one chunk
    with (
        mock.patch.object(replay, "CACHED", 2),
        mock.patch.object(bulk, "_copy_update", wraps=bulk._copy_update) as copied,
    ):
        projection.rebuild(projections(), chunk_size=first_revision)
    assert _tables() == live
    assert copied.call_count == (1 if connection.vendor == "postgresql" else 0)
    assert Incident.objects.get(id=streams[0]).text == "incident 0, revised"


def test_a_rebuild_cut_while_incidents_were_only_in_memory_resumes_to_the_live_rows():
    _run(HISTORY)
    live = _tables()
    recorded = [e.position for e in store.read_all() if isinstance(e.event, IncidentRecorded)]
    with pytest.raises(_Cut):  # cut once the first four incidents are recorded
        projection.rebuild_resumable(projections(), chunk_size=recorded[3], progress=_cut_after(1))
    assert ReplayCheckpoint.objects.get().position == recorded[3]
    # Those incidents have open revisions but no current rows yet.
    assert IncidentRevision.objects.filter(valid_to__isnull=True).count() == 4
    assert not Incident.objects.exists()

    projection.rebuild_resumable(projections(), chunk_size=4)
    assert not ReplayCheckpoint.objects.exists()
    assert _tables() == live


def test_every_index_a_projection_keeps_through_replay_is_one_its_models_declare():
    # An index renamed in a migration would otherwise be dropped for the rebuild without a word,
    # and replay's closing of place rows would scan the whole table once per chunk again.
    for wired in projections():
        declared = {index.name for model in wired.models for index in model._meta.indexes}
        assert wired.replay_indexes <= declared, (wired.name, wired.replay_indexes - declared)


def test_a_rebuild_cut_while_a_read_back_incident_was_folded_further_in_memory_resumes_to_it():
    # With room for one incident: "a" leaves memory (its rows written) when "b" is recorded,
    # is read back and revised in the third chunk, and the cut comes before it leaves again,
    # so its stored rows are those of its recording while its open revision is the revised one.
    first = record(text="a").events[0].stream_id
    record(text="b")
    revise(first, 1, "a, revised")
    live = _tables()
    with mock.patch.object(replay, "CACHED", 1):
        with pytest.raises(_Cut):
            # One event per chunk: the cut comes right after the revision's chunk, the last.
            cut = _cut_after(store.last_position())
            projection.rebuild_resumable(projections(), chunk_size=1, progress=cut)
        assert Incident.objects.get(id=first).text == "a"  # behind its open revision

        projection.rebuild_resumable(projections(), chunk_size=1)
    assert not ReplayCheckpoint.objects.exists()
    assert _tables() == live
