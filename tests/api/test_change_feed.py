"""The change feed: a consumer that follows it from 0 holds exactly the list the API serves."""

from __future__ import annotations

from typing import Any

import pytest

from actors.seeding import seed_actor_id
from actors.services import actor_alias_add
from incidents.services import (
    claim_assert,
    claim_rank,
    incident_drop,
    incident_merge,
    incident_retract,
    incident_revise,
)
from tests.api.conftest import CAUSE, all_pages, make_incident
from tests.review.conftest import ingest

pytestmark = pytest.mark.django_db
FEED = "/api/v1/changes/"


def follow(api, after: int = 0, limit: int = 7) -> tuple[list[dict[str, Any]], int]:  # type: ignore[no-untyped-def]
    changes: list[dict[str, Any]] = []
    next_url: str | None = f"{FEED}?after={after}&limit={limit}"
    position = after
    while next_url:
        body = api.get(next_url).json()
        changes += body["results"]
        position, next_url = body["position"], body["next"]
    return changes, position


def apply(local: dict[str, dict], changes: list[dict[str, Any]]) -> None:
    """The fold: keep the latest state per incident, tombstones included."""
    for change in changes:
        if change["incident"] is not None:
            local[change["incident"]] = change["incident_state"]


def a_busy_day() -> None:
    a = make_incident(killed=3)
    b = make_incident(date_start="2024-06-01", killed=9)
    c = make_incident(date_start=None, date_precision="unknown")
    incident_revise(incident_id=a, changes={"text": "Revised."}, cause=CAUSE)
    claim = claim_assert(
        incident_id=b, property="killed", claimant="army", value_min=2, value_max=2, cause=CAUSE
    )
    claim_rank(claim_id=claim, rank="deprecated", reason="contradicted", cause=CAUSE)
    incident_drop(incident_id=c, cause=CAUSE)
    d = make_incident()
    incident_merge(loser_id=d, survivor_id=a, cause=CAUSE)
    e = make_incident()
    incident_retract(incident_id=e, reason="duplicate report", cause=CAUSE)
    actor_alias_add(actor_id=seed_actor_id("jnim"), alias="Nasr", cause=CAUSE)


def test_a_client_following_the_feed_from_zero_rebuilds_exactly_the_incident_list(api):
    local: dict[str, dict] = {}
    a_busy_day()
    changes, position = follow(api)
    apply(local, changes)
    served = {i["id"]: i for i in all_pages(api, "/api/v1/incidents/?include=all&page_size=3")}
    assert local == served
    # Then it polls from where it stopped and stays in sync.
    a_busy_day()
    more, _ = follow(api, after=position)
    apply(local, more)
    served = {item["id"]: item for item in all_pages(api, "/api/v1/incidents/?include=all")}
    assert local == served and len(served) == 10
    assert sum(1 for i in served.values() if i["status"] == "active") == 4


def test_tombstones_say_dropped_retracted_or_merged_and_name_the_survivor(api):
    _, start = follow(api)
    a_busy_day()
    changes, _ = follow(api, after=start)
    tombstones = {c["events"][-1]: c["tombstone"] for c in changes if c["tombstone"]}
    assert tombstones["IncidentDropped"] == {"status": "dropped", "merged_into": None}
    assert tombstones["IncidentRetracted"]["status"] == "retracted"
    merged = tombstones["IncidentMerged"]
    assert merged["status"] == "merged" and merged["merged_into"] is not None
    assert [c["actor"] for c in changes if c["events"] == ["ActorAliasAdded"]] == [
        str(seed_actor_id("jnim"))
    ]
    positions = [c["position"] for c in changes]
    assert positions == sorted(positions) and positions[0] > start


def test_the_feed_answers_304_until_a_new_event_arrives(api):
    _, position = follow(api)
    first = api.get(FEED, {"after": position})
    assert first.json()["results"] == [] and first.json()["next"] is None
    assert first.json()["position"] == position
    etag = first["ETag"]
    assert api.get(FEED, {"after": position}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_incident(killed=4)
    again = api.get(FEED, {"after": position}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and len(again.json()["results"]) == 2  # record, then claim


@pytest.mark.parametrize(
    "params", [{"after": -1}, {"after": "x"}, {"limit": 0}, {"limit": 5000}, {"after": 10**9}]
)
def test_bad_feed_parameters_answer_400(api, params):
    assert api.get(FEED, params).status_code == 400


def test_an_edition_gives_one_item_per_incident_not_one_per_claim_or_flag(api):
    _, start = follow(api)
    ingest()
    changes, _ = follow(api, after=start, limit=1000)
    incidents = [c for c in changes if c["incident"]]
    assert len(incidents) == len({c["incident"] for c in incidents}) >= 10
    assert all(c["events"][0] == "IncidentRecorded" for c in incidents)
    assert any("ClaimAsserted" in c["events"] for c in incidents)
    assert all("ReviewFlagRaised" in c["events"] for c in incidents)
    assert all(c["incident_state"]["review_state"] == "pending" for c in incidents)
