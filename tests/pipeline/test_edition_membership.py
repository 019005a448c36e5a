"""Last seen and edition membership come from events: an edition that lists an incident
unchanged says so (IncidentSeen), so `last_edition` is last seen and `edition=N` is present in N,
now and as of any position."""

from __future__ import annotations

import pytest

from incidents.models import Incident, IncidentEdition
from incidents.query import IncidentFilters
from incidents.selectors import incident_count, time_travel_position
from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from ledger import projection
from ledger.wiring import projections
from tests.pipeline.editions import ENTRIES, edit, render

pytestmark = pytest.mark.django_db


def ingest(text: str, origin: str) -> dict:
    return ingest_fetched(
        report_slug="mali", fetched=Fetched(text.encode(), origin), trigger="test"
    )


def test_an_edition_listing_incidents_unchanged_moves_their_last_seen_and_membership():
    first = ingest(render(), "first.txt")
    entries = list(ENTRIES)
    entries = edit(entries, 1, body=entries[1].body.replace("at least 31", "at least 36"))
    del entries[8]  # dropped from the second edition
    second = ingest(render(entries), "second.txt")
    one, two = first["edition"], second["edition"]

    present = Incident.objects.filter(status="active")
    assert present.count() == len(ENTRIES) - 1
    assert set(present.values_list("last_edition_id", flat=True)) == {two}
    assert set(present.values_list("first_edition_id", flat=True)) == {one}
    dropped = Incident.objects.get(status="dropped")
    assert dropped.last_edition_id == one  # last seen where it last appeared

    assert incident_count(filters=IncidentFilters(edition=two)) == len(ENTRIES) - 1
    everywhere = IncidentFilters(edition=one, include_dropped=True)
    assert incident_count(filters=everywhere) == len(ENTRIES)
    assert IncidentEdition.objects.filter(edition_id=two).count() == len(ENTRIES) - 1

    # As the report stood in edition 1: nobody was in edition 2 yet, everyone last seen in 1.
    then = time_travel_position(as_of_edition=one)
    assert incident_count(filters=IncidentFilters(edition=two), as_of=then) == 0
    assert incident_count(filters=IncidentFilters(last_edition=one), as_of=then) == len(ENTRIES)
    assert projection.verify(projections()) == []


def test_ingesting_the_same_listing_again_as_a_new_edition_adds_no_second_sighting():
    ingest(render(), "first.txt")
    second = ingest(render(bullet="* "), "second.txt")
    members = IncidentEdition.objects.filter(edition_id=second["edition"])
    assert members.count() == len(ENTRIES)
    assert second["counts"]["unchanged"] == len(ENTRIES)
