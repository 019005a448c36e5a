"""Who may read (README, "Who may read"): reading needs a role. Every read endpoint and export in
the API's schema is walked, so an endpoint added later is held to the policy without a line here.

Anonymous clients get 401 and accounts without a role 403 everywhere; viewers, editors and
operators read, except where an endpoint is narrower on purpose (NARROWER).
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.roles import EDITORS, OPERATORS, VIEWERS
from tests.api.conftest import make_incident

pytestmark = pytest.mark.django_db

REFUSED = (401, 403)
# Endpoints that fewer roles read, by design: the sources (operators' and editors' work) and
# the review queue (editors'). Everything else is read by every role.
NARROWER = {
    "/api/v1/sources/": {EDITORS, OPERATORS},
    "/api/v1/flags/": {EDITORS},
}


# The API root lists the endpoints, like the schema: no data, so anyone may read it.
PUBLIC = {"/api/v1/"}


def _fill(path: str, parameters: list[dict[str, Any]]) -> str:
    # Permissions are checked before any lookup, so an id that names nothing is refused the
    # same way; a reader then gets 404, which is not a refusal.
    for param in parameters:
        if param["in"] != "path":
            continue
        value = "1" if param["schema"].get("type") == "integer" else str(uuid.uuid4())
        if param["name"] == "slug":
            value = "mali"
        path = path.replace("{" + param["name"] + "}", value)
    return path


@cache
def read_urls() -> tuple[str, ...]:
    """Every GET in the schema, and each export format and layout a list offers."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        parameters = operations["get"].get("parameters", [])
        if path in PUBLIC:
            continue
        url = _fill(path, parameters)
        urls.append(url)
        for param in parameters:
            if param["in"] == "query" and param["name"] in ("format", "layout"):
                urls += [f"{url}?{param['name']}={v}" for v in param["schema"].get("enum", [])]
    return tuple(urls)


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _account(*roles: str, **flags: Any) -> User:
    user = User.objects.create_user(username=f"u-{uuid.uuid4().hex[:8]}", password="x", **flags)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def _readers_of(url: str) -> set[str]:
    for prefix, roles in NARROWER.items():
        if url.startswith(prefix):
            return roles
    return {VIEWERS, EDITORS, OPERATORS}


def test_the_walk_covers_lists_details_and_every_export():
    urls = read_urls()
    assert len(urls) >= 20, urls
    for expected in (
        "/api/v1/incidents/export.csv",
        "/api/v1/incidents/export.csv?layout=acled",
        "/api/v1/incidents/export.geojson",
        "/api/v1/changes/",
        "/api/v1/reports/mali/",
    ):
        assert expected in urls
    assert any(u.startswith("/api/v1/incidents/") and u.endswith("/history/") for u in urls)


def test_an_anonymous_client_is_asked_to_authenticate_on_every_read():
    make_incident(killed=2)
    client = _client(None)
    for url in read_urls():
        assert client.get(url).status_code == 401, url


def test_an_account_without_a_role_is_refused_every_read():
    make_incident(killed=2)
    client = _client(_account())
    for url in read_urls():
        response = client.get(url)
        assert response.status_code == 403, (url, response.status_code)


def test_a_staff_account_without_a_role_is_refused_every_read_too():
    client = _client(_account(is_staff=True))
    for url in read_urls():
        assert client.get(url).status_code == 403, url


def test_an_account_whose_only_permissions_are_its_own_reads_nothing():
    # Roles are groups; a permission granted one by one does not make a reader.
    user = _account()
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client = _client(user)
    for url in read_urls():
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [VIEWERS, EDITORS, OPERATORS])
def test_each_role_reads_every_endpoint_it_is_meant_to(role):
    make_incident(killed=2)
    client = _client(_account(role))
    for url in read_urls():
        status = client.get(url).status_code
        if role in _readers_of(url):
            assert status not in REFUSED, (role, url, status)
        else:
            assert status == 403, (role, url, status)


def test_a_superuser_reads_everything():
    client = _client(_account(is_superuser=True))
    for url in read_urls():
        assert client.get(url).status_code not in REFUSED, url


def test_a_deactivated_reader_reads_nothing():
    client = _client(_account(VIEWERS, is_active=False))
    for url in read_urls():
        assert client.get(url).status_code in REFUSED, url


@override_settings(LEDGER_API_ANONYMOUS_READ=True)
def test_a_public_mirror_lets_anyone_read_what_viewers_read():
    anonymous, roleless = _client(None), _client(_account())
    for url in read_urls():
        if VIEWERS in _readers_of(url):
            assert anonymous.get(url).status_code not in REFUSED, url
            assert roleless.get(url).status_code not in REFUSED, url
        else:
            assert anonymous.get(url).status_code == 401, url


def test_the_roles_exist_after_migrate_with_view_access_to_every_ledger_app():
    # No demo set-up ran on the test database: the groups come from migrate itself.
    for name in (VIEWERS, EDITORS, OPERATORS):
        group = Group.objects.get(name=name)
        apps = set(
            group.permissions.filter(codename__startswith="view_").values_list(
                "content_type__app_label", flat=True
            )
        )
        assert apps >= {"ledger", "actors", "incidents", "ingestion"}, (name, apps)
