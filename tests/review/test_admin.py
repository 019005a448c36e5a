"""The review admin as editors and viewers meet it: the queue, a flag side by side, decisions
through confirmation pages, curation forms, and no path around the services."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import Incident, IncidentRevision, ReviewFlag
from tests.pipeline.editions import ENTRIES, edit
from tests.review.conftest import incident_with, ingest, open_flags

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def revised():  # type: ignore[no-untyped-def]
    ingest()
    ingest(edit(ENTRIES, 1, body=ENTRIES[1].body.replace("at least 31", "at least 36")))
    incident = incident_with("Douentza")
    [flag] = open_flags(incident, field="killed")
    return incident, flag


def test_the_queue_lists_open_flags_with_filters_search_and_keys(editor, revised):
    client = _client(editor)
    page = client.get(reverse("admin:incidents_reviewflag_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "review_keys.js" in body and 'data-key="a"' in body
    assert "36" in body
    only = client.get(reverse("admin:incidents_reviewflag_changelist") + "?kind=revised&q=Douentza")
    assert only.context["cl"].result_count == 1
    decided = client.get(reverse("admin:incidents_reviewflag_changelist") + "?status=accepted")
    assert decided.context["cl"].result_count == 0


def test_a_flag_shows_old_and_new_text_side_by_side_with_words_marked(editor, revised):
    _, flag = revised
    page = _client(editor).get(reverse("admin:incidents_reviewflag_change", args=[flag.id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<del>31 </del>" in body and "<ins>36 </ins>" in body
    assert "Latest events" in body and "IncidentRecorded" in body
    # Values in words, never tuples; and what accepting or rejecting will do.
    assert "killed: at least 36" in body and "[36" not in body
    assert "Why raised:" in body and "Accept:" in body and "Reject:" in body


def test_accepting_rejecting_and_correcting_go_through_a_confirmation_page(editor, revised):
    incident, flag = revised
    client = _client(editor)
    url = reverse("admin:incidents_reviewflag_correct", args=[flag.id])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, correct" in confirm.content.decode()
    assert ReviewFlag.objects.get(id=flag.id).status == "open"  # looking decides nothing
    assert 'id="id_low"' in confirm.content.decode()  # a figure is typed as a figure, not JSON
    missing = client.post(url, {"qualifier": "exact", "low": "33"})
    assert missing.content.decode().count("This field is required") == 1  # named once
    done = client.post(url, {"qualifier": "exact", "low": "33", "reason": "OCHA counts 33."})
    assert done.status_code == 302
    flag.refresh_from_db()
    incident.refresh_from_db()
    assert (flag.status, flag.decided_by, flag.reason) == ("corrected", "erin", "OCHA counts 33.")
    assert incident.killed_best == 33

    new = open_flags(incident)[0]
    reject = reverse("admin:incidents_reviewflag_reject", args=[new.id])
    assert client.post(reject, {"reason": ""}).status_code == 200  # refused: no reason
    assert client.post(reject, {"reason": "Not an incident."}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "retracted"


def test_bulk_decisions_take_wording_changes_only(editor):
    ingest()
    reworded = edit(ENTRIES, 2, body=ENTRIES[2].body.replace("road workers", "engineers"))
    ingest(edit(reworded, 1, body=ENTRIES[1].body.replace("at least 31", "at least 36")))
    client = _client(editor)
    changelist = reverse("admin:incidents_reviewflag_changelist")
    text = ReviewFlag.objects.get(field="text")
    killed = ReviewFlag.objects.get(field="killed")
    refused = client.post(
        changelist,
        {"action": "accept_selected", "_selected_action": [text.pk, killed.pk]},
        follow=True,
    )
    assert "decided in bulk" in refused.content.decode() or "one by one" in refused.content.decode()
    asked = client.post(changelist, {"action": "accept_selected", "_selected_action": [text.pk]})
    assert asked.status_code == 200 and "Yes, accept them" in asked.content.decode()
    client.post(
        changelist,
        {"action": "accept_selected", "_selected_action": [text.pk], "confirm": "yes"},
    )
    text.refresh_from_db()
    assert text.status == "accepted"


def test_viewers_read_the_queue_but_cannot_decide(viewer, revised):
    _, flag = revised
    client = _client(viewer)
    assert client.get(reverse("admin:incidents_reviewflag_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:incidents_reviewflag_change", args=[flag.id])).status_code == 200
    )
    url = reverse("admin:incidents_reviewflag_accept", args=[flag.id])
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert ReviewFlag.objects.get(id=flag.id).status == "open"


def test_curation_forms_call_the_services(editor, revised):
    incident, _ = revised
    other = incident_with("Tessalit")
    client = _client(editor)
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.id]))
    assert "Correct a field" in page.content.decode()
    lock = reverse("admin:incidents_incident_lock", args=[incident.id]) + "?field=date"
    assert "Lock or unlock date" in client.get(lock).content.decode()  # it says which field
    client.post(lock, {"field": "date", "lock": "1", "reason": "Checked against the UN."})
    client.post(
        reverse("admin:incidents_incident_merge", args=[other.id]),
        {"survivor": str(incident.id), "reason": "Same attack."},
    )
    other.refresh_from_db()
    assert (other.status, other.merged_into) == ("merged", incident.id)
    first = IncidentRevision.objects.filter(incident_id=incident.id).order_by("valid_from")[0]
    url = reverse("admin:incidents_incident_history", args=[incident.id])
    body = client.get(f"{url}?at={first.valid_from}").content.decode()
    assert "FieldLocked" in body and "user:erin" in body and "Checked against the UN." in body
    assert f"right after log position {first.valid_from}" in body
    # Compared with now, field by field: nothing was held then, the date is locked now.
    assert 'class="review-was">none</td>' in body and "date (locked)" in body


def test_no_path_around_the_services_admin_forms_and_api_writes_are_refused(editor, revised):
    incident, flag = revised
    client = _client(editor)
    for url in (
        reverse("admin:incidents_incident_change", args=[incident.id]),
        reverse("admin:incidents_claim_change", args=[incident.claims.first().id]),
    ):
        response = client.post(
            url, {"text": "edited behind the ledger's back", "rank": "preferred"}
        )
        assert response.status_code == 403, url
    assert client.post(reverse("admin:incidents_incident_add"), {}).status_code == 403
    assert (
        client.post(
            reverse("admin:incidents_incident_delete", args=[incident.id]), {"post": "yes"}
        ).status_code
        == 403
    )

    from tests.api.conftest import _client_for

    api = _client_for("editor")
    patched = api.patch(f"/api/v1/incidents/{incident.id}/", {"text": "x"}, format="json")
    assert patched.status_code == 405
    assert (
        api.patch(f"/api/v1/flags/{flag.id}/", {"status": "accepted"}, format="json").status_code
        == 405
    )
    assert Incident.objects.get(id=incident.id).text == incident.text
    assert ReviewFlag.objects.get(id=flag.id).status == "open"


def test_an_editions_text_is_shown_with_its_entries_marked(editor):
    from ingestion.models import Edition

    ingest()
    edition = Edition.objects.get()
    page = _client(editor).get(reverse("admin:ingestion_edition_text", args=[edition.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('class="edition-entry"') == len(ENTRIES)
    assert "gendarmerie post in Kati" in body
