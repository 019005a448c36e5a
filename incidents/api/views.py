"""Read endpoints of incidents and claims: parse the query, call one selector, render.

Lists page with keyset cursors (`next` links), answer `fields` with sparse objects, travel in
time with `as_of` / `as_of_position` / `as_of_edition`, and stream exports for
`format=csv|geojson|jsonl`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.pagination import LedgerCursorPagination
from incidents.api import exports
from incidents.api.filters import (
    ClaimListInput,
    IncidentListInput,
    NoParamsInput,
    TimeTravelInput,
    encode_cursor,
    parse,
)
from incidents.api.serializers import (
    ClaimOutput,
    EntryPartsOutput,
    ErrorOutput,
    HistoryOutput,
    IncidentOutput,
    IncidentPageOutput,
)
from incidents.selectors import (
    claim_get,
    claim_list,
    incident_get,
    incident_history,
    incident_iter,
    incident_page,
    incident_state_as_of,
)
from incidents.state import IncidentState
from ingestion.selectors import incident_entry_parts, incident_parts_of
from ledger.api.common import UUID_PATTERN, ConditionalMixin, uuid_or_404

_ERRORS = {400: ErrorOutput, 404: ErrorOutput}


def _exported(states: Iterable[IncidentState], batch: int = 500) -> Iterator[dict[str, Any]]:
    """States as IncidentOutput plus `part` (the entry part an edition last read it as: an
    edition's record, so exports add it but the API's incident object, which the change feed
    reproduces, does not), a batch at a time so each batch looks its parts up at once."""
    chunk: list[IncidentState] = []
    for state in states:
        chunk.append(state)
        if len(chunk) == batch:
            yield from _with_parts(chunk)
            chunk = []
    if chunk:
        yield from _with_parts(chunk)


def _with_parts(chunk: list[IncidentState]) -> list[dict[str, Any]]:
    parts = incident_parts_of(incident_ids=[s.id for s in chunk])
    items = IncidentOutput(chunk, many=True).data
    return [{**item, "part": parts.get(item["id"])} for item in items]


def _as_of(data: dict[str, Any]) -> int | None:
    return data["position"]  # resolved by TimeTravelInput (incidents.selectors)


class IncidentViewSet(ConditionalMixin, viewsets.ViewSet):
    """Incidents as the ledger holds them now, or held them then."""

    lookup_value_regex = UUID_PATTERN
    throttle_scope = "incidents"

    def get_renderers(self) -> list[BaseRenderer]:
        renderers = super().get_renderers()
        if getattr(self, "detail", None) is False:  # the list route, whatever the method
            renderers += [renderer() for renderer in exports.EXPORT_RENDERERS]
        return renderers

    def _export_format(self, request: Request) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        return renderer.format if isinstance(renderer, exports._ExportRenderer) else None

    def check_throttles(self, request: Request) -> None:
        if self._export_format(request):
            self.throttle_scope = "exports"
        super().check_throttles(request)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response) and response.exception and self._export_format(request):
            # An error answers in JSON even when the client asked for an export format.
            request.accepted_renderer, request.accepted_media_type = (
                JSONRenderer(),
                "application/json",
            )
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="incidents_list",
        parameters=[IncidentListInput],
        responses={
            (200, "application/json"): IncidentPageOutput,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
            **_ERRORS,
        },
    )
    def list(self, request: Request) -> Response | StreamingHttpResponse:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        data = parse(IncidentListInput, request.query_params)
        filters = IncidentListInput.to_filters(data)
        ordering = IncidentListInput.to_ordering(data)
        as_of, only = _as_of(data), data.get("fields")
        if fmt := self._export_format(request):
            states = incident_iter(filters=filters, ordering=ordering, as_of=as_of)
            items = _exported(states)
            chunks, content_type, extension = exports.stream(fmt, items, layout=data["layout"])
            response = StreamingHttpResponse(chunks, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="incidents.{extension}"'
            return response
        after = data["cursor"][1] if "cursor" in data else None
        page = incident_page(
            filters=filters, ordering=ordering, after=after, size=data["page_size"], as_of=as_of
        )
        next_url = None
        if page.next is not None:
            token = encode_cursor(data["ordering"], page.next)
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", token)
        return Response(
            {
                "results": IncidentOutput(page.items, many=True, only=only).data,
                "next": next_url,
                "position": page.position,
            }
        )

    @extend_schema(
        parameters=[TimeTravelInput],
        responses={
            200: IncidentOutput,
            304: OpenApiResponse(description="Not modified"),
            **_ERRORS,
        },
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        data = parse(TimeTravelInput, request.query_params)
        as_of = _as_of(data)
        incident_id = uuid_or_404(pk)
        if as_of is None:
            state = incident_get(incident_id=incident_id)
        else:
            state = incident_state_as_of(incident_id=incident_id, position=as_of)
        if state is None:
            raise Http404
        return Response(IncidentOutput(state, only=data.get("fields")).data)

    @extend_schema(responses={200: HistoryOutput, 404: ErrorOutput})
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str) -> Response:
        """Every event of the incident and of its claims: what changed, who, when, why."""
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        parse(NoParamsInput, request.query_params)
        events = incident_history(incident_id=uuid_or_404(pk))
        if events is None:
            raise Http404
        results = [
            {
                "position": e.position,
                "recorded_at": e.recorded_at,
                "type": type(e.event).type_name(),
                "stream_type": e.stream_type,
                "stream_id": e.stream_id,
                "version": e.version,
                "who": e.metadata.get("who"),
                "why": e.metadata.get("why"),
                "edition_id": e.metadata.get("edition_id"),
                "flag_id": e.metadata.get("flag_id"),
                "data": e.event.to_data(),
            }
            for e in events
        ]
        return Response(HistoryOutput({"incident": pk, "results": results}).data)

    @extend_schema(responses={200: EntryPartsOutput, 404: ErrorOutput})
    @action(detail=True, methods=["get"])
    def parts(self, request: Request, pk: str) -> Response:
        """The incidents of the timeline entry this one came from (its edition and line), in
        part order: an entry that reports several events gives one incident per event."""
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        parse(NoParamsInput, request.query_params)
        incident_id = uuid_or_404(pk)
        if incident_get(incident_id=incident_id) is None:
            raise Http404
        results = incident_entry_parts(incident_id=incident_id)
        return Response(EntryPartsOutput({"incident": pk, "results": results}).data)


class ClaimPagination(LedgerCursorPagination):
    ordering = ("id",)
    page_size_query_param = "page_size"
    max_page_size = 500


class ClaimViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Claims about incidents: who asserts what, with its rank."""

    serializer_class = ClaimOutput
    pagination_class = ClaimPagination
    lookup_value_regex = UUID_PATTERN
    filter_backends: list[type] = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        data = parse(ClaimListInput, self.request.query_params)
        return claim_list(
            incident_id=data.get("incident"),
            property=data.get("property"),
            rank=data.get("rank"),
            claimant=data.get("claimant"),
            include_dropped=data["include_dropped"],
        )

    @extend_schema(parameters=[ClaimListInput], responses={200: ClaimOutput(many=True), **_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.not_modified(request) or super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ClaimOutput, **_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        claim = claim_get(claim_id=uuid_or_404(kwargs["pk"]))
        if claim is None:
            raise Http404
        return Response(ClaimOutput(claim).data)
