"""Incident and claim use cases: what they record, and what they refuse."""

from __future__ import annotations

import pytest

from incidents.models import Claim, Incident, IncidentPerpetrator
from incidents.services import (
    IncidentCommandError,
    IncidentFields,
    claim_assert,
    claim_rank,
    incident_drop,
    incident_merge,
    incident_record,
    incident_retract,
    incident_revise,
)
from incidents.state import Estimate, estimate_from_claims
from ledger import store
from ledger.models import StoredEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(cause):
    return incident_record(
        report="mali",
        cause=cause,
        edition_id=1,
        fields=IncidentFields(
            date_start="2024-05-02",
            date_precision="day",
            country="Mali",
            text="Gunmen attacked a market.",
            perpetrators=[{"actor_id": None, "name": "JNIM", "status": "suspected"}],
        ),
    )


def test_recording_an_incident_projects_its_row_in_the_same_transaction(incident):
    row = Incident.objects.get(id=incident)
    assert (row.country, str(row.date_start), row.status, row.first_edition_id) == (
        "Mali",
        "2024-05-02",
        "active",
        1,
    )
    assert list(IncidentPerpetrator.objects.filter(incident=row).values_list("name", "status")) == [
        ("JNIM", "suspected")
    ]


def test_revising_only_unchanged_values_writes_nothing(incident, cause):
    count = StoredEvent.objects.count()
    assert incident_revise(incident_id=incident, changes={"country": "Mali"}, cause=cause) is None
    assert StoredEvent.objects.count() == count


def test_revising_an_unknown_field_is_refused(incident, cause):
    with pytest.raises(IncidentCommandError, match="Not incident fields: status"):
        incident_revise(incident_id=incident, changes={"status": "retracted"}, cause=cause)


def test_a_dropped_incident_is_kept_and_marked_not_deleted(incident, cause):
    incident_drop(incident_id=incident, cause=cause, edition_id=2)
    assert Incident.objects.get(id=incident).status == "dropped"
    assert incident_drop(incident_id=incident, cause=cause) is None  # already dropped: nothing new


def test_a_merged_incident_is_a_tombstone_naming_the_survivor(incident, cause):
    other = incident_record(
        report="mali", cause=cause, fields=IncidentFields(text="The same attack.")
    )
    incident_merge(loser_id=other, survivor_id=incident, cause=cause)
    row = Incident.objects.get(id=other)
    assert (row.status, row.merged_into) == ("merged", incident)
    with pytest.raises(IncidentCommandError, match="merged"):
        incident_revise(incident_id=other, changes={"text": "x"}, cause=cause)


def test_retracting_needs_a_reason_and_records_who(incident, cause):
    with pytest.raises(IncidentCommandError, match="reason"):
        incident_retract(incident_id=incident, reason="  ", cause=cause)
    incident_retract(incident_id=incident, reason="Not an attack", cause=cause)
    last = store.read_stream(incident)[-1]
    assert last.metadata["who"] == "user:tester" and last.event.reason == "Not an attack"


def test_competing_claims_live_side_by_side_and_give_low_best_high(incident, cause):
    claim_assert(
        incident_id=incident,
        property="killed",
        claimant="separatist group",
        value_min=97,
        value_max=97,
        cause=cause,
    )
    army = claim_assert(
        incident_id=incident,
        property="killed",
        claimant="army",
        value_min=10,
        value_max=10,
        cause=cause,
    )
    row = Incident.objects.get(id=incident)
    assert (row.killed_low, row.killed_best, row.killed_high) == (10, 10, 97)
    assert Claim.objects.filter(incident=row).count() == 2
    claim_rank(claim_id=army, rank="deprecated", reason="Contradicted by the U.N.", cause=cause)
    row.refresh_from_db()
    assert (row.killed_low, row.killed_best, row.killed_high) == (97, 97, 97)


def test_an_editors_preferred_claim_decides_the_best_figure():
    claims = [
        {"claimant": "report", "value_min": 20, "value_max": 20, "rank": "normal"},
        {"claimant": "army", "value_min": 12, "value_max": 12, "rank": "preferred"},
        {"claimant": "ngo", "value_min": 30, "value_max": 40, "rank": "normal"},
    ]
    estimate = estimate_from_claims(claims)
    assert (estimate.low, estimate.best, estimate.high) == (12, 12, 40)
    claims[1]["rank"] = "normal"
    assert estimate_from_claims(claims).best == 20  # the report's own figure


def test_a_claim_with_min_above_max_or_a_negative_figure_is_refused(incident, cause):
    with pytest.raises(IncidentCommandError, match="above"):
        claim_assert(
            incident_id=incident,
            property="killed",
            claimant="x",
            value_min=5,
            value_max=2,
            cause=cause,
        )
    with pytest.raises(IncidentCommandError, match="negative"):
        claim_assert(
            incident_id=incident, property="killed", claimant="x", value_min=-1, cause=cause
        )
    with pytest.raises(IncidentCommandError, match="Claims are about"):
        claim_assert(incident_id=incident, property="mood", claimant="x", cause=cause)


def test_the_best_figure_does_not_depend_on_the_order_claims_are_stored_in():
    claims = [
        {"claimant": "report", "value_min": 27, "value_max": 54, "rank": "normal", "position": 7},
        {"claimant": "report", "value_min": 7, "value_max": 60, "rank": "normal", "position": 9},
    ]
    assert estimate_from_claims(claims).best == estimate_from_claims(claims[::-1]).best == 33


def test_open_bounds_stay_open_in_low_and_high():
    at_least = {"claimant": "report", "value_min": 26, "value_max": None, "qualifier": "at_least"}
    up_to = {"claimant": "report", "value_min": None, "value_max": 100, "qualifier": "up_to"}
    around = {
        "claimant": "report",
        "value_min": 400,
        "value_max": 400,
        "qualifier": "approximately",
    }
    army = {"claimant": "army", "value_min": 30, "value_max": 30, "qualifier": "exact"}
    assert estimate_from_claims([at_least]) == Estimate(low=26, best=26, high=None)
    assert estimate_from_claims([up_to]) == Estimate(low=None, best=100, high=100)
    assert estimate_from_claims([around]) == Estimate(low=400, best=400, high=400)
    # another party's exact figure does not close the report's open bound
    assert estimate_from_claims([at_least, army]) == Estimate(low=26, best=26, high=None)
