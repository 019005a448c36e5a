"""Dates as the reports write them: entry dates, ranges, months, and the edition's latest date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_RE = "January|February|March|April|May|June|July|August|September|October|November|December"
_MON = rf"(?:{MONTH_RE}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"


def _day(n: int) -> str:
    return rf"(?P<m{n}>{_MON})\s+(?P<d{n}>\d{{1,2}}),?\s+(?P<y{n}>\d{{4}})"


# An entry's leading date: "March 27, 2022", "March 27, 2022 March 31, 2022",
# "January 16, 2013 - January 19, 2013", "March 27-31, 2022", "March 2022", "2012", "-".
ENTRY_DATE = re.compile(
    r"^(?:\*\*)?(?:"
    + _day(1)
    + r"(?:\s*(?:[-\u2013—]|to|through)?\s*"
    + _day(2)
    + r")?"
    + rf"|(?P<m3>{_MON})\s+(?P<d3>\d{{1,2}})\s*[-\u2013]\s*(?P<d4>\d{{1,2}}),?\s+(?P<y3>\d{{4}})"
    + rf"|(?P<m5>{_MON})\s+(?P<y5>\d{{4}})"
    + r"|(?P<y6>(?:19|20)\d{2})"
    + r"|(?P<none>[-\u2013—]?)"
    + r")\s*(?:\*\*)?\s*:(?:\*\*)?\s*"
)
# What an entry date can start with: "**", a month, a year, a dash or the colon of "-:".
_ENTRY_FIRST = frozenset("*JFMASOND0123456789-\u2013\u2014: \t")
FULL_DATE = re.compile(rf"\b(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}}),\s+(?P<y>\d{{4}})\b")
# The same without the leading word boundary, which lets the engine skip to a month's first
# letter; callers check the boundary themselves (several times faster over a whole edition).
_FULL_DATE_SCAN = re.compile(rf"(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}}),\s+(?P<y>\d{{4}})\b")


@dataclass(frozen=True)
class EntryDate:
    start: str | None
    end: str | None
    precision: str
    length: int  # characters the date (with its colon) takes at the start of the text


@lru_cache(maxsize=4096)  # an edition repeats its dates; the function is pure
def _iso(month: str, day: str | None, year: str) -> str | None:
    m = MONTHS.get(month.rstrip(".").lower())
    if m is None:
        return None
    y = int(year)
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def read_entry_date(text: str) -> EntryDate | None:
    """The date an entry line starts with, or None when the line does not start an entry."""
    if text[:1] not in _ENTRY_FIRST:
        return None  # cheap: most lines start with a word that cannot begin a date
    match = ENTRY_DATE.match(text)
    if not match:
        return None
    g = match.groupdict()
    n = match.end()
    if g["m1"]:
        start = _iso(g["m1"], g["d1"], g["y1"])
        end = _iso(g["m2"], g["d2"], g["y2"]) if g["m2"] else None
        if start is None:
            return None
        if end is not None and end != start:
            return EntryDate(start, end, "range", n)
        return EntryDate(start, None, "day", n)
    if g["m3"]:
        start = _iso(g["m3"], g["d3"], g["y3"])
        end = _iso(g["m3"], g["d4"], g["y3"])
        if start is None or end is None:
            return None
        return EntryDate(start, end, "range", n)
    if g["m5"]:
        month = _iso(g["m5"], None, g["y5"])
        return EntryDate(month, None, "month", n) if month else None
    if g["y6"]:
        return EntryDate(g["y6"], None, "year", n)
    return EntryDate(None, None, "unknown", n)


def latest_date(text: str) -> str | None:
    best: str | None = None
    for match in _FULL_DATE_SCAN.finditer(text):
        at = match.start()
        if at and (text[at - 1].isalnum() or text[at - 1] == "_"):
            continue
        iso = _iso(match["m"], match["d"], match["y"])
        if iso and (best is None or iso > best):
            best = iso
    return best
