"""Review test set-up: editors and viewers as real users, editions ingested the real way."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User

from common.roles import EDITORS, VIEWERS, roles_ensure
from incidents.models import Incident, ReviewFlag
from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from tests.pipeline.editions import ENTRIES, Item, render


def make_user(role: str, *, name: str | None = None, password: str = "pw-for-tests") -> User:
    groups = roles_ensure()
    user = User.objects.create_user(
        username=name or f"{role}-{uuid.uuid4().hex[:6]}", password=password, is_staff=True
    )
    user.groups.add(groups[{"editor": EDITORS, "viewer": VIEWERS}[role]])
    return user


@pytest.fixture
def editor(db) -> User:  # type: ignore[no-untyped-def]
    return make_user("editor", name="erin")


@pytest.fixture
def viewer(db) -> User:  # type: ignore[no-untyped-def]
    return make_user("viewer", name="victor")


def ingest(entries: list[Item] | tuple[Item, ...] = ENTRIES, **render_options: Any) -> dict:
    data = render(entries, **render_options).encode()
    origin = f"edition-{uuid.uuid4().hex[:6]}.txt"
    summary = ingest_fetched(report_slug="mali", fetched=Fetched(data, origin), trigger="test")
    assert summary["status"] in ("ingested", "unchanged"), summary
    return summary


def incident_with(fragment: str) -> Incident:
    return Incident.objects.get(text__contains=fragment)


def open_flags(incident: Incident, **filters: Any) -> list[ReviewFlag]:
    return list(
        ReviewFlag.objects.filter(incident_id=incident.id, status="open", **filters).order_by(
            "raised_at", "id"
        )
    )


@pytest.fixture
def editor_api(editor):  # type: ignore[no-untyped-def]
    """The API as the editor `erin` meets it, with her token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


def duplicate_flags(**filters: Any) -> list[ReviewFlag]:
    return list(ReviewFlag.objects.filter(kind="possible_duplicate", **filters))
