"""One incident schema: every layer takes the descriptive fields from incidents.schema, and
events already in ledgers (written before the schema) still load, replay and verify."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.management import call_command

from incidents.api.serializers import INCIDENT_FIELDS
from incidents.events import IncidentRecorded
from incidents.models import Incident, IncidentPlace
from incidents.schema import (
    DESCRIPTIVE_FIELDS,
    REVIEW_FIELDS,
    IncidentFields,
    date_span,
    day,
    day_or_none,
    full_date,
)
from incidents.services import incident_revise
from incidents.state import IncidentState
from ingestion.diffing import FIELDS as COMPARED
from ingestion.recording import incident_fields
from ledger import store
from ledger.models import StoredEvent
from ledger.store import Cause

# The keys an IncidentRecorded payload has had since the first ledgers were written.
STORED_RECORDED_KEYS = {
    "report",
    "edition_id",
    "date_start",
    "date_end",
    "date_precision",
    "country",
    "places",
    "event_type",
    "perpetrators",
    "targets",
    "sources",
    "text",
}


def test_an_incident_recorded_now_stores_the_shape_ledgers_already_hold() -> None:
    event = IncidentRecorded(report="mali", text="Gunmen attacked a market.")
    assert set(event.to_data()) == STORED_RECORDED_KEYS


def test_the_event_the_state_and_the_service_input_share_one_field_list() -> None:
    def names(cls: type) -> set[str]:
        return {f.name for f in dataclasses.fields(cls)}

    assert names(IncidentFields) == set(DESCRIPTIVE_FIELDS)
    assert set(DESCRIPTIVE_FIELDS) <= names(IncidentRecorded)
    assert set(DESCRIPTIVE_FIELDS) <= names(IncidentState)


def test_the_api_shows_every_descriptive_field_under_its_own_name() -> None:
    assert set(DESCRIPTIVE_FIELDS) <= INCIDENT_FIELDS


def test_an_edition_is_compared_field_by_field_as_editors_review_it() -> None:
    assert sorted(COMPARED) == sorted(REVIEW_FIELDS)


def test_every_descriptive_field_is_held_by_exactly_one_review_field() -> None:
    holders = [name for fields in REVIEW_FIELDS.values() for name in fields]
    assert sorted(holders) == sorted(DESCRIPTIVE_FIELDS)
    assert REVIEW_FIELDS["locations"] == ("places",)
    assert REVIEW_FIELDS["date"] == ("date_start", "date_end", "date_precision")


def test_a_partial_date_reads_as_its_first_or_its_last_day() -> None:
    assert day("2024-02") == date(2024, 2, 1)
    assert day("2024-02", last=True) == date(2024, 2, 29)
    assert full_date("2023", end=True) == "2023-12-31"
    assert full_date("2023-07-04", end=True) == "2023-07-04"
    assert day_or_none("20x4-02") is None
    assert day_or_none(None) is None


def test_a_month_date_spans_its_month() -> None:
    fields = IncidentFields(date_start="2024-02-01", date_precision="month")
    assert date_span(fields) == (date(2024, 2, 1), date(2024, 2, 29))


def test_the_recorder_renames_the_parsers_fields_once() -> None:
    entry = {
        "line": 3,
        "date_start": "2024-05",
        "date_precision": "month",
        "locations": [{"name": "Gao", "lat": 16.27, "lon": -0.04, "precision": "exact"}],
        "perpetrators": [{"name": "gunmen", "actor": None, "actor_id": None, "status": "x"}],
        "text": "Gunmen attacked a market.",
    }
    fields = incident_fields(entry)
    assert fields.places == [{"name": "Gao", "lat": 16.27, "lon": -0.04, "precision": "exact"}]
    assert (fields.date_start, fields.date_end) == ("2024-05-01", "2024-05-31")


def _stored(stream_id: uuid.UUID, version: int, type_: str, data: Any) -> None:
    """An event row as an older version of the code wrote it, without today's classes."""
    last = StoredEvent.objects.order_by("-position").values_list("position", flat=True).first()
    StoredEvent.objects.create(
        position=(last or 0) + 1,
        stream_type="claim" if type_.startswith("Claim") else "incident",
        stream_id=stream_id,
        version=version,
        type=type_,
        schema_version=1,
        data=data,
        metadata={"who": "system:old-ledger"},
        recorded_at=datetime.now(UTC),
    )


@pytest.mark.django_db
def test_a_ledger_written_before_the_schema_replays_and_verifies() -> None:
    incident, claim = uuid.uuid4(), uuid.uuid4()
    # Payloads exactly as the code before the schema stored them (parser keys lat / lon).
    _stored(
        incident,
        1,
        "IncidentRecorded",
        {
            "report": "mali",
            "edition_id": None,
            "date_start": "2024-05-01",
            "date_end": "2024-05-31",
            "date_precision": "month",
            "country": "Mali",
            "places": [{"name": "Gao", "lat": 16.27, "lon": -0.04, "precision": "exact"}],
            "event_type": "armed_assault",
            "perpetrators": [{"name": "gunmen", "actor": None, "actor_id": None, "status": "x"}],
            "targets": ["civilians"],
            "sources": ["a source"],
            "text": "Gunmen attacked a market.",
        },
    )
    _stored(
        claim,
        1,
        "ClaimAsserted",
        {
            "incident_id": str(incident),
            "property": "killed",
            "claimant": "report",
            "claimant_actor_id": None,
            "value_min": 4,
            "value_max": 4,
            "qualifier": "exact",
            "phrase": "killing four",
            "edition_id": None,
        },
    )
    _stored(
        incident,
        2,
        "IncidentRevised",
        {
            "changes": {"places": [{"name": "Ansongo", "lat": 15.66, "lon": 0.5}]},
            "edition_id": None,
        },
    )
    assert isinstance(store.read_stream(incident)[0].event, IncidentRecorded)

    call_command("rebuild_projections", no_progress=True)
    # A live write on top of the old history, then replay must give the same rows.
    incident_revise(
        incident_id=incident, changes={"text": "Gunmen attacked a fair."}, cause=Cause(who="t")
    )
    call_command("rebuild_projections", verify=True, no_progress=True)

    row = Incident.objects.get(id=incident)
    assert (row.date_start, row.date_min, row.date_max) == (
        date(2024, 5, 1),
        date(2024, 5, 1),
        date(2024, 5, 31),
    )
    assert row.killed_best == 4
    place = IncidentPlace.objects.get(incident_id=incident)
    assert (place.name, place.latitude, place.longitude) == ("Ansongo", 15.66, 0.5)
