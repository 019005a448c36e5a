"""Time travel: the state as of each position equals the state recorded right after it."""

from __future__ import annotations

import pytest

from incidents.selectors import incident_state_as_of, incident_states_as_of
from incidents.services import (
    IncidentFields,
    claim_assert,
    claim_rank,
    incident_drop,
    incident_record,
    incident_revise,
)
from ledger import store
from ledger.store import Cause

pytestmark = pytest.mark.django_db
CAUSE = Cause(who="user:tester")


def test_the_state_as_of_each_position_is_the_state_right_after_it():
    snapshots: dict[int, dict] = {}

    def snap(incident_id):
        position = store.last_position()
        snapshots[position] = incident_state_as_of(
            incident_id=incident_id, position=10**12
        ).to_json()

    before = store.last_position()
    a = incident_record(report="r", cause=CAUSE, fields=IncidentFields(text="first words"))
    snap(a)
    incident_revise(incident_id=a, changes={"text": "second words", "country": "Mali"}, cause=CAUSE)
    snap(a)
    claim = claim_assert(
        incident_id=a, property="killed", claimant="army", value_min=10, value_max=10, cause=CAUSE
    )
    snap(a)
    claim_rank(claim_id=claim, rank="preferred", reason="confirmed", cause=CAUSE)
    snap(a)
    incident_drop(incident_id=a, cause=CAUSE)
    snap(a)

    assert incident_state_as_of(incident_id=a, position=before) is None
    for position, expected in snapshots.items():
        assert incident_state_as_of(incident_id=a, position=position).to_json() == expected
    texts = [s["text"] for s in snapshots.values()]
    assert texts == ["first words", "second words", "second words", "second words", "second words"]
    assert [s["status"] for s in snapshots.values()][-1] == "dropped"


def test_the_list_as_of_a_position_holds_only_what_existed_then():
    a = incident_record(report="r", cause=CAUSE, fields=IncidentFields(text="a"))
    middle = store.last_position()
    b = incident_record(report="r", cause=CAUSE, fields=IncidentFields(text="b"))
    ids_then = {s.id for s in incident_states_as_of(position=middle)}
    ids_now = {s.id for s in incident_states_as_of(position=store.last_position())}
    assert str(a) in ids_then and str(b) not in ids_then
    assert {str(a), str(b)} <= ids_now
