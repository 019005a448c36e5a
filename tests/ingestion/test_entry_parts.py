"""An analyst's checklist: one incident per event, and every figure with its owner.

Over the seed (skipped when it is not checked out): entries that report a second, separate event
("that same day", "also on July 25") become one incident per event, each with its own date,
places, figures, perpetrators and claims; figures a party states are its claims, not the
report's. Then the same rules on short entries of our own wording.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition, to_contract
from ingestion.parsing.model import Count, Entry
from tests.ingestion.conftest import SCHEMA

E, AL, MT, UT, AP = "exact", "at_least", "more_than", "up_to", "approximately"


def _count(c: Count) -> tuple[int | None, int | None, str] | None:
    return None if c.qualifier is None else (c.min, c.max, c.qualifier)


@pytest.fixture(scope="module")
def parts(seed: ParsedEdition) -> dict[tuple[int, int], Entry]:
    return {(e.line, e.part): e for e in seed.entries}


def _place_names(entry: Entry) -> list[str]:
    return [loc.name for loc in entry.locations]


# (line, part): what the part reads. Places: names that must be among the part's places;
# "not_places": names that belong to the other part and must not be here.
SEED_PARTS: dict[tuple[int, int], dict[str, Any]] = {
    # Sevare double suicide bombing, and a separate ambush in the Koulikoro region
    (161, 0): {"date": ("2023-04-23", None), "type": "suicide_bombing", "killed": (13, 13, E),
               "places": ["Sevare"], "not_places": ["Koulikoro region"], "perps": {"jnim"}},
    (161, 1): {"date": ("2023-04-23", None), "type": "ambush", "killed": (10, 10, E),
               "places": ["Koulikoro region"], "not_places": ["Sevare"], "perps": {"jnim"}},
    # Mourdiah ambush (2 killed, 3 hurt) and a roadside bomb near Segou (5 killed; the seed
    # breaks that sentence with a stray continuation bullet)
    (243, 0): {"date": ("2021-10-30", None), "killed": (2, 2, E), "wounded": (3, 3, E),
               "places": ["Mourdiah"], "not_places": ["Segou"]},
    (243, 1): {"date": ("2021-10-30", None), "type": "ied_or_landmine", "killed": (5, 5, E),
               "wounded": None, "places": ["Segou"], "not_places": ["Mourdiah"]},
    # Kidal convoy (1 peacekeeper killed, 3 hurt) and a car ambushed in Kayes
    (223, 0): {"killed": (1, 1, E), "wounded": (3, 3, E), "places": ["Kidal"],
               "not_places": ["Kayes"]},
    # ... the drivers (how many unsaid) and one aid worker killed: at least one, open above
    (223, 1): {"killed": (1, None, AL), "wounded": None, "places": ["Kayes"],
               "not_places": ["Kidal"]},
    # Diafarabe (2 killed, 6 wounded) and Aguelhok (4 killed, 19 wounded)
    (267, 0): {"killed": (2, 2, E), "wounded": (6, 6, E), "places": ["Diafarabe"],
               "not_places": ["Aguelhok"]},
    (267, 1): {"killed": (4, 4, E), "wounded": (19, 19, E), "places": ["Aguelhok"],
               "not_places": ["Diafarabe"]},
    # Boni outpost (6 soldiers killed) and a car bomb near Tarkint (15 peacekeepers hurt)
    (262, 0): {"killed": (6, 6, E), "wounded": None, "places": ["Boni"],
               "not_places": ["Tarkint"]},
    (262, 1): {"type": "vehicle_bomb", "killed": None, "wounded": (15, 15, E),
               "places": ["Tarkint"], "not_places": ["Boni"]},
    # Tessit outpost and a Boni patrol: only a total (16 killed, 18 wounded) for both, which
    # stays with the primary part with a note on both parts
    (231, 0): {"killed": (16, 16, E), "wounded": (18, 18, E), "places": ["Tessit"],
               "not_places": ["Boni"], "perps": {"isis"}},
    (231, 1): {"killed": None, "wounded": None, "places": ["Boni"], "not_places": ["Tessit"]},
    # A bus near Bandiagara (at least 31 killed, 17 hurt), and a MINUSMA convoy the same day
    (236, 0): {"killed": (31, None, AL), "wounded": (17, 17, E), "places": ["Bandiagara"]},
    (236, 1): {"killed": (1, 1, E), "wounded": (1, 1, E), "places": ["Kidal", "Gao"]},
    # Bamba base (over 25 soldiers), and a customs officer killed in Sebekoro
    (322, 0): {"killed": (25, None, MT), "places": ["Bamba"], "not_places": ["Sebekoro"]},
    (322, 1): {"killed": (1, 1, E), "places": ["Sebekoro"], "not_places": ["Bamba"]},
    # Tinzaouaten: the separatists' three-day ambush, and JNIM's convoy boobytrap of July 25
    # (another event: another attacker, another weapon, its own claimed toll) as part 1
    (97, 0): {"date": ("2024-07-25", "2024-07-27"), "type": "ambush", "killed": None,
              "places": ["Tinzaouaten"], "perps": {"csp-dpa"}},
    (97, 1): {"date": ("2024-07-25", None), "type": "ied_or_landmine", "killed": None,
              "perps": {"jnim"}},
}  # fmt: skip

MULTI_PART_DATES = [
    "2024-07-25", "2023-04-23", "2022-06-01", "2022-03-21", "2021-12-03", "2021-10-30",
    "2021-06-25", "2021-04-03", "2020-04-06",
]  # fmt: skip


def test_nine_seed_entries_report_two_separate_events(seed: ParsedEdition) -> None:
    several = sorted({e.line for e in seed.entries if e.part > 0})
    starts = {e.line: e.date_start for e in seed.entries if e.part == 0}
    assert [starts[line] for line in several] == MULTI_PART_DATES
    assert max(e.part for e in seed.entries) == 1


def test_parts_of_one_entry_share_its_line_and_sources_and_come_in_text_order(
    seed: ParsedEdition,
) -> None:
    by_line: dict[int, list[Entry]] = {}
    for e in seed.entries:
        by_line.setdefault(e.line, []).append(e)
    for line, entries in by_line.items():
        assert [e.part for e in entries] == list(range(len(entries))), line
        assert len({e.sources for e in entries}) == 1, line
    first, second = by_line[161]
    assert first.text.index("Sevare") and "Sevare" not in second.text
    assert "Koulikoro" in second.text and "Koulikoro" not in first.text


@pytest.mark.parametrize("key", sorted(SEED_PARTS))
def test_seed_entry_part_reads_as_its_own_incident(
    parts: dict[tuple[int, int], Entry], key: tuple[int, int]
) -> None:
    entry = parts.get(key)
    assert entry is not None, f"no part {key[1]} of the entry on line {key[0]}"
    want = SEED_PARTS[key]
    if "date" in want:
        assert (entry.date_start, entry.date_end) == want["date"]
    if "type" in want:
        assert entry.event_type == want["type"]
    for kind in ("killed", "wounded"):
        if kind in want:
            assert _count(getattr(entry, kind)) == want[kind], kind
    for name in want.get("places", ()):
        assert name in _place_names(entry)
    for name in want.get("not_places", ()):
        assert name not in _place_names(entry)
    if "perps" in want:
        assert {p.actor_id for p in entry.perpetrators if p.actor_id} == want["perps"]


def test_sevare_is_two_incidents_not_one_with_twenty_three_killed(
    parts: dict[tuple[int, int], Entry],
) -> None:
    killed = [parts[(161, p)].killed.min for p in (0, 1)]
    assert killed == [13, 10]
    assert 23 not in killed


def test_a_total_for_two_events_stays_with_the_primary_part_with_a_note(
    parts: dict[tuple[int, int], Entry],
) -> None:
    tessit, boni = parts[(231, 0)], parts[(231, 1)]
    assert any("total" in w for w in tessit.warnings)
    assert any("total" in w for w in boni.warnings)
    assert "two attacks" in tessit.text and "two attacks" not in boni.text


def test_party_figures_at_tinzaouaten_are_claims_with_their_claimants_not_the_reports_toll(
    parts: dict[tuple[int, int], Entry],
) -> None:
    ambush, boobytrap = parts[(97, 0)], parts[(97, 1)]
    assert ambush.killed.qualifier is None and boobytrap.killed.qualifier is None
    figures = {
        (part, c.claimant, c.about): (c.min, c.max, c.qualifier)
        for part, e in enumerate((ambush, boobytrap))
        for c in e.claims
        if c.about != "responsibility"
    }
    assert figures == {
        # CSP-DPA: 84 Wagner + 47 soldiers, "at least": one claimed toll, open above
        (0, "Strategic Framework for the Defense of the People of Azawad", "killed"): (
            131,
            None,
            AL,
        ),
        # 50 Russian fighters and 10 Malians, claimed for the July 25 convoy boobytrap
        (1, "Jama'at Nusrat al-Islam wal-Muslimin", "killed"): (60, 60, E),
    }


def test_at_least_26_keeps_an_open_upper_bound_in_the_parse_output(seed: ParsedEdition) -> None:
    document = to_contract(seed)
    (dembo,) = [i for i in document["incidents"] if i["date_start"] == "2024-08-11"]
    assert dembo["killed"]["min"] == 26
    assert dembo["killed"]["max"] is None
    assert dembo["killed"]["qualifier"] == AL


def test_seed_parts_validate_against_the_contract(seed: ParsedEdition) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"the contract is not here: {SCHEMA}")
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    document = to_contract(seed)
    assert list(validator.iter_errors(document)) == []
    assert {(i["line"], i["part"]) for i in document["incidents"] if i["part"]} == {
        (line, 1) for line, part in SEED_PARTS if part
    }


# Our own entries, in the house style.

_HEAD = "Mali: Extremism and Terrorism\n\nMajor Extremist and Terrorist Incidents\n\n"


def _read(body: str, lexicon: ActorLexicon, gazetteer: Gazetteer, date: str = "June 3, 2021"):  # type: ignore[no-untyped-def]
    text = f"{_HEAD}- {date}: {body} Source: Reuters\n"
    return parse_edition(text.encode(), lexicon=lexicon, gazetteer=gazetteer).entries


def _figure_claims(entry: Entry) -> dict[tuple[str, str], tuple[int | None, int | None, str]]:
    return {
        (c.claimant, c.about): (c.min, c.max, c.qualifier or "")
        for c in entry.claims
        if c.about != "responsibility"
    }


def test_a_neutral_estimate_is_the_reports_figure_and_a_claim(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Gunmen raid several hamlets around Ogossagou. A U.N. estimate puts the death toll "
        "at around 400.",
        lexicon,
        gazetteer,
    )
    assert _count(entry.killed) == (400, 400, AP)
    assert _figure_claims(entry) == {("U.N.", "killed"): (400, 400, AP)}


def test_according_to_a_un_report_the_figure_is_the_reports_and_a_claim(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Soldiers sweep a market in Niono. The raid kills at least 30 civilians, according to "
        "a U.N. report.",
        lexicon,
        gazetteer,
    )
    assert _count(entry.killed) == (30, None, AL)
    assert _figure_claims(entry) == {("U.N. report", "killed"): (30, None, AL)}


def test_the_armys_figure_is_its_claim_not_the_reports(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Jihadists storm an army post near Douentza. The army says it killed 14 militants.",
        lexicon,
        gazetteer,
    )
    assert entry.attackers_killed.qualifier is None
    assert _figure_claims(entry) == {("Army", "attackers_killed"): (14, 14, E)}


def test_a_figure_according_to_the_government_is_its_claim(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Gunmen attack a convoy near Menaka. According to the government, nine soldiers were "
        "killed.",
        lexicon,
        gazetteer,
    )
    assert entry.killed.qualifier is None
    assert _figure_claims(entry) == {("Government", "killed"): (9, 9, E)}


def test_a_registered_party_claims_under_its_canonical_name(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Fighters ambush a patrol near Tessalit. GSIM claims to have killed 22 soldiers.",
        lexicon,
        gazetteer,
    )
    assert entry.killed.qualifier is None
    assert _figure_claims(entry) == {
        ("Jama'at Nusrat al-Islam wal-Muslimin", "killed"): (22, 22, E)
    }


def test_up_to_keeps_an_open_lower_bound(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Militants overrun a village near Bankass, killing up to 100.", lexicon, gazetteer
    )
    assert _count(entry.killed) == (None, 100, UT)


def test_meanwhile_with_its_own_place_and_toll_is_a_second_incident(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    first, second = _read(
        "Gunmen attack a checkpoint in Niono, killing three gendarmes. Meanwhile, a landmine "
        "hits a bus near Boni, killing seven passengers.",
        lexicon,
        gazetteer,
    )
    assert (first.part, second.part) == (0, 1)
    assert _count(first.killed) == (3, 3, E) and _count(second.killed) == (7, 7, E)
    assert "Niono" in _place_names(first) and "Niono" not in _place_names(second)
    assert second.event_type == "ied_or_landmine"
    assert first.line == second.line


def test_a_same_day_sentence_that_only_adds_detail_is_not_a_new_incident(
    lexicon, gazetteer
) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Militants ambush a supply convoy near Gao, killing five soldiers. The same day, the "
        "army announces that reinforcements have been sent.",
        lexicon,
        gazetteer,
    )
    assert entry.part == 0 and _count(entry.killed) == (5, 5, E)


def test_also_on_a_day_inside_a_range_entry_gets_that_day(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    first, second = _read(
        "Rebels besiege an army camp near Anefis for three days, killing 12 soldiers. Also on "
        "May 4, a bomb hits a truck near Kidal, killing two drivers.",
        lexicon,
        gazetteer,
        date="May 2, 2022 May 5, 2022",
    )
    assert (first.date_start, first.date_end, first.date_precision) == (
        "2022-05-02",
        "2022-05-05",
        "range",
    )
    assert (second.date_start, second.date_end, second.date_precision) == (
        "2022-05-04",
        None,
        "day",
    )
    assert _count(second.killed) == (2, 2, E)


def test_a_same_day_claim_of_responsibility_is_not_a_new_incident(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Gunmen attack a military camp in Boni, killing six soldiers. The same day, JNIM claims "
        "the attack on Boni in a statement.",
        lexicon,
        gazetteer,
    )
    assert _count(entry.killed) == (6, 6, E)
    assert {p.actor_id: p.status for p in entry.perpetrators if p.actor_id} == {"jnim": "claimed"}


def test_a_same_day_event_with_only_a_place_of_its_own_is_a_new_incident(
    lexicon, gazetteer
) -> None:  # type: ignore[no-untyped-def]
    first, second = _read(
        "Militants ambush a patrol near Douentza, killing eight soldiers. That same day, "
        "gunmen set fire to a school in Tenenkou.",
        lexicon,
        gazetteer,
    )
    assert "Tenenkou" in _place_names(second) and "Tenenkou" not in _place_names(first)
    assert second.killed.qualifier is None


def test_a_toll_update_the_same_day_is_not_a_new_incident(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    (entry,) = _read(
        "Gunmen open fire on a market in Diallassagou, killing 12 traders. Meanwhile, the "
        "death toll rose to 30 by nightfall.",
        lexicon,
        gazetteer,
    )
    assert entry.part == 0 and _count(entry.killed) == (12, 12, E)


def test_a_combined_force_is_not_a_total_for_the_entry(lexicon, gazetteer) -> None:  # type: ignore[no-untyped-def]
    first, second = _read(
        "Jihadists ambush a convoy near Ansongo, killing nine soldiers. The same day, a combined "
        "force of Malian and French troops attacks a camp near Menaka, killing 15 militants.",
        lexicon,
        gazetteer,
    )
    assert _count(first.attackers_killed) is None and _count(second.attackers_killed) == (
        15,
        15,
        E,
    )
    assert not [w for w in first.warnings + second.warnings if "total" in w]
