"""A real Celery worker process on the real broker, pointed at the test database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = s["USER"] or "postgres", s["HOST"] or "127.0.0.1", s["PORT"] or 5432
        return f"postgres://{user}@{host}:{port}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


@contextlib.contextmanager
def celery_worker(
    queue: str | None = None, *, pool: str = "solo", **env_overrides: str
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start a worker consuming a queue of its own; yield (process, queue); stop it after.

    The app is tests.celery_app: the project's, with an ingestion held on request
    (TEST_INGEST_PAUSE_SECONDS, TEST_INGEST_PAUSE_AT). Time limits need pool="prefork"."""
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **env_overrides,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.celery_app",
            "worker",
            "--pool",
            pool,
            "--concurrency",
            "1",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            os.environ.get("TEST_WORKER_LOG", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield process, queue
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
