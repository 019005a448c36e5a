"""A bounding-box page is answered from index entries (PostgreSQL), now and as of a position.

A box holding many incidents makes a page walk its order index, probing each incident's
places (the benchmark's box holds one incident in sixty: ~3,000 steps per page of 50, at any
depth and any table size). Reading each incident's row for its status and each place row for
its coordinates made that walk thousands of random heap reads per page; the order indexes
carry the status and the place indexes the coordinates, so the walk and its probes are
index-only scans. These tests fail if either side of the walk goes back to the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F, QuerySet

from incidents.query import IncidentFilters, IncidentFilterSet, Table
from incidents.selectors import incident_count, incident_page
from incidents.services import ClaimDraft, IncidentFields, incident_record_parts
from ledger import store
from ledger.store import Cause
from tests.incidents.plans import index_scans, nodes, plans_of_selects

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="covering indexes as PostgreSQL plans them"
    ),
]

BOX = (-4.5, 13.5, -2.5, 15.5)  # min_lon, min_lat, max_lon, max_lat: the benchmark's box
INCIDENTS = 2_000


def _scans_of(qs: QuerySet[Any]) -> list[tuple[str, str]]:
    """(node type, index name) of every index scan in the plan."""
    return [(node["Node Type"], node["Index Name"]) for node in index_scans(qs)]


def _page(position: int | None, column: str) -> QuerySet[Any]:
    """The keyset page query of a bounding-box list ordered by `column`, descending
    (incidents.selectors)."""
    table = Table(position)
    qs = IncidentFilterSet.for_filters(IncidentFilters(bbox=BOX), table=table, actors=None).qs
    key = table.id_column
    order_by = (F(column).desc(nulls_last=True), F(key).desc())
    page = qs.filter(**{f"{column}__isnull": False}).order_by(*order_by)
    return page.values_list(key, column)[:51]


@pytest.fixture
def many_in_the_box() -> int:
    """INCIDENTS recorded through the services, every other one inside BOX, each with a
    killed figure, and the tables analysed (so the planner knows how many fall inside);
    returns the last position."""
    parts = []
    for i in range(INCIDENTS):
        lat, lon = (14.5, -3.5) if i % 2 else (20.0, 2.0)
        place = {"name": f"Village {i}", "lat": lat, "lon": lon, "precision": "exact"}
        fields = IncidentFields(
            date_start=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
            date_precision="day",
            country="Mali",
            places=[place],
            text=f"incident {i}",
        )
        killed = ClaimDraft(
            property="killed", claimant="report", value_min=i % 40, value_max=i % 40
        )
        parts += incident_record_parts(report="bench-like", fields=fields, claims=[killed])[1]
    store.append_batch(parts, cause=Cause(who="system:test", why="a box holding many"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return store.last_position()


@pytest.mark.parametrize(
    ("as_of", "column", "order_index", "place_index"),
    [
        (False, "date_start", "incident_date_status", "incident_place_coords_of"),
        (True, "date_start", "incident_revision_date_cover", "revision_place_valid_coords"),
        (False, "killed_best", "incident_killed_status", "incident_place_coords_of"),
        (True, "killed_best", "incident_revision_killed_cover", "revision_place_valid_coords"),
    ],
    ids=["live", "as of", "live by killed", "as of by killed"],
)
def test_a_bounding_box_page_walks_its_order_and_probes_its_places_on_index_entries(
    many_in_the_box: int, as_of: bool, column: str, order_index: str, place_index: str
) -> None:
    scans = _scans_of(_page(many_in_the_box if as_of else None, column))
    assert ("Index Only Scan", order_index) in scans, scans
    assert ("Index Only Scan", place_index) in scans, scans


@pytest.fixture
def workers_cost_nothing() -> None:
    """Parallel plans as cheap as PostgreSQL allows, so it picks them even on small tables
    (the benchmark's 250k incidents made it pick one for bounding-box pages)."""
    with connection.cursor() as cursor:
        for setting in (
            "parallel_setup_cost",
            "parallel_tuple_cost",
            "min_parallel_table_scan_size",
            "min_parallel_index_scan_size",
        ):
            cursor.execute(f"SET LOCAL {setting} = 0")


def _parallel(plan: dict[str, Any]) -> bool:
    return any(node["Node Type"] in ("Gather", "Gather Merge") for node in nodes(plan))


def test_a_live_page_walks_its_order_index_in_one_process_and_a_count_keeps_its_workers(
    many_in_the_box: int, workers_cost_nothing: None
) -> None:
    # A page stops when it is full; workers would each walk the index to fill their share.
    # (As of a position PostgreSQL plans the page serially here even so.)
    filters = IncidentFilters(bbox=BOX)
    with plans_of_selects() as plans:
        page = incident_page(filters=filters, size=50)
    assert page.next is not None, "a full page, with more after it"
    pages = [plan for sql, plan in plans if "LIMIT" in sql]
    assert pages, "the page's row query ran"
    assert not any(_parallel(plan) for plan in pages), pages

    # The test's transaction goes on: the page gave the setting back, the count has workers.
    with plans_of_selects() as plans:
        incident_count(filters=filters)
    assert any(_parallel(plan) for _, plan in plans), plans
