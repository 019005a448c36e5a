"""Ingestion under real failure: a worker killed mid-edition, and concurrent ingestions."""

from __future__ import annotations

import signal
import time

import pytest
from django.db import connection

from incidents.models import Incident
from ingestion.fetching import Fetched
from ingestion.models import Edition, IngestRun
from ingestion.services import ingest_fetched, source_register
from ingestion.tasks import source_check_task
from ledger import projection
from ledger.models import StoredEvent
from ledger.wiring import projections
from tests.celery_worker import celery_worker
from tests.ledger.helpers import run_threads
from tests.pipeline.editions import ENTRIES, render

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for(predicate, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_killed_mid_ingestion_is_redelivered_and_completes_the_edition_once(tmp_path):
    path = tmp_path / "mali.txt"
    path.write_text(render())
    source = source_register(
        report_slug="mali", kind="file", location=str(path), every_minutes=None
    )
    recorded = lambda: StoredEvent.objects.filter(type="IncidentRecorded").count()  # noqa: E731
    with celery_worker(
        TEST_INGEST_PAUSE_SECONDS="30",
        CELERY_VISIBILITY_TIMEOUT="3",
        LEDGER_SOURCE_ROOTS=str(tmp_path),
    ) as (
        first,
        queue,
    ):
        source_check_task.apply_async(args=[source.pk, "test"], queue=queue)
        _wait_for(
            lambda: (
                IngestRun.objects.filter(source=source, stage="recording").exists()
                or IngestRun.objects.filter(source=source, stage="stored").exists()
            )
        )
        time.sleep(1.0)  # now inside the edition's transaction, paused
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert recorded() == 0 and Edition.objects.get().status == "pending"
    with celery_worker(queue, CELERY_VISIBILITY_TIMEOUT="3", LEDGER_SOURCE_ROOTS=str(tmp_path)):
        _wait_for(lambda: Edition.objects.filter(status="ingested").exists())
        time.sleep(2)  # room for a duplicate delivery to show itself, if there were one
    assert recorded() == len(ENTRIES)
    assert Incident.objects.count() == len(ENTRIES)
    runs = list(
        IngestRun.objects.filter(source=source)
        .order_by("started_at")
        .values_list("status", flat=True)
    )
    assert runs == ["failed", "ingested"]  # the abandoned run is closed, with a reason
    assert projection.verify(projections()) == []


@pytest.mark.postgres
def test_four_concurrent_ingestions_of_the_same_bytes_store_one_edition():
    data = render().encode()
    summaries = run_threads(
        [
            lambda: ingest_fetched(
                report_slug="mali", fetched=Fetched(data, "same.txt"), trigger="test"
            )
        ]
        * 4
    )
    assert all(isinstance(s, dict) for s in summaries), summaries
    assert sorted(s["status"] for s in summaries) == [
        "ingested",
        "unchanged",
        "unchanged",
        "unchanged",
    ]
    assert len({s["edition"] for s in summaries}) == 1
    assert Edition.objects.count() == 1
    assert StoredEvent.objects.filter(type="IncidentRecorded").count() == len(ENTRIES)
    assert connection.vendor == "postgresql"


def test_every_task_has_a_soft_and_a_hard_time_limit():
    from celery import current_app

    tasks = [t for name, t in current_app.tasks.items() if not name.startswith("celery.")]
    assert tasks
    for task in tasks:
        assert task.soft_time_limit and task.time_limit, task.name
        assert task.soft_time_limit < task.time_limit, task.name


def test_an_ingestion_over_its_soft_time_limit_is_stopped_and_recorded_as_a_failed_run(
    monkeypatch,
):
    from celery.exceptions import SoftTimeLimitExceeded

    from ingestion import services

    def over_the_limit(edition):  # what the worker's soft limit raises inside a long parse
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "edition_read", over_the_limit)
    summary = ingest_fetched(
        report_slug="mali", fetched=Fetched(render().encode(), "slow.txt"), trigger="test"
    )
    run = IngestRun.objects.get()
    assert summary["status"] == run.status == "failed"
    assert "time limit" in run.error and "LEDGER_TASK_SOFT_TIME_LIMIT" in run.error
    assert Edition.objects.get().status == "failed"
    assert not StoredEvent.objects.filter(type="IncidentRecorded").exists()
    assert projection.verify(projections()) == []


@pytest.mark.redis
@pytest.mark.postgres
def test_a_poison_edition_that_kills_its_worker_is_failed_and_not_redelivered_forever(tmp_path):
    path = tmp_path / "mali.txt"
    path.write_text(render())
    source = source_register(
        report_slug="mali", kind="file", location=str(path), every_minutes=None
    )
    given_up = lambda: IngestRun.objects.filter(error__startswith="Not tried again")  # noqa: E731
    with celery_worker(
        pool="prefork",
        TEST_INGEST_CRASH="1",
        CELERY_VISIBILITY_TIMEOUT="3",
        LEDGER_SOURCE_ROOTS=str(tmp_path),
    ) as (
        _,
        queue,
    ):
        source_check_task.apply_async(args=[source.pk, "test"], queue=queue)
        # The run that gives up (no edition) is recorded just after the dead deliveries' runs
        # are marked: wait for it, or the count below can miss it.
        _wait_for(given_up().filter(edition=None).exists, timeout=120)
        runs = IngestRun.objects.count()
        time.sleep(8)  # room for another delivery to show itself, if there were one
        assert IngestRun.objects.count() == runs
    assert given_up().filter(edition=None).count() == 1  # the run that gave up
    assert "stopped 2 times" in given_up().filter(edition=None).get().error
    assert Edition.objects.get().status == "failed"
    assert not StoredEvent.objects.filter(type="IncidentRecorded").exists()
    assert projection.verify(projections()) == []
