"""The Celery app. Tasks live in each app's tasks.py; settings come from CELERY_* in settings."""

import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("incident_ledger")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
@worker_ready.connect
def _warm_up(**kwargs: object) -> None:
    """Load the gazetteer once per worker process, not inside the first ingestion."""
    from ingestion.services import warm_up

    warm_up()
