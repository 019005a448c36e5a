"""Possible duplicates decided in one step over the API: merged (claims and sources kept, the
merged incident's flags closed) or "not the same", and never asked again in later editions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from incidents.models import Claim, Incident, ReviewFlag
from incidents.review.merge import duplicate_pair
from incidents.review.services import flag_raise
from ledger.store import Cause
from tests.review.conftest import duplicate_flags, ingest, open_flags
from tests.review.duplicates import FIRST_TELLING, SECOND_TELLING, with_pair

pytestmark = pytest.mark.django_db

REVISED_FIGURES = with_pair(
    replace(FIRST_TELLING, body=FIRST_TELLING.body.replace("38", "41")),
    replace(SECOND_TELLING, body=SECOND_TELLING.body.replace("25", "27")),
)


def _pair() -> tuple[ReviewFlag, Incident, Incident]:
    [flag] = duplicate_flags()
    first, second = (Incident.objects.get(id=i) for i in flag.detail["incidents"])
    return flag, first, second


def test_an_edition_with_one_incident_told_twice_raises_one_possible_duplicate(editor):
    ingest(with_pair())
    flag, first, second = _pair()
    assert (first.killed_best, second.killed_best) == (38, 25)
    assert flag.incident_id == first.id and flag.status == "open"
    pair = duplicate_pair(flag_id=flag.id)
    assert (pair.a.id, pair.b.id) == (str(first.id), str(second.id))
    assert pair.b.sources == ["Desert Dispatch", "Niger Valley Post"]


def test_merging_from_the_flag_keeps_the_merged_incidents_claims_and_sources(editor_api):
    ingest(with_pair())
    flag, survivor, merged = _pair()

    response = editor_api.post(
        f"/api/v1/flags/{flag.id}/merge/",
        {"survivor": str(survivor.id), "reason": "One attack, two tellings."},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "merged" and body["decided_by"] == "erin"
    assert body["reason"] == "One attack, two tellings."
    assert body["detail"]["outcome"] == {"merged": str(merged.id), "into": str(survivor.id)}
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.status == "merged" and merged.merged_into == survivor.id
    claims = {
        (c.claimant, c.value_min, c.merged_from) for c in Claim.objects.filter(incident=survivor)
    }
    assert claims == {("report", 38, None), ("report", 25, merged.id)}
    # The survivor's own figure still decides; the merged telling's figure widens the range.
    assert (survivor.killed_low, survivor.killed_best, survivor.killed_high) == (25, 38, 38)
    assert survivor.sources == ["Sahel Wire", "Desert Dispatch", "Niger Valley Post"]
    shown = editor_api.get(f"/api/v1/incidents/{survivor.id}/").json()
    assert shown["sources"] == survivor.sources


def test_merging_closes_the_merged_incidents_open_flags(editor_api):
    ingest(with_pair())
    flag, survivor, merged = _pair()
    assert {f.kind for f in open_flags(merged)} == {"new_incident", "unresolved_place"}

    editor_api.post(
        f"/api/v1/flags/{flag.id}/merge/", {"survivor": str(survivor.id)}, format="json"
    )

    assert open_flags(merged) == []
    closed = ReviewFlag.objects.filter(incident_id=merged.id, status="closed")
    assert {f.kind for f in closed} == {"new_incident", "unresolved_place"}
    assert all(f.decided_by == "erin" and str(survivor.id) in f.reason for f in closed)
    assert editor_api.get(f"/api/v1/incidents/{merged.id}/").json()["review_state"] == "reviewed"


def test_a_possible_duplicate_of_the_merged_incident_is_asked_again_of_the_survivor(
    editor, editor_api
):
    ingest(with_pair())
    flag, survivor, merged = _pair()
    third = Incident.objects.get(text__contains="Dioura")
    other = flag_raise(
        cause=Cause(who="system:test"),
        kind="possible_duplicate",
        report="mali",
        incident_id=merged.id,
        detail={"incidents": [str(merged.id), str(third.id)]},
    )

    editor_api.post(
        f"/api/v1/flags/{flag.id}/merge/", {"survivor": str(survivor.id)}, format="json"
    )

    old = ReviewFlag.objects.get(id=other)
    assert old.status == "closed"
    [asked] = duplicate_flags(status="open")
    assert asked.incident_id == survivor.id
    assert asked.detail["incidents"] == [str(survivor.id), str(third.id)]
    assert old.detail["outcome"]["superseded_by"] == str(asked.id)


def test_a_possible_duplicate_naming_the_merged_incident_second_is_asked_again_too(
    editor, editor_api
):
    ingest(with_pair())
    flag, survivor, merged = _pair()
    third = Incident.objects.get(text__contains="Dioura")
    other = flag_raise(
        cause=Cause(who="system:test"),
        kind="possible_duplicate",
        report="mali",
        incident_id=third.id,
        detail={"incidents": [str(third.id), str(merged.id)]},
    )

    editor_api.post(
        f"/api/v1/flags/{flag.id}/merge/", {"survivor": str(survivor.id)}, format="json"
    )

    assert ReviewFlag.objects.get(id=other).status == "closed"
    [asked] = duplicate_flags(status="open")
    assert asked.detail["incidents"] == [str(survivor.id), str(third.id)]


@pytest.mark.parametrize(
    "later", [{"width": 64}, {"entries": REVISED_FIGURES}], ids=["rewrapped", "revised_figures"]
)
def test_a_merged_pair_is_never_flagged_again(editor_api, later):
    ingest(with_pair())
    flag, _, merged = _pair()
    editor_api.post(f"/api/v1/flags/{flag.id}/merge/", {"survivor": str(merged.id)}, format="json")

    summary = ingest(**{"entries": with_pair(), **later})
    again = ingest(REVISED_FIGURES, width=72)

    assert summary["status"] == again["status"] == "ingested"
    assert "possible_duplicate" not in summary["flags"] | again["flags"]
    assert duplicate_flags() == [flag]


@pytest.mark.parametrize(
    "later", [{"width": 64}, {"entries": REVISED_FIGURES}], ids=["rewrapped", "revised_figures"]
)
def test_a_pair_said_not_the_same_is_never_flagged_again(editor_api, later):
    ingest(with_pair())
    flag, first, second = _pair()

    response = editor_api.post(
        f"/api/v1/flags/{flag.id}/not-duplicate/",
        {"reason": "Two attacks on the camp, a day apart."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "distinct"

    summary = ingest(**{"entries": with_pair(), **later})
    assert "possible_duplicate" not in summary["flags"]
    assert duplicate_flags() == [flag]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "active"


def test_an_undecided_or_accepted_pair_is_asked_once(editor_api):
    ingest(with_pair())
    ingest(with_pair(), width=70)
    [flag] = duplicate_flags()
    assert editor_api.post(f"/api/v1/flags/{flag.id}/accept/", {}, format="json").status_code == 200
    summary = ingest(REVISED_FIGURES)
    assert "possible_duplicate" not in summary["flags"]
    assert duplicate_flags() == [flag]


def test_merging_from_the_incident_page_decides_the_open_pair_flag(editor_api):
    ingest(with_pair())
    flag, first, second = _pair()

    response = editor_api.post(
        f"/api/v1/incidents/{second.id}/merge-into/",
        {"survivor": str(first.id), "reason": "Same attack."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(first.id)
    flag.refresh_from_db()
    assert flag.status == "merged" and flag.reason == "Same attack."
    assert Claim.objects.filter(incident=first, merged_from=second.id).count() == 1


def test_a_merge_names_what_is_wrong(editor_api):
    ingest(with_pair())
    flag, first, second = _pair()
    stranger = Incident.objects.get(text__contains="Dioura")
    url = f"/api/v1/flags/{flag.id}/merge/"

    outside = editor_api.post(url, {"survivor": str(stranger.id)}, format="json")
    missing = editor_api.post(url, {"reason": "no survivor"}, format="json")
    not_a_duplicate = editor_api.post(
        f"/api/v1/flags/{open_flags(stranger)[0].id}/merge/",
        {"survivor": str(stranger.id)},
        format="json",
    )
    unreasoned = editor_api.post(
        f"/api/v1/incidents/{second.id}/merge-into/", {"survivor": str(first.id)}, format="json"
    )

    assert (
        outside.status_code == 400 and "one of the flag's two incidents" in outside.json()["detail"]
    )
    assert missing.status_code == 400 and list(missing.json()["errors"]) == ["survivor"]
    assert (
        not_a_duplicate.status_code == 400
        and "possible duplicate" in not_a_duplicate.json()["detail"]
    )
    assert unreasoned.status_code == 400 and list(unreasoned.json()["errors"]) == ["reason"]
    assert duplicate_flags(status="open") == [flag]
    second.refresh_from_db()
    assert second.status == "active"


def test_a_merged_flag_cannot_be_merged_again(editor_api):
    ingest(with_pair())
    flag, first, second = _pair()
    url = f"/api/v1/flags/{flag.id}/merge/"
    assert editor_api.post(url, {"survivor": str(first.id)}, format="json").status_code == 200
    again = editor_api.post(url, {"survivor": str(second.id)}, format="json")
    assert again.status_code == 409 and "already merged" in again.json()["detail"]


def test_a_later_change_to_the_merged_entry_is_seen_without_touching_the_survivor(editor_api):
    ingest(with_pair())
    flag, survivor, merged = _pair()
    editor_api.post(
        f"/api/v1/flags/{flag.id}/merge/", {"survivor": str(survivor.id)}, format="json"
    )
    ingest(REVISED_FIGURES)
    [toll] = open_flags(merged, kind="revised", field="killed")

    preview = editor_api.get(f"/api/v1/flags/{toll.id}/preview/").json()
    accepted = editor_api.post(f"/api/v1/flags/{toll.id}/accept/", {}, format="json")

    assert f"merged into {survivor.id}" in preview["accept_does"]
    assert accepted.status_code == 200, accepted.content
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.status == "merged" and merged.killed_best == 25
    assert (survivor.killed_low, survivor.killed_best, survivor.killed_high) == (25, 41, 41)
