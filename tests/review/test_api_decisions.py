"""Bulk decisions over the API: wording-only flags, all or none."""

from __future__ import annotations

import pytest

from incidents.models import ReviewFlag
from tests.pipeline.editions import ENTRIES, SECTIONS, edit
from tests.review.conftest import ingest

pytestmark = pytest.mark.django_db


def _second_edition() -> None:
    ingest()
    sections = [
        (
            SECTIONS[0][0],
            (
                "Armed groups tied to al-Qaeda and the Islamic State fight "
                "over much of the Sahel; civilians suffer most.",
            ),
        ),
        *SECTIONS[1:],
    ]
    ingest(
        edit(
            ENTRIES,
            9,
            body="Mortar shells fall inside the airport perimeter in Gao; no casualties are reported.",
        ),
        sections=sections,
    )


def test_wording_flags_are_decided_in_bulk_all_or_none(editor_api, client_for):
    _second_edition()
    wording = [
        str(f.id)
        for f in ReviewFlag.objects.filter(status="open")
        if f.kind == "paragraph_changed" or (f.kind == "revised" and f.field == "text")
    ]
    risky = ReviewFlag.objects.filter(status="open", kind="new_incident").first()
    assert len(wording) >= 2 and risky is not None
    url = "/api/v1/flags/decide-many/"

    refused = editor_api.post(
        url, {"flags": [*wording, str(risky.id)], "decision": "accept"}, format="json"
    )
    viewer = client_for("viewer").post(url, {"flags": wording, "decision": "accept"}, format="json")
    decided = editor_api.post(
        url, {"flags": wording, "decision": "accept", "reason": "Wording only."}, format="json"
    )

    assert refused.status_code == 400
    assert "one by one: new_incident" in refused.json()["errors"]["flags"][0]
    assert viewer.status_code == 403
    assert decided.status_code == 200 and decided.json() == {"decided": len(wording)}
    assert set(ReviewFlag.objects.filter(id__in=wording).values_list("status", flat=True)) == {
        "accepted"
    }
    again = editor_api.post(
        url, {"flags": wording[:1], "decision": "reject", "reason": "No."}, format="json"
    )
    assert again.status_code == 409 and "already accepted" in again.json()["detail"]


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    from tests.api.conftest import _client_for

    return _client_for
