"""As-of lists test "valid at P" on index entries (PostgreSQL): the expression the FilterSet
filters on is the one the revision indexes hold, word for word, or the planner cannot use it
and every page reads every revision of the incidents it steps over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, QuerySet

from incidents.models import IncidentRevisionPlace
from incidents.query import IncidentFilters, IncidentFilterSet, Table, valid_at
from tests.incidents.plans import index_scans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="expression indexes as PostgreSQL plans them"
    ),
]

POSITION = 1_000


def _index_conditions_of(qs: QuerySet[Any]) -> dict[str, str]:
    """Index name -> index condition of every index scan in the plan."""
    return {node["Index Name"]: node.get("Index Cond", "") for node in index_scans(qs)}


def _page(filters: IncidentFilters, order: str) -> QuerySet[Any]:
    """The keyset page query of an as-of list (incidents.selectors), ordered by `order`."""
    qs = IncidentFilterSet.for_filters(filters, table=Table(POSITION), actors=None).qs
    order_by = (F(order).desc(nulls_last=True), F("incident_id").desc())
    return qs.order_by(*order_by).values_list("incident_id", order)[:51]


def _places_in_box() -> QuerySet[Any]:
    """The place rows an as-of bounding box reads (incidents.query.Table.places)."""
    box = {"latitude__range": (13.5, 15.5), "longitude__range": (-4.5, -2.5)}
    return IncidentRevisionPlace.objects.filter(valid_at(POSITION), **box).values("incident_id")


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (
            lambda: _page(IncidentFilters(killed_min=50), "killed_best"),
            "incident_revision_killed_cover",
        ),
        (
            lambda: _page(IncidentFilters(date_to=date(2021, 12, 31)), "date_start"),
            "incident_revision_date_cover",
        ),
        (_places_in_box, "revision_place_coords_end"),
    ],
    ids=["killed order", "date order", "bounding box"],
)
def test_an_as_of_read_tests_the_validity_on_its_index_entries(
    query: Callable[[], QuerySet[Any]], index: str
) -> None:
    conditions = _index_conditions_of(query())
    assert index in conditions, conditions
    assert "valid_from <=" in conditions[index]
    assert "COALESCE(valid_to" in conditions[index], conditions[index]
