"""The review endpoints are editors' alone: every role against every flag endpoint."""

from __future__ import annotations

import pytest

from incidents.review.services import flag_raise
from ledger.store import Cause
from tests.api.conftest import ROLES, make_incident

pytestmark = pytest.mark.django_db

# (read, decide): anonymous clients must authenticate; viewers and operators are refused.
EXPECTED = {
    "anonymous": (401, 401),
    "viewer": (403, 403),
    "editor": (200, 200),
    "operator": (403, 403),
}


def _flag():  # type: ignore[no-untyped-def]
    incident = make_incident(killed=3)
    return flag_raise(
        cause=Cause(who="system:test"), kind="new_incident", report="mali", incident_id=incident
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_read_and_decide_flags(role, client_for):
    client = client_for(role)
    read, decide = EXPECTED[role]
    flag = _flag()
    for url in ("/api/v1/flags/", f"/api/v1/flags/{flag}/", f"/api/v1/flags/?incident={flag}"):
        assert client.get(url).status_code == read, (role, url)
    response = client.post(f"/api/v1/flags/{flag}/accept/", {"reason": "fine"}, format="json")
    assert response.status_code == decide, (role, response.content)
    for method in ("put", "patch", "delete"):
        code = getattr(client, method)(f"/api/v1/flags/{flag}/", {}).status_code
        assert code == (405 if role == "editor" else read), (role, method)


def test_a_decided_flag_cannot_be_decided_again(client_for):
    client = client_for("editor")
    flag = _flag()
    assert client.post(f"/api/v1/flags/{flag}/accept/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/flags/{flag}/reject/", {"reason": "no"}, format="json")
    assert again.status_code == 409
    assert "already accepted" in again.json()["detail"]


def test_a_rejection_without_a_reason_is_a_bad_request(client_for):
    client = client_for("editor")
    response = client.post(f"/api/v1/flags/{_flag()}/reject/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
