"""The review policy as a pure function: what one matched entry of a new edition may do to its
incident. No database: states, held fields and entries are built by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from incidents.review.policy import Incoming, decide
from incidents.state import IncidentState, Status

INCIDENT = "6f1c2b9e-0000-4000-8000-000000000001"

FIELDS = {
    "date_start": "2024-06-20",
    "date_end": "2024-06-20",
    "date_precision": "day",
    "country": "Mali",
    "places": [{"name": "Ansongo"}],
    "event_type": "attack",
    "perpetrators": [],
    "targets": ["civilians"],
    "sources": ["local media"],
    "text": "Gunmen attacked a village near Ansongo, killing 4.",
}


def _state(status: str = Status.ACTIVE, **changes: Any) -> IncidentState:
    return IncidentState(id=INCIDENT, report="mali", status=status, **{**FIELDS, **changes})


def _claim(value: int, **more: Any) -> dict[str, Any]:
    return {
        "property": "killed",
        "claimant": "report",
        "value_min": value,
        "value_max": value,
        "qualifier": None,
        "phrase": f"killing {value}",
        **more,
    }


def _stored(claim_id: str, claim: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"id": claim_id, "rank": "normal", "edition_id": 1, **claim, **more}


def _date_moved(**after: Any) -> Incoming:
    """The new edition dates the incident four days later."""
    moved = {"date_start": "2024-06-24", "date_end": "2024-06-24", **after}
    return Incoming(
        changed=["date"],
        before={"date": ["2024-06-20", None, "day"]},
        after={"date": ["2024-06-24", None, "day"]},
        before_fields=FIELDS,
        after_fields={**FIELDS, **moved},
        before_text=FIELDS["text"],
        after_text=FIELDS["text"],
    )


def _toll_revised(before: int, after: int) -> Incoming:
    text_after = FIELDS["text"].replace(f"killing {before}", f"killing {after}")
    return Incoming(
        changed=["killed"],
        before={"killed": [before, before, None]},
        after={"killed": [after, after, None]},
        before_fields=FIELDS,
        after_fields={**FIELDS, "text": text_after},
        before_claims=[_claim(before)],
        after_claims=[_claim(after)],
        before_text=FIELDS["text"],
        after_text=text_after,
    )


def test_a_field_no_editor_touched_follows_the_edition_at_once_and_is_still_flagged():
    plan = decide(_state(), set(), {}, _date_moved())

    assert plan.changes == {"date_start": "2024-06-24", "date_end": "2024-06-24"}
    [flag] = plan.flags
    assert (flag.kind, flag.field, flag.detail["held"]) == ("revised", "date", False)
    assert flag.before == ["2024-06-20", None, "day"]
    assert flag.after == ["2024-06-24", None, "day"]


def test_a_flag_carries_the_fields_before_and_after_so_a_decision_can_apply_or_undo_it():
    [flag] = decide(_state(), set(), {}, _date_moved()).flags

    assert flag.detail["before_fields"] == {
        "date_start": "2024-06-20",
        "date_end": "2024-06-20",
        "date_precision": "day",
    }
    assert flag.detail["after_fields"]["date_start"] == "2024-06-24"


def test_a_field_an_editor_holds_is_not_changed_but_its_change_is_flagged():
    plan = decide(_state(), {"date"}, {}, _date_moved())

    assert plan.changes == {}
    [flag] = plan.flags
    assert (flag.field, flag.detail["held"]) == ("date", True)


def test_every_field_of_a_merged_incident_holds_whoever_held_it():
    plan = decide(_state(status=Status.MERGED), set(), {}, _date_moved())

    assert plan.changes == {}
    assert [flag.detail["held"] for flag in plan.flags] == [True]


def test_a_value_an_editor_rejected_is_neither_applied_nor_flagged_again():
    rejected = {"date": [["2024-06-24", None, "day"]]}

    plan = decide(_state(), {"date"}, rejected, _date_moved())

    assert plan.changes == {}
    assert plan.flags == []


def test_a_value_other_than_the_rejected_one_is_flagged():
    rejected = {"date": [["2024-06-22", None, "day"]]}

    plan = decide(_state(), {"date"}, rejected, _date_moved())

    assert [flag.field for flag in plan.flags] == ["date"]


def test_a_held_field_the_edition_now_gives_as_the_editor_holds_it_raises_no_flag():
    corrected = _state(date_start="2024-06-24", date_end="2024-06-24")

    plan = decide(corrected, {"date"}, {}, _date_moved())

    assert plan.flags == []
    assert plan.changes == {}


def test_a_field_the_ledger_already_holds_with_the_new_value_is_no_revision():
    already = _state(date_start="2024-06-24", date_end="2024-06-24")

    plan = decide(already, set(), {}, _date_moved())

    assert plan.changes == {}
    assert [flag.field for flag in plan.flags] == ["date"]


def test_the_text_follows_the_edition_when_only_a_figure_moved_inside_the_same_wording():
    state = _state(claims={"c1": _stored("c1", _claim(4))})

    plan = decide(state, set(), {}, _toll_revised(4, 6))

    assert plan.changes == {"text": "Gunmen attacked a village near Ansongo, killing 6."}


def test_text_an_editor_holds_does_not_follow_a_moved_figure():
    state = _state(claims={"c1": _stored("c1", _claim(4))})

    plan = decide(state, {"text"}, {}, _toll_revised(4, 6))

    assert "text" not in plan.changes


def test_a_revised_toll_replaces_the_editions_claim_and_keeps_an_editors_own():
    editors = _stored("c2", _claim(9), edition_id=None)
    state = _state(claims={"c1": _stored("c1", _claim(4)), "c2": editors})

    plan = decide(state, set(), {}, _toll_revised(4, 6))

    assert plan.deprecate_claims == ["c1"]
    assert [(c.index, c.claim["value_min"]) for c in plan.assert_claims] == [(0, 6)]
    [flag] = plan.flags
    assert flag.detail["before_claims"] == [_claim(4)]
    assert flag.detail["after_claims"] == [_claim(6)]


def test_a_held_toll_keeps_its_claims_and_is_flagged():
    state = _state(claims={"c1": _stored("c1", _claim(4))})

    plan = decide(state, {"killed"}, {}, _toll_revised(4, 6))

    assert plan.deprecate_claims == []
    assert plan.assert_claims == []
    assert [(f.field, f.detail["held"]) for f in plan.flags] == [("killed", True)]


def test_a_held_toll_the_edition_now_states_as_held_raises_no_flag():
    state = _state(claims={"c1": _stored("c1", _claim(6))})

    plan = decide(state, {"killed"}, {}, _toll_revised(4, 6))

    assert plan.flags == []


def test_the_policy_imports_no_django_and_no_other_app():
    script = (
        "import sys, incidents.review.policy; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'django', 'rest_framework', 'ingestion', 'actors', 'config'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert loaded.stdout.strip() == "[]"
