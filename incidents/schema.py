"""An incident's descriptive fields, declared once.

`IncidentFields` is the one definition: the event that records an incident (IncidentRecorded)
and the state fold (IncidentState) inherit it, the services take it as input, the read model's
columns come from `column_values`, and the recorder fills it from a parsed entry, which is where
the parser's names become these (`locations` -> `places`, partial dates -> days). Nothing after
the recorder renames a field.

Each field's metadata says which review field holds it (flags name fields as the parse contract
does: `date`, `locations`, ...), whether it is a date (a day, stored as an ISO string, a date
column in the read model) and whether it is a list. A place keeps the parser's keys in events
and states (`lat`, `lon`: events already in ledgers carry them); `PLACE_PUBLIC_NAMES` is the
one place that says how the API and the place rows spell them.

To add a descriptive field: declare it here (a default, so events stored before it still
load); fill it in the recorder's `incident_fields`; add its column to Incident (an additive
migration) and its output field to incidents.api.serializers.IncidentOutput. The event, the fold,
the services and the projection's row follow from this declaration; tests/incidents/test_schema.py
checks the API shows every field.

Pure: no Django, so the fold, the matcher and the recorder can all import it.
"""

from __future__ import annotations

import calendar
import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class FieldInfo:
    """What the rest of the code needs to know about one descriptive field."""

    review: str  # the review field (as flags, locks and decisions name it) that holds it
    is_date: bool = False  # a day as an ISO string; a date column in the read model
    is_list: bool = False  # a list: copied, never shared, when read from an entry


def _info(**kwargs: Any) -> dict[str, FieldInfo]:
    return {"incident": FieldInfo(**kwargs)}


@dataclass(frozen=True, kw_only=True)
class IncidentFields:
    """An incident's descriptive fields: what a report says about it, and editors may revise.

    The order is the review fields' order (the editors' forms and the API list them so)."""

    date_start: str | None = field(default=None, metadata=_info(review="date", is_date=True))
    date_end: str | None = field(default=None, metadata=_info(review="date", is_date=True))
    date_precision: str = field(default="unknown", metadata=_info(review="date"))
    event_type: str | None = field(default=None, metadata=_info(review="event_type"))
    country: str | None = field(default=None, metadata=_info(review="country"))
    places: list[dict[str, Any]] = field(
        default_factory=list, metadata=_info(review="locations", is_list=True)
    )
    perpetrators: list[dict[str, Any]] = field(
        default_factory=list, metadata=_info(review="perpetrators", is_list=True)
    )
    targets: list[str] = field(default_factory=list, metadata=_info(review="targets", is_list=True))
    sources: list[str] = field(default_factory=list, metadata=_info(review="sources", is_list=True))
    text: str = field(default="", metadata=_info(review="text"))

    def values(self) -> dict[str, Any]:
        """The descriptive fields by name (of a state or an event too: both inherit them)."""
        return {name: getattr(self, name) for name in DESCRIPTIVE_FIELDS}


FIELDS: dict[str, FieldInfo] = {
    f.name: f.metadata["incident"] for f in dataclasses.fields(IncidentFields)
}
DESCRIPTIVE_FIELDS = tuple(FIELDS)

CASUALTY_PROPERTIES = ("killed", "wounded", "kidnapped", "attackers_killed")


def _review_fields() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, tuple[str, ...]] = {}
    for name, info in FIELDS.items():
        grouped[info.review] = (*grouped.get(info.review, ()), name)
    return grouped


# The fields editors review, decide and hold, named as flags name them (the parse contract's
# fields), with the descriptive incident fields each stands for. Casualty fields and "claims"
# live in claims instead: the report's own figure per property, and everyone else's claims.
REVIEW_FIELDS: dict[str, tuple[str, ...]] = {
    **_review_fields(),
    **{prop: () for prop in CASUALTY_PROPERTIES},
    "claims": (),
}


_DATE_FIELDS = tuple(name for name, info in FIELDS.items() if info.is_date)


def column_values(fields: IncidentFields) -> dict[str, Any]:
    """The read model's columns for the descriptive fields: the same names, dates as dates."""
    values = fields.values()
    for name in _DATE_FIELDS:
        values[name] = day(values[name]) if values[name] else None
    return values


# --- dates ------------------------------------------------------------------------------------


def day(value: str, *, last: bool = False) -> date:
    """A date written YYYY-MM-DD, YYYY-MM or YYYY as a day: a partial one as its first day, or
    with `last` its last. The one reading of partial dates (recorder, read model, matcher)."""
    if len(value) == 10:  # a full date, as states keep them: replay reads millions
        return date.fromisoformat(value)
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if last else 1)
    if len(parts) > 2:
        return date(year, month, parts[2])
    return date(year, month, calendar.monthrange(year, month)[1] if last else 1)


def day_or_none(value: str | None) -> date | None:
    """`day(value)`, or None for a missing or unreadable date (scoring and wording tolerate
    what a parser or an editor may have left)."""
    if not value:
        return None
    try:
        return day(value)
    except ValueError:
        return None


def full_date(value: str | None, *, end: bool = False) -> str | None:
    """A contract date (YYYY, YYYY-MM or YYYY-MM-DD) as an ISO day: the first, or with `end`
    the last. A full date is kept as written."""
    if not value:
        return None
    if value.count("-") >= 2:
        return value
    return day(value, last=end).isoformat()


def date_span(fields: IncidentFields) -> tuple[date | None, date | None]:
    """The first and last day the incident may fall on (see `day_span`)."""
    return day_span(fields.date_start, fields.date_end, fields.date_precision)


def day_span(
    date_start: str | None, date_end: str | None, precision: str
) -> tuple[date | None, date | None]:
    """The first and last day a date may fall on, honouring its precision: a "month" date
    covers its month, a "year" date its year; undated gives (None, None)."""
    if not date_start or precision == "unknown":
        return None, None
    start = day(date_start)
    end = day(date_start, last=True)
    if precision == "month":
        end = day(f"{start.year:04d}-{start.month:02d}", last=True)
    elif precision == "year":
        end = date(start.year, 12, 31)
    if date_end:
        end = max(end, day(date_end, last=True))
    return start, end


# --- places -----------------------------------------------------------------------------------

# How the API and the place rows spell the keys events and states keep as the parser wrote them.
PLACE_PUBLIC_NAMES = {"lat": "latitude", "lon": "longitude"}


def place_fields(place: dict[str, Any]) -> dict[str, Any]:
    """A place as the API and the place rows show it. A place an editor typed in may already
    use the public names; either spelling reads the same."""
    return {
        "name": place.get("name") or "",
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "latitude": _coordinate(place, "lat"),
        "longitude": _coordinate(place, "lon"),
        "precision": place.get("precision") or "unresolved",
        # "north of" / "near": the place is a reference point, not where it happened.
        "relation": place.get("relation"),
    }


def _coordinate(place: dict[str, Any], key: str) -> float | None:
    value = place.get(key, place.get(PLACE_PUBLIC_NAMES[key]))
    return float(value) if value is not None else None
