"""Editors' curation of one incident over the API, for tools and bulk work: merge it into
another, correct a field, lock or unlock a field, resolve one of its places. The same services,
rules and events as the admin; editors only. Each answers with the incident as it is now."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.etags import UUID_PATTERN, uuid_or_404
from common.api.inputs import read_input
from common.api.services import call_service, decision_responses
from common.roles import EditorsOnly
from incidents.api.serializers import IncidentOutput
from incidents.review.curation import (
    incident_correct_field,
    incident_lock_field,
    incident_resolve_place,
    incident_unlock_field,
)
from incidents.review.merge import incident_merge_into
from incidents.selectors import incident_get
from incidents.state import REVIEW_FIELDS

_FIELDS = [name for name in REVIEW_FIELDS if name != "claims"]


class MergeIntoInput(serializers.Serializer):
    survivor = serializers.UUIDField(help_text="The incident this one is a duplicate of.")
    reason = serializers.CharField(help_text="Why they are one incident; required.")


class CorrectFieldInput(serializers.Serializer):
    field = serializers.ChoiceField(choices=_FIELDS)
    value = serializers.JSONField(
        help_text="The field's right value: text for text, country and event_type; a number or "
        '"5-9" for casualties; {"date_start", "date_end", "date_precision"} for date; a list '
        "of objects for locations (each with a name) and perpetrators; a list of texts for "
        "targets and sources."
    )
    reason = serializers.CharField(help_text="Why; required.")
    confirm_foreign = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A place added in another country than the incident's is refused unless true.",
    )


class FieldReasonInput(serializers.Serializer):
    field = serializers.ChoiceField(choices=[*_FIELDS, "claims"])
    reason = serializers.CharField(help_text="Why; required.")


class ResolvePlaceInput(serializers.Serializer):
    place = serializers.CharField(help_text="The place's name as the incident has it.")
    reason = serializers.CharField(help_text="Why; required.")
    place_id = serializers.UUIDField(
        required=False,
        help_text="A place of the places table: its coordinates, country and admin1 are used "
        "unless given here.",
    )
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    country = serializers.CharField(required=False)
    admin1 = serializers.CharField(required=False)
    resolved_name = serializers.CharField(required=False)
    confirm_foreign = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A place in another country than the incident's is refused unless true.",
    )


_RESPONSES = decision_responses(IncidentOutput)


class IncidentCurationViewSet(viewsets.ViewSet):
    """Editors' changes to one incident (the incident endpoints themselves only read)."""

    permission_classes = [EditorsOnly]
    lookup_value_regex = UUID_PATTERN

    @extend_schema(request=MergeIntoInput, responses=_RESPONSES)
    @action(detail=True, methods=["post"], url_path="merge-into")
    def merge_into(self, request: Request, pk: str) -> Response:
        """Merge this incident into `survivor`: its claims and sources go with it, its open
        flags are closed, and the pair is never flagged as a possible duplicate again."""
        data = read_input(MergeIntoInput, request)
        survivor = data["survivor"]
        return self._done(
            pk,
            lambda i: incident_merge_into(
                loser_id=i, survivor_id=survivor, editor=request.user, reason=data["reason"]
            ),
            fields=("survivor", "reason"),
            show=survivor,
        )

    @extend_schema(request=CorrectFieldInput, responses=_RESPONSES)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        """Set a field by hand; it is held from now on (later editions only flag changes)."""
        data = read_input(CorrectFieldInput, request)
        return self._done(
            pk,
            lambda i: incident_correct_field(incident_id=i, editor=request.user, **data),
            fields=("field", "value", "reason"),
            default_field="value",
        )

    @extend_schema(request=FieldReasonInput, responses=_RESPONSES)
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, pk: str) -> Response:
        """Hold a field at its current value."""
        data = read_input(FieldReasonInput, request)
        return self._done(
            pk, lambda i: incident_lock_field(incident_id=i, editor=request.user, **data)
        )

    @extend_schema(request=FieldReasonInput, responses=_RESPONSES)
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str) -> Response:
        """Let a field follow the latest edition again."""
        data = read_input(FieldReasonInput, request)
        return self._done(
            pk, lambda i: incident_unlock_field(incident_id=i, editor=request.user, **data)
        )

    @extend_schema(request=ResolvePlaceInput, responses=_RESPONSES)
    @action(detail=True, methods=["post"], url_path="resolve-place")
    def resolve_place(self, request: Request, pk: str) -> Response:
        """Give one of the incident's places coordinates, from the places table or by hand."""
        data = read_input(ResolvePlaceInput, request)
        return self._done(
            pk,
            lambda i: incident_resolve_place(incident_id=i, editor=request.user, **data),
            fields=tuple(ResolvePlaceInput().fields),
        )

    def _done(
        self,
        pk: str,
        run: Any,
        *,
        fields: tuple[str, ...] = ("field", "reason"),
        default_field: str | None = None,
        show: Any = None,
    ) -> Response:
        incident_id = uuid_or_404(pk)
        outcome = call_service(lambda: run(incident_id), fields=fields, default_field=default_field)
        if isinstance(outcome, Response):
            if outcome.status_code == 400 and incident_get(incident_id=incident_id) is None:
                return Response({"detail": f"No incident {incident_id}."}, status=404)
            return outcome
        incident = incident_get(incident_id=show or incident_id)
        return Response(IncidentOutput(incident).data)
