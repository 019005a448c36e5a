"""After `rebuild_projections`, the rebuilt tables' pages are all-visible (PostgreSQL).

Index-only scans (the lists' covering indexes) skip a row only when the visibility map marks
its page all-visible; a rebuild writes every row anew, so until a VACUUM they read the heap."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from ledger.wiring import projections
from tests.ledger.helpers import record, revise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _pages() -> dict[str, tuple[int, int]]:
    """(pages, all-visible pages) of every read-model table that holds rows."""
    tables = [m._meta.db_table for p in projections() for m in p.models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpages, relallvisible FROM pg_class "
            "WHERE relname = ANY (%s) AND relkind = 'r' AND relpages > 0",
            [tables],
        )
        return {name: (pages, visible) for name, pages, visible in cursor.fetchall()}


def test_a_rebuild_leaves_every_page_of_the_read_models_all_visible():
    for n in range(20):
        stream = record(text=f"incident {n}").events[0].stream_id
        revise(stream, 1, f"incident {n}, revised")
    out = StringIO()

    call_command("rebuild_projections", "--no-progress", stdout=out)

    pages = _pages()
    assert {"incidents_incident", "incidents_incidentrevision"} <= pages.keys(), pages
    assert all(visible == total for total, visible in pages.values()), pages
    assert "Vacuumed" in out.getvalue()


def _heap_fetches(table: str, column: str) -> int:
    """Rows an index-only scan of the whole table still read from the heap: pages not marked
    all-visible in the visibility map (relallvisible is only a statistic, kept by VACUUM)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT {column} FROM {table}")
        plan = cursor.fetchone()[0][0]["Plan"]
    assert plan["Node Type"] == "Index Only Scan", plan
    return plan["Heap Fetches"]


def test_a_verify_leaves_the_read_models_all_visible_as_it_found_them():
    # --verify deletes every live row and replays inside a transaction it rolls back: the
    # deletes clear the pages' all-visible marks, and the rollback does not set them again.
    for n in range(20):
        stream = record(text=f"incident {n}").events[0].stream_id
        revise(stream, 1, f"incident {n}, revised")
    call_command("rebuild_projections", "--no-progress", stdout=StringIO())
    assert _heap_fetches("incidents_incident", "id") == 0
    out = StringIO()

    call_command("rebuild_projections", "--verify", "--no-progress", stdout=out)

    assert _heap_fetches("incidents_incident", "id") == 0
    assert _heap_fetches("incidents_incidentrevision", "id") == 0
    assert "Verified" in out.getvalue() and "Vacuumed" in out.getvalue()
