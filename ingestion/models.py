"""Operational records of ingestion: report series, their sources, stored editions and runs.

These are not projections of the ledger: an edition is raw input, stored before anything reads
it, so a failed parse loses nothing and can be re-run. They are written only by
ingestion.services.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class StampedQuerySet(models.QuerySet):
    """`update()` stamps `updated_at` too, as `save()` does: the API's ETags of these rows
    (common.api.etags.table_version) read the latest stamp, and no write may skip it."""

    def update(self, **kwargs: Any) -> int:
        kwargs.setdefault("updated_at", timezone.now())
        return super().update(**kwargs)


class Stamped(models.Model):
    """A row written in place, without an event: when it last changed, whichever way."""

    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = StampedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # auto_now sets the field, but save(update_fields=[...]) writes only the fields named.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class Report(Stamped):
    """A report series, e.g. the Mali report; editions of it arrive over time."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Source(Stamped):
    """Where editions of a report come from: an https URL, a file, or a folder of files."""

    class Kind(models.TextChoices):
        URL = "url"
        FILE = "file"
        FOLDER = "folder"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="sources")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    location = models.CharField(max_length=1000, help_text="URL, file path or folder path.")
    enabled = models.BooleanField(default=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    schedule = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="When beat checks this source; edit it under Periodic tasks.",
    )

    class Meta:
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return f"{self.report}: {self.kind} {self.location}"


class Edition(Stamped):
    """One edition's raw bytes and what became of them. Unique per report by content."""

    class Status(models.TextChoices):
        PENDING = "pending"
        INGESTED = "ingested"
        FAILED = "failed"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="editions")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    origin = models.CharField(max_length=1000, blank=True, help_text="File name or URL.")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    raw = models.BinaryField()
    text = models.TextField(blank=True)
    parsed = models.JSONField(null=True, blank=True, help_text="parse_report's document.")
    edition_date = models.DateField(null=True, blank=True)
    fetched_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    parser_version = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    summary = models.JSONField(null=True, blank=True)
    ingested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "sha256"], name="edition_unique_bytes")
        ]

    def __str__(self) -> str:
        return f"{self.report} edition {self.edition_date or '?'} ({self.sha256[:8]})"


class EditionEntry(models.Model):
    """One incident of a timeline entry as one edition wrote it, and the incident it became.

    An entry that reports several events has one row per part (same line; part 0, 1, ...).
    The next edition is matched against these rows; `entry` is the parser's contract form.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    line = models.PositiveIntegerField()
    part = models.PositiveSmallIntegerField(
        default=0, help_text="0 for the entry's primary incident; 1, 2, ... for further events."
    )
    incident_id = models.UUIDField(db_index=True)
    entry = models.JSONField()

    class Meta:
        ordering = ["edition", "line", "part"]
        indexes = [models.Index(fields=["edition", "line"], name="editionentry_edition_line")]

    def __str__(self) -> str:
        part = f".{self.part}" if self.part else ""
        return f"{self.edition_id}:{self.line}{part} -> {self.incident_id}"


class IngestRun(models.Model):
    """One attempt to ingest: what triggered it, how far it got, how long each stage took."""

    class Status(models.TextChoices):
        RUNNING = "running"
        INGESTED = "ingested"
        UNCHANGED = "unchanged"
        FAILED = "failed"
        NOT_MODIFIED = "not_modified"

    report = models.ForeignKey(Report, null=True, on_delete=models.SET_NULL, related_name="runs")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    trigger = models.CharField(max_length=40, help_text="schedule, command, upload, rerun, api")
    task_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.RUNNING)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    timings = models.JSONField(default=dict)
    summary = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.pk} {self.status} {self.stage}"
