"""The editors' place table in the admin: places are recorded and corrected through forms that
call the place services (who and why recorded, replay reproduces the table), refusals are said
next to the field they are about, and viewers only read."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actors.models import Place
from actors.services import place_record
from ledger.models import StoredEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _form(**changes: object) -> dict[str, object]:
    return {
        "name": "Ndiaki",
        "country": "Mali",
        "admin1": "Mopti",
        "latitude": "14.71",
        "longitude": "-3.12",
        "alternate_names": "Ndiakki\nNdiaky",
        "reason": "A village the gazetteer lacks; located from the district's list.",
        **changes,
    }


def test_an_editor_records_a_place_from_the_add_page_as_an_event_with_who_and_why(editor):
    client = _client(editor)
    listing = client.get(reverse("admin:actors_place_changelist"))
    assert reverse("admin:actors_place_add") in listing.content.decode()
    response = client.post(reverse("admin:actors_place_add"), _form())
    place = Place.objects.get(name="Ndiaki")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:actors_place_change", args=[place.id])
    assert (place.country, place.admin1, place.latitude, place.longitude) == (
        "Mali",
        "Mopti",
        14.71,
        -3.12,
    )
    assert place.alternate_names == ["Ndiakki", "Ndiaky"]
    assert place.updated_by == "erin" and place.reason.startswith("A village")
    assert StoredEvent.objects.filter(stream_id=place.id, type="PlaceRecorded").count() == 1
    call_command("rebuild_projections", "--verify", "--no-progress")


def test_correcting_a_place_records_only_what_changed_and_says_when_nothing_did(editor):
    place_id = place_record(
        name="Ndiaki", country="Mali", admin1="Mopti", editor=editor, reason="first"
    )
    client = _client(editor)
    url = reverse("admin:actors_place_correct", args=[place_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Mopti"' in page.content.decode()  # pre-filled from the table
    detail = client.get(reverse("admin:actors_place_change", args=[place_id])).content.decode()
    assert url in detail  # the read-only page leads to the correction form

    moved = client.post(url, _form(alternate_names="", reason="Moved to the district seat."))
    assert moved.status_code == 302
    place = Place.objects.get(id=place_id)
    assert (place.latitude, place.longitude, place.reason) == (
        14.71,
        -3.12,
        "Moved to the district seat.",
    )
    same = client.post(url, _form(alternate_names="", reason="Again."))
    assert same.status_code == 200
    assert "Nothing differs" in same.content.decode()
    assert StoredEvent.objects.filter(stream_id=place_id).count() == 2
    call_command("rebuild_projections", "--verify", "--no-progress")


def test_a_refused_place_is_said_once_next_to_its_field_and_nothing_is_recorded(editor):
    place_record(name="Ndiaki", country="Mali", editor=editor, reason="first")
    client = _client(editor)
    twice = client.post(reverse("admin:actors_place_add"), _form())
    body = twice.content.decode()
    assert twice.status_code == 200
    assert body.count("is recorded already") == 1
    half = client.post(reverse("admin:actors_place_add"), _form(name="Kona", longitude=""))
    assert half.content.decode().count("give both latitude and longitude") == 1
    no_reason = client.post(reverse("admin:actors_place_add"), _form(name="Kona", reason=""))
    assert no_reason.status_code == 200
    assert Place.objects.count() == 1


def test_viewers_read_places_but_neither_record_nor_correct_them(editor, viewer):
    place_id = place_record(name="Ndiaki", country="Mali", editor=editor, reason="first")
    client = _client(viewer)
    assert client.get(reverse("admin:actors_place_changelist")).status_code == 200
    assert client.post(reverse("admin:actors_place_add"), _form()).status_code == 403
    correct = reverse("admin:actors_place_correct", args=[place_id])
    assert client.post(correct, _form(reason="no")).status_code == 403
    delete = reverse("admin:actors_place_delete", args=[place_id])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Place.objects.get(id=place_id).latitude is None
