"""Reading rules found by checking the seed by hand, each on a made-up entry of its own."""

from __future__ import annotations

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, parse_edition
from ingestion.parsing.model import Entry

_HEAD = "Mali: Extremism and Terrorism\n\nMajor Extremist and Terrorist Incidents\n\n"


def _entry(body: str, lexicon: ActorLexicon, gazetteer: Gazetteer) -> Entry:
    text = f"{_HEAD}- June 3, 2021: {body} Source: Reuters\n"
    parsed = parse_edition(text.encode(), lexicon=lexicon, gazetteer=gazetteer)
    (entry,) = parsed.entries
    return entry


def _perps(entry: Entry) -> dict[str | None, str]:
    return {p.actor_id or p.name: p.status for p in entry.perpetrators}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a group named in an "In an attack on X," lead-in is the target, not the attacker
        (
            "In a raid on French troops near Gao, JNIM fighters kill two soldiers.",
            {"jnim": "attributed"},
        ),
        # a bomber from a group is the subject even though the verb is "detonates"
        (
            "A suicide bomber from the MNLA detonates a vest at a camp in Gao.",
            {"mnla": "attributed"},
        ),
        # "his links to" describes a person, it does not attribute the operation
        (
            "French forces kill a JNIM commander, sanctioned for his links to AQIM.",
            {"french-forces": "attributed"},
        ),
        # fighters of a group who are killed are victims, not perpetrators
        (
            "ISIS fighters attack a camp. It is believed that several al-Qaeda fighters are killed.",
            {"isis": "attributed"},
        ),
        # a security official attributing an ambush to unnamed jihadists
        (
            "Gunfire hits a convoy near Gao. An army officer attributes the attack to jihadists.",
            {"jihadists": "attributed"},
        ),
        # the report doubts who did it a sentence later
        (
            "Jihadists raid two villages near Gao. The suspected jihadists kill 12 herders.",
            {"Jihadists": "suspected"},
        ),
    ],
)
def test_perpetrators_and_their_status(
    body: str, expected: dict[str, str], lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    assert _perps(_entry(body, lexicon, gazetteer)) == expected


def test_a_toll_stated_in_an_entrys_own_sentence_is_not_a_claim(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "A wave of raids on herders' camps claims the lives of at least 30 people, among them "
        "children.",
        lexicon,
        gazetteer,
    )
    assert (entry.killed.min, entry.killed.qualifier) == (30, "at_least")
    assert entry.claims == ()
    assert entry.event_type == "massacre_of_civilians"


def test_a_generic_claimant_is_the_entrys_named_group(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "JNIM militants storm a base in Gao. According to the attackers, dozens of soldiers "
        "were killed.",
        lexicon,
        gazetteer,
    )
    assert [(c.claimant, c.about) for c in entry.claims] == [
        ("Jama'at Nusrat al-Islam wal-Muslimin", "killed")
    ]
    assert entry.killed.qualifier is None


@pytest.mark.parametrize(
    ("body", "event_type"),
    [
        ("A mayor is kidnapped by suspected militants near Gao. He is released a week later.",
         "kidnapping"),
        ("AQIM militants turn over two hostages to the government after a ransom.",
         "hostage_release"),
    ],
)  # fmt: skip
def test_event_types(
    body: str, event_type: str, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    assert _entry(body, lexicon, gazetteer).event_type == event_type


def test_places_from_town_of_and_capital_are_exact_and_other_years_are_left_out(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Gunmen kill a trader in the town of Menaka. In 2015, a similar attack hit Kidal.",
        lexicon,
        gazetteer,
    )
    assert [(loc.name, loc.precision) for loc in entry.locations] == [("Menaka", "exact")]
    capital = _entry("Gunmen kill three guards in Mali's capital, Bamako.", lexicon, gazetteer)
    assert [(loc.name, loc.precision) for loc in capital.locations] == [("Bamako", "exact")]


def test_an_entry_abroad_reads_the_country_with_an_apostrophe(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry("Gunmen linked to AQIM attack a hotel in Côte d'Ivoire, killing 9.", lexicon,
                   gazetteer)  # fmt: skip
    assert entry.country == "Ivory Coast"
    assert _perps(entry) == {"aqim": "suspected"}


def test_a_named_foreign_city_is_not_a_sahel_towns_alternate_name(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry("Two freed hostages fly home to Rome, Italy, from Bamako.", lexicon, gazetteer)
    rome = next(loc for loc in entry.locations if loc.name == "Rome")
    assert rome.country == "Italy"
