"""What "reads the same" means across layouts of one edition: per entry, its dates, its
figures and its wording after normalisation, in order.

An entry may yield several incidents (its parts) that share the entry's line; they are taken
together as one entry whose figures are the multiset over its parts.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from ingestion.matching import text_key
from ingestion.parsing import ParsedEdition

_FIGURES = ("killed", "wounded", "kidnapped", "attackers_killed")


@dataclass(frozen=True)
class EntryReading:
    dates: tuple[tuple[str | None, str | None, str], ...]
    figures: tuple[tuple[tuple[int | None, int | None, str | None], ...], ...]
    text: str
    details: tuple[object, ...] = ()  # sources, perpetrators and place names, as read

    @property
    def facts(self) -> tuple[object, ...]:
        return (self.dates, self.figures)


def entry_readings(parsed: ParsedEdition) -> list[EntryReading]:
    out: list[EntryReading] = []
    for _line, group in groupby(parsed.entries, key=lambda e: e.line):
        parts = list(group)
        dates = tuple(
            sorted(((p.date_start, p.date_end, p.date_precision) for p in parts), key=str)
        )
        figures = tuple(
            sorted(
                (
                    tuple((c.min, c.max, c.qualifier) for c in (getattr(p, k) for k in _FIGURES))
                    for p in parts
                ),
                key=str,
            )
        )
        texts = list(dict.fromkeys(text_key(p.text) for p in parts))
        details = (
            tuple(sorted({text_key(s) for p in parts for s in p.sources})),
            tuple(
                sorted({(x.actor_id or x.name, x.status) for p in parts for x in p.perpetrators})
            ),
            tuple(sorted({loc.name for p in parts for loc in p.locations})),
        )
        out.append(EntryReading(dates, figures, " ".join(texts), details))
    return out


@dataclass(frozen=True)
class Comparison:
    expected: int
    found: int
    facts_differ: int  # entries missing, extra, or with other dates or figures
    texts_differ: int  # entries whose wording differs after normalisation
    details_differ: int  # entries with other sources, perpetrators or places
    examples: tuple[str, ...]

    @property
    def same(self) -> bool:
        return self.found == self.expected and not (
            self.facts_differ or self.texts_differ or self.details_differ
        )

    def __str__(self) -> str:
        head = (
            f"{self.found}/{self.expected} entries, {self.facts_differ} with other dates or "
            f"figures, {self.texts_differ} with other wording, {self.details_differ} with other "
            "sources, perpetrators or places"
        )
        return "\n".join([head, *self.examples])


def compare(expected: Sequence[EntryReading], got: Sequence[EntryReading]) -> Comparison:
    """Entries aligned in order (an extra or missing entry counts once, not as a shift)."""
    matcher = difflib.SequenceMatcher(
        None, [e.text[:80] for e in expected], [g.text[:80] for g in got], autojunk=False
    )
    facts = texts = details = 0
    examples: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and a1 - a0 == b1 - b0):
            pairs = list(zip(expected[a0:a1], got[b0:b1], strict=True))
        else:
            facts += max(a1 - a0, b1 - b0)
            examples.extend(f"  missing: {e.text[:100]}" for e in expected[a0:a1][:3])
            examples.extend(f"  extra:   {g.text[:100]}" for g in got[b0:b1][:3])
            continue
        for e, g in pairs:
            if e.facts != g.facts:
                facts += 1
                if len(examples) < 12:
                    examples.append(f"  facts: {e.facts} != {g.facts} ({e.text[:60]})")
            if e.text != g.text:
                texts += 1
                if len(examples) < 12:
                    examples.append(f"  text:  {_first_difference(e.text, g.text)}")
            if e.details != g.details:
                details += 1
                if len(examples) < 12:
                    examples.append(f"  details: {e.details} != {g.details}")
    return Comparison(len(expected), len(got), facts, texts, details, tuple(examples[:12]))


def _first_difference(a: str, b: str) -> str:
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"...{a[max(0, at - 30) : at + 40]!r} vs ...{b[max(0, at - 30) : at + 40]!r}"
