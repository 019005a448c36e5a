"""Query-parameter input of the incident endpoints: parse, validate, and say what is wrong.

These serializers only translate a query string into the selectors' IncidentFilters, Ordering
and Cursor; an invalid value answers 400 naming the parameter and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers

from common.api.pagination import (
    BIGINT,
    MAX_PAGE_SIZE,
    KeysetCursor,
    PagingInput,
    decode_keyset_cursor,
)
from incidents.api.serializers import INCIDENT_FIELDS
from incidents.selectors import (
    EVENT_TYPES,
    INCIDENT_STATUSES,
    ORDERINGS,
    PERPETRATOR_STATUSES,
    RELATED,
    IncidentFilters,
    Ordering,
)

ORDERING_CHOICES = [f"{sign}{key}" for key in ORDERINGS for sign in ("-", "")]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _choices(value: str, allowed: Iterable[str], name: str) -> tuple[str, ...]:
    items = _split(value)
    unknown = [v for v in items if v not in allowed]
    if unknown:
        raise serializers.ValidationError(
            f"Unknown {name} {', '.join(unknown)}; use any of {', '.join(allowed)}."
        )
    return items


def _bigint(*, min_value: int, help_text: str) -> serializers.IntegerField:
    """An optional log position or edition id: bounded by PostgreSQL's bigint, so a larger
    number is a 400 naming the parameter rather than an overflow in SQL."""
    return serializers.IntegerField(
        required=False, min_value=min_value, max_value=BIGINT, help_text=help_text
    )


# The kind of each ordering's cursor value, so a tampered cursor is refused before SQL.
CURSOR_KINDS = {"date_start": "date", "killed": "int", "updated": "int"}


class TimeTravelInput(serializers.Serializer):
    """as_of / as_of_position / as_of_edition, parsed only: the view asks the selector
    (incidents.selectors.time_travel_position) which log position they mean."""

    as_of = serializers.DateTimeField(
        required=False,
        help_text="Answer as the ledger stood at this moment of ledger time (ISO 8601): what had "
        "been recorded by then, not what a report said on that date. To ask what a report said "
        "on its date, use as_of_edition.",
    )
    as_of_position = _bigint(
        min_value=0,
        help_text="Answer as the ledger stood right after this log position (0 .. the last).",
    )
    as_of_edition = _bigint(
        min_value=1,
        help_text="Answer as the report stood in this edition: the ledger right after the "
        "edition's ingestion committed.",
    )
    fields = serializers.CharField(  # type: ignore[assignment]
        required=False, help_text="Comma-separated top-level fields to return (sparse response)."
    )

    def validate_as_of(self, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def validate_fields(self, value: str) -> frozenset[str]:
        return frozenset(_choices(value, sorted(INCIDENT_FIELDS), "field"))


class IncidentListInput(PagingInput, TimeTravelInput):
    date_from = serializers.DateField(
        required=False, help_text="Incidents whose possible dates reach this day or later."
    )
    date_to = serializers.DateField(
        required=False, help_text="Incidents whose possible dates start on this day or earlier."
    )
    country = serializers.CharField(required=False, help_text="Comma-separated country names.")
    admin1 = serializers.CharField(required=False, help_text="Comma-separated admin1 regions.")
    place = serializers.CharField(required=False, help_text="Comma-separated place names.")
    bbox = serializers.CharField(
        required=False, help_text="min_lon,min_lat,max_lon,max_lat (WGS84 degrees)."
    )
    actor = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Canonical name or any alias; repeat the parameter for several actors.",
    )
    include_related = serializers.CharField(
        required=False, help_text="Comma-separated: predecessors, affiliates, successors."
    )
    attribution = serializers.CharField(
        required=False,
        help_text="Attribution status of the (matching) perpetrator: "
        f"{', '.join(PERPETRATOR_STATUSES)}; comma-separated.",
    )
    status = serializers.CharField(
        required=False,
        help_text=f"Incident status: {', '.join(INCIDENT_STATUSES)}; comma-separated. "
        "Without it the list is the curated view (active; with include_dropped, dropped too).",
    )
    include = serializers.ChoiceField(
        choices=["all"],
        required=False,
        help_text="`all`: every status (active, dropped, merged, retracted), tombstones included: "
        "what a copy folded from /changes/ holds.",
    )
    event_type = serializers.CharField(
        required=False, help_text=f"Comma-separated event types: {', '.join(EVENT_TYPES)}."
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Incidents whose state changed at or after this moment (ledger time).",
    )
    since_position = _bigint(
        min_value=0, help_text="Incidents whose state changed after this log position."
    )
    killed_min = serializers.IntegerField(required=False, min_value=0)
    killed_max = serializers.IntegerField(required=False, min_value=0)
    target = serializers.CharField(required=False, help_text="Text contained in a target.")
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, help_text="Text contained in a source."
    )
    edition = _bigint(
        min_value=1,
        help_text="Present in this edition (recorded, revised or listed unchanged there).",
    )
    first_edition = _bigint(min_value=1, help_text="First seen in this edition.")
    last_edition = _bigint(min_value=1, help_text="Last seen in this edition.")
    include_dropped = serializers.BooleanField(
        required=False, default=False, help_text="Also list incidents missing from later editions."
    )
    q = serializers.CharField(required=False, help_text="Text the incident's paragraph contains.")
    ordering = serializers.ChoiceField(
        choices=ORDERING_CHOICES, required=False, default="-date_start"
    )
    # cursor and count come from PagingInput; the incident list pages 50 at a time by default.
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=50
    )
    layout = serializers.ChoiceField(
        choices=["default", "acled"],
        required=False,
        default="default",
        help_text="Column layout of format=csv exports.",
    )

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        try:
            parts = [float(p) for p in value.split(",")]
        except ValueError:
            parts = []
        if len(parts) != 4:
            raise serializers.ValidationError("Give four numbers: min_lon,min_lat,max_lon,max_lat.")
        min_lon, min_lat, max_lon, max_lat = parts
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise serializers.ValidationError(
                "Longitudes must lie in -180..180 and latitudes in -90..90, minimum first."
            )
        return (min_lon, min_lat, max_lon, max_lat)

    def validate_include_related(self, value: str) -> frozenset[str]:
        return frozenset(_choices(value, RELATED, "relation"))

    def validate_attribution(self, value: str) -> tuple[str, ...]:
        return _choices(value, PERPETRATOR_STATUSES, "attribution")

    def validate_status(self, value: str) -> tuple[str, ...]:
        return _choices(value, INCIDENT_STATUSES, "status")

    def validate_event_type(self, value: str) -> tuple[str, ...]:
        return _choices(value.lower(), EVENT_TYPES, "event type")

    def validate_updated_since(self, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def validate_cursor(self, value: str) -> KeysetCursor:
        return decode_keyset_cursor(value, kinds=CURSOR_KINDS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_from"] > attrs["date_to"]
        ):
            raise serializers.ValidationError({"date_to": "date_to is before date_from."})
        low, high = attrs.get("killed_min"), attrs.get("killed_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"killed_max": "killed_max is below killed_min."})
        if "status" in attrs and ("include" in attrs or attrs.get("include_dropped")):
            raise serializers.ValidationError(
                {"status": "Give status, or include / include_dropped, not both."}
            )
        if "include_related" in attrs and not attrs.get("actor"):
            raise serializers.ValidationError({"include_related": "It widens `actor`; give one."})
        if "cursor" in attrs and attrs["cursor"].ordering != attrs["ordering"]:
            raise serializers.ValidationError(
                {"cursor": "This cursor belongs to another ordering; start again without it."}
            )
        return attrs

    @staticmethod
    def to_filters(data: dict[str, Any]) -> IncidentFilters:
        return IncidentFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            countries=_split(data.get("country", "")),
            admin1=_split(data.get("admin1", "")),
            places=_split(data.get("place", "")),
            bbox=data.get("bbox"),
            actors=tuple(a.strip() for a in data.get("actor", ()) if a.strip()),
            include_related=data.get("include_related", frozenset()),
            perpetrator_statuses=data.get("attribution", ()),
            statuses=INCIDENT_STATUSES if data.get("include") == "all" else data.get("status", ()),
            event_types=data.get("event_type", ()),
            updated_since=data.get("updated_since"),
            since_position=data.get("since_position"),
            killed_min=data.get("killed_min"),
            killed_max=data.get("killed_max"),
            target=data.get("target"),
            source=data.get("source"),
            edition=data.get("edition"),
            first_edition=data.get("first_edition"),
            last_edition=data.get("last_edition"),
            include_dropped=data.get("include_dropped", False),
            q=data.get("q"),
        )

    @staticmethod
    def to_ordering(data: dict[str, Any]) -> Ordering:
        name: str = data["ordering"]
        return Ordering(name.lstrip("-"), descending=name.startswith("-"))


class ClaimListInput(PagingInput):
    incident = serializers.UUIDField(required=False)
    property = serializers.ChoiceField(
        choices=["killed", "wounded", "kidnapped", "attackers_killed", "responsibility", "other"],
        required=False,
    )
    rank = serializers.ChoiceField(choices=["preferred", "normal", "deprecated"], required=False)
    claimant = serializers.CharField(required=False, help_text="Text the claimant contains.")
    include_dropped = serializers.BooleanField(required=False, default=False)
