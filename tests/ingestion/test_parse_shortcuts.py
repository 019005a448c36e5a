"""The parser's cheap shortcuts decide exactly what the patterns they spare would decide."""

from __future__ import annotations

import re

import pytest

from ingestion.parsing import default_gazetteer
from ingestion.parsing.claims import _SAYS, says_match
from ingestion.parsing.events import _names_military_operation
from ingestion.parsing.perpetrators import _main_verb, main_verb
from ingestion.parsing.places import countries_named

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
