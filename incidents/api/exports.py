"""Streamed exports of an incident list: CSV (ours or ACLED's layout), GeoJSON, JSON lines.

Each takes the API representation of incidents (IncidentOutput data) one at a time and yields
text, so a million-row export streams in constant memory. Every CSV cell that a spreadsheet
would run as a formula is neutralised (OWASP's rule, `neutralise`). The renderers only name the
formats for content negotiation; the export views do the streaming.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from rest_framework.renderers import BaseRenderer

from actors.selectors import actor_kinds
from incidents.api.acled import ACLED_COLUMNS, acled_rows
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


# A cell a spreadsheet runs as a formula starts with one of these (OWASP, CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe, which shows it as
    text. Numbers are numbers (a negative longitude stays numeric); only text is touched, so
    "-5" typed into a paragraph is neutralised while the number -5 is not."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _actor_lookup(ids: Iterable[str]) -> dict[str, tuple[str, str | None, str]]:
    return actor_kinds(actor_ids=ids)


def csv_lines(items: Iterable[Item], *, layout: str = "default") -> Iterator[str]:
    writer = csv.writer(_Line())
    if layout == "acled":
        rows: Iterable[list[Any]] = acled_rows(items, lookup=_actor_lookup, place_of=_first_located)
        columns: tuple[str, ...] = ACLED_COLUMNS
    else:
        rows, columns = (_csv_row(item) for item in items), CSV_COLUMNS
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def _flat_properties(item: Item) -> Item:
    """Properties a GIS tool can filter on: numbers as numbers, the place's fields flat, lists
    of names as one "; "-joined string and actor ids as a list (GDAL reads a StringList)."""
    place = _first_located(item) or {}
    figures = {
        f"{prop}_{k}": item["casualties"][prop][k]
        for prop in CASUALTY_PROPERTIES
        for k in ("low", "best", "high")
    }
    return {
        "id": item["id"],
        "report": item["report"],
        "status": item["status"],
        "review_state": item["review_state"],
        "merged_into": item["merged_into"],
        "date_start": item["date_start"],
        "date_end": item["date_end"],
        "date_precision": item["date_precision"],
        "country": item["country"],
        "admin1": place.get("admin1"),
        "place": place.get("name"),
        "place_precision": place.get("precision"),
        "place_relation": place.get("relation"),
        "places": "; ".join(p["name"] for p in item["places"]),
        "event_type": item["event_type"],
        # null, not [], when none: GDAL types a field of string lists and nulls as StringList,
        # but an empty list makes it generic JSON.
        "actor_ids": [str(p["actor_id"]) for p in item["perpetrators"] if p["actor_id"]] or None,
        "perpetrators": _perpetrators(item),
        "targets": "; ".join(item["targets"]),
        **figures,
        "sources": "; ".join(item["sources"]),
        "first_edition_id": item["first_edition_id"],
        "last_edition_id": item["last_edition_id"],
        "updated_at": item["updated_at"],
        "last_position": item["last_position"],
        "part": item.get("part"),
    }


def _feature(item: Item) -> Item:
    place = _first_located(item)
    geometry = None
    if place and place["latitude"] is not None and place["longitude"] is not None:
        geometry = {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]}
    properties = _flat_properties(item)
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
