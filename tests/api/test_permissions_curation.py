"""The editorial write endpoints are editors' alone: every role against each of them, and each
in the OpenAPI schema with its own input and output."""

from __future__ import annotations

import pytest

from incidents.review.services import flag_raise
from ledger.store import Cause
from tests.api.conftest import ROLES, make_incident, make_place, place

pytestmark = pytest.mark.django_db

EXPECTED = {"anonymous": 401, "viewer": 403, "operator": 403}


def _calls():  # type: ignore[no-untyped-def]
    """(method, url, body, what an editor gets) for every editorial write."""
    incident = make_incident(killed=3, places=[place("Mourdiah", None, None)])
    other = make_incident(killed=5)
    duplicate = flag_raise(
        cause=Cause(who="system:test"),
        kind="possible_duplicate",
        report="mali",
        incident_id=incident,
        detail={"incidents": [str(incident), str(other)]},
    )
    second = flag_raise(
        cause=Cause(who="system:test"),
        kind="possible_duplicate",
        report="mali",
        incident_id=incident,
        detail={"incidents": [str(incident), str(other)]},
    )
    tera = make_place("Tera", "Niger")
    why = {"reason": "Checked."}
    return [
        ("get", f"/api/v1/flags/{duplicate}/preview/", None, 200),
        ("post", f"/api/v1/flags/{second}/not-duplicate/", why, 200),
        ("post", f"/api/v1/flags/{duplicate}/merge/", {"survivor": str(incident)}, 200),
        (
            "post",
            f"/api/v1/incidents/{incident}/correct/",
            {"field": "killed", "value": 4, **why},
            200,
        ),
        ("post", f"/api/v1/incidents/{incident}/lock/", {"field": "text", **why}, 200),
        ("post", f"/api/v1/incidents/{incident}/unlock/", {"field": "text", **why}, 200),
        (
            "post",
            f"/api/v1/incidents/{incident}/resolve-place/",
            {"place": "Mourdiah", "latitude": 14.4, "longitude": -7.5, **why},
            200,
        ),
        ("post", "/api/v1/places/", {"name": "Ouallam", "country": "Niger", **why}, 201),
        ("patch", f"/api/v1/places/{tera}/", {"admin1": "Tillaberi", **why}, 200),
        ("post", f"/api/v1/incidents/{other}/merge-into/", {"survivor": str(incident), **why}, 200),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_make_editorial_changes(role, client_for):
    client = client_for(role)
    for method, url, body, editor_gets in _calls():
        response = getattr(client, method)(url, body, format="json")
        expected = editor_gets if role == "editor" else EXPECTED[role]
        assert response.status_code == expected, (role, method, url, response.content)


def test_a_viewer_changes_nothing(client_for):
    viewer = client_for("viewer")
    incident = make_incident(killed=3)
    viewer.post(
        f"/api/v1/incidents/{incident}/correct/",
        {"field": "killed", "value": 9, "reason": "x"},
        format="json",
    )
    shown = viewer.get(f"/api/v1/incidents/{incident}/").json()
    assert shown["casualties"]["killed"]["best"] == 3


def test_a_bad_correction_names_the_field_once(client_for):
    editor = client_for("editor")
    incident = make_incident(killed=3)
    url = f"/api/v1/incidents/{incident}/correct/"

    unknown = editor.post(url, {"field": "mood", "value": 1, "reason": "x"}, format="json")
    bad_date = editor.post(
        url, {"field": "date", "value": {"date_start": "June"}, "reason": "x"}, format="json"
    )
    bad_figure = editor.post(
        url, {"field": "killed", "value": "many", "reason": "x"}, format="json"
    )

    assert unknown.status_code == bad_date.status_code == bad_figure.status_code == 400
    assert list(unknown.json()["errors"]) == ["field"]
    assert bad_date.json()["errors"] == {
        "value": ["date_start must be a date written YYYY-MM-DD, not 'June'."]
    }
    assert list(bad_figure.json()["errors"]) == ["value"]
    missing = editor.post(
        "/api/v1/incidents/00000000-0000-0000-0000-000000000000/lock/",
        {"field": "text", "reason": "x"},
        format="json",
    )
    assert missing.status_code == 404


def test_the_editorial_endpoints_are_in_the_schema_with_their_own_inputs(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    wanted = {
        "/api/v1/flags/{id}/merge/": ("post", "MergeInput", "FlagOutput"),
        "/api/v1/flags/{id}/not-duplicate/": ("post", "NotDuplicateInput", "FlagOutput"),
        "/api/v1/flags/{id}/accept/": ("post", "AcceptInput", "FlagOutput"),
        "/api/v1/incidents/{id}/merge-into/": ("post", "MergeIntoInput", "IncidentOutput"),
        "/api/v1/incidents/{id}/correct/": ("post", "CorrectFieldInput", "IncidentOutput"),
        "/api/v1/incidents/{id}/lock/": ("post", "FieldReasonInput", "IncidentOutput"),
        "/api/v1/incidents/{id}/unlock/": ("post", "FieldReasonInput", "IncidentOutput"),
        "/api/v1/incidents/{id}/resolve-place/": ("post", "ResolvePlaceInput", "IncidentOutput"),
        "/api/v1/places/": ("post", "PlaceRecordInput", "PlaceRecordOutput"),
        "/api/v1/places/{id}/": ("patch", "PatchedPlaceCorrectInput", "PlaceRecordOutput"),
    }
    for path, (method, given, answered) in wanted.items():
        operation = paths[path][method]
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert body.endswith(f"/{given}Request"), (path, body)  # drf-spectacular's name
        ok = next(c for c in ("200", "201") if c in operation["responses"])
        out = operation["responses"][ok]["content"]["application/json"]["schema"]["$ref"]
        assert out.endswith(f"/{answered}"), (path, out)
        assert {"400", "401", "403"} <= set(operation["responses"]), path
    preview = paths["/api/v1/flags/{id}/preview/"]["get"]["responses"]["200"]
    assert preview["content"]["application/json"]["schema"]["$ref"].endswith("/AcceptPreviewOutput")
