"""The review decisions over the API, as a review tool meets them, and their effect on the
incidents the API shows."""

from __future__ import annotations

import pytest

from tests.pipeline.editions import ENTRIES, edit
from tests.review.conftest import incident_with, ingest, open_flags

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for):  # type: ignore[no-untyped-def]
    return client_for("editor")


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    from tests.api.conftest import _client_for

    return _client_for


def test_flags_filter_by_incident_status_kind_and_edition(api):
    first = ingest()
    second = ingest(edit(ENTRIES, 3, date="June 24, 2024"))
    incident = incident_with("Tessalit")
    body = api.get(f"/api/v1/flags/?incident={incident.id}&status=open").json()
    assert {f["kind"] for f in body["results"]} == {"new_incident", "revised"}
    revised = api.get(f"/api/v1/flags/?kind=revised&edition={second['edition']}").json()
    assert [f["field"] for f in revised["results"]] == ["date"]
    assert (
        api.get(f"/api/v1/flags/?edition={first['edition']}&kind=revised").json()["results"] == []
    )
    assert api.get("/api/v1/flags/?status=maybe").status_code == 400


def test_accept_reject_and_correct_change_what_the_incident_api_shows(api):
    ingest()
    ingest(edit(ENTRIES, 3, date="June 24, 2024"))
    incident = incident_with("Tessalit")
    detail = f"/api/v1/incidents/{incident.id}/"
    assert api.get(detail).json()["review_state"] == "pending"
    [new, date] = open_flags(incident)

    rejected = api.post(f"/api/v1/flags/{date.id}/reject/", {"reason": "Typo."}, format="json")
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"] == "rejected" and rejected.json()["reason"] == "Typo."
    assert api.get(detail).json()["date_start"] == "2024-06-21"

    killed = incident_with("Douentza")
    [kflag] = open_flags(killed)
    corrected = api.post(
        f"/api/v1/flags/{kflag.id}/correct/", {"reason": "x", "value": 3}, format="json"
    )
    assert corrected.status_code == 400  # a new incident has no field to correct
    assert api.post(f"/api/v1/flags/{new.id}/accept/", {}, format="json").status_code == 200
    assert api.get(detail).json()["review_state"] == "reviewed"


def test_correcting_a_revised_toll_sets_the_editors_figure(api):
    ingest()
    ingest(edit(ENTRIES, 1, body=ENTRIES[1].body.replace("at least 31", "at least 36")))
    incident = incident_with("Douentza")
    [flag] = open_flags(incident, field="killed")
    response = api.post(
        f"/api/v1/flags/{flag.id}/correct/",
        {"reason": "OCHA counts 33.", "value": 33},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["corrected_value"] == 33
    shown = api.get(f"/api/v1/incidents/{incident.id}/").json()
    assert shown["casualties"]["killed"]["best"] == 33
