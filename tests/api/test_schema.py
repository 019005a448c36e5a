"""Every endpoint answers what the OpenAPI schema says: each response of a tour of the API is
validated against the generated schema with jsonschema (OpenAPI 3.0's `nullable` translated).

test_schemathesis.py adds property-based fuzzing when schemathesis is installed.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from actors.seeding import seed_actor_id
from incidents.models import Claim
from incidents.review.services import flag_raise
from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched, source_register
from ledger.store import Cause
from tests.api.conftest import make_incident, make_place, place
from tests.pipeline.editions import render

pytestmark = pytest.mark.django_db


def _json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture
def schema(api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operation(schema: dict[str, Any], url: str) -> dict[str, Any]:
    path = url.split("?")[0]
    # Literal paths first: /incidents/export.csv is not /incidents/{id}/.
    for template, item in sorted(schema["paths"].items(), key=lambda kv: "{" in kv[0]):
        parts, actual = template.strip("/").split("/"), path.strip("/").split("/")
        if len(parts) == len(actual) and all(
            p == a or (p.startswith("{") and p.endswith("}"))
            for p, a in zip(parts, actual, strict=True)
        ):
            return item["get"]
    raise AssertionError(f"{path} is not in the schema")


def _check(schema: dict[str, Any], url: str, response: Any) -> str:
    operation = _operation(schema, url)
    declared = operation["responses"].get(str(response.status_code))
    assert declared is not None, f"{url} answered {response.status_code}, not in the schema"
    content = declared.get("content", {}).get("application/json")
    if content is not None:
        root = {"components": _json_schema(schema["components"]), **_json_schema(content["schema"])}
        jsonschema.Draft202012Validator(
            root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).validate(response.json())
    return operation["operationId"]


def test_every_response_of_a_tour_of_the_api_matches_the_schema(api, schema, client_for, settings):
    incident = make_incident(
        killed=4,
        claims=(("army", 2),),
        perpetrators=[
            {"actor_id": str(seed_actor_id("jnim")), "name": "JNIM", "status": "claimed"}
        ],
        places=[place("Gao", 16.27, -0.04, admin1="Gao")],
        targets=["soldiers"],
        sources=["AFP"],
    )
    make_incident(date_start=None, date_precision="unknown")
    claim = Claim.objects.filter(incident_id=incident)[0].id
    tour = [
        "/api/v1/",
        "/api/v1/incidents/",
        "/api/v1/incidents/?page_size=1&count=true",
        "/api/v1/incidents/export.csv?layout=acled",
        "/api/v1/incidents/export.csv?killed_min=x",
        "/api/v1/incidents/export.geojson",
        "/api/v1/incidents/export.jsonl?format=xml",
        "/api/v1/incidents/?page_size=1&fields=id,casualties",
        "/api/v1/incidents/?actor=GSIM&include_related=predecessors,successors&killed_min=1",
        "/api/v1/incidents/?bbox=-1,15,1,17&as_of_position=1",
        "/api/v1/incidents/?date_from=2024-13-01",
        f"/api/v1/incidents/{incident}/",
        f"/api/v1/incidents/{incident}/?as_of_position=1",
        "/api/v1/incidents/00000000-0000-0000-0000-000000000000/",
        f"/api/v1/incidents/{incident}/history/",
        f"/api/v1/incidents/{incident}/parts/",
        "/api/v1/claims/",
        f"/api/v1/claims/{claim}/",
        "/api/v1/claims/?rank=best",
        "/api/v1/actors/",
        f"/api/v1/actors/{seed_actor_id('jnim')}/",
        "/api/v1/changes/?limit=50",
        "/api/v1/changes/?page_size=1&after=1",
        "/api/v1/changes/?limit=-4",
    ]
    covered = {_check(schema, url, api.get(url)) for url in tour}
    flag = flag_raise(
        cause=Cause(who="system:test"),
        kind="revised",
        report="mali",
        incident_id=incident,
        field="killed",
        before=[4, 4, "exact"],
        after=[5, 5, "exact"],
        before_text="4 killed",
        after_text="5 killed",
        edition_id=1,
    )
    editor = client_for("editor")  # the review queue is editors' alone
    flag_tour = [
        "/api/v1/flags/",
        f"/api/v1/flags/?incident={incident}&status=open&kind=revised&edition=1",
        "/api/v1/flags/?kind=nonsense",
        f"/api/v1/flags/{flag}/",
        f"/api/v1/flags/{flag}/preview/",
        "/api/v1/flags/00000000-0000-0000-0000-000000000000/",
    ]
    covered |= {_check(schema, url, editor.get(url)) for url in flag_tour}
    edition = ingest_fetched(
        report_slug="mali", fetched=Fetched(render().encode(), "e.txt"), trigger="test"
    )["edition"]
    make_place("Ouatagouna", "Mali", latitude=15.18, longitude=0.72)
    settings.LEDGER_SOURCE_ROOTS = ["/srv"]
    source_register(report_slug="mali", kind="file", location="/srv/mali.txt", every_minutes=60)
    ingestion_tour = [
        "/api/v1/reports/",
        "/api/v1/reports/mali/",
        "/api/v1/reports/nowhere/",
        "/api/v1/editions/",
        "/api/v1/editions/?report=mali&status=ingested",
        "/api/v1/editions/?status=burnt",
        f"/api/v1/editions/{edition}/",
        "/api/v1/editions/999999/",
        "/api/v1/places/",
        "/api/v1/places/?country=Mali&q=ouat",
        f"/api/v1/incidents/?as_of_edition={edition}",
        f"/api/v1/incidents/?as_of_edition={edition + 1}",
        f"/api/v1/incidents/{incident}/?as_of_edition={edition}",
        "/api/v1/sources/",  # a viewer is refused: 403, as documented
    ]
    covered |= {_check(schema, url, api.get(url)) for url in ingestion_tour}
    operator = client_for("operator")
    covered |= {_check(schema, url, operator.get(url)) for url in ("/api/v1/sources/",)}
    every_get = {
        item["get"]["operationId"]
        for path, item in schema["paths"].items()
        if "get" in item and not path.startswith("/api/v1/schema")
    }
    assert every_get <= covered, f"endpoints this test does not visit: {every_get - covered}"
