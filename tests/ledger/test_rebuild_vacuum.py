"""After `rebuild_projections`, the rebuilt tables' pages are all-visible (PostgreSQL).

Index-only scans (the lists' covering indexes) skip a row only when the visibility map marks
its page all-visible; a rebuild writes every row anew, so until a VACUUM they read the heap."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

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
