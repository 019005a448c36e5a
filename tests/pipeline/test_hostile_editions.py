"""Editions built to be expensive (issue 14): each is bounded or refused with its reason, the
ledger unchanged, and an editor's decision does not wait for a slow edition."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from incidents.review.decisions import flag_accept
from incidents.review.models import ReviewFlag
from ingestion import services
from ingestion.fetching import Fetched
from ingestion.models import Edition, IngestRun
from ingestion.services import ingest_fetched
from ledger import projection
from ledger.models import StoredEvent
from ledger.wiring import projections
from tests.pipeline.editions import ENTRIES, Item, render
from tests.review.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

_WORDS = ("north", "south", "east", "west", "old", "new", "main", "small")


def _telling(n: int) -> Item:
    """Two tellings taking turns, so that neighbours differ (a line much like the one before it
    is dropped as an extraction repeat) and every other entry is alike."""
    tag = " ".join(_WORDS[(n >> (3 * d)) & 7] for d in range(3))
    if n % 2:
        body = f"Suspected jihadists raid the {tag} livestock fair at Kati and leave {n + 2} herders dead."
    else:
        body = f"Gunmen attack the {tag} market in Kati, killing {n + 3} civilians and wounding others."
    return Item("June 3, 2024", body)


def _ingest(data: bytes, name: str = "hostile") -> dict:
    return ingest_fetched(report_slug="mali", fetched=Fetched(data, name), trigger="test")


def _duplicate_flags() -> list[ReviewFlag]:
    return list(ReviewFlag.objects.filter(kind="possible_duplicate"))


def test_many_entries_at_one_place_and_date_raise_one_capped_flag_per_group(settings):
    settings.LEDGER_MAX_DUPLICATE_MEMBERS = 10
    entries = [_telling(n) for n in range(60)]
    summary = _ingest(render(entries).encode())
    assert summary["status"] == "ingested"
    flags = _duplicate_flags()
    # Pairwise, this edition raised 1,770 flags; as groups, one flag per group.
    assert 1 <= len(flags) <= 2
    assert all(2 <= len(f.detail["incidents"]) <= 10 for f in flags)
    assert any("LEDGER_MAX_DUPLICATE_MEMBERS" in w for w in summary["warnings"])
    run = IngestRun.objects.get()
    assert run.summary["warnings"] == summary["warnings"]
    assert projection.verify(projections()) == []


def test_groups_over_the_flag_cap_are_a_warning_on_the_run_not_flags(settings):
    settings.LEDGER_MAX_DUPLICATE_FLAGS = 1
    # Two groups: a month apart, never alike by date.
    entries = [_telling(n) for n in range(4)]
    entries += [Item("May 3, 2024", t.body) for t in map(_telling, range(4, 8))]
    summary = _ingest(render(entries).encode())
    assert len(_duplicate_flags()) == 1
    assert any("LEDGER_MAX_DUPLICATE_FLAGS" in w for w in summary["warnings"])


def _refused(summary: dict, setting: str) -> None:
    assert summary["status"] == "failed" and setting in summary["error"], summary
    assert Edition.objects.get().status == "failed"
    assert IngestRun.objects.get().status == "failed"
    assert (
        StoredEvent.objects.count() == 0
        or not StoredEvent.objects.filter(type="IncidentRecorded").exists()
    )
    assert projection.verify(projections()) == []


def test_a_pdf_of_more_pages_than_the_limit_is_refused_before_its_pages_are_read(settings):
    from fpdf import FPDF

    settings.LEDGER_MAX_PDF_PAGES = 3
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for line in render().splitlines()[:8]:
        pdf.add_page()
        pdf.cell(0, 6, line[:80])
    _refused(_ingest(bytes(pdf.output()), "pages.pdf"), "LEDGER_MAX_PDF_PAGES")


def test_html_nested_deeper_than_the_limit_is_refused(settings):
    settings.LEDGER_MAX_HTML_DEPTH = 50
    depth = 5000
    page = (
        "<html><body><h1>Mali: Extremism and Terrorism</h1>"
        + "<ul><li>June 3, 2024: Gunmen attack Kati." * depth
        + "</li></ul>" * depth
        + "</body></html>"
    )
    _refused(_ingest(page.encode(), "deep.html"), "LEDGER_MAX_HTML_DEPTH")


def test_html_with_more_elements_than_the_limit_is_refused(settings):
    settings.LEDGER_MAX_HTML_ELEMENTS = 1000
    page = "<html><body><h1>Mali</h1>" + "<p>Gunmen attack Kati.</p>" * 2000 + "</body></html>"
    _refused(_ingest(page.encode(), "wide.html"), "LEDGER_MAX_HTML_ELEMENTS")


def test_an_edition_with_more_entries_than_the_limit_is_refused(settings):
    settings.LEDGER_MAX_ENTRIES = 20
    _refused(_ingest(render([_telling(n) for n in range(40)]).encode()), "LEDGER_MAX_ENTRIES")


def test_an_editors_decision_succeeds_while_a_slow_edition_is_being_parsed(monkeypatch):
    """On SQLite an ingest transaction holds the one write lock: were the edition parsed inside
    it, the editor's accept would fail with "database is locked". Parsing runs before the
    transaction opens, so the decision goes through at once (PostgreSQL and SQLite)."""
    _ingest(render(ENTRIES[2:]).encode(), "first.txt")
    flag = ReviewFlag.objects.filter(status="open").order_by("raised_at").first()
    assert flag is not None
    editor = make_user("editor")
    parsing, go_on = threading.Event(), threading.Event()
    in_transaction: list[bool] = []
    read = services.edition_read

    def slow_read(edition):  # type: ignore[no-untyped-def]
        in_transaction.append(connection.in_atomic_block)
        parsing.set()
        assert go_on.wait(120)
        return read(edition)

    monkeypatch.setattr(services, "edition_read", slow_read)
    results: list[object] = []

    def ingest_later() -> None:
        try:
            results.append(_ingest(render().encode(), "later.txt"))
        except BaseException as exc:  # collected for the assertion below
            results.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=ingest_later)
    worker.start()
    try:
        assert parsing.wait(120)
        decided = flag_accept(flag_id=flag.id, editor=editor, reason="Checked")
    finally:
        go_on.set()
        worker.join(300)
    assert decided
    flag.refresh_from_db()
    assert flag.status != "open"
    assert in_transaction == [False]
    [summary] = results
    assert isinstance(summary, dict) and summary["status"] == "ingested", summary
    assert projection.verify(projections()) == []
