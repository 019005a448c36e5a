"""Replay in chunks: the same rows whatever the chunk size, and a rebuild cut short resumes."""

from __future__ import annotations

import gc
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from incidents.events import IncidentRevised, ReviewFlagRaised
from incidents.models import Incident
from ledger import bulk, projection, store
from ledger.models import ReplayCheckpoint
from ledger.wiring import projections
from tests.ledger.helpers import record, revise
from tests.ledger.test_replay import CAUSE, _run

pytestmark = pytest.mark.django_db

# Incidents recorded, claimed, revised over editions, flagged and decided, locked and corrected,
# merged, dropped, retracted and kept; actors registered, aliased and merged.
HISTORY: list[tuple] = [
    ("record", "a", "day"),
    ("record", "b", "range"),
    ("record", "c", "unknown"),
    ("record", "d", "day"),
    ("claim", 0, "killed", 3, 5),
    ("claim", 0, "wounded", 1, 2),
    ("claim", 1, "killed", 7, 7),
    ("rank", 0, "preferred"),
    ("revise", 0, "toll revised"),
    ("claim", 0, "killed", 9, 9),
    ("rank", 1, "deprecated"),
    ("actor", "Group One"),
    ("actor", "Group Two"),
    ("alias", 0, "G1"),
    ("flag", 1, "text", True, 4),
    ("flag", 2, "killed", False, 6),
    ("flag", 0, None, False, 0),
    ("accept", 0),
    ("reject", 1),
    ("correct_field", 3, "text", 11),
    ("lock", 3, "date"),
    ("unlock", 3, "date"),
    ("merge", 2, 1),
    ("drop", 3),
    ("keep", 3),
    ("retract", 0),
    ("record", "e", "day"),
    ("claim", 4, "kidnapped", 2, 2),
    ("revise", 4, "place corrected"),
    ("actor_merge", 1, 0),
    ("flag", 4, "text", False, 8),
    ("correct", 2, 12),
]


def _tables() -> dict[str, object]:
    return {m._meta.db_table: projection._snapshot(m) for p in projections() for m in p.models}


def _rebuild(chunk_size: int) -> dict[str, object]:
    projection.rebuild(projections(), chunk_size=chunk_size)
    return _tables()


def test_a_rebuild_in_chunks_of_any_size_gives_the_live_rows_in_every_table():
    _run(HISTORY)
    live = _tables()
    assert any(live.values()), "the history must have written read-model rows"
    for chunk_size in (1, 2, 3, 7, 5000):
        assert _rebuild(chunk_size) == live, f"chunks of {chunk_size} differ"


def test_verify_in_small_chunks_finds_no_difference_and_notices_tampering():
    _run(HISTORY)
    assert projection.verify(projections(), chunk_size=3) == []
    Incident.objects.update(text="tampered")
    differences = projection.verify(projections(), chunk_size=3)
    assert [d.table for d in differences] == [Incident._meta.db_table]


class _Crash(Exception):
    pass


def test_a_rebuild_cut_short_resumes_after_its_checkpoint_and_replays_appends_made_meanwhile():
    _run(HISTORY)
    live = _tables()
    incident = Incident.objects.order_by("recorded_at").values_list("id", flat=True).first()
    assert incident is not None
    chunks = 0

    def crash_after_two_chunks(done: int, total: int) -> None:
        nonlocal chunks
        chunks += 1
        if chunks == 2:
            raise _Crash

    with pytest.raises(_Crash):
        projection.rebuild_resumable(projections(), chunk_size=4, progress=crash_after_two_chunks)
    checkpoint = ReplayCheckpoint.objects.get()
    assert checkpoint.position == 8
    assert _tables() != live, "the read models are partial while the rebuild is unfinished"

    # Appends go on meanwhile (services reading the partial read models would meet a version
    # conflict, so this one states the stream's version); their projectors wait for the rebuild.
    store.append(
        stream_type="incident",
        stream_id=incident,
        expected_version=store.stream_version(incident),
        events=[IncidentRevised(changes={"text": "while rebuilding"})],
        cause=CAUSE,
    )
    assert store.last_position() > checkpoint.last_position

    call_command("rebuild_projections", "--no-progress", "--chunk-size", "4")
    assert not ReplayCheckpoint.objects.exists()
    assert Incident.objects.get(id=incident).text == "while rebuilding"
    assert projection.verify(projections()) == []


def test_restart_discards_an_unfinished_rebuild_and_replays_from_the_start():
    _run(HISTORY[:10])
    live = _tables()
    ReplayCheckpoint.objects.create(
        name=projection.CHECKPOINT, position=3, last_position=3, started_at="2026-01-01T00:00Z"
    )
    after, count = projection.rebuild_resumable(projections(), chunk_size=2, restart=True)
    assert (after, count) == (0, store.last_position())
    assert _tables() == live


def test_a_flag_about_no_incident_replays_in_chunks_as_it_did_live():
    _run([("record", "a", "day"), ("claim", 0, "killed", 1, 1)])
    store.append(
        stream_type="flag",
        stream_id=uuid.uuid4(),
        expected_version=0,
        events=[ReviewFlagRaised(kind="paragraph", report="r")],
        cause=CAUSE,
    )
    _run([("record", "b", "day")])
    live = _tables()
    assert _rebuild(2) == live


def _secondary_indexes() -> set[str]:
    tables = [m._meta.db_table for p in projections() for m in p.models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY (%s)",
            [tables],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
def test_a_rebuild_drops_secondary_indexes_while_loading_and_recreates_them_even_after_a_crash():
    _run(HISTORY)
    live = _tables()
    before = _secondary_indexes()
    chunks = 0

    def crash_after_one_chunk(done: int, total: int) -> None:
        nonlocal chunks
        chunks += 1
        if chunks == 1:
            raise _Crash

    with pytest.raises(_Crash):
        projection.rebuild_resumable(projections(), chunk_size=4, progress=crash_after_one_chunk)
    deferred = ReplayCheckpoint.objects.get().deferred_indexes
    assert deferred, "the revision table's filter indexes are deferred"
    assert set(deferred) <= before
    assert not set(deferred) & _secondary_indexes()
    assert any("(incident_id)" in d for d in before - set(deferred)), "FK indexes stay"

    # Restarting keeps what the cut-short rebuild dropped, and the end creates all of it.
    projection.rebuild_resumable(projections(), chunk_size=4, restart=True)
    assert _secondary_indexes() == before
    assert _tables() == live


def test_a_chunk_that_revises_many_incidents_recorded_earlier_replays_as_they_were_live():
    # Enough incidents that the second chunk's rows go by COPY (ledger.bulk.COPY_FROM); those
    # leaving replay's memory are tested in tests/incidents/test_replay.py.
    many = bulk.COPY_FROM + 6
    streams = [record(text=f"incident {n}").events[0].stream_id for n in range(many)]
    for n, stream in enumerate(streams):
        revise(stream, 1, f"incident {n}, revised")
    live = _tables()
    first_revision = store.last_position() - many  # so the revisions fall in one chunk
    assert _rebuild(first_revision) == live
    assert Incident.objects.get(id=streams[0]).text == "incident 0, revised"


def test_a_rebuild_collects_cycles_rarely_and_gives_the_thresholds_back_even_when_it_fails():
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def broken(self, recorded):
        seen.append(gc.get_threshold())
        raise RuntimeError("projector bug")

    record()
    with (
        mock.patch.object(projection.Replay, "chunk", broken),
        pytest.raises(RuntimeError, match="projector bug"),
        transaction.atomic(),
    ):
        projection.rebuild(projections())
    assert seen and seen[0][0] == projection.REPLAY_GC_THRESHOLD
    assert gc.get_threshold() == before
