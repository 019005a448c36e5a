"""Streamed exports of an incident list: CSV (ours or an ACLED-like layout), GeoJSON, JSON lines.

Each takes the API representation of incidents (IncidentOutput data) one at a time and yields
text, so a million-row export streams in constant memory. The renderers only name the formats
for content negotiation (`?format=csv` or an Accept header); the list view does the streaming.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from rest_framework.renderers import BaseRenderer

from incidents.state import CASUALTY_PROPERTIES

Item = dict[str, Any]


class _ExportRenderer(BaseRenderer):
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):  # type: ignore[no-untyped-def, override]
        # Reached only for error bodies: exports themselves are streamed by the view.
        return json.dumps(data).encode()


class CSVRenderer(_ExportRenderer):
    media_type = "text/csv"
    format = "csv"


class GeoJSONRenderer(_ExportRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class JSONLinesRenderer(_ExportRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"


EXPORT_RENDERERS = (CSVRenderer, GeoJSONRenderer, JSONLinesRenderer)


class _Line:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _first_located(item: Item) -> Item | None:
    """The place whose coordinates stand for the incident: one of its own places if located,
    else a reference place ("north of Bamako", precision near, its relation kept), else the
    first place named."""
    located = [p for p in item["places"] if p["latitude"] is not None]
    own = [p for p in located if not p.get("relation")]
    return (own or located or item["places"] or [None])[0]


def _perpetrators(item: Item) -> str:
    return "; ".join(f"{p['name']} ({p['status']})" for p in item["perpetrators"])


CSV_COLUMNS = (
    "id",
    "part",  # 0 for its entry's primary event; 1, 2, ... for further events of one entry
    "status",
    "date_start",
    "date_end",
    "date_precision",
    "country",
    "admin1",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "place_relation",  # "north of", "near": the coordinates are a reference place's, not its own
    "event_type",
    "perpetrators",
    "targets",
    *(f"{prop}_{k}" for prop in CASUALTY_PROPERTIES for k in ("low", "best", "high")),
    "sources",
    "first_edition_id",
    "last_edition_id",
    "updated_at",
    "text",
)


def _csv_row(item: Item) -> list[Any]:
    place = _first_located(item) or {}
    return [
        item["id"],
        item.get("part"),
        item["status"],
        item["date_start"],
        item["date_end"],
        item["date_precision"],
        item["country"],
        place.get("admin1"),
        place.get("name"),
        place.get("latitude"),
        place.get("longitude"),
        place.get("precision"),
        place.get("relation"),
        item["event_type"],
        _perpetrators(item),
        "; ".join(item["targets"]),
        *(
            item["casualties"][prop][k]
            for prop in CASUALTY_PROPERTIES
            for k in ("low", "best", "high")
        ),
        "; ".join(item["sources"]),
        item["first_edition_id"],
        item["last_edition_id"],
        item["updated_at"],
        item["text"],
    ]


# ACLED's export columns that this ledger can fill; the rest stay empty so tools that read
# ACLED files find every column where they expect it.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
_TIME_PRECISION = {"day": 1, "range": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"exact": 1, "near": 2, "region": 3, "country": 3}


def _acled_row(item: Item) -> list[Any]:
    place = _first_located(item) or {}
    actors = [p["name"] for p in item["perpetrators"] if p["status"] != "denied"]
    values = {
        "event_id_cnty": item["id"],
        "event_date": item["date_start"],
        "year": item["date_start"][:4] if item["date_start"] else None,
        "time_precision": _TIME_PRECISION.get(item["date_precision"]),
        "event_type": item["event_type"],
        "actor1": actors[0] if actors else None,
        "assoc_actor_1": "; ".join(actors[1:]),
        "actor2": "; ".join(item["targets"]),
        "country": item["country"],
        "admin1": place.get("admin1"),
        "location": place.get("name"),
        "latitude": place.get("latitude"),
        "longitude": place.get("longitude"),
        "geo_precision": _GEO_PRECISION.get(place.get("precision") or ""),
        "source": "; ".join(item["sources"]),
        "notes": item["text"],
        "fatalities": item["casualties"]["killed"]["best"],
        "timestamp": item["updated_at"],
    }
    return [values.get(column) for column in ACLED_COLUMNS]


def csv_lines(items: Iterable[Item], *, layout: str = "default") -> Iterator[str]:
    columns, row = (ACLED_COLUMNS, _acled_row) if layout == "acled" else (CSV_COLUMNS, _csv_row)
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for item in items:
        yield writer.writerow(row(item))


def _feature(item: Item) -> Item:
    place = _first_located(item)
    geometry = None
    if place and place["latitude"] is not None and place["longitude"] is not None:
        geometry = {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]}
    properties = {k: v for k, v in item.items() if k not in ("claims", "text")}
    return {"type": "Feature", "id": item["id"], "geometry": geometry, "properties": properties}


def geojson_chunks(items: Iterable[Item]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    for n, item in enumerate(items):
        yield ("," if n else "") + json.dumps(_feature(item), default=str)
    yield "]}\n"


def jsonl_lines(items: Iterable[Item]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, default=str) + "\n"


def stream(fmt: str, items: Iterable[Item], *, layout: str) -> tuple[Iterator[str], str, str]:
    """(chunks, content type, file extension) of an export."""
    if fmt == "csv":
        return csv_lines(items, layout=layout), "text/csv; charset=utf-8", "csv"
    if fmt == "geojson":
        return geojson_chunks(items), "application/geo+json", "geojson"
    return jsonl_lines(items), "application/x-ndjson", "jsonl"
