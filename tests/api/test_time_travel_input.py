"""Time-travel parameters are parsed by the input and resolved by the selector: the input does
no I/O, and what the ledger cannot answer is still a 400 naming the parameter."""

from __future__ import annotations

import pytest

from incidents.api.filters import TimeTravelInput
from ingestion.services import edition_store, report_get_or_create
from ledger import store

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"


def _reasons(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid query parameter(s)."
    return response.json()["errors"]


def test_the_time_travel_input_parses_without_asking_the_database(django_assert_num_queries):
    data = {"as_of_edition": "7", "as_of_position": "3", "fields": "id"}
    with django_assert_num_queries(0):
        serializer = TimeTravelInput(data=data)
        assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["as_of_edition"] == 7


def test_an_edition_that_does_not_exist_is_named_as_such(api):
    assert _reasons(api.get(URL, {"as_of_edition": 999})) == {
        "as_of_edition": ["There is no edition 999."]
    }


def test_an_edition_that_changed_nothing_points_to_as_of_instead(api):
    edition = edition_store(report=report_get_or_create(slug="mali"), data=b"x", origin="x.txt")
    reasons = _reasons(api.get(URL, {"as_of_edition": edition.id}))
    assert "changed nothing in the ledger" in reasons["as_of_edition"][0]
    assert "give as_of" in reasons["as_of_edition"][0]


def test_a_position_past_the_log_and_two_questions_at_once_are_refused(api):
    last = store.last_position()
    assert _reasons(api.get(URL, {"as_of_position": last + 5})) == {
        "as_of_position": [f"The log holds positions 0 to {last}."]
    }
    both = _reasons(api.get(URL, {"as_of_position": 0, "as_of_edition": 1}))
    assert list(both) == ["as_of_position"]


def test_the_list_input_and_the_feed_input_parse_positions_without_asking_the_database(
    django_assert_num_queries,
):
    from incidents.api.feed_serializers import ChangeFeedInput
    from incidents.api.filters import IncidentListInput

    with django_assert_num_queries(0):
        listed = IncidentListInput(data={"since_position": "999999"})
        fed = ChangeFeedInput(data={"after": "999999"})
        assert listed.is_valid(), listed.errors
        assert fed.is_valid(), fed.errors


def test_a_since_position_or_a_feed_position_past_the_log_is_a_400_naming_it(api):
    last = store.last_position()
    assert _reasons(api.get(URL, {"since_position": last + 1})) == {
        "since_position": [f"The log holds positions 0 to {last}."]
    }
    beyond = api.get("/api/v1/changes/", {"after": last + 1})
    assert beyond.status_code == 400
    assert beyond.json()["errors"] == {"after": [f"The log holds positions 0 to {last}."]}
    assert api.get(URL, {"since_position": last}).status_code == 200
