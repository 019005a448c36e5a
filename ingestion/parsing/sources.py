"""The sources an entry cites ("Source: X", "Sources: X, Y", "(Sources: ...)"), cut-off ones too."""

from __future__ import annotations

import re

# Matched against the lowercased text at a candidate position; the word boundary and an
# opening parenthesis are checked by hand.
_MARKER = re.compile(r"(?:sources?|souces?|sourcs?|soruces?)\s*:\s*")
_ITEM_SEP = re.compile(r",\s*|;\s*")


def split_sources(text: str) -> tuple[str, tuple[str, ...], bool]:
    """(text before the sources, the sources, whether the list looks cut off)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # The last marker that starts a word: candidates found from the end with a string search,
    # each tried with one anchored match (all the spellings start with "so").
    m = None
    at = lowered.rfind("so")
    while at != -1:
        if not at or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            m = _MARKER.match(lowered, at)
            if m is not None:
                break
        at = lowered.rfind("so", 0, at)
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
