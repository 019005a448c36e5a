"""API test set-up: clients per role with real tokens, incidents made through the services."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.roles import EDITORS, OPERATORS, VIEWERS, roles_ensure
from incidents.services import IncidentFields, claim_assert, incident_record
from ledger.store import Cause

CAUSE = Cause(who="user:api-tester", why="api test", edition_id=1)
ROLES = ("anonymous", "viewer", "editor", "operator")


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    cache.clear()  # throttle counters live in the cache; each test starts with none


def _client_for(role: str) -> APIClient:
    client = APIClient()
    if role == "anonymous":
        return client
    groups = roles_ensure()
    user = User.objects.create_user(username=f"{role}-{uuid.uuid4().hex[:8]}", password="x")
    user.groups.add(groups[{"viewer": VIEWERS, "editor": EDITORS, "operator": OPERATORS}[role]])
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client_for() -> Callable[[str], APIClient]:
    return _client_for


@pytest.fixture
def api(db) -> APIClient:  # type: ignore[no-untyped-def]
    return _client_for("viewer")


def make_incident(
    *, killed: int | None = None, claims: tuple[tuple[str, int], ...] = (), **fields: Any
) -> uuid.UUID:
    """An incident recorded through the services, with the report's own killed figure."""
    defaults: dict[str, Any] = {
        "date_start": "2024-05-02",
        "date_precision": "day",
        "country": "Mali",
        "text": "Gunmen attacked a market.",
    }
    incident_id = incident_record(
        report="mali", cause=CAUSE, edition_id=1, fields=IncidentFields(**(defaults | fields))
    )
    if killed is not None:
        claims = (("report", killed), *claims)
    for claimant, value in claims:
        claim_assert(
            incident_id=incident_id,
            property="killed",
            claimant=claimant,
            value_min=value,
            value_max=value,
            cause=CAUSE,
        )
    return incident_id


def place(name: str, lat: float | None, lon: float | None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "lat": lat, "lon": lon, "precision": "exact", "country": "Mali"} | extra


def all_pages(client: APIClient, url: str) -> list[dict[str, Any]]:
    """Every item of a list, following `next` links."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content
        items += response.json()["results"]
        next_url = response.json()["next"]
    return items


def make_place(name: str, country: str, **fields: Any) -> uuid.UUID:
    """A row of the editors' place table, recorded through the place service as an editor."""
    from actors.services import place_record

    groups = roles_ensure()
    user, created = User.objects.get_or_create(username="place-editor")
    if created:
        user.groups.add(groups[EDITORS])
    return place_record(name=name, country=country, editor=user, reason="Test place.", **fields)
