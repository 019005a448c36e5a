"""A place the report only uses as a reference ("north of Bamako") says so in the API."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.conftest import make_incident, place

pytestmark = pytest.mark.django_db


def test_a_reference_place_shows_its_relation_and_is_not_the_exact_location(api):
    incident = make_incident(
        places=[
            place("Mourdiah", None, None, precision="unresolved", country=None),
            place("Bamako", 12.65, -8.0, admin1="Bamako", precision="near", relation="north of"),
        ]
    )
    places = api.get(f"/api/v1/incidents/{incident}/").json()["places"]
    assert [(p["name"], p["precision"], p["relation"]) for p in places] == [
        ("Mourdiah", "unresolved", None),
        ("Bamako", "near", "north of"),
    ]


def test_the_csv_takes_an_incidents_own_place_first_and_marks_a_reference_one(api):
    make_incident(
        places=[
            place("Mourdiah", None, None, precision="unresolved", country=None),
            place("Bamako", 12.65, -8.0, admin1="Bamako", precision="near", relation="north of"),
        ]
    )
    make_incident(
        places=[
            place("Bamako", 12.65, -8.0, admin1="Bamako", precision="near", relation="near"),
            place("Kati", 12.74, -8.07, admin1="Koulikoro", precision="exact"),
        ]
    )
    response = api.get("/api/v1/incidents/export.csv")
    body = b"".join(response.streaming_content).decode()
    rows = {r["place"]: r for r in csv.DictReader(io.StringIO(body))}
    assert (rows["Bamako"]["geo_precision"], rows["Bamako"]["place_relation"]) == (
        "near",
        "north of",
    )
    assert (rows["Kati"]["geo_precision"], rows["Kati"]["place_relation"]) == ("exact", "")
