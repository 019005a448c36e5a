"""Place edits are events with who and why, through the place services (API and Python alike);
replay rebuilds the place table; the parser knows a recorded place at the next ingestion."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from actors.models import Place
from actors.projection import PlaceProjection
from actors.services import NotAPlaceEditor, PlaceCommandError, place_correct, place_record
from ledger import store
from ledger.projection import rebuild
from tests.pipeline.editions import ENTRIES, Item
from tests.review.conftest import incident_with, ingest
from tests.review.test_keep_editor_value import MARKET

pytestmark = pytest.mark.django_db

GRANARIES = Item(
    "August 20, 2024", "Gunmen set fire to the granaries of Mourdia, killing 3 farmers."
)


def test_recording_and_correcting_a_place_are_events_saying_who_and_why(editor):
    place_id = place_record(
        name="Mourdiah",
        country="Mali",
        admin1="Koulikoro",
        latitude=14.47,
        longitude=-7.48,
        editor=editor,
        reason="Village missing from the gazetteer.",
    )
    place_correct(place_id=place_id, editor=editor, reason="Survey map.", latitude=14.35)

    recorded, corrected = store.read_stream(place_id)
    assert type(recorded.event).__name__ == "PlaceRecorded"
    assert recorded.metadata == {"who": "user:erin", "why": "Village missing from the gazetteer."}
    assert type(corrected.event).__name__ == "PlaceCorrected"
    assert corrected.event.changes == {"latitude": 14.35}  # type: ignore[attr-defined]
    assert corrected.metadata == {"who": "user:erin", "why": "Survey map."}
    place = Place.objects.get(id=place_id)
    assert (place.latitude, place.longitude, place.updated_by, place.reason) == (
        14.35,
        -7.48,
        "erin",
        "Survey map.",
    )
    assert place_correct(place_id=place_id, editor=editor, reason="again", latitude=14.35) is None


def test_replay_rebuilds_the_place_table_row_for_row(editor):
    first = place_record(name="Mourdiah", country="Mali", editor=editor, reason="Missing.")
    place_record(
        name="Tera",
        country="Niger",
        latitude=14.0,
        longitude=0.75,
        editor=editor,
        reason="Border town.",
    )
    place_correct(place_id=first, editor=editor, reason="Spelling.", alternate_names=["Mourdia"])
    before = list(Place.objects.order_by("name").values())

    rebuild([PlaceProjection()])

    assert list(Place.objects.order_by("name").values()) == before
    call_command("rebuild_projections", "--verify", "--no-progress")


def test_a_recorded_place_locates_the_next_editions_entries(editor):
    ingest([*ENTRIES[:2], MARKET, *ENTRIES[2:]])
    assert incident_with("weekly market").places[0]["precision"] == "unresolved"
    place_record(
        name="Mourdiah",
        country="Mali",
        latitude=14.47,
        longitude=-7.48,
        alternate_names=["Mourdia"],
        editor=editor,
        reason="Map.",
    )

    ingest([*ENTRIES[:2], GRANARIES, MARKET, *ENTRIES[2:]])

    place = incident_with("granaries of Mourdia").places[0]
    assert (place["lat"], place["lon"], place["country"]) == (14.47, -7.48, "Mali")


def test_only_editors_edit_places(viewer, editor):
    with pytest.raises(NotAPlaceEditor):
        place_record(name="Tera", country="Niger", editor=viewer, reason="x")
    with pytest.raises(PlaceCommandError, match=r"^reason:"):
        place_record(name="Tera", country="Niger", editor=editor, reason=" ")
    with pytest.raises(PlaceCommandError, match=r"^latitude: between -90 and 90"):
        place_record(
            name="Tera", country="Niger", latitude=95, longitude=1, editor=editor, reason="x"
        )
    with pytest.raises(PlaceCommandError, match=r"^latitude: give both"):
        place_record(name="Tera", country="Niger", latitude=14, editor=editor, reason="x")
    place_record(name="Tera", country="Niger", editor=editor, reason="x")
    with pytest.raises(PlaceCommandError, match="recorded already"):
        place_record(name="tera", country="niger", editor=editor, reason="x")
    assert Place.objects.count() == 1


def test_place_edits_over_the_api_name_the_wrong_field_once(editor_api):
    created = editor_api.post(
        "/api/v1/places/",
        {"name": "Tera", "country": "Niger", "reason": "Border town."},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/places/{created.json()['id']}/"

    bad_number = editor_api.patch(url, {"latitude": "north", "reason": "x"}, format="json")
    half = editor_api.patch(url, {"latitude": 14.0, "reason": "x"}, format="json")
    no_reason = editor_api.patch(url, {"admin1": "Tillaberi"}, format="json")
    fixed = editor_api.patch(
        url, {"latitude": 14.0, "longitude": 0.75, "reason": "Survey."}, format="json"
    )

    assert bad_number.status_code == half.status_code == no_reason.status_code == 400
    assert list(bad_number.json()["errors"]) == ["latitude"]
    assert half.json()["errors"] == {"latitude": ["give both latitude and longitude, or neither."]}
    assert list(no_reason.json()["errors"]) == ["reason"]
    assert fixed.status_code == 200 and fixed.json()["updated_by"] == "erin"
    assert (
        editor_api.patch(
            "/api/v1/places/00000000-0000-0000-0000-000000000000/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
