"""Revision states compressed with lz4 instead of pglz, on PostgreSQL servers built with it.

Most revision rows pass PostgreSQL's 2 KB threshold, so every state written is compressed: with
pglz that was about a third of the server's time to take a replay's revision rows; lz4 takes
about two thirds of it. Rows already stored keep pglz until rewritten; reads take either.
Storage only: the column's type and values are unchanged.
"""

from django.db import migrations

_LZ4 = """
DO $$
BEGIN
    ALTER TABLE incidents_incidentrevision ALTER COLUMN state SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;  -- a server built without lz4 keeps pglz
END $$;
"""
_DEFAULT = "ALTER TABLE incidents_incidentrevision ALTER COLUMN state SET COMPRESSION DEFAULT"


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_LZ4)


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_drop_redundant_revision_place_coords"),
    ]

    operations = [migrations.RunPython(_forwards, _backwards, elidable=False)]
