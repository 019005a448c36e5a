"""A place the report only uses as a reference ("north of Bamako") says so in the API."""

from __future__ import annotations

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
