"""The review queue's read model. Written only by incidents.review.projection."""

from __future__ import annotations

from django.db import models


class ReviewFlag(models.Model):
    """One change awaiting an editorial decision."""

    class Kind(models.TextChoices):
        NEW_INCIDENT = "new_incident"
        REVISED = "revised"
        DROPPED = "dropped"
        AMBIGUOUS_MATCH = "ambiguous_match"
        POSSIBLE_SPLIT = "possible_split"
        POSSIBLE_MERGE = "possible_merge"
        POSSIBLE_DUPLICATE = "possible_duplicate"
        PARAGRAPH_CHANGED = "paragraph_changed"
        UNRESOLVED_PLACE = "unresolved_place"

    class Status(models.TextChoices):
        OPEN = "open"
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        CORRECTED = "corrected"
        # Possible duplicates: merged into one (accepted, in effect), or "not the same".
        MERGED = "merged"
        DISTINCT = "distinct"
        # Not decided but closed: its incident was merged into another (see `detail`).
        CLOSED = "closed"

    id = models.UUIDField(primary_key=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    report = models.CharField(max_length=100, db_index=True)
    incident_id = models.UUIDField(null=True, blank=True, db_index=True)
    field = models.CharField(max_length=24, null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    before_text = models.TextField(null=True, blank=True)
    after_text = models.TextField(null=True, blank=True)
    edition_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    corrected_value = models.JSONField(null=True, blank=True)

    class Meta:
        app_label = "incidents"
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["status", "kind"], name="review_flag_queue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.field or ''} ({self.status})"
