"""Who may do what: anonymous / viewer / editor / operator against every endpoint and method."""

from __future__ import annotations

import pytest
from django.test import override_settings

from actors.seeding import seed_actor_id
from incidents.models import Claim
from tests.api.conftest import ROLES, make_incident

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture
def endpoints() -> list[str]:
    incident = make_incident(killed=3)
    claim = Claim.objects.get(incident_id=incident).id
    return [
        "/api/v1/incidents/",
        "/api/v1/incidents/export.csv",
        f"/api/v1/incidents/{incident}/",
        f"/api/v1/incidents/{incident}/history/",
        "/api/v1/claims/",
        f"/api/v1/claims/{claim}/",
        "/api/v1/actors/",
        f"/api/v1/actors/{seed_actor_id('jnim')}/",
        "/api/v1/changes/",
        "/api/v1/reports/",
        "/api/v1/editions/",
    ]


# What each role gets: reads, and writes (none of these endpoints takes a write, so a role
# allowed to write meets 405, one that is not meets 401 or 403). The editorial writes (places,
# flags, curation) are in test_permissions_curation.py.
EXPECTED = {
    "anonymous": (401, 401),
    "viewer": (200, 403),
    "editor": (200, 405),
    "operator": (200, 405),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_and_writes_exactly_what_it_may(role, client_for, endpoints):
    client = client_for(role)
    read, write = EXPECTED[role]
    for url in endpoints:
        assert client.get(url).status_code == read, (role, url)
        for method in WRITES:
            assert getattr(client, method)(url, {}).status_code == write, (role, method, url)


# The places table: everyone who reads reads it; only editors write (POST records, PATCH
# corrects), so an empty body is their 400, a PUT or DELETE their 405.
PLACES = {
    "anonymous": (401, {"post": 401, "put": 401, "patch": 401, "delete": 401}),
    "viewer": (200, {"post": 403, "put": 403, "patch": 403, "delete": 403}),
    "editor": (200, {"post": 400, "put": 405, "patch": 405, "delete": 405}),
    "operator": (200, {"post": 403, "put": 403, "patch": 403, "delete": 403}),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_places_and_only_editors_write_them(role, client_for):
    client = client_for(role)
    read, writes = PLACES[role]
    assert client.get("/api/v1/places/").status_code == read
    for method, status in writes.items():
        assert getattr(client, method)("/api/v1/places/", {}).status_code == status, method


@override_settings(LEDGER_API_ANONYMOUS_READ=True)
def test_anonymous_reads_when_configured_but_still_never_writes(client_for, endpoints):
    client = client_for("anonymous")
    for url in endpoints:
        assert client.get(url).status_code == 200, url
        assert client.post(url, {}).status_code == 401, url


def test_the_schema_and_its_docs_are_public(client_for):
    client = client_for("anonymous")
    assert client.get("/api/v1/schema/?format=json").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.get("/api/v1/redoc/").status_code == 200


def test_session_authentication_works_for_the_browsable_api(django_user_model, client):
    from common.roles import VIEWERS, roles_ensure

    reader = django_user_model.objects.create_user(
        username="reader", password="pw-long-enough", is_staff=True
    )
    reader.groups.add(roles_ensure()[VIEWERS])
    # The admin's login form: the one password login, behind the login limit (axes).
    login = client.post(
        "/admin/login/", {"username": "reader", "password": "pw-long-enough", "next": "/admin/"}
    )
    assert login.status_code == 302, login.content
    assert client.get("/api/v1/incidents/").status_code == 200


def test_a_client_over_its_rate_is_throttled(client_for, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "incidents", "2/min")
    client = client_for("viewer")
    codes = [client.get("/api/v1/incidents/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
