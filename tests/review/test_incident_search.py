"""The incident lookup box of the admin (merge into…, the incident pages): by date or by words."""

from __future__ import annotations

import pytest

from incidents.models import Incident
from incidents.review.selectors import incident_search
from tests.review.conftest import ingest

pytestmark = pytest.mark.django_db


def _dated() -> Incident:
    ingest()
    incident = Incident.objects.filter(date_start__isnull=False).order_by("date_start").first()
    assert incident is not None
    return incident


def test_a_month_typed_as_year_dash_month_finds_the_incidents_of_that_month():
    incident = _dated()
    month = incident.date_start.isoformat()[:7]
    assert month not in incident.text  # found by its date, not by its words

    found = {r["id"] for r in incident_search(q=month, limit=100)}

    assert str(incident.id) in found


def test_a_full_date_finds_the_incidents_of_that_day():
    incident = _dated()

    found = {r["id"] for r in incident_search(q=incident.date_start.isoformat(), limit=100)}

    assert str(incident.id) in found


def test_a_date_still_being_typed_or_not_in_the_calendar_finds_nothing_and_does_not_fail():
    incident = _dated()
    year_month = incident.date_start.isoformat()[:7]

    assert incident_search(q=f"{year_month}-3") == []
    assert incident_search(q=f"{year_month[:4]}-02-30") == []
