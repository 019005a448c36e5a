"""As-of lists test "valid at P" on index entries (PostgreSQL): the expression the FilterSet
filters on is the one the revision indexes hold, word for word, or the planner cannot use it
and every page reads every revision of the incidents it steps over."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F

from incidents.query import IncidentFilters, IncidentFilterSet, Table

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


def _index_conditions_of(filters: IncidentFilters, order: str) -> list[tuple[str, str]]:
    qs = IncidentFilterSet.for_filters(filters, table=Table(POSITION), actors=None).qs
    qs = qs.order_by(F(order).desc(nulls_last=True), F("incident_id").desc())[:51]
    sql, params = qs.values_list("incident_id", order).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheapest to read whole; the question is which index serves
        # the filter when one does.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return _index_conditions(plan[0]["Plan"])


@pytest.mark.parametrize(
    ("filters", "order", "index"),
    [
        (IncidentFilters(killed_min=50), "killed_best", "incident_revision_killed_valid"),
        (IncidentFilters(date_to=date(2021, 12, 31)), "date_start", "incident_revision_date_valid"),
        (
            IncidentFilters(bbox=(-4.5, 13.5, -2.5, 15.5)),
            "date_start",
            "revision_place_coords_end",
        ),
    ],
)
def test_an_as_of_list_tests_the_validity_on_its_index_entries(
    filters: IncidentFilters, order: str, index: str
) -> None:
    conditions = dict(_index_conditions_of(filters, order))
    assert index in conditions, conditions
    assert "valid_from <=" in conditions[index]
    assert "COALESCE(valid_to" in conditions[index], conditions[index]
