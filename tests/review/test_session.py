"""A whole review session through the API — merge, correct, lock and unlock, resolve a place,
record and correct a place, accept keeping an editor's value, reject — across later editions,
after which a replay of the log rebuilds exactly the rows the session left."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command

from incidents.models import Claim, Incident, ReviewFlag
from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from tests.pipeline.editions import ENTRIES
from tests.review.conftest import duplicate_flags, incident_with, ingest, open_flags
from tests.review.duplicates import FIRST_TELLING, SECOND_TELLING, with_pair
from tests.review.test_keep_editor_value import MARKET, RESPELLED

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_778926942f83a8bb.txt"


def _ok(response, status: int = 200):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    return response.json()


def test_a_whole_review_session_replays_to_the_rows_it_left(editor_api):
    first = [*with_pair()[:2], MARKET, *with_pair()[2:]]
    ingest(first)
    [pair] = duplicate_flags()
    survivor, merged = pair.detail["incidents"]
    _ok(editor_api.post(f"/api/v1/flags/{pair.id}/merge/", {"survivor": survivor}, format="json"))
    tessalit, kati, market = (
        incident_with(t) for t in ("Tessalit", "gendarmerie post", "weekly market")
    )
    _ok(
        editor_api.post(
            f"/api/v1/incidents/{tessalit.id}/correct/",
            {
                "field": "date",
                "value": {"date_start": "2024-06-20", "date_precision": "day"},
                "reason": "Local press dates it a day earlier.",
            },
            format="json",
        )
    )
    lock = {"field": "text", "reason": "Wording checked."}
    _ok(editor_api.post(f"/api/v1/incidents/{kati.id}/lock/", lock, format="json"))
    _ok(editor_api.post(f"/api/v1/incidents/{kati.id}/unlock/", lock, format="json"))
    _ok(
        editor_api.post(
            f"/api/v1/incidents/{market.id}/resolve-place/",
            {"place": "Mourdiah", "latitude": 14.35, "longitude": -7.47, "reason": "Map."},
            format="json",
        )
    )
    place = _ok(
        editor_api.post(
            "/api/v1/places/",
            {
                "name": "Mourdiah",
                "country": "Mali",
                "latitude": 14.4,
                "longitude": -7.5,
                "reason": "Village missing from the gazetteer.",
            },
            format="json",
        ),
        201,
    )
    _ok(
        editor_api.patch(
            f"/api/v1/places/{place['id']}/",
            {"alternate_names": ["Mourdia"], "reason": "Spelled so in some editions."},
            format="json",
        )
    )

    revised = [
        *ENTRIES[:2],
        RESPELLED,
        *with_pair(
            replace(FIRST_TELLING, body=FIRST_TELLING.body.replace("38", "40")),
            replace(SECOND_TELLING, body=SECOND_TELLING.body.replace("25", "26")),
        )[2:],
    ]
    ingest(revised, width=76)
    [respelled] = open_flags(market, kind="revised", field="locations")
    _ok(editor_api.post(f"/api/v1/flags/{respelled.id}/accept/", {}, format="json"))
    [toll] = open_flags(Incident.objects.get(id=survivor), kind="revised", field="killed")
    _ok(
        editor_api.post(
            f"/api/v1/flags/{toll.id}/reject/",
            {"reason": "Still 38 by every count."},
            format="json",
        )
    )
    ingest(revised, width=90)

    assert duplicate_flags() == [ReviewFlag.objects.get(id=pair.id)]
    shown = _ok(editor_api.get(f"/api/v1/incidents/{market.id}/"))
    assert shown["places"][0]["name"] == "Mourdia" and shown["places"][0]["latitude"] == 14.35
    assert (
        _ok(editor_api.get(f"/api/v1/incidents/{survivor}/"))["casualties"]["killed"]["best"] == 38
    )
    assert Claim.objects.filter(incident_id=survivor, merged_from=merged).exists()
    call_command("rebuild_projections", "--verify", "--no-progress")


def test_the_seeds_boulikessi_pair_merged_stays_merged_in_later_editions(editor_api):
    if not SEED.exists():
        pytest.skip(f"the seed edition is not here: {SEED}")
    raw = SEED.read_bytes()
    _ingest_bytes(raw)
    [pair] = [
        f
        for f in duplicate_flags()
        if {Incident.objects.get(id=i).killed_best for i in f.detail["incidents"]} == {38, 25}
    ]
    by_toll = {Incident.objects.get(id=i).killed_best: i for i in pair.detail["incidents"]}
    _ok(
        editor_api.post(
            f"/api/v1/flags/{pair.id}/merge/",
            {"survivor": by_toll[38], "reason": "Boulikessi and Mondoro: one attack."},
            format="json",
        )
    )

    # The same text with other bytes (trailing spaces), then the pair's tolls revised.
    _ingest_bytes(b"\n".join(line + b"  " if line else line for line in raw.split(b"\n")))
    _ingest_bytes(_pair_revised(raw))

    assert [f.id for f in duplicate_flags()] == [pair.id]
    survivor = Incident.objects.get(id=by_toll[38])
    figures = {(c.value_min, c.merged_from) for c in Claim.objects.filter(incident=survivor)}
    assert (25, uuid.UUID(by_toll[25])) in figures
    assert Incident.objects.get(id=by_toll[25]).status == "merged"
    assert open_flags(Incident.objects.get(id=by_toll[25]), kind="new_incident") == []
    call_command("rebuild_projections", "--verify", "--no-progress")


def _ingest_bytes(data: bytes) -> dict:
    summary = ingest_fetched(
        report_slug="mali",
        fetched=Fetched(data, f"seed-{uuid.uuid4().hex[:6]}.txt"),
        trigger="test",
    )
    assert summary["status"] == "ingested", summary
    return summary


def _pair_revised(raw: bytes) -> bytes:
    """The seed with the Boulikessi pair's tolls raised (figures only; our edit, not the
    report's)."""
    lines = raw.split(b"\n")
    for n, line in enumerate(lines):
        if b"Boulikessi" in line and b"at least 38" in line:
            lines[n] = line.replace(b"at least 38", b"at least 41")
        elif b"Boulikessi" in line and b"at least 25" in line:
            lines[n] = line.replace(b"at least 25", b"at least 27")
    assert lines != raw.split(b"\n")
    return b"\n".join(lines)
