"""Matching entries across editions: the same incident survives edits; new is new; gone is dropped."""

from __future__ import annotations

from ingestion.matching import match, possible_duplicates


def entry(line, date, text, *places, precision="day"):
    return {
        "line": line,
        "date_start": date,
        "date_end": None,
        "date_precision": precision,
        "locations": [{"name": p} for p in places],
        "text": text,
    }


OLD = [
    (
        "a",
        entry(
            1,
            "2024-09-09",
            "JNIM fighters storm a gendarmerie post in Kati, killing 14 gendarmes.",
            "Kati",
        ),
    ),
    (
        "b",
        entry(
            2,
            "2024-08-02",
            "Suspected jihadists attack a cattle market near Douentza, killing at least 31.",
            "Douentza",
        ),
    ),
    (
        "c",
        entry(
            3,
            "2024-07-14",
            "Gunmen kidnap five road workers near Niono. No group claims responsibility.",
            "Niono",
        ),
    ),
    (
        "d",
        entry(
            4,
            "2024-06-21",
            "An explosive device strikes a U.N. convoy outside Tessalit, killing two peacekeepers.",
            "Tessalit",
        ),
    ),
]


def _pairs(result):
    return {p.new_index: p.incident for p in result.pairs}


def test_identical_entries_in_another_order_keep_their_incidents():
    result = match(OLD, [e for _, e in reversed(OLD)])
    assert _pairs(result) == {0: "d", 1: "c", 2: "b", 3: "a"}
    assert result.new == [] and result.dropped == []


def test_a_revised_toll_and_edited_wording_is_still_the_same_incident():
    current = [e for _, e in OLD]
    current[1] = entry(
        2,
        "2024-08-02",
        "Suspected jihadists raid a cattle market close to Douentza, killing at least 35.",
        "Douentza",
    )
    assert _pairs(match(OLD, current))[1] == "b"


def test_a_date_corrected_by_a_few_days_and_a_respelled_place_is_the_same_incident():
    current = [e for _, e in OLD]
    current[2] = entry(
        3,
        "2024-07-16",
        "Gunmen kidnap five road workers near Nionou. No group claims responsibility.",
        "Nionou",
    )
    current[3] = entry(
        4,
        "2024-06-21",
        "An explosive device strikes a U.N. convoy outside Tesalit, killing two peacekeepers.",
        "Tesalit",
    )
    result = match(OLD, current)
    assert _pairs(result) == {0: "a", 1: "b", 2: "c", 3: "d"}


def test_new_entries_on_top_are_new_and_vanished_ones_are_dropped():
    fresh = entry(
        1,
        "2024-10-01",
        "Drone strike on a wedding party near Anefis kills eight civilians.",
        "Anefis",
    )
    current = [fresh] + [e for _, e in OLD[:3]]
    result = match(OLD, current)
    assert result.new == [0]
    assert result.dropped == ["d"]


def test_two_equally_close_candidates_are_an_ambiguity_not_a_guess():
    old = [
        (
            "x",
            entry(
                1,
                "2024-05-01",
                "Militants ambush an army patrol near Boni, killing seven soldiers.",
                "Boni",
            ),
        ),
        (
            "y",
            entry(
                2,
                "2024-05-01",
                "Militants ambush an army patrol near Boni, killing three soldiers.",
                "Boni",
            ),
        ),
    ]
    current = [
        entry(
            1,
            "2024-05-01",
            "Militants ambush an army patrol near Boni, killing eight soldiers.",
            "Boni",
        )
    ]
    result = match(old, current)
    assert result.pairs == []
    assert [(a.kind, sorted(a.incidents)) for a in result.ambiguities] == [("tie", ["x", "y"])]


def test_one_entry_split_in_two_is_flagged():
    old = [
        (
            "s",
            entry(
                1,
                "2024-03-05",
                "A suicide bomber strikes an army camp in Boni, killing 11 soldiers and wounding 20.",
                "Boni",
            ),
        )
    ]
    current = [
        entry(
            1,
            "2024-03-05",
            "A suicide bomber strikes an army camp in Boni, killing 11 soldiers.",
            "Boni",
        ),
        entry(
            2,
            "2024-03-05",
            "A suicide bomber strikes an army camp in Boni, wounding 20 soldiers.",
            "Boni",
        ),
    ]
    result = match(old, current)
    assert [a.kind for a in result.ambiguities] == ["split"]
    assert len(result.pairs) == 1 and len(result.new) == 1


def test_two_tellings_of_one_incident_in_an_edition_are_possible_duplicates():
    entries = [
        entry(
            1,
            "2024-01-10",
            "Jihadists attack the army base at Boulkessi, killing 38 soldiers.",
            "Boulkessi",
        ),
        entry(
            2,
            "2024-01-11",
            "Jihadists attack the army base at Boulkessi, killing 25 soldiers.",
            "Boulkessi",
        ),
        entry(3, "2024-01-11", "Floods cut the road to Mopti.", "Mopti"),
    ]
    assert possible_duplicates(entries) == [(0, 1)]


def _part(part: int, text: str, *places: str) -> dict:
    return {**entry(7, "2024-06-02", text, *places), "part": part}


AMBUSH = "June 2, 2024: Rebels ambush a convoy near Anefis, killing six soldiers. Source: Wire"
BOMB = "June 2, 2024: That same day, a mine hits a bus near Kidal, killing three. Source: Wire"


def test_an_entry_that_gains_a_same_day_event_keeps_its_incident_and_adds_one():
    result = match([("ambush", _part(0, AMBUSH, "Anefis"))], [
        _part(0, AMBUSH, "Anefis"),
        _part(1, BOMB, "Kidal"),
    ])  # fmt: skip
    assert [(p.new_index, p.incident) for p in result.pairs] == [(0, "ambush")]
    assert result.new == [1] and result.dropped == [] and result.ambiguities == []


def test_an_entry_that_loses_its_same_day_event_drops_only_that_part():
    previous = [("ambush", _part(0, AMBUSH, "Anefis")), ("bomb", _part(1, BOMB, "Kidal"))]
    result = match(previous, [_part(0, AMBUSH, "Anefis")])
    assert [(p.new_index, p.incident) for p in result.pairs] == [(0, "ambush")]
    assert result.new == [] and result.dropped == ["bomb"] and result.ambiguities == []


def test_parts_of_one_entry_are_never_possible_duplicates_of_each_other():
    same_place = [_part(0, AMBUSH, "Anefis"), _part(1, AMBUSH.replace("six", "two"), "Anefis")]
    assert possible_duplicates(same_place) == []
    apart = [same_place[0], {**same_place[1], "line": 9}]
    assert possible_duplicates(apart) == [(0, 1)]
