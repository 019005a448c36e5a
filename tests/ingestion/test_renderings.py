"""The same edition reads the same from text, a PDF, an HTML page, and re-wrapped text."""

from __future__ import annotations

from typing import Any

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition
from tests.ingestion.conftest import SAMPLES
from tests.ingestion.renderings import rewrap, to_html, to_pdf


def reading(parsed: ParsedEdition) -> list[tuple[Any, ...]]:
    """What an analyst compares: everything but line numbers and cleaned-text whitespace."""
    return [
        (
            e.date_start,
            e.date_end,
            e.event_type,
            e.country,
            (e.killed.min, e.killed.max, e.killed.qualifier),
            (e.wounded.min, e.wounded.max, e.wounded.qualifier),
            (e.kidnapped.min, e.kidnapped.max, e.kidnapped.qualifier),
            (e.attackers_killed.min, e.attackers_killed.max, e.attackers_killed.qualifier),
            tuple((p.actor_id, p.status) for p in e.perpetrators),
            e.sources,
            tuple(loc.name for loc in e.locations),
        )
        for e in parsed.entries
    ]


def _parse(data: bytes, lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    return parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)


@pytest.fixture(scope="module")
def sample_text() -> str:
    return (SAMPLES / "mali_2024b.txt").read_text(encoding="utf-8")


def test_sample_pdf_reads_like_its_text(sample_text: str, lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = _parse(sample_text.encode(), lexicon, gazetteer)
    pdf = _parse(to_pdf(sample_text), lexicon, gazetteer)
    assert pdf.input_kind == "pdf"
    assert reading(pdf) == reading(text)
    assert pdf.title == text.title


def test_sample_html_reads_like_its_text(sample_text: str, lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = _parse(sample_text.encode(), lexicon, gazetteer)
    page = _parse(to_html(sample_text), lexicon, gazetteer)
    assert page.input_kind == "html"
    assert reading(page) == reading(text)
    assert [s.heading for s in page.sections] == [s.heading for s in text.sections]


def test_sample_rewrapped_with_other_bullets_reads_the_same(
    sample_text: str, lexicon, gazetteer
) -> None:  # type: ignore[no-untyped-def]
    text = _parse(sample_text.encode(), lexicon, gazetteer)
    wrapped = _parse(rewrap(sample_text, bullet="-").encode(), lexicon, gazetteer)
    assert reading(wrapped) == reading(text)


def test_seed_pdf_reads_like_its_text(
    seed: ParsedEdition, seed_bytes: bytes, lexicon, gazetteer
) -> None:  # type: ignore[no-untyped-def]
    pdf = _parse(to_pdf(seed_bytes.decode("utf-8")), lexicon, gazetteer)
    assert len([e for e in pdf.entries if e.part == 0]) == 186
    same = sum(a == b for a, b in zip(reading(pdf), reading(seed), strict=True))
    assert same >= 183, same


def test_seed_html_reads_like_its_text(
    seed: ParsedEdition, seed_bytes: bytes, lexicon, gazetteer
) -> None:  # type: ignore[no-untyped-def]
    page = _parse(to_html(seed_bytes.decode("utf-8")), lexicon, gazetteer)
    assert len([e for e in page.entries if e.part == 0]) == 186
    same = sum(a == b for a, b in zip(reading(page), reading(seed), strict=True))
    assert same >= 183, same


def test_seed_rewrapped_reads_the_same(
    seed: ParsedEdition, seed_bytes: bytes, lexicon, gazetteer
) -> None:  # type: ignore[no-untyped-def]
    wrapped = _parse(rewrap(seed_bytes.decode("utf-8")).encode(), lexicon, gazetteer)
    assert reading(wrapped) == reading(seed)
