"""The team's own annotated sample editions (samples/editions/): an earlier and a later one.

The later edition revises tolls, adds a claim, corrects a date, respells a place, drops an
entry, adds entries on top, rewrites a paragraph, and garbles lines differently.
"""

from __future__ import annotations

from ingestion.parsing import ParsedEdition
from ingestion.parsing.model import Entry


def _on(parsed: ParsedEdition, date: str | None, words: str) -> Entry:
    found = [e for e in parsed.entries if e.date_start == date and words in e.text]
    assert len(found) == 1, (date, words, [e.line for e in found])
    return found[0]


def test_earlier_sample_has_title_country_and_all_entries(sample_a: ParsedEdition) -> None:
    assert sample_a.title == "Mali: Extremism and Terrorism"
    assert sample_a.country == "Mali"
    assert sample_a.edition_date == "2024-06-18"
    assert len(sample_a.entries) == 23


def test_later_sample_adds_entries_on_top_and_drops_one(sample_b: ParsedEdition) -> None:
    assert len(sample_b.entries) == 26
    assert sample_b.entries[0].date_start == "2024-09-03"
    assert not [e for e in sample_b.entries if "German priest" in e.text]


def test_revised_toll_is_read_in_each_edition(
    sample_a: ParsedEdition, sample_b: ParsedEdition
) -> None:
    assert _on(sample_a, "2024-06-18", "Boni").killed.min == 14
    assert _on(sample_b, "2024-06-18", "Boni").killed.min == 16
    assert _on(sample_b, "2024-06-09", "Sarafere").killed.min == 23
    assert _on(sample_b, "2024-06-09", "Sarafere").killed.qualifier == "at_least"


def test_new_claim_of_responsibility_is_read(
    sample_a: ParsedEdition, sample_b: ParsedEdition
) -> None:
    before = _on(sample_a, "2024-05-30", "minibus")
    after = _on(sample_b, "2024-05-30", "minibus")
    assert not [p for p in before.perpetrators if p.status == "claimed"]
    assert [(p.actor_id, p.status) for p in after.perpetrators] == [("jnim", "claimed")]
    assert (after.killed.min, after.wounded.min) == (7, 12)


def test_corrected_date_range_is_read(sample_a: ParsedEdition, sample_b: ParsedEdition) -> None:
    a = _on(sample_a, "2024-04-11", "Boulkessi")
    b = _on(sample_b, "2024-04-10", "Boulkessi")
    assert (a.date_end, b.date_end, b.date_precision) == ("2024-04-13", "2024-04-13", "range")
    assert (b.killed.min, b.killed.max, b.killed.qualifier) == (None, 60, "up_to")


def test_respelled_place_resolves_to_the_same_town(
    sample_a: ParsedEdition, sample_b: ParsedEdition
) -> None:
    a = _on(sample_a, "2024-05-21", "army post").locations[0]
    b = _on(sample_b, "2024-05-21", "army post").locations[0]
    assert (a.name, b.name) == ("Menaka", "Ménaka")
    assert (a.lat, a.lon, a.admin1) == (b.lat, b.lon, b.admin1) != (None, None, None)


def test_competing_claims_stay_side_by_side(sample_b: ParsedEdition) -> None:
    entry = _on(sample_b, "2024-05-21", "army post")
    assert entry.killed.qualifier is None  # only parties give figures
    claims = {(c.claimant, c.about): (c.min, c.max) for c in entry.claims}
    assert claims[("Army", "killed")] == (11, 11)
    assert claims[("Army", "attackers_killed")] == (30, 30)
    assert claims[("Islamic State Sahel Province", "killed")] == (40, 40)
    separatists = _on(sample_b, "2024-08-20", "Anefis")
    assert separatists.killed.qualifier is None
    assert {(c.about, c.min) for c in separatists.claims} == {("killed", 30), ("killed", 5)}


def test_garbled_lines_are_repaired(sample_b: ParsedEdition) -> None:
    glued = _on(sample_b, "2023-10-14", "arrest")
    assert glued.text.startswith("October 14, 2023: Security forces arrest")
    assert glued.event_type == "arrest_or_trial"
    bomb = _on(sample_b, "2024-05-02", "car bomb")
    assert bomb.sources == ("Regional Review",)
    assert (bomb.wounded.qualifier, bomb.killed.min) == ("vague", 3)
    dash = _on(sample_b, None, "town hall")
    assert dash.date_precision == "unknown"
    undated = _on(sample_b, None, "mayor")
    assert undated.sources == ("Example Wire",)
    assert undated.kidnapped.min == 1


def test_page_break_inside_an_entry_keeps_it_whole(sample_a: ParsedEdition) -> None:
    entry = _on(sample_a, "2024-03-03", "truck convoy")
    assert "Ivory Coast" in entry.text
    assert (entry.killed.min, entry.killed.qualifier) == (12, "exact")


def test_parts_are_summed_and_qualifiers_kept(sample_a: ParsedEdition) -> None:
    assert _on(sample_a, "2024-02-24", "Ogossagou").killed.min == 20
    air = _on(sample_a, "2024-03-28", "air strike")
    assert [(c.about, c.min, c.max) for c in air.claims] == [("attackers_killed", 20, 25)]
    herders = _on(sample_a, "2023-09-30", "herders")
    assert (herders.killed.max, herders.killed.qualifier) == (25, "up_to")
    assert herders.sources[-1] == "Regional Rev"
    assert any("cut off" in w for w in herders.warnings)


def test_paragraph_cut_by_page_break_and_rewritten_paragraph(
    sample_a: ParsedEdition, sample_b: ParsedEdition
) -> None:
    overview = next(s for s in sample_a.sections if s.heading == "Overview")
    assert len(overview.paragraphs) == 1 and "considered safe" in overview.paragraphs[0]
    rec_a = next(s for s in sample_a.sections if s.heading == "Recruitment").paragraphs
    rec_b = next(s for s in sample_b.sections if s.heading == "Recruitment").paragraphs
    assert rec_a != rec_b
    assert sample_a.sections[0].heading is None
