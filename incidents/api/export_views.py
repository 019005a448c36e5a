"""Exports of the incident list as their own operations: /incidents/export.csv, .geojson, .jsonl.

Each takes the list's filters and ordering (the same input, to_filters and selector as the
list, so both always select the same incidents), streams every matching incident, and declares
its own media type, so a generated client knows it downloads text, not JSON. Errors are JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from common.api.errors import ErrorOutput
from common.api.inputs import parse
from common.api.negotiation import refuse_other_format
from incidents.api import exports
from incidents.api.filters import IncidentListInput
from incidents.api.serializers import IncidentOutput
from incidents.api.views import _as_of
from incidents.editions import edition_records
from incidents.selectors import incident_iter
from incidents.state import IncidentState


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
    parts = edition_records().incident_parts_of(incident_ids=[s.id for s in chunk])
    items = IncidentOutput(chunk, many=True).data
    return [{**item, "part": parts.get(item["id"])} for item in items]


class ExportInput(IncidentListInput):
    """The list's filters, ordering and time travel; no paging (an export is every match)."""

    # `fields` is also the serializer's own property, so these leave by get_fields.
    left_out: ClassVar[frozenset[str]] = frozenset(
        {"page_size", "cursor", "fields", "count", "layout"}
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        return {k: v for k, v in super().get_fields().items() if k not in self.left_out}


class CSVExportInput(ExportInput):
    left_out = ExportInput.left_out - {"layout"}
    layout = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[("default", "default"), ("acled", "acled")],
        required=False,
        default="default",
        help_text="default: our columns; acled: ACLED's columns and vocabulary (see the docs).",
    )


class _FirstRenderer(BaseContentNegotiation):
    """The body is streamed in the export's own type; only errors are rendered, in JSON. An
    Accept header cannot turn an export into something else; `?format=` other than the
    export's own is a 400."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type

    def select_parser(self, request: Request, parsers: Iterable[Any]) -> Any:
        return next(iter(parsers), None)


_ERRORS = {400: ErrorOutput}


class _IncidentExport(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FirstRenderer
    throttle_scope = "exports"
    fmt: ClassVar[str]
    input_class: ClassVar[type[serializers.Serializer]] = ExportInput

    def get(self, request: Request) -> StreamingHttpResponse:
        refuse_other_format(request, self.fmt)
        data = parse(self.input_class, request.query_params)
        states = incident_iter(
            filters=IncidentListInput.to_filters(data),
            ordering=IncidentListInput.to_ordering(data),
            as_of=_as_of(data),
        )
        layout = data.get("layout", "default")
        chunks, content_type, extension = exports.stream(self.fmt, _exported(states), layout=layout)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        name = "incidents-acled" if layout == "acled" else "incidents"
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response


def _documented(fmt: str, media_type: str, body: Any, params: type[serializers.Serializer]) -> Any:
    """The export's own operation in the schema: its id, its parameters and its media type."""
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"incidents_export_{fmt}",
            parameters=[params],
            responses={(200, media_type): body, **_ERRORS},
        )
    )


@_documented("csv", "text/csv", OpenApiTypes.STR, CSVExportInput)
class IncidentCSVExport(_IncidentExport):
    """Every matching incident as CSV (ours or ACLED's layout); formula-like cells neutralised."""

    fmt = "csv"
    input_class = CSVExportInput


@_documented("geojson", "application/geo+json", OpenApiTypes.OBJECT, ExportInput)
class IncidentGeoJSONExport(_IncidentExport):
    """Every matching incident as a GeoJSON FeatureCollection with flat, typed properties."""

    fmt = "geojson"


@_documented("jsonl", "application/x-ndjson", OpenApiTypes.STR, ExportInput)
class IncidentJSONLinesExport(_IncidentExport):
    """Every matching incident as JSON lines: one incident (the list's shape) per line."""

    fmt = "jsonl"


EXPORT_VIEWS: dict[str, type[_IncidentExport]] = {
    "csv": IncidentCSVExport,
    "geojson": IncidentGeoJSONExport,
    "jsonl": IncidentJSONLinesExport,
}
