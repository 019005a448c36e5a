"""Word-level differences between a flag's before and after text, for side-by-side display.

Pure: strings in, segments out. Whitespace is kept with the word before it, so joining a side's
segments gives back its text exactly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

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
