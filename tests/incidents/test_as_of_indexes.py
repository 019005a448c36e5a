"""As-of lists test "valid at P" on index entries (PostgreSQL): the expression the FilterSet
filters on is the one the revision indexes hold, word for word, or the planner cannot use it
and every page reads every revision of the incidents it steps over."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F, QuerySet

from incidents.models import IncidentRevisionPlace
from incidents.query import IncidentFilters, IncidentFilterSet, Table, valid_at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="expression indexes as PostgreSQL plans them"
    ),
]

POSITION = 1_000


def _index_conditions(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(index name, index condition) of every index scan in a JSON plan."""
    found = []
    if "Index Name" in plan:
        found.append((plan["Index Name"], plan.get("Index Cond", "")))
    for child in plan.get("Plans", []):
        found += _index_conditions(child)
    return found


def _index_conditions_of(qs: QuerySet[Any]) -> dict[str, str]:
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheapest to read whole; the question is which index serves
        # the filter when one does.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return dict(_index_conditions(plan[0]["Plan"]))


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
            "incident_revision_killed_valid",
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
