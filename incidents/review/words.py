"""A review field's value in words, for flags, previews and the API: "killed: at least 26 →
at least 41" instead of `[26, null, "at_least"]`.

Pure: plain values in, text out. It reads every form a value takes in this code base: a flag's
before / after (the diff's comparable form: tuples became lists), an incident's fields, a
claim, or an editor's correction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from incidents.schema import day_or_none, place_fields

NOTHING = "not given"
_CASUALTIES = ("killed", "wounded", "kidnapped", "attackers_killed")
_QUALIFIED = {
    "at_least": "at least {}",
    "more_than": "more than {}",
    "up_to": "up to {}",
    # The parser's and the editor's word for "around 400" (ingestion.parsing.numbers).
    "approximately": "around {}",
    "about": "about {}",
    "fewer_than": "fewer than {}",
    "at_most": "at most {}",
}
_LABELS = {
    "attackers_killed": "attackers killed",
    "event_type": "event type",
    "locations": "places",
    "date": "date",
}


def field_label(field: str | None) -> str:
    """A field's name as an editor reads it."""
    if not field:
        return "incident"
    return _LABELS.get(field, field.replace("_", " "))


def describe_change(field: str | None, before: Any, after: Any) -> str:
    """ "killed: at least 26 → at least 41"."""
    return f"{field_label(field)}: {describe_value(field, before)} → {describe_value(field, after)}"


def describe_value(field: str | None, value: Any) -> str:
    """The value of review field `field` in words."""
    if value is None or value == [] or value == {} or value == "":
        return NOTHING
    if field in _CASUALTIES:
        return describe_figure(value)
    if field == "date":
        return describe_date(value)
    if field == "locations":
        return _joined(_place(p) for p in _items(value))
    if field == "perpetrators":
        return _joined(_perpetrator(p) for p in _items(value))
    if field == "claims":
        return _joined(_claim(c) for c in _items(value))
    if isinstance(value, list | tuple | set | frozenset):
        return _joined(str(v) for v in value)
    return str(value)


def describe_figure(value: Any) -> str:
    """A casualty figure: 7, [26, None, "at_least"], {"min": 5, "max": 9}, a claim dict."""
    low: Any
    high: Any
    qualifier: Any = None
    if isinstance(value, Mapping):
        low = value.get("value_min", value.get("min", value.get("low")))
        high = value.get("value_max", value.get("max", value.get("high")))
        qualifier = value.get("qualifier")
        if low is None and high is None and value.get("best") is not None:
            low = high = value["best"]
    elif isinstance(value, list | tuple):
        low, high, qualifier = (*value, None, None, None)[:3]
    else:
        low = high = value
    if low is None and high is None:
        return NOTHING
    if qualifier in _QUALIFIED:
        shown = (
            high if qualifier in ("up_to", "at_most", "fewer_than") and high is not None else low
        )
        return _QUALIFIED[qualifier].format(shown if shown is not None else high)
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"at least {low}"
    if low == high:
        return str(low)
    return f"{low}-{high}"


def describe_date(value: Any) -> str:
    """A date with its precision: "3 June 2024", "June 2024", "3-5 June 2024", "undated"."""
    if isinstance(value, Mapping):
        start, end, precision = (
            value.get("date_start"),
            value.get("date_end"),
            value.get("date_precision"),
        )
    elif isinstance(value, list | tuple):
        start, end, precision = (*value, None, None, None)[:3]
    else:
        start, end, precision = value, None, None
    if not start or precision == "unknown":
        return "undated"
    first = day_or_none(str(start))
    if first is None:
        return str(start)
    if precision == "year" or len(str(start)) == 4:
        return str(first.year)
    if precision == "month" or len(str(start)) == 7:
        return first.strftime("%B %Y")
    last = day_or_none(str(end)) if end else None
    if last is None or last == first:
        return f"{first.day} {first.strftime('%B %Y')}"
    if (last.year, last.month) == (first.year, first.month):
        return f"{first.day}-{last.day} {first.strftime('%B %Y')}"
    return f"{first.day} {first.strftime('%B %Y')} - {last.day} {last.strftime('%B %Y')}"


def _items(value: Any) -> Sequence[Any]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def _joined(parts: Any) -> str:
    text = "; ".join(p for p in parts if p)
    return text or NOTHING


def _place(place: Any) -> str:
    if not isinstance(place, Mapping):
        return str(place)
    name = str(place.get("name") or "?")
    where = ", ".join(str(place[k]) for k in ("admin1", "country") if place.get(k))
    shown = place_fields(dict(place))
    lat, lon = shown["latitude"], shown["longitude"]
    text = f"{name} ({where})" if where else name
    if lat is not None and lon is not None:
        text += f" at {lat:.2f}, {lon:.2f}"
    elif place.get("precision") == "unresolved":
        text += ", not located"
    return text


def _perpetrator(value: Any) -> str:
    if isinstance(value, Mapping):
        name, status = value.get("actor") or value.get("name"), value.get("status")
    elif isinstance(value, list | tuple):
        name, status = (*value, None, None)[:2]
    else:
        name, status = value, None
    return f"{name} ({status})" if status and status != "unknown" else str(name)


def _claim(value: Any) -> str:
    if isinstance(value, Mapping):
        claimant = value.get("claimant")
        about = value.get("property", value.get("about"))
        figure = describe_figure(value)
    elif isinstance(value, list | tuple):
        claimant, about, low, high = (*value, None, None, None, None)[:4]
        figure = describe_figure([low, high])
    else:
        return str(value)
    if about in ("responsibility", None, "other") and figure == NOTHING:
        return f"{claimant} claims responsibility" if about == "responsibility" else str(claimant)
    return f"{claimant}: {field_label(str(about))} {figure}"
