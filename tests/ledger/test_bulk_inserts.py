"""A projector's consecutive inserts reach PostgreSQL as one statement (a WITH of INSERTs), and
the writes around them keep their order: an update between two inserts sees the first and not
the second, and a group too large for one statement's parameters is split, losing no row."""

from __future__ import annotations

import uuid
from unittest import mock

import psycopg
import pytest
from django.db import connection, transaction

from incidents.models import IncidentEdition, IncidentPlace
from ledger import bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EDITIONS = IncidentEdition._meta.db_table


def _member(incident_id: uuid.UUID, edition_id: int, position: int) -> dict:
    return {"incident_id": incident_id, "edition_id": edition_id, "position": position}


def _place(incident_id: uuid.UUID, name: str) -> dict:
    return {
        "incident_id": incident_id,
        "name": name,
        "name_key": name.lower(),
        "country": "Mali",
        "admin1": None,
        "admin1_key": None,
        "latitude": 14.5,
        "longitude": -4.2,
        "precision": "village",
    }


def _statements_sent():
    return mock.patch.object(
        psycopg.RawCursor, "execute", autospec=True, side_effect=psycopg.RawCursor.execute
    )


def test_inserts_into_several_tables_go_as_one_statement_and_write_every_row():
    incident = uuid.uuid4()
    with transaction.atomic(), _statements_sent() as sent:
        writes = bulk.Writes()
        writes.insert(IncidentEdition, [_member(incident, 1, 10), _member(incident, 2, 20)])
        writes.insert(IncidentPlace, [_place(incident, "Ansongo")])
        writes.insert(IncidentEdition, [_member(incident, 3, 30)])
        writes.flush()
        assert sent.call_count == 1
        assert sorted(
            IncidentEdition.objects.filter(incident_id=incident).values_list(
                "edition_id", "position"
            )
        ) == [(1, 10), (2, 20), (3, 30)]
        assert IncidentPlace.objects.get(incident_id=incident).name == "Ansongo"
        transaction.set_rollback(True)  # the incident row the places point at is never made


def test_an_update_between_inserts_sees_the_rows_before_it_and_not_those_after():
    incident = uuid.uuid4()
    with transaction.atomic():
        writes = bulk.Writes()
        writes.insert(IncidentEdition, [_member(incident, 1, 10)])
        writes.execute(f"UPDATE {EDITIONS} SET position = 99 WHERE incident_id = %s", [incident])
        writes.insert(IncidentEdition, [_member(incident, 2, 20)])
        writes.flush()
        assert sorted(
            IncidentEdition.objects.filter(incident_id=incident).values_list(
                "edition_id", "position"
            )
        ) == [(1, 99), (2, 20)]
        transaction.set_rollback(True)


def test_a_group_past_the_parameter_cap_is_split_and_loses_no_row():
    incident = uuid.uuid4()
    with (
        transaction.atomic(),
        mock.patch.object(bulk._Inserts, "MAX_PARAMS", 7),  # two edition rows of three values
        _statements_sent() as sent,
    ):
        writes = bulk.Writes()
        for edition in range(1, 6):
            writes.insert(IncidentEdition, [_member(incident, edition, edition * 10)])
        writes.flush()
        assert sent.call_count == 3
        assert IncidentEdition.objects.filter(incident_id=incident).count() == 5
        transaction.set_rollback(True)


def test_a_refused_row_in_a_group_refuses_the_whole_group():
    incident = uuid.uuid4()
    with transaction.atomic():
        writes = bulk.Writes()
        writes.insert(IncidentEdition, [_member(incident, 1, 10)])
        writes.insert(IncidentEdition, [_member(incident, 1, 11)])  # same edition, same incident
        with pytest.raises(psycopg.errors.UniqueViolation):
            writes.flush()
        transaction.set_rollback(True)
    assert not IncidentEdition.objects.filter(incident_id=incident).exists()
    assert connection.is_usable()
