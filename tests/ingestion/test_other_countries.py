"""The same report for other countries: our own Niger and Burkina Faso editions read as well as
Mali's, and no incident of any edition lies in a country its text does not name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from common.names import normalize_name
from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition
from ingestion.parsing.model import Entry, Location

from .conftest import SAMPLES, SEED


@pytest.fixture(scope="module")
def niger(lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    data = (SAMPLES / "niger_2024.txt").read_bytes()
    return parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)


@pytest.fixture(scope="module")
def burkina(lexicon: ActorLexicon, gazetteer: Gazetteer) -> ParsedEdition:
    data = (SAMPLES / "burkina_faso_2024.txt").read_bytes()
    return parse_edition(data, lexicon=lexicon, gazetteer=gazetteer)


def _on(parsed: ParsedEdition, date: str) -> Entry:
    return next(e for e in parsed.entries if e.date_start == date)


def _place(entry: Entry, name: str) -> Location:
    return next(loc for loc in entry.locations if loc.name == name)


def test_niger_edition_has_its_title_country_and_every_entry_in_order(
    niger: ParsedEdition,
) -> None:
    assert (niger.title, niger.country) == ("Niger: Extremism and Terrorism", "Niger")
    assert len(niger.entries) == 17
    dates = [e.date_start for e in niger.entries]
    assert None not in dates and dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert all(e.sources for e in niger.entries)


def test_niger_entries_read_their_figures_and_perpetrators(niger: ParsedEdition) -> None:
    chinagodrar = _on(niger, "2020-01-09")
    assert (chinagodrar.killed.min, chinagodrar.killed.max) == (89, 89)
    assert {p.actor for p in chinagodrar.perpetrators} == {"Islamic State in the Greater Sahara"}
    bosso = _on(niger, "2016-06-03")
    assert (bosso.killed.min, bosso.wounded.min) == (26, 17)
    assert {p.actor for p in bosso.perpetrators} == {"Boko Haram"}
    ambush = _on(niger, "2023-02-10")
    assert (ambush.killed.min, ambush.killed.max) == (10, None)  # "at least 10"


def test_niger_entries_lie_in_niger_unless_the_text_says_otherwise(niger: ParsedEdition) -> None:
    elsewhere = {e.date_start: e.country for e in niger.entries if e.country != "Niger"}
    assert elsewhere == {"2022-11-02": "Mali", "2019-04-18": "Nigeria"}


def test_niger_places_resolve_in_niger_with_their_regions(niger: ParsedEdition) -> None:
    bosso = _place(_on(niger, "2016-06-03"), "Bosso")
    assert (bosso.precision, bosso.country, bosso.admin1) == ("exact", "Niger", "Diffa")
    villages = _on(niger, "2021-01-02")
    ouallam = _place(villages, "Ouallam")
    assert (ouallam.precision, ouallam.country, ouallam.admin1) == ("exact", "Niger", "Tillabéri")
    niamey = _place(villages, "Niamey")
    assert (niamey.precision, niamey.relation) == ("near", "about 100 km north of")
    inates = _on(niger, "2019-12-10")
    assert _place(inates, "Tillaberi region").admin1 == "Tillabéri"
    # Not in the data, but the text ties it to its region: an editor still resolves it.
    assert (_place(inates, "Inates").precision, _place(inates, "Inates").admin1) == (
        "unresolved",
        "Tillabéri",
    )
    menaka = _place(_on(niger, "2022-11-02"), "Menaka")
    assert (menaka.country, menaka.admin1) == ("Mali", "Ménaka")


def test_burkina_edition_has_its_title_country_and_every_entry_in_order(
    burkina: ParsedEdition,
) -> None:
    assert (burkina.title, burkina.country) == (
        "Burkina Faso: Extremism and Terrorism",
        "Burkina Faso",
    )
    assert len(burkina.entries) == 18
    dates = [e.date_start for e in burkina.entries]
    assert None not in dates and dates == sorted(dates, reverse=True)  # type: ignore[type-var]


def test_burkina_entries_read_their_figures_and_perpetrators(burkina: ParsedEdition) -> None:
    arbinda = _on(burkina, "2019-12-24")
    assert arbinda.killed.min == 42  # 35 civilians and seven soldiers
    assert {p.actor for p in arbinda.perpetrators} == {"Islamic State Sahel Province"}
    nassoumbou = _on(burkina, "2016-12-16")
    assert {p.actor for p in nassoumbou.perpetrators} == {"Ansarul Islam"}
    assert nassoumbou.killed.min == 12
    mansila = _on(burkina, "2024-06-11")
    assert (mansila.killed.min, mansila.killed.max) == (100, None)  # "more than 100"


def test_burkina_entries_lie_in_burkina_unless_the_text_says_otherwise(
    burkina: ParsedEdition,
) -> None:
    elsewhere = {e.date_start: e.country for e in burkina.entries if e.country != "Burkina Faso"}
    assert elsewhere == {"2020-03-15": "Mali"}


def test_burkina_places_resolve_in_burkina_with_their_regions(burkina: ParsedEdition) -> None:
    arbinda = _place(_on(burkina, "2019-12-24"), "Arbinda")  # GeoNames spells it Aribinda
    assert (arbinda.precision, arbinda.country, arbinda.admin1) == (
        "exact",
        "Burkina Faso",
        "Sahel",
    )
    djibo = _place(_on(burkina, "2022-09-26"), "Djibo")
    assert (djibo.country, djibo.admin1) == ("Burkina Faso", "Sahel")
    kaya = _place(_on(burkina, "2020-01-12"), "Kaya")
    assert (kaya.precision, kaya.relation, kaya.admin1) == ("near", "near", "Centre-Nord")
    sahel = _place(_on(burkina, "2024-06-11"), "Sahel region")
    assert (sahel.country, sahel.admin1) == ("Burkina Faso", "Sahel")
    solhan = _place(_on(burkina, "2021-06-05"), "Solhan")  # a Turkish town in the data
    assert solhan.country in ("Burkina Faso", None) and solhan.precision == "unresolved"


# --- every edition: no incident in a country its text does not name --------------------


def _editions() -> list[Path]:
    paths = sorted(SAMPLES.glob("*.txt"))
    return [SEED, *paths] if SEED.exists() else paths


def _names(text: str, country: str, gazetteer: Gazetteer) -> bool:
    """Whether `text` names `country` under any of the gazetteer's spellings of it."""
    words = f" {normalize_name(text)} "
    return any(
        f" {spelling} " in words
        for spelling in gazetteer.country_names()
        if (c := gazetteer.country(spelling)) is not None and c.name == country
    )


@pytest.mark.parametrize("path", _editions(), ids=lambda p: p.name)
def test_no_incident_lies_in_a_country_its_text_does_not_name(
    path: Path, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    parsed = parse_edition(path.read_bytes(), lexicon=lexicon, gazetteer=gazetteer)
    home = gazetteer.country(parsed.country or "")
    assert home is not None, "every edition has a report country"
    allowed = {home.name} | {
        c.name for iso in home.neighbours if (c := gazetteer.country_by_iso(iso)) is not None
    }
    strays = []
    for entry in parsed.entries:
        countries = {entry.country, *(loc.country for loc in entry.locations)} - {None}
        for country in countries:
            assert country is not None
            if country not in allowed and not _names(entry.text, country, gazetteer):
                strays.append((entry.line, country, re.sub(r"\s+", " ", entry.text)[:80]))
    assert strays == []


def test_burkina_entries_are_classified_like_malis(burkina: ParsedEdition) -> None:
    # Burkinabe troops are a state force, as Malian troops are in the Mali report.
    assert _on(burkina, "2020-03-15").event_type == "military_operation"
    # Workers of a mine were ambushed; no mine exploded.
    assert _on(burkina, "2019-11-06").event_type == "ambush"


@pytest.mark.parametrize(
    ("country", "voice"),
    [("Niger", "Nigerien authorities"), ("Burkina Faso", "The Burkinabe army")],
)
def test_a_states_own_blame_is_its_claim_in_any_countrys_report(
    country: str, voice: str, lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    text = (
        f"{country}: Extremism and Terrorism\n\nMajor Extremist and Terrorist Incidents\n\n"
        f"- March 2, 2024: Gunmen raid a market town in {country}, killing 12. {voice} blame"
        " the Islamic State for the raid. Source: Example Wire\n"
    )
    (entry,) = parse_edition(text.encode(), lexicon=lexicon, gazetteer=gazetteer).entries
    blame = [c for c in entry.claims if c.about == "responsibility"]
    assert [c.claimant for c in blame] == [voice]
