"""The parser's cheap shortcuts decide exactly what the patterns they spare would decide."""

from __future__ import annotations

import re

import pytest

from ingestion.parsing import default_gazetteer
from ingestion.parsing.claims import _SAYS, says_match
from ingestion.parsing.events import _names_military_operation
from ingestion.parsing.limits import Limits, check_input
from ingestion.parsing.model import ParseError
from ingestion.parsing.numbers import _FIRST_WORDS, Quantity, read_quantity
from ingestion.parsing.perpetrators import _main_verb, main_verb
from ingestion.parsing.places import _context, countries_named

_FULL = re.compile(r"(?:.*\bmilitary operation\b.*)")


@pytest.mark.parametrize(
    "text",
    [
        "the army says a military operation is under way",
        "a paramilitary operation",
        "military operations continue",
        "military operation_x",
        "a military\noperation",
        "one line\nthen a military operation",
        "",
    ],
)
def test_the_military_operation_test_agrees_with_the_full_match(text: str) -> None:
    assert _names_military_operation(text) == bool(_FULL.fullmatch(text))


def test_a_country_named_after_a_border_word_in_any_case_does_not_count() -> None:
    gazetteer = default_gazetteer()
    assert countries_named("Near the BORDER WITH Niger, gunmen kill two.", gazetteer) == ()
    # The dotless i matches "i" in the case-insensitive pattern: the shortcut keeps the search.
    assert countries_named("Near the front\u0131er with Niger.", gazetteer) == ()
    assert countries_named("Near the town, gunmen from Niger kill two.", gazetteer) == ("Niger",)


@pytest.mark.parametrize(
    "clause",
    [
        "The army says it killed 20 militants",
        "Gunmen kill five, the government says",
        "Gunmen kill five, however, the U.N. estimates 12 dead",
        ", the army says 20 soldiers die",
        "militants kill 12 civilians, many in their homes",
        "",
    ],
)
def test_the_says_match_finds_what_a_search_of_the_pattern_finds(clause: str) -> None:
    found, searched = says_match(clause), _SAYS.search(clause)
    assert (found and (found.span(), found["c"])) == (searched and (searched.span(), searched["c"]))


def test_the_main_verb_is_searched_once_however_the_start_is_passed() -> None:
    sentence = "Unidentified gunmen attack a convoy near the border"
    main_verb(sentence, 0)
    before = _main_verb.cache_info().hits
    assert main_verb(sentence) == main_verb(sentence, 0) == (20, "attack")
    assert _main_verb.cache_info().hits == before + 2


def _quantity_by_the_character_loop(text: str, pos: int) -> Quantity | None:
    """`read_quantity` as it read a quantity's opening before: a loop over the spaces and
    quotes, then a test of the character and of the word there."""
    while pos < len(text) and text[pos] in " \"“'":
        pos += 1
    if pos >= len(text):
        return None
    if not text[pos].isdigit():
        word = re.match(r"[A-Za-z]+", text[pos:])
        if word is None or word.group(0).lower() not in _FIRST_WORDS:
            return None
    return read_quantity(text, pos)


@pytest.mark.parametrize(
    "text",
    [
        "kills 12 soldiers",
        'kills "at least 12" soldiers',
        "kills \u201ctwenty-five\u201d people",
        "kills ² people",  # a digit to str.isdigit, not to \d
        "kills \u0663 people",  # an Arabic-Indic three: a digit to both
        "kills Around 40",
        "kills xylophones",
        "kills -- 3",
        "kills    ",
        "kills",
    ],
)
def test_a_quantity_opens_where_the_character_loop_found_it(text: str) -> None:
    for pos in range(len(text) + 1):
        assert read_quantity(text, pos) == _quantity_by_the_character_loop(text, pos), pos


def test_a_text_of_few_lines_is_never_over_the_dated_line_limit_and_one_of_many_still_is() -> None:
    limits = Limits(max_entries=2)
    dated = b"March 5, 2021: gunmen kill two.\n"
    check_input(dated * 4, limits)  # four dated lines in five: not over twice the limit
    with pytest.raises(ParseError, match="5 entries"):
        check_input(dated * 5, limits)
    with pytest.raises(ParseError, match="5 entries"):
        check_input(dated * 4 + b"March 5, 2021: and one more, with no newline", limits)


def test_an_entrys_place_context_is_the_gazetteers_scope_and_the_named_countries() -> None:
    gazetteer = default_gazetteer()
    assert _context(gazetteer, "Mali", ("Niger",)) == (
        gazetteer.scope("Mali", ("Niger",)),
        ("ML", "NE"),
    )
    assert _context(gazetteer, None, ("Niger",)) == (None, ("NE",))
