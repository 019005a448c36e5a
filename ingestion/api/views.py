"""Read endpoints of reports and editions, and the operators' source endpoints.

Sources are operational: operators and editors read them, only operators register one or ask
for a check (queued on Celery once the request's transaction commits).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from config.pagination import LedgerCursorPagination
from incidents.api.filters import NoParamsInput, parse
from incidents.api.serializers import ErrorOutput
from incidents.roles import EDITORS, OPERATORS
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
from ingestion.selectors import (
    edition_get,
    edition_list,
    report_get,
    report_list,
    source_get,
    source_list,
)
from ingestion.services import IngestError, source_register
from ledger.api.common import ConditionalMixin

_REFUSED = {401: ErrorOutput, 403: ErrorOutput}


def _body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError({"detail": "Invalid request body.", "errors": serializer.errors})
    return dict(serializer.validated_data)


class ReportPagination(LedgerCursorPagination):
    ordering = ("slug",)


class ReportViewSet(ConditionalMixin, viewsets.GenericViewSet):
    """Report series: how many editions each has, and the date of the latest."""

    serializer_class = ReportOutput
    pagination_class = ReportPagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends: list[type] = []

    @extend_schema(
        parameters=[ReportListInput], responses={200: ReportOutput(many=True), 400: ErrorOutput}
    )
    def list(self, request: Request) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        parse(ReportListInput, request.query_params)
        page = self.paginate_queryset(report_list())
        return self.get_paginated_response(ReportOutput(page, many=True).data)

    @extend_schema(responses={200: ReportOutput, 400: ErrorOutput, 404: ErrorOutput})
    def retrieve(self, request: Request, slug: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        parse(NoParamsInput, request.query_params)
        report = report_get(slug=slug)
        if report is None:
            raise Http404
        return Response(ReportOutput(report).data)


class EditionPagination(LedgerCursorPagination):
    ordering = ("-id",)


class EditionViewSet(ConditionalMixin, viewsets.GenericViewSet):
    """Stored editions with their ingest summaries (never the raw bytes)."""

    serializer_class = EditionOutput
    pagination_class = EditionPagination
    lookup_value_regex = "[0-9]{1,18}"
    filter_backends: list[type] = []

    @extend_schema(
        parameters=[EditionListInput], responses={200: EditionOutput(many=True), 400: ErrorOutput}
    )
    def list(self, request: Request) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        data = parse(EditionListInput, request.query_params)
        page = self.paginate_queryset(
            edition_list(report=data.get("report"), status=data.get("status"))
        )
        return self.get_paginated_response(EditionOutput(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: EditionDetailOutput, 400: ErrorOutput, 404: ErrorOutput},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        parse(NoParamsInput, request.query_params)
        edition = edition_get(edition_id=int(pk))
        if edition is None:
            raise Http404
        return Response(EditionDetailOutput(edition).data)


class SourceAccess(BasePermission):
    """Reads: operators and editors; writes (register, check): operators. Viewers get 403,
    anonymous clients 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return bool(user.groups.filter(name__in=(EDITORS, OPERATORS)).exists())
        return bool(user.groups.filter(name=OPERATORS).exists())


class SourcePagination(LedgerCursorPagination):
    ordering = ("id",)


class SourceViewSet(ConditionalMixin, viewsets.GenericViewSet):
    """Where editions come from; operators register sources and ask for checks."""

    serializer_class = SourceOutput
    pagination_class = SourcePagination
    permission_classes = [SourceAccess]
    lookup_value_regex = "[0-9]{1,18}"
    filter_backends: list[type] = []

    @extend_schema(
        parameters=[SourceListInput],
        responses={200: SourceOutput(many=True), 400: ErrorOutput, **_REFUSED},
    )
    def list(self, request: Request) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        data = parse(SourceListInput, request.query_params)
        page = self.paginate_queryset(source_list(report=data.get("report")))
        return self.get_paginated_response(SourceOutput(page, many=True).data)

    @extend_schema(
        request=SourceCreateInput,
        responses={201: SourceOutput, 400: ErrorOutput, **_REFUSED},
    )
    def create(self, request: Request) -> Response:
        data = _body(SourceCreateInput, request)
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
        responses={202: CheckQueuedOutput, 404: ErrorOutput, **_REFUSED},
    )
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str) -> Response:
        source = source_get(source_id=int(pk))
        if source is None:
            raise Http404
        transaction.on_commit(partial(tasks.source_check_task.delay, source.pk, "api"))
        return Response(CheckQueuedOutput({"source": source.pk, "queued": True}).data, status=202)
