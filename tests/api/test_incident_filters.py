"""Filters of issue 11 on the incident list: every status listable, incremental pulls, closed
vocabularies and positions refused with a 400, and time travel through the same filters."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incidents.selectors import EVENT_TYPES
from incidents.services import incident_drop, incident_merge, incident_retract, incident_revise
from ledger import store
from ledger.models import StoredEvent
from tests.api.conftest import CAUSE, make_incident

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"


def ids(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_status_lists_each_state_and_include_all_lists_every_one_the_default_unchanged(api):
    kept, dropped, merged, retracted = (make_incident() for _ in range(4))
    incident_drop(incident_id=dropped, cause=CAUSE)
    incident_merge(loser_id=merged, survivor_id=kept, cause=CAUSE)
    incident_retract(incident_id=retracted, reason="not an attack", cause=CAUSE)
    assert ids(api.get(URL)) == {str(kept)}
    assert ids(api.get(URL, {"status": "merged"})) == {str(merged)}
    assert ids(api.get(URL, {"status": "retracted,dropped"})) == {str(retracted), str(dropped)}
    every = {str(kept), str(dropped), str(merged), str(retracted)}
    assert ids(api.get(URL, {"include": "all"})) == every
    tombstone = next(
        i for i in api.get(URL, {"status": "merged"}).json()["results"] if i["id"] == str(merged)
    )
    assert tombstone["merged_into"] == str(kept)


def test_status_as_of_a_position_before_the_merge_finds_the_incident_active(api):
    kept, merged = make_incident(), make_incident()
    before = store.last_position()
    incident_merge(loser_id=merged, survivor_id=kept, cause=CAUSE)
    then = {"status": "active", "as_of_position": before}
    assert ids(api.get(URL, then)) == {str(kept), str(merged)}
    assert ids(api.get(URL, {"status": "merged", "as_of_position": before})) == set()


def test_since_position_and_updated_since_return_what_changed_after_them(api):
    old, changed = make_incident(), make_incident()
    mark = store.last_position()
    incident_revise(incident_id=changed, changes={"text": "Revised."}, cause=CAUSE)
    assert ids(api.get(URL, {"since_position": mark})) == {str(changed)}
    assert ids(api.get(URL, {"since_position": 0})) == {str(old), str(changed)}
    moment = StoredEvent.objects.get(position=store.last_position()).recorded_at
    assert ids(api.get(URL, {"updated_since": moment.isoformat()})) == {str(changed)}
    later = (moment + timedelta(seconds=1)).isoformat()
    assert ids(api.get(URL, {"updated_since": later})) == set()


def test_event_types_are_matched_in_any_case_from_the_closed_vocabulary(api):
    ambush = make_incident(event_type="ambush")
    make_incident(event_type="armed_attack")
    assert ids(api.get(URL, {"event_type": "AMBUSH"})) == {str(ambush)}
    assert "ambush" in EVENT_TYPES


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"event_type": "ambsh"}, "event_type"),
        ({"event_type": "ambush,attack"}, "event_type"),
        ({"status": "confirmed"}, "status"),
        ({"status": "merged", "include": "all"}, "status"),
        ({"include": "everything"}, "include"),
        ({"attribution": "rumoured"}, "attribution"),
        ({"since_position": 10**9}, "since_position"),
        ({"since_position": -1}, "since_position"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"as_of_position": 10**9}, "as_of_position"),
        ({"as_of_edition": 999}, "as_of_edition"),
        ({"edition": 0}, "edition"),
    ],
)
def test_unknown_values_and_out_of_range_positions_answer_400(api, params, bad):
    make_incident()
    response = api.get(URL, params)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][bad], response.json()


def test_the_event_type_vocabulary_is_what_the_parser_classifies_entries_as():
    from ingestion.parsing import events

    kinds = {kind for kind, _, _ in events._RULES} | {
        "massacre_of_civilians",
        "military_operation",
        "other",
    }
    assert kinds == set(EVENT_TYPES)
