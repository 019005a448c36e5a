"""Sentence and clause splitting that knows the reports' abbreviations (U.N., U.S., Dr.), and
word-anchored pattern matching shared by the readers of figures and places."""

from __future__ import annotations

import re

_ABBREV = re.compile(
    r"\b(?:U\.N|U\.S|Dr|Mr|Mrs|Ms|St|Gen|Col|Lt|Sgt|No|a\.m|p\.m|Jr|Sr|e\.g|i\.e)\.$"
)
# From the closing punctuation itself (no look-behind), so the engine can skip to it.
_BOUNDARY = re.compile(r"[.!?][\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE = re.compile(r",\s+however,\s+|;\s+|,\s+but\s+|\s+but\s+(?=the\b)", re.I)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        after = m.start() + 1  # just past the punctuation
        candidate = text[start : after + 1]
        if _ABBREV.search(text, max(0, after - 6), after):
            continue
        if candidate.strip():
            out.append((start, candidate.strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return out


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c.strip()]


def matches_at(
    pattern: re.Pattern[str], text: str, lowered: str, stems: tuple[str, ...]
) -> list[re.Match[str]]:
    """Non-overlapping matches of `pattern` that start a word where one of `stems` occurs:
    a few string searches and anchored matches instead of trying the pattern everywhere."""
    starts = set()
    for stem in stems:
        at = lowered.find(stem)
        while at != -1:
            if at_word(text, at):
                starts.add(at)
            at = lowered.find(stem, at + 1)
    out: list[re.Match[str]] = []
    end = 0
    for at in sorted(starts):
        if at < end:
            continue
        m = pattern.match(text, at)
        if m:
            out.append(m)
            end = m.end()
    return out


def at_word(text: str, at: int) -> bool:
    """Whether `at` starts a word (what a leading `\\b` would check)."""
    return not at or not (text[at - 1].isalnum() or text[at - 1] == "_")
