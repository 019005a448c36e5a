"""Event-store benchmarks on PostgreSQL: appends, replay, verify, and eventsourcing's recorder.

The replayed log is generated with history (bench.ledger_history): editions that record
incidents and revise, drop and merge earlier ones. Replay reports its peak RSS.

Every append goes through ledger.store.append, so the projectors run in the append's transaction
as in production. The "store only" rows run the same appends with the projectors switched off:
they show what the log itself costs, and they are what compares like with like with the
`eventsourcing` library's PostgreSQL recorder, which stores events and nothing else. That library
is installed only for the benchmark, into var/bench-deps/, and put at the end of sys.path only
while its recorder is imported, so it cannot shadow the project's pinned packages.

Needs Django set up against PostgreSQL (bench/run.py does it; the smoke test uses the pytest
database). `run(quick=..., progress=...)` returns plain numbers, ready for JSON.
"""

from __future__ import annotations

import cProfile
import importlib.metadata
import io
import json
import pstats
import resource
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal
from unittest import mock

import psycopg
from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

from bench import ledger_floors, ledger_history
from bench.rates import bar as _bar
from bench.rates import measurement as _measurement
from incidents.events import (
    INCIDENT_STREAM,
    IncidentRecorded,
    IncidentRevised,
)
from ledger import projection, store
from ledger.events import Event
from ledger.store import Cause
from ledger.wiring import projections

ES_VERSION = "9.5.6"
APPEND_BATCH_TARGET = 5_000  # events/s, appended in batches (issue 2)
APPEND_SINGLE_TARGET = 1_000  # one-event appends/s with projectors (issue 12)
REPLAY_TARGET = 50_000  # events/s, replayed (issue 12)
PEAK_RSS_TARGET_MB = 1_024  # replaying 1.6 M events (issue 12)
EVENTS_PER_INCIDENT = 1.6  # --scale N incidents: a ledger of 1.6 N events to replay

CAUSE = Cause(who="system:bench", why="benchmark", edition_id=1)
_TEXT = (
    "Gunmen on motorcycles attacked the weekly market in the village before dawn, set fire to "
    "stalls and a grain store, and abducted traders. Residents said the attackers came from "
    "the forest to the north and left towards the border; local officials later confirmed "
    "casualties and said security forces had been deployed to the area."
)

EventSourcingMode = Literal["install", "if-present", "skip"]


@dataclass(frozen=True)
class Counts:
    single: int  # one-event appends to fresh streams, one transaction each
    batches: int  # appends of `batch_size` events to one new stream each
    batch_size: int
    multi_txns: int  # transactions of `batch_size` one-event appends to fresh streams
    replay_events: int  # the log is filled up to at least this many events for replay


FULL = Counts(single=2_000, batches=50, batch_size=100, multi_txns=10, replay_events=100_000)
QUICK = Counts(single=200, batches=10, batch_size=100, multi_txns=3, replay_events=5_000)


# --- events ---------------------------------------------------------------------------------


def incident_recorded(i: int) -> IncidentRecorded:
    """A realistic incident: a paragraph of text, a place, a perpetrator, sources."""
    return IncidentRecorded(
        report="bench-report",
        edition_id=1,
        date_start="2024-03-05",
        date_end="2024-03-05",
        date_precision="day",
        country="Nigeria",
        places=[{"name": "Maiduguri", "admin1": "Borno", "lat": 11.85, "lon": 13.16}],
        event_type="armed_assault",
        perpetrators=[{"name": "ISWAP", "actor_id": None, "status": "claimed"}],
        targets=["civilians", "traders"],
        sources=[f"bench-report p. {i % 300 + 1}"],
        text=f"{_TEXT} [{i}]",
    )


def incident_revised(i: int, k: int) -> IncidentRevised:
    return IncidentRevised(changes={"text": f"{_TEXT} [{i}, revision {k}]"}, edition_id=2)


def incident_batch(i: int, size: int) -> list[Event]:
    """IncidentRecorded, then size - 1 IncidentRevised: the fold accepts them in this order."""
    return [incident_recorded(i), *(incident_revised(i, k) for k in range(1, size))]


# --- helpers --------------------------------------------------------------------------------


@contextmanager
def no_projectors() -> Iterator[None]:
    """Appends write the log only: no projection is wired (ledger.store.append asks the
    dispatch table per call), so an append is one round trip, as eventsourcing's is."""
    with (
        mock.patch.object(projection, "_dispatch", dict),
        mock.patch.object(projection, "project_live", lambda recorded: None),
    ):
        yield


@contextmanager
def _profiled(name: str, directory: Path | None) -> Iterator[None]:
    """With a directory, cProfile the block and write its top functions there."""
    if directory is None:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"profile-{name}.txt").write_text(out.getvalue())


def _append_one(stream_type: str, stream_id: uuid.UUID, version: int, events: Sequence[Event]):
    return store.append(
        stream_type=stream_type,
        stream_id=stream_id,
        expected_version=version,
        events=events,
        cause=CAUSE,
    )


# --- our appends ----------------------------------------------------------------------------


def _appends_timed(work: list[list[Any]], *, label: str, progress: bool, projectors: bool) -> float:
    """Seconds to append each list of events to a fresh stream in its own transaction."""
    total = sum(len(events) for events in work)
    with _bar(label, total, progress) as bar, nullcontext() if projectors else no_projectors():
        started = time.perf_counter()
        for events in work:
            _append_one(INCIDENT_STREAM, uuid.uuid4(), 0, events)
            bar.update(len(events))
        return time.perf_counter() - started


def _append_measurement(
    name: str, description: str, *, projectors: bool, target: int | None, **numbers: Any
) -> dict[str, Any]:
    suffix = "" if projectors else "_store_only"
    what = "with projectors" if projectors else "log only, projectors off"
    return _measurement(
        f"{name}{suffix}",
        f"{description} ({what})",
        target=target if projectors else None,
        **numbers,
    )


def append_single(n: int, *, progress: bool, projectors: bool = True) -> dict[str, Any]:
    """n IncidentRecorded events, each appended to a fresh stream in its own transaction."""
    work = [[incident_recorded(i)] for i in range(n)]
    seconds = _appends_timed(work, label="append 1/txn", progress=progress, projectors=projectors)
    return _append_measurement(
        "append_single",
        "1 event per append, 1 append per transaction",
        projectors=projectors,
        target=APPEND_SINGLE_TARGET,
        events=n,
        transactions=n,
        seconds=seconds,
    )


def append_batch(
    batches: int, size: int, *, progress: bool, projectors: bool = True
) -> dict[str, Any]:
    """`batches` appends of `size` events each (IncidentRecorded + revisions) to new streams."""
    work = [incident_batch(i, size) for i in range(batches)]
    seconds = _appends_timed(
        work, label=f"append {size}/txn", progress=progress, projectors=projectors
    )
    return _append_measurement(
        "append_batch",
        f"{size} events to one stream per append and transaction",
        projectors=projectors,
        target=APPEND_BATCH_TARGET,
        events=batches * size,
        transactions=batches,
        seconds=seconds,
    )


def append_multi_stream(txns: int, size: int, *, progress: bool) -> dict[str, Any]:
    """`txns` transactions, each holding `size` one-event appends to fresh streams."""
    work = [[incident_recorded(t * size + j) for j in range(size)] for t in range(txns)]
    with _bar(f"{size} appends/txn", txns * size, progress) as bar:
        started = time.perf_counter()
        for events in work:
            with transaction.atomic():
                for event in events:
                    _append_one(INCIDENT_STREAM, uuid.uuid4(), 0, [event])
            bar.update(size)
        seconds = time.perf_counter() - started
    return _measurement(
        "append_multi_stream",
        f"{size} one-event appends to new streams per transaction (with projectors)",
        events=txns * size,
        transactions=txns,
        seconds=seconds,
    )


def append_multi_stream_batch(txns: int, size: int, *, progress: bool) -> dict[str, Any] | None:
    """`txns` calls of store.append_batch, each one event to `size` fresh streams (when the
    store has append_batch: one lock, one position lookup and one insert per call)."""
    append_batch_fn = getattr(store, "append_batch", None)
    part_cls = getattr(store, "Append", None)
    if append_batch_fn is None or part_cls is None:
        return None
    work = [[incident_recorded(t * size + j) for j in range(size)] for t in range(txns)]
    with _bar(f"append_batch {size} streams", txns * size, progress) as bar:
        started = time.perf_counter()
        for events in work:
            parts = [
                part_cls(
                    stream_type=INCIDENT_STREAM,
                    stream_id=uuid.uuid4(),
                    expected_version=0,
                    events=[event],
                )
                for event in events
            ]
            append_batch_fn(parts, cause=CAUSE)
            bar.update(size)
        seconds = time.perf_counter() - started
    return _measurement(
        "append_multi_stream_batch",
        f"store.append_batch: 1 event to each of {size} new streams per call (with projectors)",
        events=txns * size,
        transactions=txns,
        seconds=seconds,
        target=APPEND_BATCH_TARGET,
    )


# --- replay ---------------------------------------------------------------------------------


def seed_log(target: int, *, progress: bool) -> int:
    """Append generated editions (bench.ledger_history: incidents recorded, then tolls revised,
    places corrected, text rewritten, entries dropped and merged by later editions), log only,
    until the log holds `target` events. The replay benchmark then builds the read models."""
    missing = max(0, target - store.last_position())
    with _bar("seed log", missing, progress) as bar:
        return ledger_history.fill(missing, update=bar.update)


def _peak_rss_mb() -> float:
    """This process's peak resident set so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def replay(*, progress: bool) -> dict[str, Any]:
    """What `rebuild_projections` does: truncate, replay chunk by chunk with a checkpoint
    committed per chunk, analyse. Peak RSS is the process's, read before and after."""
    with _bar("replay", store.last_position(), progress) as bar:

        def report(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        _, count = projection.rebuild_resumable(projections(), progress=report, restart=True)
        seconds = time.perf_counter() - started
    result = _measurement(
        "replay",
        f"rebuild_projections: chunks of {projection.CHUNK} events, a checkpoint committed each",
        events=count,
        transactions=-(-count // projection.CHUNK),
        seconds=seconds,
        target=REPLAY_TARGET,
    )
    result["peak_rss_mb_before"] = round(rss_before, 1)
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    result["peak_rss_target_mb"] = PEAK_RSS_TARGET_MB
    return result


def verify(*, progress: bool) -> dict[str, Any]:
    """ledger.projection.verify: snapshot live rows, replay, compare, roll back."""
    with _bar("verify", store.last_position(), progress) as bar:

        def report(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        started = time.perf_counter()
        differences = projection.verify(projections(), progress=report)
        seconds = time.perf_counter() - started
    result = _measurement(
        "verify",
        "verify(): live rows set aside, replay in chunks, compared in the database, rolled back",
        events=store.last_position(),
        transactions=1,
        seconds=seconds,
    )
    result["differences"] = len(differences)
    if differences:
        result["difference_examples"] = [d.describe() for d in differences[:3]]
    return result


# --- eventsourcing's recorder ---------------------------------------------------------------


def bench_deps_dir() -> Path:
    return Path(settings.VAR_DIR) / "bench-deps"


def eventsourcing_present(deps: Path | None = None) -> bool:
    deps = deps or bench_deps_dir()
    return (deps / f"eventsourcing-{ES_VERSION}.dist-info").is_dir()


def _pip_target(deps: Path, *requirements: str) -> None:
    shutil.rmtree(deps, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--isolated", "--quiet"]
    command += ["--disable-pip-version-check", "--target", str(deps), *requirements]
    subprocess.run(command, check=True)


def _installed_version(deps: Path, dist: str) -> str | None:
    for info in deps.glob(f"{dist}-*.dist-info"):
        return info.name.removeprefix(f"{dist}-").removesuffix(".dist-info")
    return None


def ensure_eventsourcing(deps: Path | None = None) -> None:
    """pip install eventsourcing into `deps` (var/bench-deps/) unless it is there already.

    If the postgres extra brought a psycopg other than the project's, install without the extra
    (the project's psycopg is the one imported anyway: `deps` goes at the end of sys.path).
    """
    deps = deps or bench_deps_dir()
    if eventsourcing_present(deps):
        return
    _pip_target(deps, f"eventsourcing[postgres]=={ES_VERSION}")
    theirs, ours = _installed_version(deps, "psycopg"), importlib.metadata.version("psycopg")
    if theirs is not None and theirs != ours:
        _pip_target(deps, f"eventsourcing=={ES_VERSION}", "psycopg_pool")


@contextmanager
def _deps_at_end_of_path(deps: Path) -> Iterator[None]:
    entry = str(deps)
    sys.path.append(entry)
    try:
        yield
    finally:
        if entry in sys.path:
            sys.path.remove(entry)


def _connect_params(dbname: str) -> dict[str, Any]:
    db = connection.settings_dict
    return {
        "dbname": dbname,
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _admin(sql_text: str, dbname: str) -> None:
    params = _connect_params("postgres")
    with psycopg.connect(**params, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL(sql_text).format(sql.Identifier(dbname)))


def _state(event: Event) -> bytes:
    """What their recorder stores: the same data and metadata JSON our row holds."""
    payload = {"data": event.to_data(), "metadata": CAUSE.to_metadata()}
    return json.dumps(payload, allow_nan=False).encode()


def eventsourcing_appends(
    counts: Counts, *, progress: bool, dbname: str | None = None
) -> list[dict[str, Any]]:
    """The same appends through eventsourcing's PostgresApplicationRecorder, in its own database.

    PostgresApplicationRecorder is the recorder with a global order (notification ids under an
    EXCLUSIVE table lock, like our positions): one insert_events() call is one transaction.
    The timed loop serialises each event to JSON, as our append does.
    """
    deps = bench_deps_dir()
    with _deps_at_end_of_path(deps):
        from eventsourcing.persistence import StoredEvent as EsStoredEvent
        from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    dbname = dbname or f"{connection.settings_dict['NAME']}_es"
    _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", dbname)
    _admin("CREATE DATABASE {}", dbname)
    datastore = PostgresDatastore(**_connect_params(dbname), pool_size=1)
    results: list[dict[str, Any]] = []
    try:
        recorder = PostgresApplicationRecorder(datastore, events_table_name="stored_events")
        recorder.create_table()

        def stored(stream_id: uuid.UUID, version: int, event: Event) -> Any:
            topic = f"{type(event).__module__}:{type(event).__name__}"
            return EsStoredEvent(stream_id, version, topic, _state(event))

        events = [incident_recorded(i) for i in range(counts.single)]
        with _bar("eventsourcing 1/txn", counts.single, progress) as bar:
            started = time.perf_counter()
            for event in events:
                recorder.insert_events([stored(uuid.uuid4(), 1, event)])
                bar.update()
            seconds = time.perf_counter() - started
        results.append(
            _measurement(
                "eventsourcing_single",
                "eventsourcing PostgresApplicationRecorder: 1 event per transaction",
                events=counts.single,
                transactions=counts.single,
                seconds=seconds,
            )
        )

        size = counts.batch_size
        work = [incident_batch(i, size) for i in range(counts.batches)]
        with _bar(f"eventsourcing {size}/txn", counts.batches * size, progress) as bar:
            started = time.perf_counter()
            for batch in work:
                stream_id = uuid.uuid4()
                recorder.insert_events([stored(stream_id, v, e) for v, e in enumerate(batch, 1)])
                bar.update(size)
            seconds = time.perf_counter() - started
        results.append(
            _measurement(
                "eventsourcing_batch",
                f"eventsourcing PostgresApplicationRecorder: {size} events per transaction",
                events=counts.batches * size,
                transactions=counts.batches,
                seconds=seconds,
            )
        )
    finally:
        datastore.close()
        _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", dbname)
    return results


# --- the whole run --------------------------------------------------------------------------


def by_name_of(benchmarks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {b["name"]: b for b in benchmarks}


def _floor_ratios(by_name: dict[str, dict[str, Any]]) -> dict[str, float]:
    """How close each rate comes to what the database alone allows (bench.ledger_floors)."""
    pairs = {
        "append_single": ("append_single", "append_single_floor"),
        "replay": ("replay", "replay_write_floor"),
    }
    return {
        label: round(by_name[ours]["events_per_s"] / by_name[floor]["events_per_s"], 3)
        for label, (ours, floor) in pairs.items()
        if ours in by_name and floor in by_name and by_name[floor]["events_per_s"]
    }


def _ratios(by_name: dict[str, dict[str, Any]]) -> dict[str, float]:
    pairs = {
        "single_with_projectors": ("append_single", "eventsourcing_single"),
        "single_store_only": ("append_single_store_only", "eventsourcing_single"),
        "batch_with_projectors": ("append_batch", "eventsourcing_batch"),
        "batch_store_only": ("append_batch_store_only", "eventsourcing_batch"),
    }
    ratios = {}
    for label, (ours, theirs) in pairs.items():
        if ours in by_name and theirs in by_name and by_name[theirs]["events_per_s"]:
            ratio = by_name[ours]["events_per_s"] / by_name[theirs]["events_per_s"]
            ratios[label] = round(ratio, 3)
    return ratios


def measure(
    counts: Counts,
    *,
    progress: bool,
    eventsourcing: EventSourcingMode = "install",
    profile_dir: Path | None = None,
) -> dict[str, Any]:
    """Every ledger benchmark with these counts; see the module docstring."""
    if connection.vendor != "postgresql":
        raise RuntimeError(f"The ledger benchmark needs PostgreSQL, not {connection.vendor}.")
    steps: list[tuple[str, Callable[[], dict[str, Any] | list[dict[str, Any]] | None]]] = [
        ("append_single", lambda: append_single(counts.single, progress=progress)),
        (
            "append_single_store_only",
            lambda: append_single(counts.single, progress=progress, projectors=False),
        ),
        (
            "append_single_floor",
            lambda: ledger_floors.append_single_floor(
                counts.single, INCIDENT_STREAM, incident_recorded(0), CAUSE, progress=progress
            ),
        ),
        (
            "append_batch",
            lambda: append_batch(counts.batches, counts.batch_size, progress=progress),
        ),
        (
            "append_batch_store_only",
            lambda: append_batch(
                counts.batches, counts.batch_size, progress=progress, projectors=False
            ),
        ),
        (
            "append_multi_stream",
            lambda: append_multi_stream(counts.multi_txns, counts.batch_size, progress=progress),
        ),
        (
            "append_multi_stream_batch",
            lambda: append_multi_stream_batch(
                counts.multi_txns, counts.batch_size, progress=progress
            ),
        ),
    ]
    benchmarks: list[dict[str, Any]] = []
    for name, step in steps:
        with _profiled(name, profile_dir):
            outcome = step()
        if outcome is not None:
            benchmarks.extend(outcome if isinstance(outcome, list) else [outcome])

    seeded = seed_log(counts.replay_events, progress=progress)
    with _profiled("replay", profile_dir):
        benchmarks.append(replay(progress=progress))
    with _profiled("verify", profile_dir):
        benchmarks.append(verify(progress=progress))
    replayed = by_name_of(benchmarks)["replay"]["events"]
    benchmarks.append(ledger_floors.replay_write_floor(replayed, progress=progress))

    notes: list[str] = []
    if eventsourcing == "install":
        try:
            ensure_eventsourcing()
        except (subprocess.CalledProcessError, OSError) as exc:
            notes.append(f"eventsourcing could not be installed ({exc}); comparison skipped")
    if eventsourcing != "skip" and eventsourcing_present():
        with _profiled("eventsourcing", profile_dir):
            benchmarks.extend(eventsourcing_appends(counts, progress=progress))
    elif eventsourcing != "skip" and not notes:
        notes.append(f"eventsourcing not in {bench_deps_dir()}; comparison skipped")

    by_name = by_name_of(benchmarks)
    return {
        "counts": asdict(counts),
        "seeded_events": seeded,
        "benchmarks": benchmarks,
        "ratios_ours_over_eventsourcing": _ratios(by_name),
        "ratios_ours_over_floor": _floor_ratios(by_name),
        "notes": notes,
    }


def run(
    *, quick: bool, progress: bool, profile_dir: Path | None = None, scale: int | None = None
) -> dict[str, Any]:
    """The `make bench` entry for the ledger: full counts, or small ones with quick=True.

    `scale` (incidents, `make bench --scale N`) sets the replayed ledger to EVENTS_PER_INCIDENT
    events per incident: --scale 1000000 replays 1.6 M events."""
    counts = QUICK if quick else FULL
    if scale:
        counts = replace(counts, replay_events=round(scale * EVENTS_PER_INCIDENT))
    return measure(counts, progress=progress, profile_dir=profile_dir)
