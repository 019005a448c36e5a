"""The event table: the only source of truth. Everything else is a projection of it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.db.models.fields.json import KeyTransform

from ledger.errors import AppendOnlyViolation


class StoredEventQuerySet(models.QuerySet["StoredEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyViolation("Stored events are never updated; append a correcting event.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyViolation("Stored events are never deleted; append a correcting event.")


class StoredEvent(models.Model):
    """One appended event. Rows are written only by ledger.store.append and never change."""

    position = models.BigIntegerField(primary_key=True, help_text="Gap-free, in commit order.")
    stream_type = models.CharField(max_length=40)
    stream_id = models.UUIDField()
    version = models.PositiveIntegerField(help_text="1-based position within the stream.")
    type = models.CharField(max_length=80)
    schema_version = models.PositiveSmallIntegerField()
    data = models.JSONField()
    metadata = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    recorded_at = models.DateTimeField()

    objects = StoredEventQuerySet.as_manager()

    class Meta:
        db_table = "ledger_event"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream_id", "version"], name="ledger_event_stream_version"
            )
        ]
        indexes = [
            models.Index(fields=["recorded_at"], name="ledger_event_recorded_at"),
            # "as of edition E": the last event E's ingestion appended (metadata edition_id).
            models.Index(KeyTransform("edition_id", "metadata"), name="ledger_event_edition"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.type} {self.stream_type}/{self.stream_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyViolation("Stored events are never updated; append a correcting event.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyViolation("Stored events are never deleted; append a correcting event.")


class ReplayCheckpoint(models.Model):
    """An unfinished rebuild of the read models: the last position it has replayed and committed.

    While a row exists the read models are partial, so appends skip the projectors (the rebuild
    replays their events when it resumes) and `rebuild_projections` resumes after `position`.
    """

    name = models.CharField(max_length=40, primary_key=True)
    position = models.BigIntegerField()
    last_position = models.BigIntegerField(help_text="The log's end when the rebuild started.")
    started_at = models.DateTimeField()
    deferred_indexes = models.JSONField(
        default=list,
        help_text="CREATE INDEX statements of the secondary indexes dropped for the rebuild.",
    )

    class Meta:
        db_table = "ledger_replay_checkpoint"

    def __str__(self) -> str:
        return f"rebuild {self.name} at #{self.position}"
