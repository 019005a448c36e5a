"""Actors, claims and exports as consumers read them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from actors.seeding import seed_actor_id
from incidents.models import Claim
from tests.api.conftest import all_pages, make_incident, place

pytestmark = pytest.mark.django_db


def test_an_actor_shows_its_aliases_and_relations_both_ways(api):
    jnim = api.get(f"/api/v1/actors/{seed_actor_id('jnim')}/").json()
    assert "GSIM" in jnim["aliases"]
    incoming = {
        (r["kind"], r["other"]["name"]) for r in jnim["relations"] if r["direction"] == "incoming"
    }
    assert ("merged_into", "al-Qaeda in the Islamic Maghreb") in incoming
    outgoing = [r for r in jnim["relations"] if r["direction"] == "outgoing"]
    assert any(r["kind"] == "affiliate_of" and r["since"] == "2017-03-01" for r in outgoing)


def test_actors_are_found_by_any_alias(api):
    found = api.get("/api/v1/actors/", {"q": "Group to Support Islam"}).json()["results"]
    assert [a["short_name"] for a in found] == ["JNIM"]
    assert api.get("/api/v1/actors/", {"kind": "pirate"}).status_code == 400
    assert len(all_pages(api, "/api/v1/actors/?page_size=10")) > 20


def test_claims_are_listed_per_incident_and_by_rank(api):
    incident = make_incident(killed=5, claims=(("army", 3),))
    make_incident(killed=1)
    claims = api.get("/api/v1/claims/", {"incident": str(incident)}).json()["results"]
    assert {c["claimant"] for c in claims} == {"report", "army"}
    one = Claim.objects.filter(incident_id=incident)[0]
    assert api.get(f"/api/v1/claims/{one.id}/").json()["incident"] == str(incident)
    assert api.get("/api/v1/claims/", {"rank": "best"}).status_code == 400


def _body(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_exports_stream_csv_acled_geojson_and_jsonl_of_the_filtered_list(api):
    located = make_incident(killed=7, places=[place("Gao", 16.27, -0.04, admin1="Gao")])
    make_incident(killed=1)
    rows = list(csv.DictReader(io.StringIO(_body(api.get("/api/v1/incidents/export.csv")))))
    assert len(rows) == 2 and {r["killed_best"] for r in rows} == {"7", "1"}
    acled = list(
        csv.DictReader(io.StringIO(_body(api.get("/api/v1/incidents/export.csv?layout=acled"))))
    )
    gao = next(r for r in acled if r["location"] == "Gao")
    assert (gao["event_id_cnty"], gao["fatalities"], gao["geo_precision"]) == (
        str(located),
        "7",
        "1",
    )
    geo = json.loads(_body(api.get("/api/v1/incidents/export.geojson?killed_min=5")))
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [-0.04, 16.27]}
    lines = _body(api.get("/api/v1/incidents/export.jsonl")).splitlines()
    assert {json.loads(line)["id"] for line in lines} == {
        i["id"] for i in all_pages(api, "/api/v1/incidents/")
    }


def test_an_export_with_a_bad_filter_answers_400_in_json(api):
    response = api.get("/api/v1/incidents/export.csv?killed_min=x")
    assert response.status_code == 400 and "killed_min" in response.json()["errors"]
