"""Read endpoints of reports and editions, and the operators' source endpoints.

Sources are operational: operators and editors read them, only operators register one or ask
for a check (queued on Celery once the request's transaction commits).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.http import Http404
from django_celery_beat.models import PeriodicTasks
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.errors import REFUSED, ErrorOutput
from common.api.etags import table_version
from common.api.inputs import NoParamsInput, read_input
from common.api.pagination import LedgerCursorPagination
from common.api.reads import ReadViewSet
from common.roles import SourceAccess
from ingestion import tasks
from ingestion.api.serializers import (
    CheckQueuedOutput,
    EditionDetailOutput,
    EditionListInput,
    EditionOutput,
    ReportListInput,
    ReportOutput,
    SourceCreateInput,
    SourceListInput,
    SourceOutput,
)
from ingestion.models import Edition, Report, Source
from ingestion.selectors import (
    edition_get,
    edition_list,
    report_get,
    report_list,
    source_get,
    source_list,
)
from ingestion.services import IngestError, source_register

# These rows change in place, without events (an edition's status and summary, a source's last
# check, its schedule), so their ETags come from the tables, not from the log.
_REPORTS = table_version(Report, changed="updated_at")
_EDITIONS = table_version(Edition, changed="updated_at")
_SOURCES = table_version(Source, changed="updated_at")
# django-celery-beat stamps this row whenever a schedule changes (its own change tracking).
_SCHEDULES = table_version(PeriodicTasks, changed="last_update")


class ReportPagination(LedgerCursorPagination):
    ordering = ("slug",)


class ReportViewSet(ReadViewSet):
    """Report series: how many editions each has, and the date of the latest."""

    serializer_class = ReportOutput
    pagination_class = ReportPagination
    etag_from = (_REPORTS, _EDITIONS)  # a report's edition count and latest date
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(
        parameters=[ReportListInput], responses={200: ReportOutput(many=True), 400: ErrorOutput}
    )
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request, params=ReportListInput, rows=lambda _: report_list(), output=ReportOutput
        )

    @extend_schema(responses={200: ReportOutput, 400: ErrorOutput, 404: ErrorOutput})
    def retrieve(self, request: Request, slug: str) -> Response:
        return self.answer_one(
            request, params=NoParamsInput, fetch=lambda: report_get(slug=slug), output=ReportOutput
        )


class EditionPagination(LedgerCursorPagination):
    ordering = ("-id",)


class EditionViewSet(ReadViewSet):
    """Stored editions with their ingest summaries (never the raw bytes)."""

    serializer_class = EditionOutput
    pagination_class = EditionPagination
    etag_from = (_EDITIONS, _REPORTS)
    lookup_value_regex = "[0-9]{1,18}"

    @extend_schema(
        parameters=[EditionListInput], responses={200: EditionOutput(many=True), 400: ErrorOutput}
    )
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request,
            params=EditionListInput,
            rows=lambda data: edition_list(report=data.get("report"), status=data.get("status")),
            output=EditionOutput,
        )

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: EditionDetailOutput, 400: ErrorOutput, 404: ErrorOutput},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.answer_one(
            request,
            params=NoParamsInput,
            fetch=lambda: edition_get(edition_id=int(pk)),
            output=EditionDetailOutput,
        )


class SourcePagination(LedgerCursorPagination):
    ordering = ("id",)


class SourceViewSet(ReadViewSet):
    """Where editions come from; operators register sources and ask for checks."""

    serializer_class = SourceOutput
    pagination_class = SourcePagination
    etag_from = (_SOURCES, _REPORTS, _SCHEDULES)
    permission_classes = [SourceAccess]
    lookup_value_regex = "[0-9]{1,18}"

    @extend_schema(
        parameters=[SourceListInput],
        responses={200: SourceOutput(many=True), 400: ErrorOutput, **REFUSED},
    )
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request,
            params=SourceListInput,
            rows=lambda data: source_list(report=data.get("report")),
            output=SourceOutput,
        )

    @extend_schema(
        request=SourceCreateInput,
        responses={201: SourceOutput, 400: ErrorOutput, **REFUSED},
    )
    def create(self, request: Request) -> Response:
        data = read_input(SourceCreateInput, request)
        try:
            source = source_register(
                report_slug=data["report"],
                kind=data["kind"],
                location=data["location"],
                every_minutes=data["every_minutes"],
            )
        except IngestError as exc:
            raise ValidationError({"detail": exc.reason}) from exc
        return Response(SourceOutput(source_list().get(pk=source.pk)).data, status=201)

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={202: CheckQueuedOutput, 404: ErrorOutput, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str) -> Response:
        source = source_get(source_id=int(pk))
        if source is None:
            raise Http404
        transaction.on_commit(partial(tasks.source_check_task.delay, source.pk, "api"))
        return Response(CheckQueuedOutput({"source": source.pk, "queued": True}).data, status=202)
