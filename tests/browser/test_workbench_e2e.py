"""A working editor's review session in a real browser, over the real seed edition (or, when it
is absent, the bundled sample edition) and a later edition we make from it: merge a duplicate
from its flag in at most three page loads, correct a date, a figure and a place through forms,
accept a flag that would undo a correction and see the warning, decide three flags without
leaving a filtered list, and read a history as field diffs. Every screen is photographed in
light and dark mode under var/test-artifacts/screens/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from actors.models import Place
from incidents.models import Incident, ReviewFlag
from ingestion.fetching import Fetched
from ingestion.models import Edition
from ingestion.services import ingest_fetched
from tests.browser.conftest import shot
from tests.review.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed"
SAMPLE = ROOT / "samples" / "editions" / "mali_2024a.txt"
PASSWORD = "pw-workbench"
TOLL = re.compile(r"killing at least (\d+)")


def _first_edition() -> str:
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if files:
        return files[0].read_text(encoding="utf-8")
    if not SAMPLE.exists():
        pytest.skip("neither the seed edition nor the bundled sample is present")
    return SAMPLE.read_text(encoding="utf-8")


def _later_edition(text: str) -> str:
    """Our own next edition: the first "killing at least N" toll raised by 5."""
    return TOLL.sub(lambda m: f"killing at least {int(m.group(1)) + 5}", text, count=1)


def _ingest(text: str, origin: str) -> dict:
    summary = ingest_fetched(
        report_slug="mali", fetched=Fetched(text.encode(), origin), trigger="test"
    )
    assert summary["status"] == "ingested", summary
    return summary


def _incident_with_first_toll(text: str) -> Incident:
    match = TOLL.search(text)
    assert match is not None
    phrase = f"killing at least {match.group(1)}"
    candidates = [i for i in Incident.objects.filter(text__contains=phrase)]
    tail = " ".join(text[match.end() : match.end() + 40].split()[:3])
    exact = [i for i in candidates if " ".join(i.text.split()).find(f"{phrase} {tail}") >= 0]
    return (exact or candidates)[0]


def _login(page: Any, base: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.click("form.review-form input[type=submit]")


def test_an_editor_reviews_the_seed_and_a_later_edition_in_the_workbench(live_server, page):
    first = _first_edition()
    _ingest(first, "first.txt")
    make_user("editor", name="erin", password=PASSWORD)
    base = live_server.url
    _login(page, base)

    # --- correct a figure, a date and a place through forms ------------------------------
    tolled = _incident_with_first_toll(first)
    page.goto(f"{base}/admin/incidents/incident/{tolled.id}/correct/")
    assert page.locator("#fields", has_text="killed").count() == 1
    page.click("#fields a:has-text('correct killed')")
    low = page.locator("#id_low")
    assert low.input_value() == str(tolled.killed_best)  # pre-filled from the ledger
    shot(page, "correct-figure", both=True)
    low.fill(str((tolled.killed_best or 0) + 2))
    page.fill("#id_reason", "The army's list names two more.")
    _submit(page)
    assert Incident.objects.get(id=tolled.id).killed_best == (tolled.killed_best or 0) + 2

    dated = Incident.objects.filter(date_precision="day").exclude(id=tolled.id).first()
    assert dated is not None
    page.goto(f"{base}/admin/incidents/incident/{dated.id}/correct/?field=date")
    assert page.locator("#id_date_start").input_value() == dated.date_start.isoformat()
    shot(page, "correct-date", both=True)
    page.fill("#id_date_start", "2019-03-04")
    page.fill("#id_date_end", "2019-03-01")
    page.fill("#id_reason", "Local press dates it a day later.")
    _submit(page)
    # The end before the start: said once, next to the field it is about.
    assert page.locator(".errorlist").count() == 1
    assert page.locator(".errorlist", has_text="before the start").count() == 1
    page.fill("#id_date_end", "")
    page.select_option("#id_date_precision", "day")
    page.fill("#id_reason", "Local press dates it a day later.")
    _submit(page)
    assert str(Incident.objects.get(id=dated.id).date_start) == "2019-03-04"

    placed = Incident.objects.exclude(places=[]).exclude(country__isnull=True).first()
    assert placed is not None
    page.goto(f"{base}/admin/incidents/incident/{placed.id}/correct/?field=locations")
    options = "document.querySelectorAll('datalist option')"

    def candidates(name: str) -> list[str]:
        page.fill("#id_lookup", name)
        page.wait_for_function(
            f"Array.from({options}).some(o => o.value.toLowerCase().startsWith('{name.lower()}'))"
        )
        return page.eval_on_selector_all("datalist option", "os => os.map(o => o.value)")

    # Each candidate names its country: "Lere" is a town in Nigeria, not in Mali.
    lere = candidates("Lere")
    assert lere and all("(" in label for label in lere), lere
    shot(page, "correct-place", both=True)
    foreign = next((label for label in lere if "Mali" not in label), None)
    if foreign and placed.country == "Mali":
        page.fill("#id_lookup", foreign)
        page.fill("#id_reason", "Checked on the map.")
        _submit(page)
        assert page.locator(".errorlist", has_text="not in Mali").count() == 1
    local = [label for label in candidates("Gao") if "Mali" in label]
    assert local
    page.fill("#id_lookup", local[0])
    page.fill("#id_reason", "Checked on the map.")
    _submit(page)
    stored = Incident.objects.get(id=placed.id).places
    assert any(p.get("source") == "editor" and p.get("lat") is not None for p in stored)

    # --- the editors' place table: a place recorded through its form, as an event ----------
    page.goto(f"{base}/admin/actors/place/")
    with page.expect_navigation():
        page.click("a.addlink")
    page.fill("#id_name", "Ndiaki")
    page.fill("#id_country", "Mali")
    page.fill("#id_admin1", "Mopti")
    page.fill("#id_latitude", "95")
    page.fill("#id_longitude", "-3.12")
    page.fill("#id_reason", "A village the gazetteer lacks.")
    # The browser's own range check would stop "95"; the page's answer is what we test:
    # said once, next to the latitude.
    page.locator("#place-form").evaluate("f => f.noValidate = true")
    with page.expect_navigation():
        page.click("#place-form input[type=submit]")
    assert page.locator(".errorlist").count() == 1
    assert page.locator(".form-row:has(#id_latitude) .errorlist").count() == 1
    assert not Place.objects.filter(name="Ndiaki").exists()
    page.fill("#id_latitude", "14.71")
    shot(page, "place-record", both=True)
    with page.expect_navigation():
        page.click("#place-form input[type=submit]")
    recorded = Place.objects.get(name="Ndiaki")
    assert (recorded.admin1, recorded.updated_by) == ("Mopti", "erin")

    # --- a later edition raises the toll the editor corrected ------------------------------
    _ingest(_later_edition(first), "later.txt")
    held = ReviewFlag.objects.get(incident_id=tolled.id, field="killed", status="open")
    assert held.detail.get("held") is True
    page.goto(f"{base}/admin/incidents/reviewflag/{held.id}/change/")
    assert page.locator("#ledger-holds").count() == 1  # which the report says, which we hold
    shot(page, "flag-held-figure", both=True)
    page.click("#quick-accept button")
    page.wait_for_selector("#overwrite-warning")
    assert "would undo" in page.locator("#overwrite-warning").inner_text()
    shot(page, "accept-warning", both=True)
    assert ReviewFlag.objects.get(id=held.id).status == "open"  # the warning decided nothing
    page.check("input[name=keep][value=editor]")
    with page.expect_navigation():
        page.click("input[name=confirm]")
    assert ReviewFlag.objects.get(id=held.id).status == "accepted"
    assert Incident.objects.get(id=tolled.id).killed_best == (tolled.killed_best or 0) + 2

    # --- a duplicate merged from its flag in at most three page loads -----------------------
    duplicate = ReviewFlag.objects.filter(kind="possible_duplicate", status="open").first()
    if duplicate is not None:
        loads: list[str] = []
        counting = [True]

        def count(frame: Any) -> None:
            if counting[0] and frame == page.main_frame:
                loads.append(frame.url)

        page.on("framenavigated", count)
        page.goto(f"{base}/admin/incidents/reviewflag/?kind__exact=possible_duplicate")
        shot(page, "queue-duplicates", both=True)
        with page.expect_navigation():
            page.click("#result_list tbody tr:first-child th a")
        assert page.locator("#pair .review-side").count() == 2
        shot(page, "duplicate-side-by-side", both=True)
        with page.expect_navigation():
            page.click("#merge-a-into-b")
        counting[0] = False
        assert len(loads) <= 3, loads
        a, b = duplicate.detail["incidents"]
        assert Incident.objects.get(id=a).status == "merged"
        assert str(Incident.objects.get(id=a).merged_into) == b

    # --- three decisions without leaving a filtered list -----------------------------------
    first_edition = Edition.objects.order_by("id").first()
    assert first_edition is not None
    page.goto(
        f"{base}/admin/incidents/reviewflag/?kind__exact=new_incident&report=mali"
        f"&edition={first_edition.id}"
    )
    shot(page, "queue-filtered", both=True)
    assert page.locator("#result_list td.field-status").first.is_visible()
    with page.expect_navigation():
        page.click("#result_list tbody tr:first-child th a")
    for _ in range(3):
        assert "_changelist_filters" in page.url
        assert "new incident" in page.locator(".review-meta").inner_text()
        flag_id = re.search(r"reviewflag/([0-9a-f-]{36})/", page.url).group(1)  # type: ignore[union-attr]
        page.fill("#quick-accept input[name=reason]", "Checked against the text.")
        page.locator("#quick-accept input[name=reason]").evaluate("e => e.blur()")
        with page.expect_navigation():
            page.keyboard.press("a")  # one key accepts, with the quick reason
        assert ReviewFlag.objects.get(id=flag_id).status == "accepted"
        assert ReviewFlag.objects.get(id=flag_id).reason == "Checked against the text."
    assert "kind__exact%3Dnew_incident" in page.url

    # --- history as field diffs, as of the first edition compared with now -----------------
    page.goto(f"{base}/admin/incidents/incident/{dated.id}/history/")
    page.select_option("select[name=edition]", str(first_edition.id))
    with page.expect_navigation():
        page.click("#asof input[type=submit]")
    assert page.locator("#compare", has_text="4 March 2019").count() == 1
    assert page.locator("#history", has_text="user:erin").count() >= 1
    shot(page, "history-diff", both=True)

    page.goto(f"{base}/admin/incidents/reviewflag/dashboard/?report=mali")
    assert page.locator("svg.chart").count() >= 4
    shot(page, "dashboard", both=True)
    # A bar opens the list it counts: the open new-incident flags of this report.
    with page.expect_navigation():
        page.locator("svg.chart a").filter(has_text="new incident").first.click()
    assert "kind__exact=new_incident" in page.url and "report=mali" in page.url

    # --- the whole session replays: every read model is what the log says -----------------
    call_command("rebuild_projections", "--verify", "--no-progress")
