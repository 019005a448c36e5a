"""Read endpoints of incidents and claims: parse the query, call one selector, render.

Lists page with keyset cursors (`next` and `previous` links, common.api.pagination), answer
`fields` with sparse objects, and travel in time with `as_of` / `as_of_position` /
`as_of_edition`. Exports are their own operations (export_views.py); the list's old
`format=csv|geojson|jsonl` redirects there.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.errors import ErrorOutput
from common.api.etags import UUID_PATTERN, uuid_or_404
from common.api.inputs import NoParamsInput, invalid_parameter, parse
from common.api.pagination import LedgerCursorPagination, keyset_links
from common.api.reads import ConditionalReadMixin, ReadViewSet
from incidents.api import exports
from incidents.api.filters import (
    ClaimListInput,
    IncidentListInput,
    TimeTravelInput,
)
from incidents.api.serializers import (
    ClaimOutput,
    EntryPartsOutput,
    HistoryOutput,
    IncidentOutput,
    IncidentPageOutput,
)
from incidents.editions import edition_records
from incidents.models import Claim
from incidents.selectors import (
    Cursor,
    TimeTravelError,
    claim_get,
    claim_list,
    incident_count,
    incident_get,
    incident_history,
    incident_page,
    incident_state_as_of,
    position_in_log,
    time_travel_position,
)
from ledger.store import last_position

_ERRORS = {400: ErrorOutput, 404: ErrorOutput}


def _as_of(data: dict[str, Any]) -> int | None:
    """The log position the parsed as_of / as_of_position / as_of_edition mean (None: now),
    asked of the selector, which also checks `since_position` lies in the log; what it cannot
    answer is a 400 naming the parameter, like any other invalid parameter."""
    try:
        position_in_log("since_position", data.get("since_position"))
        return time_travel_position(
            as_of=data.get("as_of"),
            as_of_position=data.get("as_of_position"),
            as_of_edition=data.get("as_of_edition"),
        )
    except TimeTravelError as error:
        raise invalid_parameter(error.parameter, str(error)) from error


class IncidentViewSet(ConditionalReadMixin, viewsets.ViewSet):
    """Incidents as the ledger holds them now, or held them then."""

    # Incidents are projected from events. An entry's parts (EditionEntry) are written in the
    # transaction that appends the edition's IncidentSeen events, so the log moves with them.
    etag_from = (last_position,)

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

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response) and response.exception and self._export_format(request):
            # An error answers in JSON even when the client asked for an export format.
            request.accepted_renderer, request.accepted_media_type = (
                JSONRenderer(),
                "application/json",
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def _moved(self, request: Request, fmt: str) -> HttpResponseRedirect:
        """The exports moved to their own operations (/incidents/export.csv, ...); the old
        `?format=` links keep working through a permanent redirect."""
        query = request.query_params.copy()
        query.pop("format", None)
        if fmt != "csv":
            query.pop("layout", None)
        target = reverse(f"incident-export-{fmt}") + (f"?{query.urlencode()}" if query else "")
        return HttpResponseRedirect(target, status=308)

    @extend_schema(
        operation_id="incidents_list",
        parameters=[IncidentListInput],
        responses={
            200: IncidentPageOutput,
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
            **_ERRORS,
        },
    )
    def list(self, request: Request) -> Response | HttpResponseRedirect:
        if fmt := self._export_format(request):
            return self._moved(request, fmt)
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        data = parse(IncidentListInput, request.query_params)
        filters = IncidentListInput.to_filters(data)
        ordering = IncidentListInput.to_ordering(data)
        as_of, only = _as_of(data), data.get("fields")
        cursor = data.get("cursor")
        mark = Cursor(cursor.value, cursor.id) if cursor else None
        backwards = bool(cursor and cursor.backwards)
        page = incident_page(
            filters=filters,
            ordering=ordering,
            after=None if backwards else mark,
            before=mark if backwards else None,
            size=data["page_size"],
            as_of=as_of,
        )
        next_url, previous_url = keyset_links(
            request,
            data["ordering"],
            next_item=(page.next.value, page.next.id) if page.next else None,
            previous_item=(page.previous.value, page.previous.id) if page.previous else None,
        )
        body: dict[str, Any] = {}
        if data["count"]:
            body["count"] = incident_count(filters=filters, as_of=as_of)
        body |= {
            "results": IncidentOutput(page.items, many=True, only=only).data,
            "next": next_url,
            "previous": previous_url,
            "position": page.position,
        }
        return Response(body)

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
        return self.answer_one(
            request,
            params=NoParamsInput,
            fetch=lambda: incident_history(incident_id=uuid_or_404(pk)),
            output=lambda events: HistoryOutput(
                {"incident": pk, "results": [e.as_row() for e in events]}
            ),
        )

    @extend_schema(responses={200: EntryPartsOutput, 404: ErrorOutput})
    @action(detail=True, methods=["get"])
    def parts(self, request: Request, pk: str) -> Response:
        """The incidents of the timeline entry this one came from (its edition and line), in
        part order: an entry that reports several events gives one incident per event."""
        return self.answer_one(
            request,
            params=NoParamsInput,
            fetch=lambda: incident_get(incident_id=uuid_or_404(pk)),
            output=lambda state: EntryPartsOutput(
                {
                    "incident": pk,
                    "results": edition_records().incident_entry_parts(
                        incident_id=uuid.UUID(state.id)
                    ),
                }
            ),
        )


class ClaimPagination(LedgerCursorPagination):
    ordering = ("id",)


class ClaimViewSet(ReadViewSet):
    """Claims about incidents: who asserts what, with its rank."""

    queryset = Claim.objects.none()  # the model, for the schema's path parameter
    serializer_class = ClaimOutput
    pagination_class = ClaimPagination
    etag_from = (last_position,)  # claims are projected from events

    @extend_schema(parameters=[ClaimListInput], responses={200: ClaimOutput(many=True), **_ERRORS})
    def list(self, request: Request) -> Response:
        return self.answer_page(
            request,
            params=ClaimListInput,
            rows=lambda data: claim_list(
                incident_id=data.get("incident"),
                property=data.get("property"),
                rank=data.get("rank"),
                claimant=data.get("claimant"),
                include_dropped=data["include_dropped"],
            ),
            output=ClaimOutput,
        )

    @extend_schema(responses={200: ClaimOutput, **_ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.answer_one(
            request, fetch=lambda: claim_get(claim_id=uuid_or_404(pk)), output=ClaimOutput
        )
