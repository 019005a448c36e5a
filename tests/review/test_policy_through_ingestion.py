"""The review policy (DESIGN.md), as editors rely on it, through real ingestion of editions."""

from __future__ import annotations

import pytest

from incidents.models import Incident, ReviewFlag
from incidents.review.curation import incident_correct_field, incident_lock_field
from incidents.review.decisions import flag_accept, flag_reject
from ledger import projection
from ledger.wiring import projections
from tests.pipeline.editions import ENTRIES, edit
from tests.review.conftest import incident_with, ingest, open_flags

pytestmark = pytest.mark.django_db

DOUENTZA = "cattle market near Douentza"
TESSALIT = "U.N. convoy outside Tessalit"


def _killed(entries, index: int, old: str, new: str):  # type: ignore[no-untyped-def]
    return edit(entries, index, body=entries[index].body.replace(old, new))


def test_a_field_no_editor_touched_follows_the_latest_edition_and_is_still_flagged():
    ingest()
    ingest(edit(ENTRIES, 3, date="June 24, 2024"))
    incident = incident_with(TESSALIT)
    assert str(incident.date_start) == "2024-06-24"
    [flag] = open_flags(incident, kind="revised")
    assert flag.field == "date" and flag.detail["held"] is False
    assert incident.review_state == "pending"


def test_a_corrected_field_is_never_changed_by_ingestion_until_the_editor_accepts_its_flag(
    editor,
):
    ingest()
    incident = incident_with(TESSALIT)
    incident_correct_field(
        incident_id=incident.id,
        field="date",
        value={"date_start": "2024-06-22", "date_end": None, "date_precision": "day"},
        reason="The U.N. press release dates it June 22.",
        editor=editor,
    )
    ingest(edit(ENTRIES, 3, date="June 24, 2024"))
    incident.refresh_from_db()
    assert str(incident.date_start) == "2024-06-22"
    [flag] = open_flags(incident, kind="revised", field="date")
    assert flag.detail["held"] is True and flag.after[0] == "2024-06-24"

    # A later edition that changes something else still leaves the editor's date alone.
    later = edit(ENTRIES, 3, date="June 24, 2024", sources="Sources: Sahel Wire, Dune Post")
    ingest(later)
    incident.refresh_from_db()
    assert str(incident.date_start) == "2024-06-22"

    flag_accept(flag_id=flag.id, editor=editor, reason="The report's correction is right.")
    incident.refresh_from_db()
    assert str(incident.date_start) == "2024-06-24"
    assert ReviewFlag.objects.get(id=flag.id).decided_by == "erin"


def test_a_locked_casualty_figure_waits_for_the_editor_and_then_follows_the_accepted_flag(editor):
    ingest()
    incident = incident_with(DOUENTZA)
    assert incident.killed_best == 31
    incident_lock_field(
        incident_id=incident.id, field="killed", reason="Toll confirmed by OCHA.", editor=editor
    )
    ingest(_killed(ENTRIES, 1, "at least 31", "at least 36"))
    incident.refresh_from_db()
    assert incident.killed_best == 31
    [flag] = open_flags(incident, field="killed")
    assert flag.detail["held"] is True
    flag_accept(flag_id=flag.id, editor=editor, reason="Revised toll confirmed.")
    incident.refresh_from_db()
    assert incident.killed_best == 36


def test_an_accepted_field_is_held_against_the_next_edition(editor):
    ingest()
    ingest(edit(ENTRIES, 3, date="June 24, 2024"))
    incident = incident_with(TESSALIT)
    [flag] = open_flags(incident, field="date")
    flag_accept(flag_id=flag.id, editor=editor, reason="Checked.")
    ingest(edit(ENTRIES, 3, date="June 27, 2024"))
    incident.refresh_from_db()
    assert str(incident.date_start) == "2024-06-24"
    [again] = open_flags(incident, field="date")
    assert again.detail["held"] is True


def test_a_rejected_change_is_not_flagged_again_for_the_same_source_value_but_is_for_another(
    editor,
):
    ingest()
    revised = _killed(ENTRIES, 1, "at least 31", "at least 36")
    ingest(revised)
    incident = incident_with(DOUENTZA)
    assert incident.killed_best == 36  # rule 2: untouched, so followed at once
    [flag] = open_flags(incident, field="killed")
    flag_reject(flag_id=flag.id, editor=editor, reason="36 counts the attackers too.")
    incident.refresh_from_db()
    assert incident.killed_best == 31  # put back

    ingest(ENTRIES)  # the report goes back to 31: what the editor holds, nothing to decide
    ingest(revised)  # ... and to 36 again: rejected before, so neither applied nor flagged
    incident.refresh_from_db()
    assert incident.killed_best == 31
    assert open_flags(incident, field="killed") == []

    ingest(_killed(ENTRIES, 1, "at least 31", "at least 40"))  # a different value is flagged
    incident.refresh_from_db()
    [other] = open_flags(incident, field="killed")
    assert other.after[0] == 40 and other.detail["held"] is True
    assert incident.killed_best == 31


def test_a_dropped_entry_is_never_deleted_and_an_editor_keeps_or_retracts_it(editor):
    ingest()
    incident = incident_with("mayor of Dioura")
    ingest([e for n, e in enumerate(ENTRIES) if n != 8])
    incident.refresh_from_db()
    assert incident.status == "dropped"
    [flag] = open_flags(incident, kind="dropped")
    ingest([e for n, e in enumerate(ENTRIES) if n not in (8, 9)])
    assert Incident.objects.filter(id=incident.id).exists()

    flag_reject(flag_id=flag.id, editor=editor, reason="Still a real killing; keep it.")
    incident.refresh_from_db()
    assert incident.status == "active"


def test_an_incident_is_unreviewed_then_pending_then_reviewed_as_editors_decide(editor):
    from incidents.review.decisions import flag_accept as accept

    ingest()
    incident = incident_with(TESSALIT)
    for flag in open_flags(incident):
        accept(flag_id=flag.id, editor=editor, reason="Fine.")
    incident.refresh_from_db()
    assert incident.review_state == "reviewed"
    other = incident_with(DOUENTZA)
    assert other.review_state == "pending"  # its new-incident flag awaits a decision


def test_review_decisions_replay_to_the_same_rows(editor):
    ingest()
    ingest(_killed(ENTRIES, 1, "at least 31", "at least 36"))
    incident = incident_with(DOUENTZA)
    [flag] = open_flags(incident, field="killed")
    flag_reject(flag_id=flag.id, editor=editor, reason="No.")
    assert projection.verify(projections()) == []
