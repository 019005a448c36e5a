"""Places editors added before places were events get events when the migration runs, so replay
rebuilds them (PostgreSQL: the migration runs inside the test's transaction and is rolled back)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from actors.models import Place
from ledger import store

pytestmark = pytest.mark.django_db

BEFORE = [("actors", "0001_initial")]
AFTER = [("actors", "0002_place_events")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs transactional DDL")
def test_places_from_before_events_are_recorded_and_replayed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("actors", "Place")
    old.objects.create(
        name="Mourdiah",
        country="Mali",
        admin1="Koulikoro",
        latitude=14.47,
        longitude=-7.48,
        alternate_names=["Mourdia"],
    )
    old.objects.create(name="Tera", country="Niger")
    events_before = store.last_position()

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    rows = {p.name: p for p in Place.objects.all()}
    assert set(rows) == {"Mourdiah", "Tera"}
    mourdiah = rows["Mourdiah"]
    assert (mourdiah.latitude, mourdiah.alternate_names, mourdiah.updated_by) == (
        14.47,
        ["Mourdia"],
        "migration",
    )
    [recorded] = store.read_stream(mourdiah.id)
    assert type(recorded.event).__name__ == "PlaceRecorded"
    assert recorded.metadata["who"] == "system:migration"
    assert store.last_position() == events_before + 2
    call_command("rebuild_projections", "--verify", "--no-progress")
