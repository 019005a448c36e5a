"""Throttle counts live in Redis when it is configured, so two web processes share one limit;
without Redis they fall back to each process's memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]

# One web process's view of a request: DRF's anonymous throttle, as the API applies it.
_ONE_PROCESS = """
import json, sys, django
django.setup()
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
address, tries = sys.argv[1], int(sys.argv[2])
answers = []
for _ in range(tries):
    request = Request(RequestFactory().get("/api/v1/incidents/", REMOTE_ADDR=address))
    answers.append(AnonRateThrottle().allow_request(request, None))
print(json.dumps(answers))
"""


def _process(env: dict[str, str], address: str, tries: int) -> list[bool]:
    result = subprocess.run(
        [sys.executable, "-c", _ONE_PROCESS, address, str(tries)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def _env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    return (
        base
        | {"DJANGO_SETTINGS_MODULE": "config.settings", "LEDGER_API_RATE_ANON": "3/hour"}
        | extra
    )


@pytest.fixture
def prefix() -> Iterator[str]:
    """A cache key prefix of the test's own: earlier runs' counts stay out, its own go after."""
    name = f"test-throttle-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


@pytest.mark.redis
def test_two_processes_share_one_throttle_count_through_redis(prefix):
    redis_url = os.environ["CELERY_BROKER_URL"]
    env = _env(REDIS_URL=redis_url, LEDGER_CACHE_PREFIX=prefix)
    address = "192.0.2.7"
    assert _process(env, address, 2) == [True, True]
    assert _process(env, address, 2) == [True, False]
    assert _process(env, "192.0.2.8", 1) == [True]  # another client has its own count


@pytest.mark.redis
def test_a_redis_broker_is_the_cache_when_no_redis_url_is_given(prefix):
    env = _env(CELERY_BROKER_URL=os.environ["CELERY_BROKER_URL"], LEDGER_CACHE_PREFIX=prefix)
    assert _process(env, "192.0.2.9", 2) == [True, True]
    assert _process(env, "192.0.2.9", 2) == [True, False]


def test_without_redis_each_process_counts_alone_in_its_memory():
    env = _env()
    assert _process(env, "192.0.2.10", 2) == [True, True]
    assert _process(env, "192.0.2.10", 2) == [True, True]
