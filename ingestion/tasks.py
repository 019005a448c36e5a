"""Celery tasks of ingestion: thin shells around ingestion.services.

acks_late with reject-on-worker-lost (settings): a worker killed mid-ingestion leaves the message
to be redelivered; the edition's transaction was rolled back, and the redelivered task completes
it once. A task for an edition already ingested finds it `unchanged` and writes nothing.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from ingestion.fetching import FetchError
from ingestion.models import Edition, Source
from ingestion.services import edition_rerun, source_check


@shared_task(
    bind=True,
    autoretry_for=(FetchError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def source_check_task(self: Any, source_id: int, trigger: str = "schedule") -> list[dict[str, Any]]:
    """Check one source for new editions; transient fetch errors retry with backoff."""
    source = Source.objects.select_related("report").get(pk=source_id)
    if not source.enabled:
        return []
    return source_check(source=source, trigger=trigger, task_id=self.request.id or "")


@shared_task(bind=True)
def edition_ingest_task(self: Any, edition_id: int, trigger: str = "rerun") -> dict[str, Any]:
    edition = Edition.objects.select_related("report", "source").get(pk=edition_id)
    return edition_rerun(edition=edition, trigger=trigger)
