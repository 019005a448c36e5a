"""Project configuration: settings, URLs, the Celery app and the wiring of events to projectors."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
