"""Production refuses to start without secrets or with an unknown environment; /healthz reports
the database and the broker, in detail only to operators."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from common.roles import EDITORS, OPERATORS, VIEWERS, roles_ensure

ROOT = Path(__file__).resolve().parents[2]


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _check(
        {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "x"}
    )
    assert result.returncode != 0 and "needs DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _check(
        {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": ""}
    )
    assert result.returncode != 0 and "needs DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("typo", ["prod", "Production", "staging", " production"])
def test_an_unknown_environment_is_refused_naming_the_known_ones(typo):
    result = _check(
        {"DJANGO_ENV": typo, "DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "x"}
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DJANGO_ENV={typo!r} is not known" in result.stderr
    assert "development, production" in result.stderr


def test_development_is_what_an_unset_environment_means():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _user(role: str | None, **flags: bool) -> User:
    user = User.objects.create_user(username=f"health-{role}-{len(flags)}", password="x", **flags)
    if role:
        user.groups.add(roles_ensure()[role])
    return user


@pytest.mark.django_db
def test_healthz_tells_anyone_only_that_all_is_well(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_details_each_component_to_an_operator(client):
    client.force_login(_user(OPERATORS))
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_a_broken_broker_gives_anyone_a_bare_503_without_error_text(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy"}
    assert b"127.0.0.1" not in response.content and b"rror" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [VIEWERS, EDITORS, None])
def test_a_broken_broker_is_not_detailed_to_other_accounts(client, settings, role):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    client.force_login(_user(role))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "staff"])
def test_a_broken_broker_is_named_with_its_error_to_operators_and_staff(client, settings, who):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    user = _user(OPERATORS) if who == "operator" else _user(None, is_staff=True)
    client.force_login(user)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy" and body["database"] == "ok"
    assert body["broker"].startswith("error:")
