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
    with celery_worker(LEDGER_INGEST_PAUSE_SECONDS="30", CELERY_VISIBILITY_TIMEOUT="3") as (
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
    with celery_worker(queue, CELERY_VISIBILITY_TIMEOUT="3"):
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
