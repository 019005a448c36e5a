"""The Celery app for test workers: the project's app, with an ingestion made slow on demand.

Production code has no pause hook; a test asks its worker to hold an ingestion by environment:
TEST_INGEST_PAUSE_SECONDS holds it that long at TEST_INGEST_PAUSE_AT, "parsing" (before the
write transaction) or "recording" (inside it, before the edition's events are appended);
TEST_INGEST_CRASH=1 kills the worker process while recording, as running out of memory does.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from config.celery import app

__all__ = ["app"]

_PAUSE = float(os.environ.get("TEST_INGEST_PAUSE_SECONDS", "0"))
_AT = os.environ.get("TEST_INGEST_PAUSE_AT", "recording")
_CRASH = os.environ.get("TEST_INGEST_CRASH") == "1"

if _PAUSE or _CRASH:
    import django

    django.setup()
    from ingestion import recording, services

    if _AT == "parsing":
        _read = services.edition_read

        def _slow_read(edition: Any) -> Any:
            time.sleep(_PAUSE)
            return _read(edition)

        services.edition_read = _slow_read
    else:
        _flush = recording.EditionRecorder.flush

        def _slow_flush(self: Any) -> None:
            if _CRASH:
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(_PAUSE)
            _flush(self)

        recording.EditionRecorder.flush = _slow_flush  # type: ignore[method-assign]
