"""Sentence and clause splitting that knows the reports' abbreviations (U.N., U.S., Dr.)."""

from __future__ import annotations

import re

_ABBREV = re.compile(
    r"\b(?:U\.N|U\.S|Dr|Mr|Mrs|Ms|St|Gen|Col|Lt|Sgt|No|a\.m|p\.m|Jr|Sr|e\.g|i\.e)\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE = re.compile(r",\s+however,\s+|;\s+|,\s+but\s+|\s+but\s+(?=the\b)", re.I)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        candidate = text[start : m.start() + 1]
        if _ABBREV.search(text[max(0, m.start() - 5) : m.start() + 1]):
            continue
        if candidate.strip():
            out.append((start, candidate.strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return out


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c.strip()]
