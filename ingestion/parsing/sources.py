"""The sources an entry cites ("Source: X", "Sources: X, Y", "(Sources: ...)"), cut-off ones too."""

from __future__ import annotations

import re

# Matched against the lowercased text, without a leading word boundary so the engine can skip
# straight to an "s"; the boundary and an opening parenthesis are checked by hand.
_MARKER = re.compile(r"(?:sources?|souces?|sourcs?|soruces?)\s*:\s*")
_ITEM_SEP = re.compile(r",\s*|;\s*")


def split_sources(text: str) -> tuple[str, tuple[str, ...], bool]:
    """(text before the sources, the sources, whether the list looks cut off)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    m = None
    for found in _MARKER.finditer(lowered):
        at = found.start()
        if not at or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            m = found
    if m is None:
        return text, (), False
    start = m.start() - 1 if m.start() and text[m.start() - 1] == "(" else m.start()
    body = text[:start].rstrip()
    tail = text[m.end() :].strip()
    if start < m.start():
        tail = tail.split(")", 1)[0]
    tail = tail.strip().rstrip(".)").strip()
    items = tuple(s.strip(" *.") for s in _ITEM_SEP.split(tail) if s.strip(" *."))
    return body, items, bool(items) and _looks_cut(items[-1])


def _looks_cut(last: str) -> bool:
    """A last source ending in a stub ("Re", "Regional Rev"), not a word or an acronym (CNN)."""
    word = last.split()[-1]
    if any(c.isdigit() for c in word):
        return False
    return len(word) == 1 or (len(word) <= 3 and not word.isupper())
