"""Endpoints of actors (names, aliases and dated relations; read only) and of the editors'
place table (read; editors record and correct places through the place services)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from actors.api.selectors import actor_get, actor_list, place_list
from actors.api.serializers import (
    ActorListInput,
    ActorOutput,
    PlaceCorrectInput,
    PlaceListInput,
    PlaceRecordInput,
    PlaceRecordOutput,
)
from actors.models import Actor, Place
from actors.services import place_correct, place_record
from common.api.errors import ErrorOutput
from common.api.etags import uuid_or_404
from common.api.inputs import read_input
from common.api.pagination import LedgerCursorPagination
from common.api.reads import ReadViewSet
from common.api.services import call_service, decision_responses
from common.roles import PlaceAccess
from ledger.store import last_position


class ActorPagination(LedgerCursorPagination):
    ordering = ("name", "id")


class ActorViewSet(ReadViewSet):
    """Actors of the registry; merged duplicates only with include_merged."""

    queryset = Actor.objects.none()  # the model, for the schema's path parameter
    serializer_class = ActorOutput
    pagination_class = ActorPagination
    etag_from = (last_position,)  # actors are projected from events

    @extend_schema(
        parameters=[ActorListInput], responses={200: ActorOutput(many=True), 400: ErrorOutput}
    )
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request,
            params=ActorListInput,
            rows=lambda data: actor_list(
                q=data.get("q"), kind=data.get("kind"), include_merged=data["include_merged"]
            ),
            output=ActorOutput,
        )

    @extend_schema(responses={200: ActorOutput, 404: ErrorOutput})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.answer_one(
            request, fetch=lambda: actor_get(actor_id=uuid_or_404(pk)), output=ActorOutput
        )


_WRITE_ERRORS = {k: v for k, v in decision_responses(None).items() if k != 200}


class PlacePagination(LedgerCursorPagination):
    ordering = ("country", "name", "id")


class PlaceViewSet(ReadViewSet):
    """The editor-maintained places the gazetteer lacks; each change is an event (who, why)."""

    serializer_class = PlaceRecordOutput
    pagination_class = PlacePagination
    etag_from = (last_position,)  # places are projected from events
    permission_classes = [PlaceAccess]

    @extend_schema(
        parameters=[PlaceListInput], responses={200: PlaceRecordOutput(many=True), 400: ErrorOutput}
    )
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request,
            params=PlaceListInput,
            rows=lambda data: place_list(country=data.get("country"), q=data.get("q")),
            output=PlaceRecordOutput,
        )

    @extend_schema(
        request=PlaceRecordInput,
        responses={201: PlaceRecordOutput, **_WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Record a place (editors); the parser knows it at the next ingestion."""
        data = read_input(PlaceRecordInput, request)
        outcome = call_service(
            lambda: place_record(editor=request.user, **data), fields=tuple(data)
        )
        if isinstance(outcome, Response):
            return outcome
        return Response(PlaceRecordOutput(Place.objects.get(id=outcome)).data, status=201)

    @extend_schema(request=PlaceCorrectInput, responses=decision_responses(PlaceRecordOutput))
    def partial_update(self, request: Request, pk: str) -> Response:
        """Correct some of a place's fields (editors)."""
        place_id = uuid_or_404(pk)
        if not Place.objects.filter(id=place_id).exists():
            raise Http404
        data = read_input(PlaceCorrectInput, request)
        outcome = call_service(
            lambda: place_correct(place_id=place_id, editor=request.user, **data),
            fields=tuple(data),
        )
        if isinstance(outcome, Response):
            return outcome
        return Response(PlaceRecordOutput(Place.objects.get(id=place_id)).data)
