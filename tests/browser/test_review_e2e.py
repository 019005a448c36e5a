"""An editor's session in a real browser: log in, work through the queue (accept, reject,
correct with a reason, using the keyboard), merge two incidents, and see it all in the API.
Screenshots of the queue, a flag's side-by-side diff, an incident's history and the dashboard
go to tests/artifacts/."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from incidents.models import Incident, ReviewFlag
from tests.browser.conftest import shot
from tests.pipeline.editions import ENTRIES, edit
from tests.review.conftest import incident_with, ingest, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-browser-test"


def _editions() -> None:
    ingest()
    entries = edit(ENTRIES, 1, body=ENTRIES[1].body.replace("at least 31", "at least 36"))
    entries = edit(entries, 3, date="June 24, 2024")
    entries = edit(entries, 6, body=entries[6].body.replace("11 soldiers", "14 soldiers"))
    ingest(entries)


def _flag(fragment: str, field: str) -> ReviewFlag:
    incident = incident_with(fragment)
    return ReviewFlag.objects.get(incident_id=incident.id, field=field, status="open")


def test_an_editor_works_through_the_queue_and_the_api_shows_the_result(live_server, page):
    _editions()
    make_user("editor", name="erin", password=PASSWORD)
    base = live_server.url

    page.goto(f"{base}/admin/login/?next=/admin/incidents/reviewflag/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/incidents/reviewflag/$"))
    assert page.locator("#result_list tbody tr").count() > 3
    shot(page, "review-queue", both=True)

    # Keyboard: j focuses the first row; filter the queue to revised flags first.
    page.goto(f"{base}/admin/incidents/reviewflag/?kind=revised")
    page.keyboard.press("j")
    assert page.locator("#result_list tr.review-focus").count() == 1

    # Accept the corrected date from the flag page: a quick reason, then the "a" key decides.
    date = _flag("Tessalit", "date")
    page.goto(f"{base}/admin/incidents/reviewflag/{date.id}/change/")
    page.fill("#quick-accept input[name=reason]", "The report corrected its own date.")
    page.locator("#quick-accept input[name=reason]").evaluate("e => e.blur()")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert ReviewFlag.objects.get(id=date.id).status == "accepted"

    # Reject the revised toll, with a reason, after looking at the texts side by side.
    killed = _flag("Douentza", "killed")
    page.goto(f"{base}/admin/incidents/reviewflag/{killed.id}/change/")
    assert page.locator(".review-after ins", has_text="36").count() == 1
    assert page.locator(".review-before del", has_text="31").count() == 1
    shot(page, "review-flag-diff")
    page.keyboard.press("r")
    page.wait_for_url(re.compile(r".*/reject/$"))
    page.fill("#id_reason", "36 includes the attackers.")
    page.click("input[name=confirm]")
    page.wait_for_load_state()

    # Correct the other toll with the editor's own figure.
    boni = _flag("Boni", "killed")
    page.goto(f"{base}/admin/incidents/reviewflag/{boni.id}/correct/")
    page.fill("#id_low", "13")
    page.fill("#id_reason", "The army's list names 13 soldiers.")
    page.click("input[name=confirm]")
    page.wait_for_load_state()

    # Merge two incidents: Kati's becomes a tombstone naming Niono's.
    loser, survivor = incident_with("post in Kati"), incident_with("Niono")
    page.goto(f"{base}/admin/incidents/incident/{loser.id}/merge/")
    page.fill("#id_survivor", str(survivor.id))
    page.fill("#id_reason", "One attack reported twice.")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(rf".*/admin/incidents/incident/{loser.id}/change/$"))

    page.goto(f"{base}/admin/incidents/incident/{incident_with('Douentza').id}/history/")
    assert page.locator("#history", has_text="ChangeRejected").count() == 1
    assert page.locator("#history", has_text="user:erin").count() == 1
    shot(page, "incident-history")

    page.goto(f"{base}/admin/incidents/reviewflag/dashboard/")
    assert page.locator("svg.chart").count() >= 4
    shot(page, "review-dashboard")

    # The API (same session) shows the curated state with each incident's review state.
    api = page.request

    def incident(fragment: str) -> dict:
        found = Incident.objects.get(text__contains=fragment)
        response = api.get(f"{base}/api/v1/incidents/{found.id}/")
        assert response.ok, response.text()
        return response.json()

    assert incident("Tessalit")["date_start"] == "2024-06-24"
    assert incident("Douentza")["casualties"]["killed"]["best"] == 31
    assert incident("Boni")["casualties"]["killed"]["best"] == 13
    merged = incident("post in Kati")
    assert merged["status"] == "merged" and merged["merged_into"] == str(survivor.id)
    decided = api.get(f"{base}/api/v1/flags/?status=rejected").json()["results"]
    assert [(f["field"], f["decided_by"], f["reason"]) for f in decided] == [
        ("killed", "erin", "36 includes the attackers.")
    ]
    assert incident("Douentza")["review_state"] == "pending"  # its new-incident flag waits
    call_command("rebuild_projections", "--verify", "--no-progress")
