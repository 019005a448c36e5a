"""Field-by-field differences and narrative changes between two editions."""

from __future__ import annotations

from ingestion.diffing import changed_fields, section_changes


def reading(**overrides):
    base = {
        "date_start": "2024-08-02",
        "date_end": None,
        "date_precision": "day",
        "event_type": "armed_attack",
        "country": "Mali",
        "locations": [{"name": "Douentza"}],
        "killed": {"min": 31, "max": None, "qualifier": "at_least", "text": "at least 31"},
        "wounded": {"min": None, "max": None, "qualifier": None, "text": None},
        "kidnapped": {"min": None, "max": None, "qualifier": None, "text": None},
        "attackers_killed": {"min": None, "max": None, "qualifier": None, "text": None},
        "perpetrators": [{"name": "jihadists", "actor": None, "status": "suspected"}],
        "claims": [],
        "targets": ["civilians"],
        "sources": ["Sahel Wire"],
        "text": "Suspected jihadists attack a market near Douentza, killing at least 31.",
    }
    return {**base, **overrides}


def test_the_same_reading_rewrapped_has_no_changed_field():
    assert (
        changed_fields(
            reading(),
            reading(
                text="Suspected  jihadists attack a market\nnear Douentza, killing at least 31."
            ),
        )
        == []
    )


def test_a_revised_toll_changes_the_figure_not_the_wording():
    after = reading(
        killed={"min": 35, "max": None, "qualifier": "at_least", "text": "at least 35"},
        text="Suspected jihadists attack a market near Douentza, killing at least 35.",
    )
    assert changed_fields(reading(), after) == ["killed"]


def test_new_words_are_a_change_of_text():
    after = reading(
        text="Suspected jihadists attack a crowded market near Douentza at dawn, killing at least 31."
    )
    assert changed_fields(reading(), after) == ["text"]


def test_an_added_claim_of_responsibility_changes_perpetrators_claims_and_wording():
    after = reading(
        perpetrators=[{"name": "JNIM", "actor": "JNIM", "status": "claimed"}],
        claims=[
            {"claimant": "JNIM", "about": "responsibility", "min": None, "max": None, "text": "x"}
        ],
        text="Jihadists attack a market near Douentza, killing at least 31. JNIM claims responsibility.",
    )
    assert changed_fields(reading(), after) == ["perpetrators", "claims", "text"]


def test_a_corrected_date_and_a_respelled_place_are_their_own_fields():
    after = reading(
        date_start="2024-08-04",
        locations=[{"name": "Duentza"}],
        text="Suspected jihadists attack a market near Duentza, killing at least 31.",
    )
    assert changed_fields(reading(), after) == ["date", "locations"]


def test_a_rewritten_paragraph_is_changed_with_its_new_figure_pointed_out():
    before = [
        {
            "heading": "Overview",
            "paragraphs": ["Aid groups counted about 400,000 displaced people in 2024."],
        }
    ]
    after = [
        {
            "heading": "Overview",
            "paragraphs": ["Aid groups counted about 450,000 displaced people by late 2024."],
        },
        {"heading": "Recruitment", "paragraphs": ["A new paragraph."]},
    ]
    changes = [c.to_summary() for c in section_changes(before, after)]
    assert [(c["heading"], c["kind"]) for c in changes] == [
        ("Overview", "changed"),
        ("Recruitment", "added"),
    ]
    assert changes[0]["figures_changed"] == {"before": ["400,000"], "after": ["450,000"]}


def test_a_number_outside_the_figures_is_a_change_of_wording():
    before = reading(
        text="After a 12-year insurgency, suspected jihadists attack a market near Douentza, killing at least 31."
    )
    after = reading(
        text="After a 13-year insurgency, suspected jihadists attack a market near Douentza, killing at least 31."
    )
    assert changed_fields(before, after) == ["text"]
