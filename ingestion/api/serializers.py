"""Input and output of the report, edition and source endpoints. Never the raw bytes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.pagination import PagingInput
from ingestion.models import Edition, Report, Source


class ReportListInput(PagingInput):
    """Reports take only the paging parameters."""


class ReportOutput(serializers.ModelSerializer):
    edition_count = serializers.IntegerField(help_text="Editions stored, whatever their status.")
    latest_edition_date = serializers.DateField(allow_null=True)

    class Meta:
        model = Report
        fields = ("slug", "title", "country", "edition_count", "latest_edition_date")


class EditionListInput(PagingInput):
    report = serializers.SlugField(required=False, help_text="The report's slug.")
    status = serializers.ChoiceField(choices=Edition.Status.values, required=False)


class EditionOutput(serializers.ModelSerializer):
    report = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    source = serializers.IntegerField(  # type: ignore[assignment]
        source="source_id", allow_null=True
    )
    summary = serializers.JSONField(
        allow_null=True,
        help_text="The ingest summary: counts of new, revised, dropped and unchanged entries, "
        "the changes, sections changed, flags raised and the error, if any.",
    )

    class Meta:
        model = Edition
        fields: tuple[str, ...] = (
            "id",
            "report",
            "source",
            "origin",
            "sha256",
            "size",
            "edition_date",
            "fetched_at",
            "status",
            "parser_version",
            "error",
            "summary",
            "ingested_at",
        )


class EditionDetailOutput(EditionOutput):
    text = serializers.CharField(help_text="The edition's extracted text.")

    class Meta(EditionOutput.Meta):
        fields = (*EditionOutput.Meta.fields, "text")


class SourceListInput(PagingInput):
    report = serializers.SlugField(required=False, help_text="The report's slug.")


class SourceOutput(serializers.ModelSerializer):
    report = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    every_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = (
            "id",
            "report",
            "kind",
            "location",
            "enabled",
            "every_minutes",
            "last_checked_at",
            "last_error",
        )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_every_minutes(self, source: Source) -> int | None:
        task = source.schedule
        interval = task.interval if task is not None else None
        if interval is None or interval.period != "minutes":
            return None
        return int(interval.every)


class SourceCreateInput(serializers.Serializer):
    report = serializers.SlugField(max_length=100, help_text="The report's slug (created if new).")
    kind = serializers.CharField(max_length=20, help_text="url, file or folder.")
    location = serializers.CharField(max_length=1000, help_text="URL, file path or folder path.")
    every_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        default=24 * 60,
        help_text="How often beat checks the source; null for never (checks only on demand).",
    )


class CheckQueuedOutput(serializers.Serializer):
    source = serializers.IntegerField()  # type: ignore[assignment]
    queued = serializers.BooleanField()
