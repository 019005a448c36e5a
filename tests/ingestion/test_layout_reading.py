"""The layout rules one at a time: bullets by glyph kind, hyphenation, page furniture, wrapped
and page-broken lines, entries without bullets, HTML lists. Invented text throughout."""

from __future__ import annotations

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition
from ingestion.parsing.text import bullet_length

HEAD = "Mali: Extremism and Terrorism\n\nMajor Extremist and Terrorist Incidents\n\n"


def _parse(text: str, lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    return parse_edition(text.encode("utf-8"), lexicon=lexicon, gazetteer=gazetteer)


@pytest.mark.parametrize(
    ("line", "length"),
    [
        ("\uf0b7\tMay 2, 2024: x", 2),  # a Symbol-font bullet, as a word processor exports it
        ("\x7f May 2, 2024: x", 2),  # DEL, as some PDF producers map the bullet
        ("\x07 x", 2),  # any control character
        ("\u25aa x", 2),
        ("\u2605 x", 2),  # a symbol no list names still counts by its kind
        ("\u25cfMay 2", 1),  # a glyph drawn apart from its text, extracted without a space
        ("  - x", 4),
        ("-5 degrees", 0),  # a dash before a number is text
        ("*note", 0),
        ("(a) first", 0),
        ('"Quoted"', 0),
        ("\u20ac 5", 0),  # a currency sign is no bullet
        ("Source: x", 0),
    ],
)
def test_a_bullet_is_told_by_the_kind_of_glyph(line: str, length: int) -> None:
    assert bullet_length(line) == length


def test_entries_open_with_whatever_glyph_the_extraction_gives_their_bullet(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    events = (
        "Gunmen kill 1 herder near Koro",
        "A roadside bomb kills 2 soldiers outside Gao",
        "Militants storm a checkpoint in Boni, killing 3 gendarmes",
        "Suspected jihadists kill 4 villagers in a raid on Dioura",
        "An ambush on a convoy near Kidal kills 5 peacekeepers",
    )
    glyphs = ("\uf0b7\t", "\x7f ", "\u25aa ", "\u2022 ", "- ")
    body = "".join(
        f"{glyph}May {day}, 2024: {event}. Source: Wire\n"
        for day, (glyph, event) in enumerate(zip(glyphs, events, strict=True), 1)
    )
    parsed = _parse(HEAD + body, lexicon, gazetteer)
    assert [e.date_start for e in parsed.entries] == [f"2024-05-0{d}" for d in range(1, 6)]
    assert [e.killed.min for e in parsed.entries] == [1, 2, 3, 4, 5]
    assert all(e.text.startswith("May ") for e in parsed.entries)


def test_a_word_hyphenated_at_a_line_end_is_joined_and_a_compound_keeps_its_hyphen(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = HEAD + (
        "- May 2, 2024: Militants ambus-\n hed a convoy of the al-\n Qaeda rivals and a self-\n"
        " defense militia. The self-defense militia lost 4 men. Source: Wire\n"
    )
    entry = _parse(text, lexicon, gazetteer).entries[0]
    assert "Militants ambushed a convoy of the al-Qaeda rivals" in entry.text
    assert "a self-defense militia." in entry.text


def test_soft_hyphens_and_non_breaking_spaces_of_a_word_processor_leave_no_trace(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = (
        HEAD
        + "\uf0b7\tMay\u00a02, 2024: Militants am\u00adbush a con\u00advoy. Source:\u00a0Wire\n"
    )
    entry = _parse(text, lexicon, gazetteer).entries[0]
    assert entry.date_start == "2024-05-02"
    assert "Militants ambush a convoy." in entry.text
    assert entry.sources == ("Wire",)


def _paged(pages: list[str], *, title: str = "Mali: Extremism and Terrorism") -> str:
    """Pages as a text extraction lays them out: a header, the page, a footer and number."""
    out = []
    for n, page in enumerate(pages, 1):
        out.append(f"{title}\n\n{page}\n\nExample Institute | www.example.org\nPage {n}\n\n\n")
    return "".join(out)


def test_running_headers_footers_and_page_numbers_of_an_extracted_text_are_dropped(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    pages = [
        "Mali: Extremism and Terrorism\n\nOverview\n\nArmed groups fight in the centre.",
        "Major Extremist and Terrorist Incidents\n\n"
        "- May 9, 2024: Gunmen kill 3 traders near Gao. The attack",
        " goes on for hours. Source: Wire\n- May 2, 2024: A mine kills 2 near Boni. Source: Wire",
        "- April 30, 2024: Militants kidnap 4 workers near Kayes. Source: Wire",
    ]
    parsed = _parse(_paged(pages), lexicon, gazetteer)
    assert parsed.title == "Mali: Extremism and Terrorism"
    assert [e.date_start for e in parsed.entries] == ["2024-05-09", "2024-05-02", "2024-04-30"]
    first = parsed.entries[0]
    assert first.text.endswith("The attack goes on for hours. Source: Wire")
    assert not any("Example Institute" in e.text or "Page" in e.text for e in parsed.entries)
    assert not any("Example Institute" in p for s in parsed.sections for p in s.paragraphs)


def test_a_short_line_repeated_inside_entries_is_no_running_header(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    places = ("Koro", "Gao", "Boni", "Kidal")
    body = "".join(
        f"- May {d}, 2024: Gunmen raid a market in {place}.\nCasualties are unknown.\n"
        for d, place in enumerate(places, 1)
    )
    parsed = _parse(HEAD + body, lexicon, gazetteer)
    assert all(e.text.endswith("Casualties are unknown.") for e in parsed.entries)


def test_a_number_that_ends_a_wrapped_source_list_is_text_not_a_page_number(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = HEAD + "- May 2, 2024: A mine kills 2 near Boni. Sources: Wire, France\n24\n"
    text += "- May 1, 2024: Gunmen kill 3 near Gao. Source: Wire\n"
    entry = _parse(text, lexicon, gazetteer).entries[0]
    assert entry.sources == ("Wire", "France 24")


def test_a_sentence_cut_by_a_page_break_is_no_heading_and_the_timeline_goes_on(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = HEAD + (
        "- May 9, 2024: Gunmen attack a market near Gao.\n\n"
        "The assailants first set fire to the stalls before\n\n\n"
        "opening fire. Source: Wire\n- May 2, 2024: A mine kills 2 near Boni. Source: Wire\n"
    )
    parsed = _parse(text, lexicon, gazetteer)
    assert [e.date_start for e in parsed.entries] == ["2024-05-09", "2024-05-02"]
    assert "stalls before opening fire." in parsed.entries[0].text


def test_in_a_timeline_without_bullets_an_undated_paragraph_after_a_finished_entry_is_an_entry(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = HEAD + (
        "May 9, 2024: Gunmen kill 3 traders near Gao. Source: Wire\n\n"
        "Militants kidnap 4 road workers near Kayes in an undated raid. Source: Wire\n\n"
        "May 2, 2024: A mine kills 2 near Boni.\n\n"
        "The blast also damages a bridge on the road. Source: Wire\n"
    )
    parsed = _parse(text, lexicon, gazetteer)
    assert [e.date_start for e in parsed.entries] == ["2024-05-09", None, "2024-05-02"]
    assert parsed.entries[2].text.endswith("damages a bridge on the road. Source: Wire")


def test_in_a_bulleted_timeline_a_paragraph_without_bullet_continues_the_entry(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = HEAD + (
        "- May 9, 2024: Gunmen kill 3 traders near Gao. Source: Wire\n\n"
        "The market had been attacked twice before that year. Source: Wire\n"
        "- May 2, 2024: A mine kills 2 near Boni. Source: Wire\n"
    )
    parsed = _parse(text, lexicon, gazetteer)
    assert [e.date_start for e in parsed.entries] == ["2024-05-09", "2024-05-02"]
    assert "attacked twice before that year" in parsed.entries[0].text


def test_a_list_item_with_paragraphs_and_nested_items_is_one_entry_read_once(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    page = (
        "<html><head><title>Mali: Extremism and Terrorism</title></head><body>"
        "<h1>Mali: Extremism and Terrorism</h1><h2>Major Extremist and Terrorist Incidents</h2>"
        "<ul><li><p><strong>May 9, 2024:</strong> Gunmen kill 3 traders\n   near Gao.</p>"
        "<p>The attack lasts hours.</p><ul><li>Police arrest 2 suspects. Source: Wire</li>"
        "</ul></li><li><strong>May 2, 2024</strong>: A mine kills 2 near Boni. Source: Wire</li>"
        "</ul></body></html>"
    )
    parsed = parse_edition(page.encode(), lexicon=lexicon, gazetteer=gazetteer)
    assert parsed.input_kind == "html"
    assert [e.date_start for e in parsed.entries] == ["2024-05-09", "2024-05-02"]
    assert parsed.entries[0].text == (
        "May 9, 2024: Gunmen kill 3 traders near Gao. The attack lasts hours. "
        "Police arrest 2 suspects. Source: Wire"
    )
