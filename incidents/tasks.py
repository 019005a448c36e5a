"""Celery tasks of the incidents app: thin shells around services.

Tasks are acks_late (settings): a worker that dies mid-task leaves the message to be redelivered,
so each task passes an idempotency key derived from its input and a redelivery writes nothing.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from incidents.schema import IncidentFields
from incidents.services import incident_record
from ledger.errors import ConcurrencyConflict
from ledger.store import Cause


@shared_task(
    autoretry_for=(ConcurrencyConflict,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,  # one incident: seconds, not minutes
    time_limit=90,
)
def incident_record_task(*, report: str, fields: dict[str, Any], idempotency_key: str) -> str:
    incident_id = incident_record(
        report=report,
        fields=IncidentFields(**fields),
        cause=Cause(who="system:celery", why="incident_record_task"),
        idempotency_key=idempotency_key,
    )
    return str(incident_id)
