"""Production mode has no demo door: no demo account or sample data, HTTPS enforced, and
`check --deploy` has nothing to say. Settings are loaded in a subprocess, as a server would."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from incidents.models import Incident
from ingestion.models import Edition

ROOT = Path(__file__).resolve().parents[2]


def _production(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "LEDGER_BEHIND", "LEDGER_USE_X"))
    }
    return (
        env
        | {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "ledger.example.org",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        | extra
    )


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def _settings_under(env: dict[str, str], *names: str) -> dict[str, Any]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_check_deploy_has_no_warning_in_production_mode():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sends_hsts_redirects_to_https_and_keeps_cookies_secure_by_default():
    values = _settings_under(
        _production(),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    # Not behind a proxy unless told: a forged X-Forwarded-Proto must not pass for HTTPS.
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_behind_a_proxy_the_forwarded_scheme_is_trusted_and_each_setting_follows_its_variable():
    env = _production(
        LEDGER_BEHIND_PROXY="1",
        LEDGER_USE_X_FORWARDED_HOST="1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="600",
    )
    values = _settings_under(
        env,
        "SECURE_PROXY_SSL_HEADER",
        "USE_X_FORWARDED_HOST",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "USE_X_FORWARDED_HOST": True,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
    }


def test_a_flag_that_is_neither_on_nor_off_is_refused():
    result = _run(["manage.py", "check"], _production(LEDGER_BEHIND_PROXY="maybe"))
    assert result.returncode != 0
    assert "LEDGER_BEHIND_PROXY='maybe': use 1 or 0." in result.stderr


@pytest.mark.django_db
def test_plain_http_is_redirected_and_https_from_the_proxy_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/api/v1/incidents/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/api/v1/incidents/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 401
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    # The load balancer's probe inside the network needs no TLS.
    assert client.get("/healthz").status_code == 200


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_demo_setup_is_refused_in_production_and_creates_nothing():
    counts = (User.objects.count(), Incident.objects.count(), Edition.objects.count())
    env = _production(DATABASE_URL=_test_database_url())
    result = _run(["manage.py", "demo_setup"], env)
    assert result.returncode != 0
    assert "CommandError: demo_setup is for development only" in result.stderr
    assert "editor-demo" not in result.stdout
    assert (User.objects.count(), Incident.objects.count(), Edition.objects.count()) == counts
    assert not User.objects.filter(username="editor").exists()


@pytest.mark.django_db
def test_demo_setup_refuses_before_touching_anything_when_settings_say_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_setup")
    assert not User.objects.exists()
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_demo_setup_still_makes_a_demo_editor_who_reads_the_api_in_development(client):
    assert not django_settings.PRODUCTION
    call_command("demo_setup", stdout=open(os.devnull, "w"))  # noqa: SIM115
    editor = User.objects.get(username="editor")
    assert editor.check_password("editor-demo")
    assert Edition.objects.exists() and Incident.objects.exists()
    login = client.post("/admin/login/", {"username": "editor", "password": "editor-demo"})
    assert login.status_code == 302
    listed = client.get("/api/v1/incidents/")
    assert listed.status_code == 200 and listed.json()["results"]


def test_make_run_refuses_production_before_migrating_anything(tmp_path):
    env = _production(LEDGER_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    result = _run(["scripts/run.py"], env)
    assert result.returncode == 2
    assert "make run is the development set-up" in result.stderr
    assert not (tmp_path / "x.db").exists()
