"""The sources an entry cites ("Source: X", "Sources: X, Y", "(Sources: ...)"), cut-off ones too."""

from __future__ import annotations

import re

_MARKER = re.compile(r"\(?\b(?:Sources?|Souces?|Sourcs?|Soruces?)\s*:\s*", re.I)


def split_sources(text: str) -> tuple[str, tuple[str, ...], bool]:
    """(text before the sources, the sources, whether the list looks cut off)."""
    matches = list(_MARKER.finditer(text))
    if not matches:
        return text, (), False
    m = matches[-1]
    body = text[: m.start()].rstrip()
    tail = text[m.end() :].strip()
    if m.group(0).startswith("("):
        tail = tail.split(")", 1)[0]
    tail = tail.strip().rstrip(".)").strip()
    items = tuple(s.strip(" *.") for s in re.split(r",\s*|;\s*", tail) if s.strip(" *."))
    cut = not items or (len(items[-1]) <= 2 or bool(re.search(r"\b[A-Z][a-z]{0,3}$", items[-1])))
    return body, items, cut and bool(items)
