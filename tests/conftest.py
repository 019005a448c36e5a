"""Shared test set-up: which real services this run has, and markers that need them.

`postgres` and `redis` tests run only against the real services. Without them they are skipped
and listed loudly at the end; under CI=true a missing service fails the run instead.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from ledger.store import Cause

MISSING: dict[str, str] = {}


def _service_reasons() -> dict[str, str]:
    reasons = {}
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        reasons["postgres"] = (
            "needs PostgreSQL: set DATABASE_URL=postgres://... or start it on :5432"
        )
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        reasons["redis"] = "needs Redis: set CELERY_BROKER_URL=redis://... or start it on :6379"
    return reasons


@pytest.hookimpl(trylast=True)  # after -m / -k deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons = _service_reasons()
    needing = [
        (item, marker) for item in items for marker in reasons if item.get_closest_marker(marker)
    ]
    if needing and os.environ.get("CI") == "true":
        names = sorted({marker for _, marker in needing})
        raise pytest.UsageError(
            f"CI=true but {', '.join(names)} is not configured: "
            + "; ".join(reasons[n] for n in names)
        )
    for item, marker in needing:
        item.add_marker(pytest.mark.skip(reason=reasons[marker]))
        MISSING[item.nodeid] = reasons[marker]


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    if MISSING:
        terminalreporter.section("SKIPPED FOR WANT OF REAL SERVICES", sep="!", red=True, bold=True)
        for nodeid, reason in MISSING.items():
            terminalreporter.write_line(f"SKIPPED {nodeid}: {reason}", red=True)


@pytest.fixture
def cause() -> Cause:
    return Cause(who="user:tester", why="test")


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
