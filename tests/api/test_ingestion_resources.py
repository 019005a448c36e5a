"""Reports, editions, sources and places over the API, and time travel to an edition."""

from __future__ import annotations

import pytest

from ingestion.fetching import Fetched
from ingestion.models import Edition, IngestRun, Source
from ingestion.services import ingest_fetched
from tests.api.conftest import all_pages, make_place
from tests.pipeline.editions import ENTRIES, edit, render

pytestmark = pytest.mark.django_db
URL = "/api/v1/incidents/"


def ingest(text: str, origin: str = "edition.txt", report: str = "mali") -> dict:
    return ingest_fetched(
        report_slug=report, fetched=Fetched(text.encode(), origin), trigger="test"
    )


def second_edition() -> str:
    entries = edit(ENTRIES, 1, body=ENTRIES[1].body.replace("at least 31", "at least 35"))
    return render(entries[1:])  # a revised figure, and the newest entry dropped


def test_reports_list_their_edition_count_and_latest_date(api):
    first = ingest(render())
    ingest(second_edition(), origin="second.txt")
    ingest(render(ENTRIES[:3]), report="niger")
    reports = api.get("/api/v1/reports/").json()["results"]
    assert [(r["slug"], r["edition_count"]) for r in reports] == [("mali", 2), ("niger", 1)]
    mali = api.get("/api/v1/reports/mali/").json()
    assert mali["edition_count"] == 2
    dates = [e.edition_date for e in Edition.objects.filter(report__slug="mali")]
    assert first["edition_date"] is not None
    assert mali["latest_edition_date"] == max(d for d in dates if d).isoformat()
    assert api.get("/api/v1/reports/nowhere/").status_code == 404
    assert api.get("/api/v1/reports/?colour=red").status_code == 400


def test_editions_are_filtered_by_report_and_status_and_show_their_summary(api):
    first = ingest(render())
    second = ingest(second_edition(), origin="second.txt")
    ingest(render(ENTRIES[:3]), report="niger")
    everything = all_pages(api, "/api/v1/editions/?page_size=1")
    assert len(everything) == 3
    assert all("raw" not in e and "text" not in e for e in everything)
    mali = api.get("/api/v1/editions/", {"report": "mali"}).json()["results"]
    assert [e["id"] for e in mali] == [second["edition"], first["edition"]]  # newest first
    assert len(api.get("/api/v1/editions/", {"status": "ingested"}).json()["results"]) == 3
    assert api.get("/api/v1/editions/", {"status": "failed"}).json()["results"] == []
    bad = api.get("/api/v1/editions/", {"status": "burnt"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]

    detail = api.get(f"/api/v1/editions/{second['edition']}/").json()
    assert detail["status"] == "ingested" and detail["report"] == "mali"
    assert detail["summary"]["counts"] == second["counts"]
    assert detail["summary"]["counts"]["revised"] >= 1
    assert "raw" not in detail and "Major Extremist" in detail["text"]
    assert api.get("/api/v1/editions/999999/").status_code == 404


def test_places_are_listed_by_country_and_name(api):
    make_place("Ouatagouna", "Mali", admin1="Gao")
    make_place("Tera", "Niger")
    make_place("Ouallam", "Niger")
    names = [p["name"] for p in api.get("/api/v1/places/").json()["results"]]
    assert names == ["Ouatagouna", "Ouallam", "Tera"]
    niger = api.get("/api/v1/places/", {"country": "niger"}).json()["results"]
    assert [p["name"] for p in niger] == ["Ouallam", "Tera"]
    assert [p["name"] for p in api.get("/api/v1/places/", {"q": "ouat"}).json()["results"]] == [
        "Ouatagouna"
    ]
    assert api.get("/api/v1/places/", {"near": "Gao"}).status_code == 400


@pytest.fixture(autouse=True)
def source_roots(settings, tmp_path):
    """File sources of these tests live under /srv (never read) or the test's own folder."""
    settings.LEDGER_SOURCE_ROOTS = ["/srv", str(tmp_path)]


def test_a_source_outside_the_source_roots_is_refused_with_the_reason(client_for):
    operator = client_for("operator")
    body = {"report": "mali", "kind": "file", "location": "/proc/self/environ"}
    response = operator.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400
    assert "LEDGER_SOURCE_ROOTS" in response.json()["detail"]


def test_operators_register_a_source_and_read_it_with_its_schedule(client_for):
    operator = client_for("operator")
    body = {"report": "mali", "kind": "file", "location": "/srv/mali.pdf", "every_minutes": 60}
    response = operator.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["report"] == "mali" and created["every_minutes"] == 60
    listed = client_for("editor").get("/api/v1/sources/").json()["results"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert Source.objects.get(pk=created["id"]).schedule is not None


def test_a_bad_source_answers_400_with_the_reason(client_for):
    operator = client_for("operator")
    bad_kind = operator.post(
        "/api/v1/sources/", {"report": "mali", "kind": "pigeon", "location": "x"}, format="json"
    )
    assert bad_kind.status_code == 400
    assert "pigeon" in bad_kind.json()["detail"] and "url" in bad_kind.json()["detail"]
    not_https = operator.post(
        "/api/v1/sources/", {"report": "mali", "kind": "url", "location": "ftp://x"}, format="json"
    )
    assert not_https.status_code == 400 and "https" in not_https.json()["detail"]
    missing = operator.post("/api/v1/sources/", {"kind": "file"}, format="json")
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"report", "location"}
    assert not Source.objects.exists()


def test_sources_are_for_operators_and_editors_only(client_for):
    body = {"report": "mali", "kind": "file", "location": "/srv/mali.pdf"}
    assert client_for("anonymous").get("/api/v1/sources/").status_code == 401
    assert client_for("viewer").get("/api/v1/sources/").status_code == 403
    assert client_for("editor").get("/api/v1/sources/").status_code == 200
    assert client_for("viewer").post("/api/v1/sources/", body).status_code == 403
    assert client_for("editor").post("/api/v1/sources/", body).status_code == 403
    source = client_for("operator").post("/api/v1/sources/", body).json()["id"]
    assert client_for("editor").post(f"/api/v1/sources/{source}/check/").status_code == 403
    assert client_for("viewer").post(f"/api/v1/sources/{source}/check/").status_code == 403


def test_an_operator_queues_a_check_once_the_request_commits(
    client_for, django_capture_on_commit_callbacks, monkeypatch, tmp_path
):
    edition = tmp_path / "mali.txt"
    edition.write_text(render())
    operator = client_for("operator")
    source = operator.post(
        "/api/v1/sources/",
        {"report": "mali", "kind": "file", "location": str(edition), "every_minutes": None},
        format="json",
    ).json()["id"]
    queued: list[tuple] = []
    monkeypatch.setattr(
        "ingestion.tasks.source_check_task.delay", lambda *args: queued.append(args)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = operator.post(f"/api/v1/sources/{source}/check/")
    assert response.status_code == 202
    assert response.json() == {"source": source, "queued": True}
    assert len(callbacks) == 1 and queued == [(source, "api")]
    assert operator.post("/api/v1/sources/999999/check/").status_code == 404


def test_a_check_run_eagerly_records_an_ingest_run(
    client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    from config.celery import app

    edition = tmp_path / "mali.txt"
    edition.write_text(render())
    operator = client_for("operator")
    source = operator.post(
        "/api/v1/sources/",
        {"report": "mali", "kind": "file", "location": str(edition), "every_minutes": None},
        format="json",
    ).json()["id"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True  # the app read its settings at start-up
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = operator.post(f"/api/v1/sources/{source}/check/")
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == 202
    run = IngestRun.objects.get(source_id=source)
    assert (run.trigger, run.status) == ("api", "ingested")


def test_as_of_edition_answers_the_list_as_it_stood_after_that_edition(api):
    first = ingest(render())
    captured = {q: all_pages(api, URL + q) for q in ("", "?include_dropped=true")}
    one = next(iter(all_pages(api, URL)))["id"]
    one_then = api.get(f"{URL}{one}/").json()
    second = ingest(second_edition(), origin="second.txt")
    assert second["counts"]["revised"] >= 1 or second["counts"]["dropped"] >= 1
    assert all_pages(api, URL + "?include_dropped=true") != captured["?include_dropped=true"]
    for query, items in captured.items():
        sep = "&" if query else "?"
        assert all_pages(api, f"{URL}{query}{sep}as_of_edition={first['edition']}") == items
    assert api.get(f"{URL}{one}/?as_of_edition={first['edition']}").json() == one_then
    now = all_pages(api, URL + "?include_dropped=true")
    assert all_pages(api, f"{URL}?include_dropped=true&as_of_edition={second['edition']}") == now


def test_an_unknown_or_eventless_edition_answers_400_with_the_reason(api):
    first = ingest(render())
    unchanged = ingest(render(), origin="again.txt")
    assert unchanged["status"] == "unchanged"
    failed = ingest("Nothing like a report.", origin="junk.txt")
    assert failed["status"] == "failed"
    eventless = api.get(URL, {"as_of_edition": failed["edition"]})
    assert eventless.status_code == 400
    assert "changed nothing" in str(eventless.json()["errors"]["as_of_edition"])
    missing = api.get(URL, {"as_of_edition": 999999})
    assert missing.status_code == 400
    assert "no edition 999999" in str(missing.json()["errors"]["as_of_edition"])
    both = api.get(URL, {"as_of_edition": first["edition"], "as_of_position": 1})
    assert both.status_code == 400
    assert api.get(f"{URL}?as_of_edition=0").status_code == 400
    assert Edition.objects.count() == 2 and IngestRun.objects.count() == 3
