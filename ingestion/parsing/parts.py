"""Where one timeline entry reports several incidents, and which figures are only a total.

An entry sometimes adds a separate event after its own: "That same day, militants ambush a
patrol in X, killing 10", "Also on July 25, a group claims ...", "Meanwhile, ...". Such a
sentence starts a new part (its own incident) only when what follows it has a place, victims or
a toll of its own (`entries` decides that); a same-day sentence that only adds detail stays with
the part before it. A sentence that gives one figure for all the events ("... were killed in the
two attacks") is a total: the text does not split it, so it stays with the primary part.
"""

from __future__ import annotations

import re

from .dates import MONTH_RE, EntryDate, _iso

MARK = re.compile(
    r"^(?:(?:on\s+)?(?:that|the)\s+same\s+day|same\s+day|meanwhile|"
    rf"also\s+on\s+(?:(?P<month>{MONTH_RE})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
    r"|[^,]{1,30}?))\s*,\s*",
    re.I,
)
_TOTAL = re.compile(
    r"\b(?:in|across|during|from)\s+(?:the|both|all)\s+(?:\w+\s+)?"
    r"(?:attacks|ambushes|incidents|assaults|explosions|bombings|raids|events)\b|"
    r"\b(?:in total|altogether|combined (?:death )?(?:toll|total)|(?:each|either) "
    r"(?:attack|ambush|incident|assault|explosion|bombing|raid))\b",
    re.I,
)


def may_have_parts(body: str) -> bool:
    """Whether any sentence of `body` could start a part (a cheap test before splitting)."""
    # The words every marker contains: substring tests spare most entries the pattern.
    lowered = body.lower()
    return "same day" in lowered or "meanwhile" in lowered or "also on" in lowered


def is_total(sentence: str) -> bool:
    """A sentence whose figures cover several of the entry's events together."""
    return _TOTAL.search(sentence) is not None


def part_date(date: EntryDate, mark: re.Match[str]) -> EntryDate:
    """A part's date: the day an "Also on <day>" marker names (in the entry's year, within a
    range entry too); otherwise the entry's own date ("that same day" is the entry's day)."""
    if not mark["month"] or date.start is None:
        return date
    year = mark["year"] or date.start[:4]
    day = _iso(mark["month"], mark["day"], year)
    if day is None:
        return date
    return EntryDate(day, None, "day", date.length)


def strip_mark(sentence: str) -> str:
    """The sentence without its marker, capitalised ("That same day, JNIM ..." -> "JNIM ...")."""
    m = MARK.match(sentence)
    if m is None:
        return sentence
    rest = sentence[m.end() :]
    return rest[:1].upper() + rest[1:]
