"""Small builders for ledger tests: events appended through the real store."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection

from incidents.events import IncidentRecorded, IncidentRevised
from ledger import store
from ledger.store import AppendResult, Cause

CAUSE = Cause(who="user:tester", why="test")


def record(
    stream_id: uuid.UUID | None = None, *, text: str = "an incident", **kw: Any
) -> AppendResult:
    return store.append(
        stream_type="incident",
        stream_id=stream_id or uuid.uuid4(),
        expected_version=0,
        events=[IncidentRecorded(report="test", text=text)],
        cause=CAUSE,
        **kw,
    )


def revise(stream_id: uuid.UUID, expected_version: int, text: str) -> AppendResult:
    return store.append(
        stream_type="incident",
        stream_id=stream_id,
        expected_version=expected_version,
        events=[IncidentRevised(changes={"text": text})],
        cause=CAUSE,
    )


def run_threads(targets: list[Callable[[], Any]]) -> list[Any]:
    """Run each target in its own thread with its own database connection; return results or
    the exception each raised."""
    results: list[Any] = [None] * len(targets)

    def wrap(i: int, target: Callable[[], Any]) -> None:
        try:
            results[i] = target()
        except BaseException as exc:  # collected for the test to assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results
