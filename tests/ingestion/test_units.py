"""Small pieces of the parser, one behaviour each."""

from __future__ import annotations

import pytest

from ingestion.parsing.dates import latest_date, read_entry_date
from ingestion.parsing.decode import decode
from ingestion.parsing.figures import combine_quantities, find_mentions
from ingestion.parsing.model import ParseError
from ingestion.parsing.repair import repair_lines
from ingestion.parsing.sources import split_sources
from tests.ingestion.conftest import seed_lexicon


def _figures(text: str) -> list[tuple[str, int | None, int | None, str]]:
    return [(m.kind, m.min, m.max, m.qualifier) for m in find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 27, 2022 March 31, 2022: x", ("2022-03-27", "2022-03-31", "range")),
        ("January 16, 2013 - January 19, 2013: x", ("2013-01-16", "2013-01-19", "range")),
        ("March 27-31, 2022: x", ("2022-03-27", "2022-03-31", "range")),
        ("**February 15, 2024:** x", ("2024-02-15", None, "day")),
        ("Sept. 3, 2019: x", ("2019-09-03", None, "day")),
        ("March 2022: x", ("2022-03", None, "month")),
        (": x", (None, None, "unknown")),
    ],
)
def test_entry_dates_are_read_in_every_written_form(text: str, expected: tuple) -> None:  # type: ignore[type-arg]
    got = read_entry_date(text)
    assert got is not None and (got.start, got.end, got.precision) == expected


def test_a_sentence_is_not_an_entry_date() -> None:
    assert read_entry_date("Militants attack on March 3, 2020 in Gao") is None
    assert read_entry_date("February 30, 2020: impossible day") is None


def test_edition_date_is_the_latest_full_date() -> None:
    assert latest_date("On May 2, 2019 and on January 3, 2021, then March 2022.") == "2021-01-03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("killing 77 and wounding 255 others", [("killed", 77, 77, "exact"), ("wounded", 255, 255, "exact")]),
        ("killing at least 21", [("killed", 21, None, "at_least")]),
        ("kills more than 45 civilians", [("killed", 45, None, "more_than")]),
        ("took as many as 170 hostages", [("kidnapped", None, 170, "up_to")]),
        ("injure around a dozen others", [("wounded", 12, 12, "approximately")]),
        ("between 200 and 300 civilians are massacred", [("killed", 200, 300, "range")]),
        ("claiming dozens of soldiers were killed", [("killed", None, None, "vague")]),
        ("kill at least 17—14 in Tessit and three in Ansongo", [("killed", 17, None, "at_least")]),
        ("gunmen kill four in Gorey village, four in Djamnati and one more in Simikanda", [("killed", 9, 9, "exact")]),
        ("kills a police officer and a soldier", [("killed", 2, 2, "exact")]),
        ("Malian air forces kill 15 militants", [("attackers_killed", 15, 15, "exact")]),
        ("leave 14 soldiers dead and 11 wounded", [("killed", 14, 14, "exact"), ("wounded", 11, 11, "exact")]),
        ("leaving no casualties", [("killed", 0, 0, "exact"), ("wounded", 0, 0, "exact")]),
        ("injures 15 U.N. troops, 12 of whom came from Germany", [("wounded", 15, 15, "exact")]),
        ("abduct three buses carrying civilians", []),
        ("Twenty-one villagers are killed", [("killed", 21, 21, "exact")]),
        ("kills 40 troops, one of the worst tolls this year", [("killed", 40, 40, "exact")]),
        ("a guard is killed and seven others hurt", [("killed", 1, 1, "exact"), ("wounded", 7, 7, "exact")]),
        ("the raid kills 12 and leaves many others wounded", [("killed", 12, 12, "exact"), ("wounded", None, None, "vague")]),
        ("militants execute the French NGO worker they held", [("killed", 1, 1, "exact")]),
        ("gunmen assassinate Malian State Security officer Colonel Ali Ag Mohamed Ould Baba at home", [("killed", 1, 1, "exact")]),
        ("kills nine soldiers and several civilians", [("killed", 9, None, "at_least")]),
        ("troops neutralized 31 of the attackers", [("attackers_killed", 31, 31, "exact")]),
    ],
)  # fmt: skip
def test_figures_are_read_with_their_qualifiers(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert _figures(text) == expected


def test_summed_parts_keep_the_least_precise_qualifier() -> None:
    over = find_mentions("Gunmen kill over 31 villagers and nine soldiers at a market.")
    assert [(m.min, m.max, m.qualifier) for m in over] == [(40, None, "more_than")]
    assert combine_quantities([]).qualifier == "vague"


def test_glued_date_is_split_and_truncated_repeat_dropped() -> None:
    text = (
        "- July 22, 2022: Militants ambush a base in Kati. One soldier dies in the blast and six "
        "more are hurt. Source: Reuters\n"
        "- One soldier dies in the blast and six more are hurt. Source: **Re July 14, 2022:** "
        "Armed men ambush a checkpoint.\n"
    )
    lines = [ln.text for ln in repair_lines(text)]
    assert lines[0].endswith("Source: Reuters")
    assert lines[1] == "- July 14, 2022: Armed men ambush a checkpoint."
    assert len(lines) == 3  # the trailing empty line


def test_repeated_line_with_a_fixed_typo_keeps_the_copy() -> None:
    text = " Over two dozen troops die in the ambush. Source: SOEPEP.\n- Over two dozen troops die in the ambush. Source: SOFREP\n"
    lines = [ln.text.strip() for ln in repair_lines(text) if ln.text]
    assert lines == ["Over two dozen troops die in the ambush. Source: SOFREP"]


def test_stray_markup_is_removed() -> None:
    (line,) = repair_lines("No details. ,br>Source: <u>Africa</u> <u>News</u> and **bold**")
    assert line.text == "No details. Source: Africa News and bold"


def test_sources_cut_off_by_the_page_are_kept_and_flagged() -> None:
    body, sources, cut = split_sources("Militants attack. Sources: Al Jazeera, I")
    assert (body, sources, cut) == ("Militants attack.", ("Al Jazeera", "I"), True)
    assert split_sources("Source: Reuters")[2] is False
    assert split_sources("Sources: CNN, Africa News")[2] is False
    assert split_sources("Sources: BBC News, RFI")[2] is False
    assert split_sources("Source: Regional Rev")[2] is True


def test_text_is_decoded_by_content() -> None:
    assert decode("Caf\u00e9 in Gao".encode("cp1252")).text == "Caf\u00e9 in Gao"
    assert decode(b"<html><body><h1>T</h1><p>Hello there.</p></body></html>").kind == "html"
    with pytest.raises(ParseError):
        decode(b"\x00\x01\x02" * 100)


def test_lexicon_resolves_aliases_and_spelling_variants() -> None:
    lexicon = seed_lexicon()
    for name in (
        "GSIM",
        "Group to Support Islam and Muslims",
        "Jamaat Nusrat al-Islam wal-Muslimin",
    ):
        ref = lexicon.resolve(name)
        assert ref is not None and ref.actor_id == "jnim"
    found = [m.actor.actor_id for m in lexicon.find("Ansar Dine and AAD joined Katibat Macina")]
    assert found == ["ansar-dine", "ansar-dine", "katiba-macina"]
    assert lexicon.find("it is a plan") == []  # the acronym "IS" only in capitals


def test_a_toll_in_a_clause_is_not_a_claim_of_the_subject() -> None:
    from ingestion.parsing.claims import voice_of

    voiced = voice_of("A series of attacks claims the lives of at least 42 people", seed_lexicon())
    assert voiced.claimant is None
    assert [(m.kind, m.min) for m in voiced.mentions] == [("killed", 42)]
    report = voice_of("The army kills 50 civilians, according to a U.N. report.", seed_lexicon())
    assert report.claimant == "U.N. report"


def test_a_plural_body_that_counts_or_records_a_toll_is_its_claimant() -> None:
    from ingestion.parsing.claims import voice_of

    counted = voice_of("Aid agencies count a death toll of 40", seed_lexicon())
    recorded = voice_of("Aid agencies record a death toll of at least 40", seed_lexicon())

    assert counted.claimant == "Aid agencies"
    assert recorded.claimant == "Aid agencies"


def test_a_town_name_beats_another_towns_alternate_spelling() -> None:
    from ingestion.parsing import default_gazetteer

    rome = default_gazetteer().lookup("Rome", "ML")
    assert rome is not None and rome.country == "IT"
