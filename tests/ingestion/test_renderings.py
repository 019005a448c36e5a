"""Any layout of an edition reads like its text: PDFs from two producers in several fonts,
bullet glyphs and page furniture, HTML with nested lists and bold dates, a word processor's
text export, and the text re-wrapped. Same entries, dates, figures, wording, sources,
perpetrators and places — for our own sample editions always, and for the seed when present."""

from __future__ import annotations

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition
from tests.ingestion.conftest import SAMPLES
from tests.ingestion.layouts import compare, entry_readings
from tests.ingestion.renderings import Rendering, fonts_available, renderings

RENDERINGS = list(renderings())
SAMPLE_EDITIONS = ("mali_2024a", "mali_2024b")


def _rendered(rendering: Rendering, text: str) -> bytes:
    if rendering.kind == "pdf" and not fonts_available():
        pytest.skip("the DejaVu fonts the PDF renderings embed are not installed")
    if rendering.id.startswith("reportlab"):
        pytest.importorskip("reportlab")
    return rendering.render(text)


def _parse(data: bytes, lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    return parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)


@pytest.mark.parametrize("rendering", RENDERINGS, ids=lambda r: r.id)
@pytest.mark.parametrize("edition", SAMPLE_EDITIONS)
def test_a_sample_edition_reads_the_same_in_every_layout(
    edition: str, rendering: Rendering, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = (SAMPLES / f"{edition}.txt").read_text(encoding="utf-8")
    expected = entry_readings(_parse(text.encode("utf-8"), lexicon, gazetteer))
    parsed = _parse(_rendered(rendering, text), lexicon, gazetteer)
    assert parsed.input_kind == rendering.kind
    comparison = compare(expected, entry_readings(parsed))
    assert comparison.same, str(comparison)


@pytest.mark.slow
@pytest.mark.parametrize("rendering", RENDERINGS, ids=lambda r: r.id)
def test_the_seed_reads_the_same_in_every_layout(
    rendering: Rendering,
    seed: ParsedEdition,
    seed_bytes: bytes,
    lexicon: ActorLexicon,
    gazetteer: Gazetteer,
) -> None:
    parsed = _parse(_rendered(rendering, seed_bytes.decode("utf-8")), lexicon, gazetteer)
    comparison = compare(entry_readings(seed), entry_readings(parsed))
    assert comparison.found == 186, str(comparison)
    assert comparison.same, str(comparison)


def test_the_renderings_are_what_they_claim(sample_b: ParsedEdition) -> None:
    """The layouts really differ: other producers, glyphs and furniture, not the same bytes."""
    from io import BytesIO

    from pypdf import PdfReader

    text = (SAMPLES / "mali_2024b.txt").read_text(encoding="utf-8")
    by_id = {r.id: r for r in RENDERINGS}
    fpdf = PdfReader(BytesIO(_rendered(by_id["fpdf-dejavu-sans-symbol-f0b7"], text)))
    raw = fpdf.pages[0].extract_text()
    assert "\uf0b7" in raw and "Page 1" in raw and "www.example.org" in raw
    assert (
        "\x7f"
        in PdfReader(BytesIO(_rendered(by_id["fpdf-helvetica-del-7f"], text)))
        .pages[0]
        .extract_text()
    )
    reportlab = PdfReader(BytesIO(_rendered(by_id["reportlab-times-symbol-f0b7"], text)))
    assert "ReportLab" in str(reportlab.metadata.get("/Producer"))
    assert len(reportlab.pages) >= 2
    html = by_id["html-nested-lists"].render(text).decode()
    assert "<ul><li>" in html and "<strong>" in html and "<footer>" in html
    docx = by_id["docx-text-utf16"].render(text).decode("utf-16")
    assert "\uf0b7\t" in docx and "\u00ad" in docx and "\u00a0" in docx and "\r\n" in docx
