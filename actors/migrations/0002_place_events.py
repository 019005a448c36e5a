"""Places become a read model of the place stream.

Rows editors added before places had events are recorded now as PlaceRecorded events (who:
system:migration), so that replay rebuilds them; the table is then re-created with stream ids
as keys and filled from those events, exactly as actors.projection.PlaceProjection would.
"""

import uuid

from django.db import migrations, models
from django.utils import timezone

PLACE_FIELDS = ("name", "country", "admin1", "latitude", "longitude", "alternate_names", "source")
REASON = "Recorded when places became events; the row existed before."


def record_existing_places(apps, schema_editor):
    Place = apps.get_model("actors", "Place")
    StoredEvent = apps.get_model("ledger", "StoredEvent")
    rows = list(Place.objects.order_by("id"))
    if not rows:
        return
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # gap-free positions, as ledger.store
            cursor.execute("LOCK TABLE ledger_event IN EXCLUSIVE MODE")
    position = StoredEvent.objects.aggregate(m=models.Max("position"))["m"] or 0
    now = timezone.now()
    events = []
    for row in rows:
        position += 1
        data = {name: getattr(row, name) for name in PLACE_FIELDS}
        data["alternate_names"] = list(data["alternate_names"] or [])
        data["admin1"] = data["admin1"] or ""
        data["reason"] = REASON
        events.append(
            StoredEvent(
                position=position,
                stream_type="place",
                stream_id=uuid.uuid4(),
                version=1,
                type="PlaceRecorded",
                schema_version=1,
                data=data,
                metadata={"who": "system:migration", "why": REASON},
                recorded_at=now,
            )
        )
    StoredEvent.objects.bulk_create(events)


def project_places(apps, schema_editor):
    Place = apps.get_model("actors", "Place")
    StoredEvent = apps.get_model("ledger", "StoredEvent")
    for event in StoredEvent.objects.filter(type__in=("PlaceRecorded", "PlaceCorrected")).order_by(
        "position"
    ):
        who = str(event.metadata.get("who") or "")
        latest = dict(
            updated_by=who.split(":", 1)[1] if ":" in who else who,
            stream_version=event.version,
            updated_at=event.recorded_at,
            reason=event.data.get("reason", ""),
        )
        if event.type == "PlaceRecorded":
            fields = {k: event.data.get(k) for k in PLACE_FIELDS if k in event.data}
            Place.objects.create(id=event.stream_id, **fields, **latest)
        else:
            changes = {k: v for k, v in event.data["changes"].items() if k in PLACE_FIELDS}
            Place.objects.filter(id=event.stream_id).update(**changes, **latest)


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
        ("ledger", "0003_edition_index"),
    ]

    operations = [
        migrations.RunPython(record_existing_places, migrations.RunPython.noop),
        migrations.DeleteModel(name="Place"),
        migrations.CreateModel(
            name="Place",
            fields=[
                ("id", models.UUIDField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=200)),
                ("alternate_names", models.JSONField(blank=True, default=list)),
                ("country", models.CharField(max_length=80)),
                ("admin1", models.CharField(blank=True, max_length=120)),
                ("latitude", models.FloatField(blank=True, null=True)),
                ("longitude", models.FloatField(blank=True, null=True)),
                ("source", models.CharField(default="editor", max_length=40)),
                ("updated_by", models.CharField(blank=True, max_length=150)),
                ("reason", models.TextField(blank=True)),
                ("stream_version", models.PositiveIntegerField()),
                ("updated_at", models.DateTimeField()),
            ],
            options={"ordering": ["country", "name"]},
        ),
        migrations.RunPython(project_places, migrations.RunPython.noop),
    ]
