"""What changed, for the review screens: the word-level difference between a flag's before and
after text (side by side), and an incident's states compared field by field in words (its
history as diffs; the words themselves come from incidents.review.words).

Pure: plain values in, segments and words out. Whitespace is kept with the word before it, so
joining a side's segments gives back its text exactly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from incidents.review.words import describe_figure, describe_value

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


def figure_words(low: Any, high: Any, qualifier: str | None = None) -> str:
    return describe_figure([low, high, qualifier])


def _date_words(start: Any, end: Any, precision: Any) -> str:
    return describe_value("date", [start, end, precision]) if start else "undated"


def value_words(field: str, value: Any) -> str:
    """A field's value as an editor reads it: "at least 26", "3 June 2024", "Kati (Koulikoro,
    Mali) at 13.05, -8.01"; never a tuple or a JSON blob (incidents.review.words says how)."""
    if field == "places":
        field = "locations"
    return describe_value(field, value)


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
