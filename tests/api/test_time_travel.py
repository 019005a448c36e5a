"""Time travel over HTTP: a list or an incident as of any point equals what was served then."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incidents.services import (
    claim_assert,
    claim_rank,
    incident_drop,
    incident_merge,
    incident_retract,
    incident_revise,
)
from ledger import store
from ledger.models import StoredEvent
from tests.api.conftest import CAUSE, all_pages, make_incident

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"
QUERIES = ("", "?killed_min=5", "?include_dropped=true&page_size=2", "?date_from=2024-05-01")


def test_the_list_as_of_each_point_of_a_sequence_equals_the_list_captured_then(api):
    captured: dict[int, dict[str, list]] = {}

    def capture() -> None:
        captured[store.last_position()] = {q: all_pages(api, URL + q) for q in QUERIES}

    capture()
    a = make_incident(killed=3)
    capture()
    b = make_incident(date_start="2024-06-01", killed=9)
    capture()
    incident_revise(incident_id=a, changes={"text": "Revised wording."}, cause=CAUSE)
    claim = claim_assert(
        incident_id=b, property="killed", claimant="army", value_min=2, value_max=2, cause=CAUSE
    )
    capture()
    claim_rank(claim_id=claim, rank="preferred", reason="confirmed", cause=CAUSE)
    capture()
    incident_drop(incident_id=a, cause=CAUSE, edition_id=2)
    capture()
    c = make_incident(date_start="2023-02-01", date_precision="month")
    incident_merge(loser_id=c, survivor_id=b, cause=CAUSE)
    capture()
    incident_retract(incident_id=b, reason="not an attack", cause=CAUSE)
    capture()

    for position, lists in captured.items():
        for query, items in lists.items():
            sep = "&" if query else "?"
            then = all_pages(api, f"{URL}{query}{sep}as_of_position={position}")
            assert then == items, (position, query)


def test_as_of_a_moment_answers_as_of_the_last_event_recorded_by_then(api):
    a = make_incident(text="Before.")
    moment = StoredEvent.objects.get(position=store.last_position()).recorded_at
    incident_revise(incident_id=a, changes={"text": "After."}, cause=CAUSE)
    then = api.get(f"{URL}{a}/", {"as_of": moment.isoformat()}).json()
    assert then["text"] == "Before."
    assert api.get(f"{URL}{a}/").json()["text"] == "After."
    earlier = (moment - timedelta(days=3650)).isoformat()
    assert api.get(f"{URL}{a}/", {"as_of": earlier}).status_code == 404
    listed = api.get(URL, {"as_of": moment.isoformat(), "q": "Before"}).json()["results"]
    assert [i["id"] for i in listed] == [str(a)]


def test_history_lists_the_incidents_and_its_claims_events_with_who_why_and_edition(api):
    a = make_incident(killed=4)
    incident_revise(incident_id=a, changes={"country": "Niger"}, cause=CAUSE, edition_id=2)
    history = api.get(f"{URL}{a}/history/").json()["results"]
    assert [e["type"] for e in history] == ["IncidentRecorded", "ClaimAsserted", "IncidentRevised"]
    assert [e["position"] for e in history] == sorted(e["position"] for e in history)
    assert {(e["who"], e["why"], e["edition_id"]) for e in history} == {
        ("user:api-tester", "api test", 1)
    }
    assert history[-1]["data"]["changes"] == {"country": "Niger"}
    assert api.get(f"{URL}00000000-0000-0000-0000-000000000000/history/").status_code == 404


def test_every_filter_selects_the_same_incidents_from_revisions_as_from_the_live_tables(api):
    from actors.seeding import seed_actor_id
    from tests.api.conftest import place

    jnim = [{"actor_id": str(seed_actor_id("jnim")), "name": "GSIM", "status": "claimed"}]
    make_incident(killed=40, perpetrators=jnim, places=[place("Gao", 16.3, -0.04, admin1="Gao")])
    make_incident(date_start="2024-04-01", date_precision="month", targets=["soldiers"])
    make_incident(
        date_start=None, date_precision="unknown", sources=["AFP"], event_type="ied_or_landmine"
    )
    make_incident(perpetrators=[{"actor_id": None, "name": "AQIM", "status": "suspected"}])
    dropped = make_incident(killed=2, places=[place("Mopti", 14.5, -4.2, admin1="Mopti")])
    incident_drop(incident_id=dropped, cause=CAUSE)
    queries = [
        "date_from=2024-04-15&date_to=2024-04-20",
        "actor=JNIM&include_related=predecessors",
        "attribution=suspected",
        "bbox=-1,16,1,17",
        "admin1=mopti&include_dropped=true",
        "place=GAO",
        "killed_min=10",
        "killed_max=10&include_dropped=true",
        "target=SOLD",
        "source=afp",
        "event_type=IED_or_landmine",
        "q=market&ordering=-killed&page_size=2",
        "country=mali&edition=1&ordering=updated",
    ]
    position = store.last_position()
    for query in queries:
        now = all_pages(api, f"{URL}?{query}")
        assert now, query
        assert all_pages(api, f"{URL}?{query}&as_of_position={position}") == now, query
