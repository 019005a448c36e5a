"""Accepting never silently undoes an editor: the preview says what would be lost, and the
editor chooses whether to keep their value. Places resolved abroad need a confirmation."""

from __future__ import annotations

import pytest

from incidents.models import Incident
from incidents.selectors import incident_get
from tests.pipeline.editions import ENTRIES, Item
from tests.review.conftest import incident_with, ingest, open_flags

pytestmark = pytest.mark.django_db

MARKET = Item(
    "July 3, 2024",
    "Gunmen attack the weekly market in Mourdiah, central Mali, killing 9 traders.",
)
RESPELLED = Item(
    "July 3, 2024",
    "Gunmen attack the weekly market in Mourdia, central Mali, killing 9 traders.",
)
REVISED_TOLL = Item(
    "July 3, 2024",
    "Gunmen attack the weekly market in Mourdiah, central Mali, killing 14 traders.",
)


def _edition(market: Item) -> list[Item]:
    return [*ENTRIES[:2], market, *ENTRIES[2:]]


def _resolve(api, incident: Incident, **extra):  # type: ignore[no-untyped-def]
    body = {
        "place": "Mourdiah",
        "latitude": 14.35,
        "longitude": -7.47,
        "reason": "Located on the survey map.",
    }
    return api.post(f"/api/v1/incidents/{incident.id}/resolve-place/", body | extra, format="json")


def _mourdiah_resolved_then_respelled(api):  # type: ignore[no-untyped-def]
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")
    response = _resolve(api, incident, admin1="Koulikoro")
    assert response.status_code == 200, response.content
    ingest(_edition(RESPELLED))
    [flag] = open_flags(incident, kind="revised", field="locations")
    assert flag.detail["held"] is True
    return incident, flag


def test_the_preview_says_which_coordinates_accepting_would_lose(editor_api):
    _, flag = _mourdiah_resolved_then_respelled(editor_api)

    preview = editor_api.get(f"/api/v1/flags/{flag.id}/preview/").json()

    assert preview["losses"] == [
        f"the editor's coordinates 14.35, -7.47 for Mourdiah (set by erin on "
        f"{flag.raised_at.date().isoformat()})"
    ]
    assert preview["can_keep_editor_value"] is True
    assert preview["held_fields"] == ["locations"]
    assert "held" in preview["accept_does"] and "(Mourdia, not located;" in preview["accept_does"]
    assert preview["why_raised"] and preview["reject_does"]


def test_accepting_a_respelling_keeps_the_editors_coordinates(editor_api):
    incident, flag = _mourdiah_resolved_then_respelled(editor_api)

    response = editor_api.post(f"/api/v1/flags/{flag.id}/accept/", {}, format="json")

    assert response.status_code == 200, response.content
    [place, region] = editor_api.get(f"/api/v1/incidents/{incident.id}/").json()["places"]
    assert place["name"] == "Mourdia"
    assert (place["latitude"], place["longitude"], place["precision"]) == (14.35, -7.47, "exact")
    assert place["admin1"] == "Koulikoro"
    assert region["name"] == "central Mali"


def test_accepting_a_respelling_without_the_editors_value_drops_the_coordinates(editor_api):
    incident, flag = _mourdiah_resolved_then_respelled(editor_api)

    editor_api.post(f"/api/v1/flags/{flag.id}/accept/", {"keep_editor_value": False}, format="json")

    [place, _] = editor_api.get(f"/api/v1/incidents/{incident.id}/").json()["places"]
    assert place["name"] == "Mourdia"
    assert place["latitude"] is None and place["precision"] == "unresolved"


@pytest.mark.parametrize(("keep", "best"), [(True, 11), (False, 14)])
def test_accepting_a_revised_toll_after_an_editors_figure_keeps_it_unless_told(
    editor_api, keep, best
):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")
    corrected = editor_api.post(
        f"/api/v1/incidents/{incident.id}/correct/",
        {"field": "killed", "value": 11, "reason": "Hospital list."},
        format="json",
    )
    assert corrected.status_code == 200 and corrected.json()["casualties"]["killed"]["best"] == 11
    ingest(_edition(REVISED_TOLL))
    [flag] = open_flags(incident, kind="revised", field="killed")

    preview = editor_api.get(f"/api/v1/flags/{flag.id}/preview/").json()
    assert preview["can_keep_editor_value"] is True
    assert preview["losses"][0].startswith("the editor's killed figure 11 (set by erin")
    editor_api.post(f"/api/v1/flags/{flag.id}/accept/", {"keep_editor_value": keep}, format="json")

    assert (
        editor_api.get(f"/api/v1/incidents/{incident.id}/").json()["casualties"]["killed"]["best"]
        == best
    )


def test_a_flag_nobody_held_loses_nothing_on_accept(editor_api):
    ingest(_edition(MARKET))
    ingest(_edition(REVISED_TOLL))
    [flag] = open_flags(incident_with("weekly market"), kind="revised")
    preview = editor_api.get(f"/api/v1/flags/{flag.id}/preview/").json()
    assert preview["losses"] == [] and preview["can_keep_editor_value"] is False
    shown = editor_api.get(f"/api/v1/flags/{flag.id}/").json()
    assert shown["change_words"] == "killed: 9 → 14"
    assert shown["current_words"] == "14"


def test_the_flag_shows_the_value_the_ledger_holds_not_only_the_previous_edition(editor_api):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")
    editor_api.post(
        f"/api/v1/incidents/{incident.id}/correct/",
        {"field": "killed", "value": 11, "reason": "Hospital list."},
        format="json",
    )
    ingest(_edition(REVISED_TOLL))
    [flag] = open_flags(incident, kind="revised", field="killed")

    shown = editor_api.get(f"/api/v1/flags/{flag.id}/").json()

    assert shown["before_words"] == "9" and shown["after_words"] == "14"
    assert shown["current"] == [11, 11, "exact"] and shown["current_words"] == "11"


def test_a_place_abroad_is_refused_unless_the_editor_confirms(editor_api):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")

    refused = _resolve(editor_api, incident, country="Nigeria")
    confirmed = _resolve(editor_api, incident, country="Nigeria", confirm_foreign=True)

    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["country"]
    assert "Nigeria, not in Mali" in refused.json()["errors"]["country"][0]
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["places"][0]["country"] == "Nigeria"


def test_a_place_picked_from_the_places_table_gives_its_coordinates(editor_api):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")
    recorded = editor_api.post(
        "/api/v1/places/",
        {
            "name": "Mourdiah",
            "country": "Mali",
            "admin1": "Koulikoro",
            "latitude": 14.47,
            "longitude": -7.48,
            "reason": "Survey map.",
        },
        format="json",
    )
    assert recorded.status_code == 201, recorded.content

    response = editor_api.post(
        f"/api/v1/incidents/{incident.id}/resolve-place/",
        {"place": "Mourdiah", "place_id": recorded.json()["id"], "reason": "Picked."},
        format="json",
    )

    assert response.status_code == 200, response.content
    place = response.json()["places"][0]
    assert (place["latitude"], place["longitude"], place["admin1"]) == (14.47, -7.48, "Koulikoro")


def test_correcting_an_unresolved_place_abroad_needs_a_confirmation(editor_api):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")
    [flag] = open_flags(incident, kind="unresolved_place")
    url = f"/api/v1/flags/{flag.id}/correct/"
    value = {"lat": 10.4, "lon": 8.6, "country": "Nigeria"}

    refused = editor_api.post(url, {"value": value, "reason": "Map."}, format="json")
    confirmed = editor_api.post(
        url, {"value": value | {"confirm_foreign": True}, "reason": "Map."}, format="json"
    )

    assert refused.status_code == 400
    [message] = refused.json()["errors"]["value"]
    assert "Nigeria, not in Mali" in message
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "corrected"


def test_a_gazetteer_country_code_is_the_country_it_names(editor_api):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")

    abroad = _resolve(editor_api, incident, country="NG")
    at_home = _resolve(editor_api, incident, country="ML")

    assert abroad.status_code == 400
    assert abroad.json()["errors"]["country"][0].startswith("Mourdiah is in Nigeria, not in Mali")
    assert at_home.status_code == 200, at_home.content


def test_a_revised_date_and_wording_read_as_written(editor_api):
    ingest()
    ingest(
        [
            *ENTRIES[:3],
            Item(
                "June 24, 2024",
                "An improvised explosive device hits a U.N. convoy just outside Tessalit, "
                "killing two peacekeepers and injuring six.",
            ),
            *ENTRIES[4:],
        ]
    )
    incident = incident_with("Tessalit")
    date, text = (
        editor_api.get(f"/api/v1/flags/{f.id}/").json()
        for f in (
            open_flags(incident, kind="revised", field="date")[0],
            open_flags(incident, kind="revised", field="text")[0],
        )
    )
    assert date["change_words"] == "date: 21 June 2024 → 24 June 2024"
    assert text["after_words"].startswith("June 24, 2024: An improvised explosive device hits")


def test_a_place_added_abroad_through_a_correction_needs_a_confirmation_too(editor_api):
    ingest(_edition(MARKET))
    incident = incident_with("weekly market")
    held = [dict(p) for p in incident_get(incident_id=incident.id).places]
    abroad = {"name": "Kano", "country": "Nigeria", "lat": 12.0, "lon": 8.5}
    url = f"/api/v1/incidents/{incident.id}/correct/"
    body = {"field": "locations", "value": [*held, abroad], "reason": "A second site."}

    refused = editor_api.post(url, body, format="json")
    at_home = editor_api.post(
        url, body | {"value": [*held, abroad | {"country": "Mali"}]}, format="json"
    )
    confirmed = editor_api.post(url, body | {"confirm_foreign": True}, format="json")

    assert refused.status_code == 400
    assert "Kano is in Nigeria, not in Mali" in str(refused.json()["errors"])
    assert at_home.status_code == 200, at_home.content
    assert confirmed.status_code == 200, confirmed.content
