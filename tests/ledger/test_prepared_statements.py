"""On PostgreSQL the statements an append repeats (the ledger_append call, the projectors'
inserts) are prepared once per connection and then only bound and run: Django switches
psycopg's preparation off unless the settings turn it back on, and psycopg then ignores even an
explicit `prepare=True`, silently."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import connection

from incidents.models import Incident, IncidentRevision
from tests.ledger.helpers import record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_repeated_appends_run_prepared_statements_for_the_log_and_the_projections():
    for n in range(8):
        record(text=f"incident {n}")
    prepared = _prepared()
    assert any("ledger_append" in s for s in prepared)
    for model in (Incident, IncidentRevision):
        assert any(f'INSERT INTO "{model._meta.db_table}"' in s for s in prepared), model


def test_a_write_refused_in_the_pipeline_leaves_the_prepared_statements_usable():
    """A projector write the server refuses skips the rest of its pipeline, including a
    statement psycopg was preparing there: psycopg must not go on believing in a statement the
    server never kept. A refused append at every count of runs, from a fresh connection,
    crosses the point where each statement is first prepared."""
    connection.close()
    taken = record(text="taken").events[0].stream_id
    for n in range(8):
        with pytest.raises(psycopg.errors.UniqueViolation):
            # The incident row exists already: the projector's insert of it is refused.
            Incident.objects.filter(id=taken).update(id=(clash := uuid.uuid4()))
            try:
                record(clash)
            finally:
                Incident.objects.filter(id=clash).update(id=taken)
        record(text=f"after refusal {n}")
    assert Incident.objects.filter(text__startswith="after refusal").count() == 8
    assert not Incident.objects.filter(id=clash).exists()
