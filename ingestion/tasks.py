"""Celery tasks of ingestion: thin shells around ingestion.services.

acks_late with reject-on-worker-lost (settings): a worker killed mid-ingestion leaves the message
to be redelivered; the edition's transaction was rolled back, and the redelivered task completes
it once. A task for an edition already ingested finds it `unchanged` and writes nothing.

A poison edition (one that kills its worker every time: out of memory, the hard time limit) is
not redelivered forever: a delivery that finds earlier deliveries of the same task died
LEDGER_TASK_MAX_DELIVERIES times records the failure and stops. Every task has a soft and a hard
time limit (settings); the soft one is recorded on the run as a failure with its reason.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from ingestion.fetching import FetchError
from ingestion.models import Edition, Source
from ingestion.services import deliveries_exhausted, ingest, source_check


@shared_task(
    bind=True,
    autoretry_for=(FetchError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=settings.LEDGER_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LEDGER_TASK_TIME_LIMIT,
)
def source_check_task(self: Any, source_id: int, trigger: str = "schedule") -> list[dict[str, Any]]:
    """Check one source for new editions; transient fetch errors retry with backoff."""
    source = Source.objects.select_related("report").get(pk=source_id)
    if not source.enabled:
        return []
    task_id = self.request.id or ""
    if failed := deliveries_exhausted(task_id=task_id, source=source, trigger=trigger):
        return [failed]
    return source_check(source=source, trigger=trigger, task_id=task_id)


@shared_task(
    bind=True,
    soft_time_limit=settings.LEDGER_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LEDGER_TASK_TIME_LIMIT,
)
def edition_ingest_task(self: Any, edition_id: int, trigger: str = "rerun") -> dict[str, Any]:
    """Ingest a stored edition (run again after a failure, or uploaded earlier)."""
    edition = Edition.objects.select_related("report", "source").get(pk=edition_id)
    task_id = self.request.id or ""
    if failed := deliveries_exhausted(task_id=task_id, source=edition.source, trigger=trigger):
        return failed
    summary = ingest(
        bytes(edition.raw),
        edition.report,
        trigger=trigger,
        origin=edition.origin,
        from_source=edition.source,
        task_id=task_id,
    )
    return summary.to_dict()
