"""The admin login is rate limited (django-axes): repeated failures lock that username from that
address with a 429, counted in the database, until the cool-off or `axes_reset`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password"


@pytest.fixture(autouse=True)
def _fresh_lockouts(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    reset()
    yield
    reset()


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_user(username="olga", password=PASSWORD, is_staff=True)


def _login(client: Client, password: str, *, username: str = "olga", **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        **headers,
    )


def test_wrong_passwords_past_the_limit_lock_the_login_with_a_429(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "guess").status_code == 200  # the form again, with its error
    locked = _login(client, "guess")
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert AccessAttempt.objects.filter(username="olga").get().failures_since_start == (
        settings.AXES_FAILURE_LIMIT
    )


def test_a_locked_login_refuses_even_the_right_password(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess")
    assert _login(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_a_fresh_client_from_the_same_address(admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "guess")
    assert _login(Client(), PASSWORD).status_code == 429


def test_another_user_at_the_same_address_is_not_locked_out(client, admin_user, settings):
    User.objects.create_user(username="paul", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess")
    assert _login(Client(), PASSWORD, username="paul").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_counted_not_the_proxys(admin_user, settings):
    settings.LEDGER_BEHIND_PROXY = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "guess", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _login(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # A client's own X-Forwarded-For entry sits left of the proxy's and changes nothing.
    spoofed = _login(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert spoofed.status_code == 429
    assert _login(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


def test_axes_reset_lifts_a_lockout(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess")
    call_command("axes_reset", stdout=None)
    assert _login(client, PASSWORD).status_code == 302


def test_many_successful_logins_never_lock_anyone(admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        assert _login(Client(), PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "guess")
    assert _login(Client(), PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "guess").status_code == 200
