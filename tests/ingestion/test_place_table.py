"""The editors' place table feeds the parser: a place an editor adds resolves at the next parse."""

from __future__ import annotations

import pytest

from actors.services import place_record
from ingestion.parsing import parse_edition
from ingestion.reference import parser_reference
from tests.review.conftest import make_user

pytestmark = pytest.mark.django_db

_TEXT = (
    "Mali: Extremism and Terrorism\n\nMajor Extremist and Terrorist Incidents\n\n"
    "- May 4, 2023: A car bomb explodes at the gate of a camp in Sevare, killing two soldiers."
    " Source: Example Wire\n"
)


def _sevare() -> tuple[str, str | None, str | None]:
    lexicon, gazetteer = parser_reference()
    (entry,) = parse_edition(_TEXT.encode(), lexicon=lexicon, gazetteer=gazetteer).entries
    place = next(loc for loc in entry.locations if loc.name == "Sevare")
    return place.precision, place.country, place.admin1


def test_a_place_an_editor_adds_resolves_at_the_next_parse() -> None:
    assert _sevare() == ("unresolved", None, None)  # not in the package's data
    # An editor's entry, accented, with the report's spelling as an alternate name; the
    # coordinates are the test editor's.
    place_record(
        editor=make_user("editor", name="erin"),
        reason="A town the package's data lacks.",
        name="Sévaré",
        alternate_names=["Sevare"],
        country="Mali",
        admin1="Mopti",
        latitude=14.5,
        longitude=-4.1,
    )
    assert _sevare() == ("exact", "Mali", "Mopti")
