"""The real seed, then a later edition made from it with known edits: exactly those changes."""

from __future__ import annotations

import re

import pytest

from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched

pytestmark = pytest.mark.django_db


def later_edition(text: str) -> str:
    """Drop the newest entry, raise one toll, move one date by two days, re-wrap sentences."""
    lines = text.split("\n")
    bullets = [
        i for i, line in enumerate(lines) if re.match(r"- [A-Z][a-z]+ \d{1,2}, \d{4}:", line)
    ]
    del lines[bullets[0] : bullets[1]]
    edited = "\n".join(lines)
    edited = re.sub(
        r"killing at least (\d+)",
        lambda m: f"killing at least {int(m.group(1)) + 5}",
        edited,
        count=1,
    )
    edited = re.sub(
        r"(- [A-Z][a-z]+ )(1\d)(, \d{4}:)",
        lambda m: f"{m.group(1)}{int(m.group(2)) + 2}{m.group(3)}",
        edited,
        count=1,
    )
    return edited.replace(". ", ".\n", 60)


def test_the_seed_and_a_later_edition_differ_by_exactly_the_edits_made(seed_text):
    first = ingest_fetched(
        report_slug="mali", fetched=Fetched(seed_text.encode(), "seed"), trigger="test"
    )
    # 186 entries; nine report a second event, which is an incident of its own
    assert first["counts"]["new"] == 195
    second = ingest_fetched(
        report_slug="mali",
        fetched=Fetched(later_edition(seed_text).encode(), "later"),
        trigger="test",
    )
    assert sorted((c["kind"], c["fields"]) for c in second["changes"]) == [
        ("dropped", []),
        ("revised", ["date"]),
        ("revised", ["killed"]),
    ]
    assert second["counts"]["unchanged"] == 192
    assert second["sections_changed"] == []
