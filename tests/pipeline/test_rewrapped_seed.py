"""The seed, then the same edition laid out again: re-wrapped at another width, its stray
continuation bullets kept (restyled, or run into the text), page breaks moved, bullets
restyled, words hyphenated at line ends; or printed to a PDF, or put on a web page. Nothing
happened, so the ingest reports nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from tests.ingestion.renderings import SYMBOL_BULLET, fonts_available, fpdf_pdf, html_page, rewrap

pytestmark = pytest.mark.django_db


def _stray_bullets_run_in(text: str) -> str:
    """A stray continuation bullet (" - kills five") run into the line above, as a re-flow
    of the text does: "The explosion - kills five"."""
    return re.sub(r"\n - (?=[a-z])", " - ", text)


LAYOUTS: dict[str, Callable[[str], str | bytes]] = {
    "rewrapped-64-restyled-stray-bullets": lambda t: rewrap(t, width=64, bullet="•", stray="▪"),
    "rewrapped-50-flush-hyphenated": lambda t: rewrap(t, width=50, indent="", hyphenate=True),
    "stray-bullets-run-in-then-rewrapped": lambda t: rewrap(_stray_bullets_run_in(t), width=80),
    "pdf-symbol-font-bullets-running-headers": lambda t: fpdf_pdf(t, bullet=SYMBOL_BULLET),
    "html-nested-lists": lambda t: html_page(t),
}


# The seed's 186 entries: 9 of them report two events each, one incident per event.
SEED_INCIDENTS = 195


@pytest.mark.slow
@pytest.mark.parametrize("layout", list(LAYOUTS), ids=list(LAYOUTS))
def test_the_seed_laid_out_again_reports_no_change(seed_text: str, layout: str) -> None:
    first = ingest_fetched(
        report_slug="mali", fetched=Fetched(seed_text.encode(), "seed"), trigger="test"
    )
    assert first["counts"]["new"] == SEED_INCIDENTS
    if layout.startswith("pdf") and not fonts_available():
        pytest.skip("the DejaVu fonts the PDF rendering embeds are not installed")
    again = LAYOUTS[layout](seed_text)
    data = again.encode() if isinstance(again, str) else again
    assert data != seed_text.encode()
    second = ingest_fetched(report_slug="mali", fetched=Fetched(data, layout), trigger="test")
    assert second["status"] == "ingested"
    assert second["changes"] == []
    assert second["counts"]["new"] == 0
    assert second["counts"]["dropped"] == 0
    assert second["counts"]["unchanged"] == SEED_INCIDENTS
    assert second["sections_changed"] == []
