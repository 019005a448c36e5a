"""A count over a date span reads the span from index entries (PostgreSQL), now and as of a
position.

`count=true` on "date range + actor" counts every incident in the span and joins the actor's
perpetrator rows on the incident. With only the span in the span indexes, PostgreSQL read each
match's row for date_start and the status: live a sequential scan of the whole (wide)
incident table, as of a position one revision row per match. The span indexes carry those
columns and the incident's id, so that side of the count is an index-only scan. These tests
fail if it goes back to the rows, and check the count itself against the fixture."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection

from actors.seeding import actors_seed, seed_actor_id
from incidents.query import IncidentFilters
from incidents.selectors import incident_count
from incidents.services import IncidentFields, incident_record_parts
from ledger import store
from ledger.store import Cause
from tests.incidents.plans import nodes, plans_of_selects

pytestmark = [
    # Not in a test's transaction: the fixture VACUUMs (see many_in_the_span).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="covering indexes as PostgreSQL plans them"
    ),
]

INCIDENTS = 2_000
# The benchmark's query: three years of fourteen, and the actor of one incident in five.
FROM, TO = date(2019, 1, 1), date(2021, 12, 31)
SPAN = IncidentFilters(date_from=FROM, date_to=TO, actors=("JNIM",))
JNIM = {"actor_id": str(seed_actor_id("jnim")), "name": "JNIM", "status": "claimed"}
GUNMEN = {"actor_id": None, "name": "unidentified gunmen", "status": "unknown"}


def _day(i: int) -> date:
    return date(2012 + i % 14, 1 + i % 12, 1 + i % 28)


def _jnim(i: int) -> bool:
    return i % 5 == 0


@pytest.fixture
def many_in_the_span() -> int:
    """INCIDENTS recorded through the services over fourteen years, one in five by JNIM (a
    seed actor, with its aliases), the tables vacuumed and analysed; returns the last position.

    VACUUM as `rebuild_projections` and the benchmark do: PostgreSQL costs an index-only scan
    by the pages VACUUM has marked all-visible, as a plain index scan until then."""
    actors_seed()
    parts = []
    for i in range(INCIDENTS):
        fields = IncidentFields(
            date_start=_day(i).isoformat(),
            date_precision="day",
            country="Mali",
            perpetrators=[JNIM if _jnim(i) else GUNMEN],
            text=f"incident {i}",
        )
        parts += incident_record_parts(report="bench-like", fields=fields)[1]
    store.append_batch(parts, cause=Cause(who="system:test", why="a span holding many"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return store.last_position()


@pytest.fixture
def no_sequential_scans() -> Iterator[None]:
    """Small test tables are cheapest read whole; the question is which index serves the
    span when one does, as it does at a hundred thousand rows (tests.incidents.plans). Set
    for the connection (no transaction to end it), and reset after."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def _count_plan(as_of: int | None) -> tuple[int, dict[str, Any]]:
    with plans_of_selects() as plans:
        count = incident_count(filters=SPAN, as_of=as_of)
    (plan,) = [plan for sql, plan in plans if "COUNT(" in sql]
    return count, plan


@pytest.mark.parametrize(
    ("as_of", "span_index"),
    [(False, "incident_span_cover"), (True, "incident_revision_span_cover")],
    ids=["live", "as of"],
)
def test_a_date_span_count_reads_its_span_from_index_entries(
    many_in_the_span: int, no_sequential_scans: None, as_of: bool, span_index: str
) -> None:
    count, plan = _count_plan(many_in_the_span if as_of else None)
    assert count == sum(1 for i in range(INCIDENTS) if _jnim(i) and FROM <= _day(i) <= TO)
    scans = [(n["Node Type"], n.get("Index Name")) for n in nodes(plan)]
    assert ("Index Only Scan", span_index) in scans, scans
