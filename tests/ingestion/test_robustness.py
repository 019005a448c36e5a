"""What the ingestion pipeline relies on: page numbers dropped, re-wrapped paragraphs kept whole,
and the decoded text handed back with the parse."""

from __future__ import annotations

import re
import textwrap

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition, to_contract
from tests.ingestion.conftest import SAMPLES

_EDITION = """Mali: Extremism and Terrorist Incidents

Overview

Militants keep attacking the centre of the country. Armed groups
recruit in the villages.
Analysts expect more attacks.

{page}

Security forces answer with operations in the north.

Major Extremist and Terrorist Incidents

- March 5, 2021: Suspected jihadists ambush a convoy near Gao, killing at least
{page}
 twelve soldiers. Source: Reuters
- March 1, 2021: Gunmen attack a village in Mopti region, killing four. Source: AFP
"""


def _parse(text: str, lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    return parse_edition(text.encode("utf-8"), lexicon=lexicon, gazetteer=gazetteer)


@pytest.mark.parametrize(
    "page", ["2", "  17  ", "Page 3", "Page 3 of 40", "page 12 of 140", "- 4 -"]
)
def test_a_line_holding_only_a_page_number_is_dropped(
    page: str, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    parsed = _parse(_EDITION.format(page=page), lexicon, gazetteer)
    first = parsed.entries[0]
    assert first.text.endswith("killing at least twelve soldiers. Source: Reuters")
    assert (first.killed.min, first.killed.qualifier) == (12, "at_least")
    assert first.sources == ("Reuters",)
    overview = next(s for s in parsed.sections if s.heading == "Overview")
    assert all(not re.search(r"\b(?:Page|page)\b|^\s*-?\s*\d", p) for p in overview.paragraphs)
    assert len(overview.paragraphs) == 2


def test_single_line_breaks_inside_a_narrative_paragraph_do_not_split_it(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    parsed = _parse(_EDITION.format(page=""), lexicon, gazetteer)
    overview = next(s for s in parsed.sections if s.heading == "Overview")
    assert overview.paragraphs[0].endswith("in the villages. Analysts expect more attacks.")


def test_a_year_or_a_dated_line_is_not_a_page_number(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = _EDITION.format(page="") + "- 2012: AQIM militants kidnap two tourists. Source: OSAC\n"
    parsed = _parse(text, lexicon, gazetteer)
    assert parsed.entries[-1].date_start == "2012"


def test_parsed_edition_exposes_the_decoded_text(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = _EDITION.format(page="")
    parsed = _parse(text, lexicon, gazetteer)
    assert parsed.text == text
    assert parsed.chars == len(parsed.text)
    assert "text" not in to_contract(parsed)  # the contract document is unchanged


def test_sample_edition_text_is_the_decoded_file(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    data = (SAMPLES / "mali_2024a.txt").read_bytes()
    parsed = parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)
    assert parsed.text == data.decode("utf-8").replace("\r\n", "\n")


def _rewrap_narrative(text: str, first_entry: int, last_entry: int, width: int = 64) -> str:
    """Hard-wrap every narrative paragraph line (outside the timeline), breaking after each
    sentence too, so sentences end at line ends and the next line starts with a capital."""
    out: list[str] = []
    for no, line in enumerate(text.split("\n"), start=1):
        inside = first_entry <= no <= last_entry + 12
        if inside or len(line) < 100 or line[:1] in "-• " or line.startswith("Source"):
            out.append(line)
            continue
        for sentence in re.split(r"(?<=[a-z0-9)\"]\.) (?=[A-Z])", line):
            out.extend(
                textwrap.wrap(sentence, width, break_on_hyphens=False, break_long_words=False)
            )
    return "\n".join(out)


def _normalised(parsed: ParsedEdition) -> list[tuple[str | None, list[str]]]:
    return [(s.heading, [" ".join(p.split()) for p in s.paragraphs]) for s in parsed.sections]


def test_seed_narrative_rewrapped_with_single_line_breaks_keeps_its_paragraphs(
    seed: ParsedEdition, seed_bytes: bytes, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    lines = [e.line for e in seed.entries]
    wrapped = _rewrap_narrative(seed_bytes.decode("utf-8"), min(lines), max(lines))
    assert wrapped.count("\n") > seed_bytes.count(b"\n") + 200  # the wrap really happened
    reparsed = _parse(wrapped, lexicon, gazetteer)
    assert _normalised(reparsed) == _normalised(seed)
    assert len(reparsed.entries) == len(seed.entries)
    assert len({e.line for e in reparsed.entries}) == 186


def test_seed_with_page_numbers_between_lines_reads_the_same(
    seed: ParsedEdition, seed_bytes: bytes, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    lines = seed_bytes.decode("utf-8").split("\n")
    numbered: list[str] = []
    for i, line in enumerate(lines):
        numbered.append(line)
        if i % 37 == 20:
            numbered.append(f"Page {i // 37 + 1} of {len(lines) // 37 + 1}")
        elif i % 37 == 5:
            numbered.append(str(i // 37 + 1))
    reparsed = _parse("\n".join(numbered), lexicon, gazetteer)
    assert _normalised(reparsed) == _normalised(seed)
    assert [(e.date_start, e.killed, e.wounded, e.sources) for e in reparsed.entries] == [
        (e.date_start, e.killed, e.wounded, e.sources) for e in seed.entries
    ]
