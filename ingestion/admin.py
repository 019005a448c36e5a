"""Admin for operators: sources and their schedules, editions with their summaries, every run.

Edits go through ingestion.services; tasks are sent only after the transaction commits.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from common.roles import can_upload_editions
from ingestion.models import Edition, EditionEntry, IngestRun, Report, Source
from ingestion.selectors import edition_labels
from ingestion.services import (
    IngestError,
    IngestSummary,
    ingest_later,
    source_location_check,
    source_register,
)
from ingestion.tasks import edition_ingest_task, source_check_task
from ledger.admin_base import ReadOnlyAdmin


def _pretty(value: Any) -> str:
    return format_html(
        "<pre style='white-space:pre-wrap'>{}</pre>",
        json.dumps(value, indent=2, ensure_ascii=False),
    )


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("slug", "title", "country", "created_at")


class SourceForm(forms.ModelForm):
    every_minutes = forms.IntegerField(
        min_value=1,
        initial=24 * 60,
        required=False,
        help_text="How often beat checks it; empty for manual checks only.",
    )
    report_slug = forms.SlugField(help_text="The report series, e.g. mali; created on first use.")

    class Meta:
        model = Source
        fields = ("kind", "location")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            source_location_check(kind=data.get("kind", ""), location=data.get("location", ""))
        except IngestError as exc:
            raise forms.ValidationError({"location": exc.reason}) from exc
        return data


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "report",
        "kind",
        "location",
        "enabled",
        "last_checked_at",
        "last_error",
        "schedule",
    )
    list_filter = ("kind", "enabled", "report")
    actions = ["check_now"]
    readonly_fields = ("etag", "last_modified", "last_checked_at", "last_error", "schedule")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = SourceForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Source | None = None):  # type: ignore[no-untyped-def]
        if obj is None:
            return ("report_slug", "kind", "location", "every_minutes")
        return ("kind", "location", "enabled", *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)  # enabling / disabling only
            return
        try:
            created = source_register(
                report_slug=form.cleaned_data["report_slug"],
                kind=obj.kind,
                location=obj.location,
                every_minutes=form.cleaned_data.get("every_minutes"),
            )
        except IngestError as exc:
            self.message_user(request, exc.reason, messages.ERROR)
            return
        obj.pk = created.pk

    @admin.action(description="Check the selected sources now")
    def check_now(self, request: HttpRequest, queryset: Any) -> None:
        for source_id in queryset.values_list("pk", flat=True):
            transaction.on_commit(partial(source_check_task.delay, source_id, "admin"))
        self.message_user(request, f"Checking {queryset.count()} source(s); see Ingest runs.")


class UploadForm(forms.Form):
    report = forms.SlugField(help_text="Report series slug, e.g. mali.")
    file = forms.FileField(help_text="The edition as text, PDF or HTML.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.LEDGER_MAX_EDITION_BYTES
        if upload.size is None or upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size or 0:,} bytes, over the {limit:,}-byte limit for an "
                "edition (LEDGER_MAX_EDITION_BYTES); is this really a report?"
            )
        return upload


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "report",
        "edition_date",
        "status",
        "origin",
        "size",
        "fetched_at",
        "changes",
    )
    list_filter = ("status", "report")
    search_fields = ("origin", "sha256")
    exclude = ("raw", "parsed")
    readonly_fields = (
        "report",
        "source",
        "origin",
        "sha256",
        "size",
        "edition_date",
        "status",
        "parser_version",
        "error",
        "summary_view",
        "fetched_at",
        "ingested_at",
        "text_link",
    )
    actions = ["rerun"]
    change_list_template = "admin/ingestion/edition/change_list.html"

    @admin.display(description="edition", ordering="fetched_at")
    def name(self, obj: Edition) -> str:
        # Editors know an edition by its report and date, as the review queue names it.
        return edition_labels(edition_ids=[obj.id]).get(obj.id, str(obj))

    @admin.display(description="changes")
    def changes(self, obj: Edition) -> str:
        counts = (obj.summary or {}).get("counts")
        return (
            ""
            if not counts
            else f"{counts['new']} new, {counts['revised']} revised, {counts['dropped']} dropped"
        )

    @admin.display(description="ingest summary")
    def summary_view(self, obj: Edition) -> str:
        return _pretty(obj.summary)

    @admin.action(description="Re-run the selected editions")
    def rerun(self, request: HttpRequest, queryset: Any) -> None:
        for edition_id in queryset.values_list("pk", flat=True):
            transaction.on_commit(partial(edition_ingest_task.delay, edition_id, "rerun"))
        self.message_user(request, f"Re-running {queryset.count()} edition(s); see Ingest runs.")

    def get_urls(self):  # type: ignore[no-untyped-def]
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="ingestion_edition_upload"
        )
        text = path(
            "<int:pk>/text/",
            self.admin_site.admin_view(self.text_view),
            name="ingestion_edition_text",
        )
        return [upload, text, *super().get_urls()]

    @admin.display(description="text with entries marked")
    def text_link(self, obj: Edition) -> str:
        url = reverse("admin:ingestion_edition_text", args=[obj.pk])
        return format_html('<a href="{}">Read the text with its entries marked</a>', url)

    def text_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The edition's text, each timeline entry marked and linked to its incident."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = Edition.objects.filter(pk=pk).first()
        if edition is None:
            raise Http404
        starts: dict[int, EditionEntry] = {}
        for row in edition.entries.all():  # by line, then part: a line links to its part 0
            starts.setdefault(row.line, row)
        blocks: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for number, line in enumerate(edition.text.splitlines(), start=1):
            entry = starts.get(number)
            if entry is not None or current is None or (not line.strip() and current["entry"]):
                current = {"entry": entry, "lines": []}
                blocks.append(current)
            current["lines"].append(line)
        for block in blocks:
            block["text"] = "\n".join(block.pop("lines"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Edition {edition.pk}: its text, entries marked",
            "edition": edition,
            "blocks": blocks,
            "marked": len(starts),
        }
        return TemplateResponse(request, "admin/ingestion/edition/text.html", context)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not can_upload_editions(request.user):
            messages.error(request, "Only operators and editors may upload editions.")
            return HttpResponseRedirect(reverse("admin:ingestion_edition_changelist"))
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            stored = ingest_later(
                upload.read(settings.LEDGER_MAX_EDITION_BYTES + 1),
                form.cleaned_data["report"],
                trigger="upload",
                origin=upload.name,
            )
            if isinstance(stored, IngestSummary):  # recorded on its run like any other failure
                messages.error(request, f"Upload refused: {stored.error}")
            else:
                edition_id = stored.pk
                transaction.on_commit(partial(edition_ingest_task.delay, edition_id, "upload"))
                messages.success(
                    request,
                    f"Stored edition {edition_id}; a worker is ingesting it. Its run under "
                    "Ingest runs shows the progress and, when done, the summary.",
                )
            return HttpResponseRedirect(reverse("admin:ingestion_edition_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Upload an edition",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ingestion/edition/upload.html", context)


@admin.register(IngestRun)
class IngestRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "report",
        "trigger",
        "status",
        "stage",
        "progress",
        "edition",
        "started_at",
        "finished_at",
        "error",
    )
    list_filter = ("status", "trigger", "report")
    readonly_fields = (
        "report",
        "source",
        "edition",
        "trigger",
        "task_id",
        "status",
        "stage",
        "progress",
        "timings_view",
        "summary_view",
        "error",
        "started_at",
        "finished_at",
    )
    exclude = ("timings", "summary")

    @admin.display(description="timings (s)")
    def timings_view(self, obj: IngestRun) -> str:
        return _pretty(obj.timings)

    @admin.display(description="summary")
    def summary_view(self, obj: IngestRun) -> str:
        return _pretty(obj.summary)
