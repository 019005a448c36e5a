import django.db.models.functions.comparison
from django.db import migrations, models

from ledger.migration_ops import AddIndexOnPostgres, RemoveIndexOnPostgres

# 0010 for the `killed` order: a bounding-box list ordered by killed now walks a covering
# order index as the date order does. Live, no index had the order at all (the column's own
# index serves the killed_min range, ascending), so PostgreSQL read every incident in the box
# from its row for killed and status and sorted them: ~100 ms per page at 250,000 incidents.
# As of a position, the order index lacked the status and valid_to, so each of the ~3,200
# entries a page steps over read its revision's row. Made before the one it replaces goes.


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0010_bbox_covering_indexes"),
    ]

    operations = [
        AddIndexOnPostgres(  # NULLS LAST: SQLite cannot index it; SQLite sorts without it
            model_name="incident",
            index=models.Index(
                models.OrderBy(models.F("killed_best"), descending=True, nulls_last=True),
                models.OrderBy(models.F("id"), descending=True),
                include=("status",),
                name="incident_killed_status",
            ),
        ),
        AddIndexOnPostgres(  # NULLS LAST: SQLite cannot index it
            model_name="incidentrevision",
            index=models.Index(
                models.OrderBy(models.F("killed_best"), descending=True, nulls_last=True),
                models.OrderBy(models.F("incident_id"), descending=True),
                models.F("valid_from"),
                django.db.models.functions.comparison.Coalesce(
                    models.F("valid_to"), models.Value(9223372036854775807)
                ),
                include=("status", "valid_to"),
                name="incident_revision_killed_cover",
            ),
        ),
        RemoveIndexOnPostgres(  # made by AddIndexOnPostgres (0009)
            model_name="incidentrevision",
            name="incident_revision_killed_valid",
        ),
    ]
