"""Migration operations that only apply on PostgreSQL (SQLite lacks the feature, not the data)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.migrations.operations.base import Operation


class _OnPostgresOnly(Operation):
    """Runs the operation it is mixed into on PostgreSQL and leaves other databases as they
    are; the model state changes everywhere."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgres(_OnPostgresOnly, migrations.AddIndex):
    """An index SQLite cannot build (e.g. NULLS LAST); the model state still records it."""


class RemoveIndexOnPostgres(_OnPostgresOnly, migrations.RemoveIndex):
    """Drops an index AddIndexOnPostgres made: on SQLite it was never built."""
