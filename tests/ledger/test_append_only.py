"""Stored events never change: refused by code everywhere and by a trigger on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ledger.errors import AppendOnlyViolation
from ledger.models import StoredEvent
from tests.ledger.helpers import record

pytestmark = pytest.mark.django_db


def test_the_model_refuses_to_update_or_delete_an_event():
    position = record().events[0].position
    row = StoredEvent.objects.get(position=position)
    row.type = "Tampered"
    with pytest.raises(AppendOnlyViolation):
        row.save()
    with pytest.raises(AppendOnlyViolation):
        row.delete()
    with pytest.raises(AppendOnlyViolation):
        StoredEvent.objects.filter(position=position).update(type="Tampered")
    with pytest.raises(AppendOnlyViolation):
        StoredEvent.objects.filter(position=position).delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_event SET type = 'Tampered' WHERE position = %s",
        "DELETE FROM ledger_event WHERE position = %s",
    ],
)
def test_postgresql_refuses_update_and_delete_of_an_event_row(sql):
    position = record().events[0].position
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql, [position])
    assert StoredEvent.objects.get(position=position).type == "IncidentRecorded"
