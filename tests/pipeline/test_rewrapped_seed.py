"""The seed, then the same edition laid out again: re-wrapped at another width, its stray
continuation bullets kept (restyled, or run into the text), page breaks moved, bullets
restyled, words hyphenated at line ends. Nothing happened, so the ingest reports nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from tests.ingestion.renderings import rewrap

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_text() -> str:
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        pytest.skip(f"the seed edition is absent from {SEED}")
    return files[0].read_text(encoding="utf-8")


def _stray_bullets_run_in(text: str) -> str:
    """A stray continuation bullet (" - kills five") run into the line above, as a re-flow
    of the text does: "The explosion - kills five"."""
    return re.sub(r"\n - (?=[a-z])", " - ", text)


LAYOUTS: dict[str, Callable[[str], str]] = {
    "rewrapped-64-restyled-stray-bullets": lambda t: rewrap(t, width=64, bullet="•", stray="▪"),
    "rewrapped-50-flush-hyphenated": lambda t: rewrap(t, width=50, indent="", hyphenate=True),
    "stray-bullets-run-in-then-rewrapped": lambda t: rewrap(_stray_bullets_run_in(t), width=80),
}


@pytest.mark.slow
@pytest.mark.parametrize("layout", list(LAYOUTS), ids=list(LAYOUTS))
def test_the_seed_laid_out_again_reports_no_change(seed_text: str, layout: str) -> None:
    first = ingest_fetched(
        report_slug="mali", fetched=Fetched(seed_text.encode(), "seed"), trigger="test"
    )
    assert first["counts"]["new"] == 186
    again = LAYOUTS[layout](seed_text)
    assert again != seed_text
    second = ingest_fetched(
        report_slug="mali", fetched=Fetched(again.encode(), layout), trigger="test"
    )
    assert second["status"] == "ingested"
    assert second["changes"] == []
    assert second["counts"]["new"] == 0
    assert second["counts"]["dropped"] == 0
    assert second["counts"]["unchanged"] == 186
    assert second["sections_changed"] == []
