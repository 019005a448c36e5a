"""A task through a real Redis broker and a real worker appends its event exactly once,
even when the same task is delivered twice."""

from __future__ import annotations

import time

import pytest

from incidents.tasks import incident_record_task
from ledger.models import StoredEvent
from tests.celery_worker import celery_worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


def test_a_task_delivered_twice_appends_its_event_once():
    kwargs = {"report": "mali", "fields": {"text": "delivered twice"}, "idempotency_key": "task:42"}
    with celery_worker() as (process, queue):
        incident_record_task.apply_async(kwargs=kwargs, queue=queue)
        incident_record_task.apply_async(kwargs=kwargs, queue=queue)  # the redelivery
        sentinel = {"report": "mali", "fields": {"text": "after"}, "idempotency_key": "task:43"}
        incident_record_task.apply_async(kwargs=sentinel, queue=queue)
        # One worker, one task at a time, in order: once the sentinel is stored, both copies ran.
        _wait_for(lambda: StoredEvent.objects.filter(idempotency_key="task:43").exists())
        assert process.poll() is None
    assert StoredEvent.objects.filter(idempotency_key="task:42").count() == 1
    assert (
        StoredEvent.objects.filter(type="IncidentRecorded", data__text="delivered twice").count()
        == 1
    )
