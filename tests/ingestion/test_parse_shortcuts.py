"""The parser's cheap shortcuts decide exactly what the patterns they spare would decide."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingestion.parsing import default_gazetteer
from ingestion.parsing.claims import _SAYS, _SAYS_WORDS, says_match
from ingestion.parsing.events import _names_military_operation
from ingestion.parsing.figures import _ATTACKER, _kind_for
from ingestion.parsing.limits import Limits, check_input
from ingestion.parsing.model import ParseError
from ingestion.parsing.numbers import _FIRST_WORDS, Quantity, read_quantity
from ingestion.parsing.perpetrators import (
    _ATTRIBUTED_GENERIC,
    _SUSPECTED_GENERIC,
    _main_verb,
    main_verb,
)
from ingestion.parsing.places import (
    _AFTER_PREP,
    _NAME_BEFORE,
    _after_preps,
    _context,
    _name_before,
    countries_named,
)
from ingestion.parsing.text import contains_any

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


# Random texts built from the words and characters the shortcuts below turn on: prepositions,
# capitalised names, region and attacker words, and the letters that case-insensitive
# matching or `\w` treat specially (accented, dotless i, long s, the Kelvin sign).
_PIECES = st.sampled_from(
    [
        "in", "near", "north of", "30 km from", "of", "the", "town of", "Mopti", "Gao",
        "Tillaberi", "region", "Region", "militants", "Gunmen", "of them", "ISIS fighters",
        "Wagner", "attributed to", "suspected", "believed to be", "jihadists", "says", "said",
        "counts", "estimated", "army", "within", "Ménaka", "\u0131n", "\u017fuspected",
        "\u212aidal", "x", "_", "-", ",", ".", "'", "2",
    ]
)  # fmt: skip
_TEXTS = st.lists(
    st.tuples(_PIECES, st.sampled_from([" ", "", "  ", "\n", ", "])), max_size=14
).map(lambda parts: "".join(word + gap for word, gap in parts))
_SHORTCUT_CHECKS = settings(max_examples=300, deadline=None)


@_SHORTCUT_CHECKS
@given(_TEXTS)
def test_prepositions_found_from_the_character_before_are_what_the_pattern_finds(
    text: str,
) -> None:
    def read(matches: list[re.Match[str]]) -> list[tuple[object, ...]]:
        return [(m["prep"], m.start("prep"), m["name"], m.start("name"), m.end()) for m in matches]

    assert read(_after_preps(text)) == read(list(_AFTER_PREP.finditer(text)))


@_SHORTCUT_CHECKS
@given(_TEXTS, st.integers(0, 40), st.integers(0, 40))
def test_the_name_before_a_region_word_is_what_the_pattern_finds(
    text: str, lo: int, length: int
) -> None:
    hi = min(len(text), lo + length)
    found = _NAME_BEFORE.search(text, lo, hi)
    assert _name_before(text, lo, hi) == (found and (found.start(), found["name"]))


@_SHORTCUT_CHECKS
@given(_TEXTS)
def test_a_killed_noun_names_attackers_as_the_pattern_alone_decides(noun: str) -> None:
    attackers = bool(_ATTACKER.search(noun)) and "wagner" not in noun.lower()
    assert _kind_for("killed", noun) == ("attackers_killed" if attackers else "killed")


@_SHORTCUT_CHECKS
@given(_TEXTS)
@example("The army counts, 12 dead")  # a verb before a comma: no space after it
@example("Gunmen kill two, the army recorded")
def test_the_cue_words_never_spare_a_clause_a_pattern_would_match(text: str) -> None:
    text = " ".join(text.split())  # as an entry's sentences are (`read_entry`)
    lowered = text.lower()
    if _SAYS.search(text):
        assert contains_any(lowered, _SAYS_WORDS)
    if _ATTRIBUTED_GENERIC.search(text) and text.isascii():
        assert "attribut" in lowered
    if _SUSPECTED_GENERIC.search(text) and text.isascii():
        assert "suspect" in lowered or "believed to be" in lowered
