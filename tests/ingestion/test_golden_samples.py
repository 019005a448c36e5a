"""The team's sample editions read exactly as their committed parse-report documents say.

A change to the parser that is meant to read the same (a speed-up, a refactor) must leave these
documents as they are; `bench/parse_golden.py` checks the seed and every layout the same way,
outside the repository. A change meant to read differently rewrites them with
`python bench/parse_golden.py samples`, and its diff shows what it changed.
"""

from __future__ import annotations

import json

import pytest

from bench.parse_golden import COMMITTED, SAMPLES, document

NAMES = sorted(p.stem for p in SAMPLES.glob("*.txt"))


def test_every_sample_edition_has_a_committed_document() -> None:
    assert NAMES
    assert sorted(p.stem for p in COMMITTED.glob("*.json")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_sample_edition_reads_as_its_committed_document(name: str) -> None:
    committed = json.loads((COMMITTED / f"{name}.json").read_text(encoding="utf-8"))
    now = document((SAMPLES / f"{name}.txt").read_bytes())
    for key in ("parser_version", "report", "sections", "warnings"):
        assert now[key] == committed[key], key
    assert len(now["incidents"]) == len(committed["incidents"])
    for got, expected in zip(now["incidents"], committed["incidents"], strict=True):
        assert got == expected, f"the entry on line {expected['line']} part {expected['part']}"
