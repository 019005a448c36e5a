"""Every state is listable: a merged incident is a tombstone naming its survivor, and the
survivor's history shows the merge and the claims it took over."""

from __future__ import annotations

import pytest

from incidents.review.merge import incident_merge_into
from ledger import store
from tests.api.conftest import all_pages, make_incident
from tests.review.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"


def _merged_pair(before_merge: list[int] | None = None) -> tuple[str, str]:
    survivor = make_incident(killed=5, text="Gunmen attacked a market in Kati.")
    loser = make_incident(killed=7, claims=(("army", 4),), text="A market attack near Kati.")
    editor = make_user("editor")
    if before_merge is not None:
        before_merge.append(store.last_position())
    incident_merge_into(loser_id=loser, survivor_id=survivor, editor=editor, reason="Same attack.")
    return str(survivor), str(loser)


def test_a_merged_incident_is_listed_with_include_all_and_names_its_survivor(api):
    survivor, loser = _merged_pair()
    curated = {i["id"] for i in all_pages(api, URL)}
    assert curated == {survivor}
    listed = {i["id"]: i for i in all_pages(api, f"{URL}?include=all")}
    assert listed[loser]["status"] == "merged"
    assert listed[loser]["merged_into"] == survivor
    assert api.get(f"{URL}{loser}/").json()["merged_into"] == survivor


def test_the_survivors_history_shows_the_merge_and_the_claims_it_took_over(api):
    survivor, loser = _merged_pair()
    events = api.get(f"{URL}{survivor}/history/").json()["results"]
    absorbed = [e for e in events if e["type"] == "IncidentAbsorbed"]
    assert [e["data"]["merged_id"] for e in absorbed] == [loser]
    taken_over = [
        (e["data"]["claimant"], e["data"]["value_min"])
        for e in events
        if e["type"] == "ClaimAsserted" and e["data"].get("merged_from") == loser
    ]
    assert sorted(taken_over) == [("army", 4), ("report", 7)]
    assert all(e["why"] == "Same attack." for e in absorbed)
    loser_events = api.get(f"{URL}{loser}/history/").json()["results"]
    assert [e["data"]["into"] for e in loser_events if e["type"] == "IncidentMerged"] == [survivor]
    claims = api.get(f"{URL}{survivor}/").json()["claims"]
    assert len(claims) == 3  # its own figure and the two it took over


def test_the_feed_carries_both_sides_of_a_merge_in_one_append(api):
    marks: list[int] = []
    survivor, loser = _merged_pair(marks)
    body = api.get("/api/v1/changes/", {"after": marks[0]}).json()
    by_incident = {c["incident"]: c for c in body["results"] if c["incident"]}
    assert len(body["results"]) == 2 and body["position"] == store.last_position()
    assert by_incident[loser]["incident_state"]["merged_into"] == survivor
    assert by_incident[loser]["tombstone"] == {"status": "merged", "merged_into": survivor}
    assert by_incident[survivor]["events"][0] == "IncidentAbsorbed"
    assert len(by_incident[survivor]["incident_state"]["claims"]) == 3
