"""Quantities as the reports write them: digits, number words, qualifiers and vague amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
NUM = (
    rf"\d{{1,3}}(?:,\d{{3}})+|\d+|(?:a\s+|one\s+)?hundred\b|(?:a\s+)?dozen\b|"
    rf"(?:{'|'.join(_TENS)})[-\s](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)})\b|"
    rf"(?:{_WORD})\b"
)
VAGUE = (
    r"dozens|scores|hundreds|thousands|several|serval|numerous|many|multiple|a\s+number\s+of|"
    r"a\s+few|some|others|an\s+unreported\s+number\s+of|an\s+unknown\s+number\s+of|"
    r"a\s+large\s+number\s+of|large\s+numbers\s+of"
)
_QUAL = {
    "at least": "at_least", "more than": "more_than", "over": "more_than",
    "upwards of": "more_than", "up to": "up_to", "as many as": "up_to",
    "around": "approximately", "approximately": "approximately", "about": "approximately",
    "nearly": "approximately", "almost": "approximately", "roughly": "approximately",
    "some": "approximately", "an estimated": "approximately", "close to": "approximately",
    "at most": "up_to", "fewer than": "up_to", "less than": "up_to",
}  # fmt: skip
_QUAL_RE = "|".join(sorted(_QUAL, key=len, reverse=True)).replace(" ", r"\s+")
QTY = re.compile(
    r"(?:(?:another|an additional|a further)\s+(?=\d|(?:[a-z]+\s+)?(?:[a-z]+)\b))?"
    rf"(?:(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?:between\s+(?P<lo>{NUM})\s+and\s+(?P<hi>{NUM})"
    rf"|(?P<n>{NUM})(?:\s*(?:to|-|\u2013)\s*(?P<n2>{NUM}))?"
    rf"|(?P<vague>{VAGUE})\b"
    r"|(?P<one>a|an|another|his|her)\b)",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    min: int | None
    max: int | None
    qualifier: str
    end: int  # index just past the quantity in the text it was read from
    single: bool = False  # "a", "an", "another": one, if a person follows


def word_to_int(text: str) -> int | None:
    if text.isdecimal():  # digits only, as many are: int() reads them as the path below would
        return int(text)
    t = " ".join(text.lower().replace("-", " ").split())
    if t.replace(",", "").isdigit():
        return int(t.replace(",", ""))
    if t in ("hundred", "a hundred", "one hundred"):
        return 100
    if t in ("dozen", "a dozen"):
        return 12
    if t in _UNITS:
        return _UNITS[t]
    if t in _TENS:
        return _TENS[t]
    parts = t.split()
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


# The words a quantity can start with: checking the word first spares most positions the
# full pattern (callers try every word of a phrase).
_FIRST_WORDS = frozenset(
    [*_UNITS, *_TENS, "hundred", "dozen", "a", "an", "one", "another", "his", "her", "between"]
    + [q.split()[0] for q in _QUAL]
    + [v.split("\\s+")[0] for v in VAGUE.split("|")]
)
# What may open a quantity, after the spaces and quotes before it: a digit, or a word that
# `_FIRST_WORDS` then vets. One anchored match instead of a loop over characters. (`\d` and
# `str.isdigit` differ only on characters such as "²", where `QTY` cannot match either.)
_OPENING = re.compile(r"[ \"“']*(?:(\d)|([A-Za-z]+))")


def read_quantity(text: str, pos: int = 0) -> Quantity | None:
    """The quantity starting exactly at `pos` (after spaces), or None."""
    opening = _OPENING.match(text, pos)
    if opening is None:
        return None
    word = opening.group(2)
    if word is not None and word.lower() not in _FIRST_WORDS:
        return None
    m = QTY.match(text, opening.start(1) if word is None else opening.start(2))
    if not m:
        return None
    qual = _QUAL.get(" ".join(m["qual"].lower().split())) if m["qual"] else None
    if m["lo"]:
        lo, hi = word_to_int(m["lo"]), word_to_int(m["hi"])
        return Quantity(lo, hi, "range", m.end())
    if m["n"]:
        n = word_to_int(m["n"])
        if n is None:
            return None
        if m["n2"]:
            n2 = word_to_int(m["n2"])
            if n2 is not None and n2 > n:
                return Quantity(n, n2, "range", m.end())
        return _qualified(n, qual, m.end())
    if m["vague"]:
        if qual:  # "some others": not a number either
            return Quantity(None, None, "vague", m.end())
        return Quantity(None, None, "vague", m.end())
    if m["qual"]:
        return None
    return Quantity(1, 1, "exact", m.end(), single=True)


def _qualified(n: int, qual: str | None, end: int) -> Quantity:
    if qual in ("at_least", "more_than"):
        return Quantity(n, None, qual, end)
    if qual == "up_to":
        return Quantity(None, n, qual, end)
    if qual == "approximately":
        return Quantity(n, n, qual, end)
    return Quantity(n, n, "exact", end)
