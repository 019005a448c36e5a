"""What changed between two readings of the same incident, and between two editions' narrative.

Pure: contract-form dicts in, plain data out. Values are compared after the normalisation a
reader would apply (case, spacing, order of unordered lists), so re-wrapping and restyled
bullets are not changes, while a revised toll, a new claim or a respelled place are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from ingestion.matching import text_key

Entry = Mapping[str, Any]

FIELDS = (
    "date",
    "event_type",
    "country",
    "locations",
    "killed",
    "wounded",
    "kidnapped",
    "attackers_killed",
    "perpetrators",
    "claims",
    "targets",
    "sources",
    "text",
)
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def _norm(value: Any) -> str:
    return _SPACE.sub(" ", str(value or "")).strip().casefold()


def comparable(entry: Entry, field: str) -> Any:
    """The value of one contract field, in the form two readings are compared in."""
    if field == "date":
        return (entry.get("date_start"), entry.get("date_end"), entry.get("date_precision"))
    if field in ("killed", "wounded", "kidnapped", "attackers_killed"):
        count = entry.get(field) or {}
        return (count.get("min"), count.get("max"), count.get("qualifier"))
    if field == "locations":
        return tuple(_norm(loc.get("name")) for loc in entry.get("locations", []))
    if field == "perpetrators":
        return frozenset(
            (_norm(p.get("actor") or p.get("name")), p.get("status"))
            for p in entry.get("perpetrators", [])
        )
    if field == "claims":
        return frozenset(
            (_norm(c.get("claimant")), c.get("about"), c.get("min"), c.get("max"))
            for c in entry.get("claims", [])
        )
    if field == "targets":
        return frozenset(entry.get("targets", []))
    if field == "sources":
        return tuple(_norm(s) for s in entry.get("sources", []))
    if field == "text":
        return wording(entry)
    return _norm(entry.get(field))


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(rf"\b(?:{_MONTHS})(?: \d{{1,2}})?(?:, \d{{4}}| \d{{4}})?\b")
_NUMBER_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|hundreds|thousand|thousands|dozen|dozens|a few|several)\b"
)


_FIGURE_FIELDS = ("killed", "wounded", "kidnapped", "attackers_killed")


def wording(entry: Entry) -> str:
    """The entry's text with what other fields already carry masked out: the figures inside
    the phrases they were read from, dates, and the names of its places and actors as written.
    A revised toll, a corrected date or a respelled place is then a change of its own field
    only; new words (or a number outside any figure, "a 12-year insurgency") change `text`."""
    text = _norm(entry.get("text"))
    phrases = [(entry.get(prop) or {}).get("text") for prop in _FIGURE_FIELDS]
    phrases += [c.get("text") for c in entry.get("claims", [])]
    # A figure summed from several places is written "kill 13 … killing 10": mask each part.
    parts = {_norm(part) for p in phrases if p for part in p.split("…")}
    for phrase in sorted((p for p in parts if p), key=len, reverse=True):
        text = text.replace(phrase, _NUMBER_WORDS.sub("#", _NUMBER.sub("#", phrase)))
    names = [loc.get("name") for loc in entry.get("locations", [])]
    names += [p.get("name") for p in entry.get("perpetrators", [])]
    names += [c.get("claimant") for c in entry.get("claims", [])]
    for name in sorted({_norm(n) for n in names if n}, key=len, reverse=True):
        if len(name) > 2:
            text = text.replace(name, "<name>")
    return text_key(_DATE.sub("<date>", text))


def changed_fields(before: Entry, after: Entry) -> list[str]:
    return [f for f in FIELDS if comparable(before, f) != comparable(after, f)]


@dataclass(frozen=True)
class SectionChange:
    heading: str | None
    kind: str  # added | removed | changed
    before: str | None
    after: str | None
    figures_before: tuple[str, ...] = ()
    figures_after: tuple[str, ...] = ()

    def to_summary(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "heading": self.heading,
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
        }
        if self.figures_before or self.figures_after:
            item["figures_changed"] = {
                "before": list(self.figures_before),
                "after": list(self.figures_after),
            }
        return item


def _figures(text: str) -> list[str]:
    return _NUMBER.findall(text)


def section_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[SectionChange]:
    """Paragraph-level changes per heading. A paragraph whose wording is still alike counts as
    changed (with the figures that differ pointed out); otherwise removed and added."""

    def by_heading(sections: Sequence[Mapping[str, Any]]) -> dict[str | None, list[str]]:
        grouped: dict[str | None, list[str]] = {}
        for section in sections:
            grouped.setdefault(section.get("heading"), []).extend(section.get("paragraphs", []))
        return grouped

    old, new = by_heading(before), by_heading(after)
    changes: list[SectionChange] = []
    for heading in list(dict.fromkeys([*old, *new])):
        old_paras = old.get(heading, [])
        new_paras = new.get(heading, [])
        if text_key(" ".join(old_paras)) == text_key(" ".join(new_paras)):
            continue  # the same words, only broken into paragraphs elsewhere (a moved page break)
        old_keys = {text_key(p) for p in old_paras}
        new_keys = {text_key(p) for p in new_paras}
        removed = [p for p in old_paras if text_key(p) not in new_keys]
        added = [p for p in new_paras if text_key(p) not in old_keys]
        for paragraph in added:
            best = max(
                removed, key=lambda r: fuzz.ratio(text_key(r), text_key(paragraph)), default=None
            )
            if best is not None and fuzz.ratio(text_key(best), text_key(paragraph)) >= 60:
                removed.remove(best)
                fb, fa = _figures(best), _figures(paragraph)
                moved = (tuple(f for f in fb if f not in fa), tuple(f for f in fa if f not in fb))
                changes.append(SectionChange(heading, "changed", best, paragraph, *moved))
            else:
                changes.append(SectionChange(heading, "added", None, paragraph))
        changes.extend(SectionChange(heading, "removed", p, None) for p in removed)
    return changes
