"""The review queue over the API, for review tools: list and read flags, and accept, reject or
correct one. Editors (and superusers) only; each decision calls one service with the user."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from config.pagination import LedgerCursorPagination
from incidents.api.filters import parse
from incidents.api.serializers import ErrorOutput
from incidents.review_curation import CurationError
from incidents.review_decisions import flag_accept, flag_correct, flag_reject
from incidents.review_models import ReviewFlag
from incidents.review_selectors import FlagFilters, flag_get, flag_list
from incidents.roles import can_curate
from ledger.api.common import UUID_PATTERN, ConditionalMixin, uuid_or_404
from ledger.errors import ConcurrencyConflict


class EditorsOnly(BasePermission):
    """The queue is editors' work: viewers and operators get 403, anonymous clients 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_curate(request.user)


class FlagListInput(serializers.Serializer):
    incident = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=ReviewFlag.Status.values, required=False)
    kind = serializers.ChoiceField(choices=ReviewFlag.Kind.values, required=False)
    edition = serializers.IntegerField(required=False, min_value=1)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)


class FlagOutput(serializers.ModelSerializer):
    incident = serializers.UUIDField(source="incident_id", allow_null=True)
    edition = serializers.IntegerField(source="edition_id", allow_null=True)
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    corrected_value = serializers.JSONField(allow_null=True)
    detail = serializers.DictField()  # type: ignore[assignment]

    class Meta:
        model = ReviewFlag
        fields = (
            "id",
            "kind",
            "status",
            "report",
            "incident",
            "field",
            "before",
            "after",
            "before_text",
            "after_text",
            "edition",
            "detail",
            "raised_at",
            "decided_by",
            "decided_at",
            "reason",
            "corrected_value",
        )


class AcceptInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the change is wrong; required.")


class CorrectInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Why; required.")
    value = serializers.JSONField(
        help_text="The field's right value: text for text, country and event_type; a number or "
        '"5-9" for casualties; {"date_start", "date_end", "date_precision"} for date; a list '
        'for places, perpetrators, targets and sources; {"lat", "lon"} for an unresolved place.'
    )


class FlagPagination(LedgerCursorPagination):
    ordering = ("raised_at", "id")  # type: ignore[assignment]  # DRF takes a tuple too


# Viewers and operators are refused (403), anonymous clients asked to authenticate (401).
_REFUSED = {401: ErrorOutput, 403: ErrorOutput}
_DECISION_RESPONSES = {
    200: FlagOutput,
    400: ErrorOutput,
    404: ErrorOutput,
    409: ErrorOutput,
    **_REFUSED,
}


class FlagViewSet(ConditionalMixin, viewsets.GenericViewSet):
    """Review flags: changes awaiting, or having had, an editor's decision."""

    serializer_class = FlagOutput
    pagination_class = FlagPagination
    permission_classes = [EditorsOnly]
    lookup_value_regex = UUID_PATTERN
    filter_backends: list[type] = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        data = parse(FlagListInput, self.request.query_params)
        return flag_list(
            filters=FlagFilters(
                incident=data.get("incident"),
                status=data.get("status"),
                kind=data.get("kind"),
                edition=data.get("edition"),
            )
        )

    @extend_schema(
        parameters=[FlagListInput],
        responses={200: FlagOutput(many=True), 400: ErrorOutput, **_REFUSED},
    )
    def list(self, request: Request) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FlagOutput(page, many=True).data)

    @extend_schema(responses={200: FlagOutput, 404: ErrorOutput, **_REFUSED})
    def retrieve(self, request: Request, pk: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        return Response(FlagOutput(self._flag(pk)).data)

    @extend_schema(request=AcceptInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        data = self._input(AcceptInput, request)
        return self._decided(pk, lambda f: flag_accept(flag_id=f, editor=request.user, **data))

    @extend_schema(request=RejectInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = self._input(RejectInput, request)
        return self._decided(pk, lambda f: flag_reject(flag_id=f, editor=request.user, **data))

    @extend_schema(request=CorrectInput, responses=_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        data = self._input(CorrectInput, request)
        return self._decided(pk, lambda f: flag_correct(flag_id=f, editor=request.user, **data))

    def _flag(self, pk: str) -> ReviewFlag:
        flag = flag_get(flag_id=uuid_or_404(pk))
        if flag is None:
            raise Http404
        return flag

    def _input(self, serializer_class: type[serializers.Serializer], request: Request) -> Any:
        serializer = serializer_class(data=request.data)
        if not serializer.is_valid():
            raise ValidationError({"detail": "Invalid request body.", "errors": serializer.errors})
        return dict(serializer.validated_data)

    def _decided(self, pk: str, decide: Any) -> Response:
        flag = self._flag(pk)
        try:
            decide(flag.id)
        except ConcurrencyConflict:
            return Response(
                {"detail": "The flag or its incident changed meanwhile; reload and decide again."},
                status=409,
            )
        except CurationError as exc:
            status = 409 if flag.status != ReviewFlag.Status.OPEN else 400
            return Response({"detail": str(exc)}, status=status)
        return Response(FlagOutput(self._flag(pk)).data)
