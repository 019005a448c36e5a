"""Word-level differences between a flag's before and after text, for side-by-side display.

Pure: strings in, segments out. Whitespace is kept with the word before it, so joining a side's
segments gives back its text exactly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(before: str | None, after: str | None) -> tuple[list[Segment], list[Segment]]:
    """The before and after text cut into segments, those that differ marked `changed`."""
    old, new = _tokens(before or ""), _tokens(after or "")
    # Compare words without their trailing spaces, so a re-wrapped line is not a change.
    matcher = difflib.SequenceMatcher(
        a=[t.strip() for t in old], b=[t.strip() for t in new], autojunk=False
    )
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = op != "equal"
        if i2 > i1:
            left.append(Segment("".join(old[i1:i2]), changed))
        if j2 > j1:
            right.append(Segment("".join(new[j1:j2]), changed))
    return left, right


# --- values in words ------------------------------------------------------------------------

FIGURE_FIELDS = ("killed", "wounded", "kidnapped", "attackers_killed")
_QUALIFIER_WORDS = {
    "at_least": "at least {low}",
    "more_than": "more than {low}",
    "up_to": "up to {high}",
    "approximately": "about {low}",
}


def figure_words(low: Any, high: Any, qualifier: str | None = None) -> str:
    """26 / at least 26 / 20-30 / up to 100; "not stated" when there is no figure."""
    if low is None and high is None:
        return "not stated"
    if qualifier in _QUALIFIER_WORDS and (low is not None or qualifier == "up_to"):
        return _QUALIFIER_WORDS[qualifier].format(low=low, high=high if high is not None else low)
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low}-{high}"


def _date_words(start: Any, end: Any, precision: Any) -> str:
    if not start:
        return "undated"
    if precision == "month":
        return f"{str(start)[:7]} (month)"
    if precision == "year":
        return f"{str(start)[:4]} (year)"
    if end and end != start:
        return f"{start} to {end}"
    return str(start)


def _place_words(place: Any) -> str:
    if not isinstance(place, dict):
        return str(place)
    name = place.get("resolved_name") or place.get("name") or "?"
    where = ", ".join(str(p) for p in (place.get("admin1"), place.get("country")) if p)
    lat = place.get("lat", place.get("latitude"))
    lon = place.get("lon", place.get("longitude"))
    words = name + (f" ({where})" if where else "")
    if lat is not None and lon is not None:
        words += f" at {float(lat):.3f}, {float(lon):.3f}"
    elif place.get("precision") == "unresolved":
        words += " (unresolved)"
    return words


def value_words(field: str, value: Any) -> str:
    """A field's value as an editor reads it: "at least 26", "2024-06-12 to 2024-06-14",
    "Boni (Mopti, Mali) at 15.020, -1.950"; never a tuple or a JSON blob."""
    if value is None or value == "" or value == []:
        return "none"
    if field in FIGURE_FIELDS:
        if isinstance(value, dict):
            if "best" in value:
                return figure_words(value.get("best"), value.get("best"))
            return figure_words(value.get("min"), value.get("max"), value.get("qualifier"))
        if isinstance(value, list | tuple):
            padded = [*value, None, None, None][:3]
            return figure_words(*padded)
        return str(value)
    if field == "date":
        if isinstance(value, dict):
            return _date_words(
                value.get("date_start"), value.get("date_end"), value.get("date_precision")
            )
        if isinstance(value, list | tuple):
            return _date_words(*[*value, None, None, None][:3])
    if field in ("locations", "places"):
        if isinstance(value, dict) and "places" in value:
            value = value["places"]
        if isinstance(value, list | tuple):
            return "; ".join(_place_words(p) for p in value) or "none"
        return _place_words(value)
    if field == "perpetrators":
        if isinstance(value, dict) and "perpetrators" in value:
            value = value["perpetrators"]
        if isinstance(value, list | tuple):
            return "; ".join(_perpetrator_words(p) for p in value) or "none"
    if isinstance(value, dict) and len(value) == 1:
        return value_words(field, next(iter(value.values())))
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _perpetrator_words(p: Any) -> str:
    if isinstance(p, dict):
        name = p.get("name") or p.get("actor") or "?"
        return f"{name} ({p['status']})" if p.get("status") else str(name)
    if isinstance(p, list | tuple) and len(p) == 2:
        return f"{p[0]} ({p[1]})" if p[1] else str(p[0])
    return str(p)


# --- states compared field by field ---------------------------------------------------------

STATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("status", "status"),
    ("date", "date"),
    ("country", "country"),
    ("locations", "places"),
    ("event_type", "event type"),
    ("perpetrators", "perpetrators"),
    ("targets", "targets"),
    ("sources", "sources"),
    ("killed", "killed"),
    ("wounded", "wounded"),
    ("kidnapped", "kidnapped"),
    ("attackers_killed", "attackers killed"),
    ("held", "held by editors"),
    ("text", "text"),
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


def state_words(
    state: dict[str, Any], estimates: dict[str, tuple[Any, Any, Any]]
) -> dict[str, str]:
    """One incident state (IncidentState.to_json()) as words per field; `estimates` holds the
    low / best / high of each figure (the fold's rule, computed by the caller)."""
    words = {
        "status": str(state.get("status") or "none")
        + (f" into {state['merged_into']}" if state.get("merged_into") else ""),
        "date": _date_words(
            state.get("date_start"), state.get("date_end"), state.get("date_precision")
        ),
        "country": state.get("country") or "none",
        "locations": value_words("locations", state.get("places") or []),
        "event_type": state.get("event_type") or "none",
        "perpetrators": value_words("perpetrators", state.get("perpetrators") or []),
        "targets": value_words("targets", state.get("targets") or []),
        "sources": value_words("sources", state.get("sources") or []),
        "text": state.get("text") or "none",
    }
    for prop in FIGURE_FIELDS:
        low, best, high = estimates.get(prop, (None, None, None))
        text = "not stated" if best is None else str(best)
        if best is not None and (low != best or high != best):
            text += f" (from {low} to {high if high is not None else 'open'})"
        words[prop] = text
    held = {**{f: str(how) for f, how in (state.get("held_fields") or {}).items()}}
    for f in state.get("locked_fields") or []:
        held[f] = "locked"
    words["held"] = ", ".join(f"{f} ({how})" for f, how in sorted(held.items())) or "none"
    return words


def state_diff(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    """The fields whose words differ between two states' words (see state_words)."""
    return [
        FieldChange(field=f, label=label, before=before.get(f, "none"), after=after.get(f, "none"))
        for f, label in STATE_FIELDS
        if before.get(f, "none") != after.get(f, "none")
    ]
