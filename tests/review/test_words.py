"""Values read in words (incidents.review.words): pure, no database."""

from __future__ import annotations

import pytest

from incidents.review.words import describe_change, describe_value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([26, None, "at_least"], "at least 26"),
        ([41, 41, "exact"], "41"),
        ([5, 9, "range"], "5-9"),
        ([None, 100, "up_to"], "up to 100"),
        ([30, None, "about"], "about 30"),
        ([400, 400, "approximately"], "around 400"),
        ({"min": 3, "max": 3}, "3"),
        ({"value_min": 12, "value_max": None, "qualifier": "more_than"}, "more than 12"),
        (7, "7"),
        ([None, None, None], "not given"),
        (None, "not given"),
    ],
)
def test_a_figure_reads_with_its_qualifier(value, words):
    assert describe_value("killed", value) == words


def test_a_change_reads_as_before_arrow_after():
    assert (
        describe_change("killed", [26, None, "at_least"], [41, None, "at_least"])
        == "killed: at least 26 → at least 41"
    )
    assert describe_change("attackers_killed", None, [4, 4, "exact"]) == (
        "attackers killed: not given → 4"
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (["2024-06-03", None, "day"], "3 June 2024"),
        (["2024-06", "2024-06-30", "month"], "June 2024"),
        (["2024-06-01", "2024-06-30", "month"], "June 2024"),
        (["2024", None, "year"], "2024"),
        (["2024-06-03", "2024-06-05", "range"], "3-5 June 2024"),
        (["2024-05-30", "2024-06-02", "range"], "30 May 2024 - 2 June 2024"),
        ({"date_start": None, "date_precision": "unknown"}, "undated"),
    ],
)
def test_a_date_reads_with_its_precision(value, words):
    assert describe_value("date", value) == words


def test_places_perpetrators_and_claims_read_as_people_write_them():
    places = [
        {"name": "Kati", "admin1": "Koulikoro", "country": "Mali", "lat": 13.06, "lon": -8.01},
        {"name": "Mourdia", "precision": "unresolved"},
    ]
    assert describe_value("locations", places) == (
        "Kati (Koulikoro, Mali) at 13.06, -8.01; Mourdia, not located"
    )
    assert describe_value("locations", ["kati", "gao"]) == "kati; gao"
    assert describe_value("perpetrators", [["JNIM", "claimed"], ["ISGS", "unknown"]]) == (
        "JNIM (claimed); ISGS"
    )
    assert describe_value("claims", [["JNIM", "killed", 50, 50]]) == "JNIM: killed 50"
    assert describe_value("claims", [["JNIM", "responsibility", None, None]]) == (
        "JNIM claims responsibility"
    )
    assert describe_value("sources", ["AFP", "Reuters"]) == "AFP; Reuters"
    assert describe_value("text", "Gunmen attack a market.") == "Gunmen attack a market."
