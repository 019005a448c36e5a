"""Sources: a real local HTTP server, files and folders; failures are recorded, nothing is lost."""

from __future__ import annotations

import pytest

from incidents.models import Incident
from ingestion.fetching import FetchError, fetch_url
from ingestion.models import Edition, IngestRun, Source
from ingestion.services import source_check, source_register
from ledger.models import StoredEvent
from tests.pipeline.editions import ENTRIES, render
from tests.pipeline.http_server import Routes, serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback_allowed(settings):
    settings.LEDGER_FETCH_ALLOW_HTTP = True
    settings.LEDGER_FETCH_ALLOW_LOOPBACK = True


def test_a_url_source_is_fetched_then_not_refetched_when_its_etag_is_unchanged(loopback_allowed):
    routes = Routes({"/mali.txt": (200, render().encode(), {"ETag": '"v1"'})})
    with serving(routes) as base:
        source = source_register(report_slug="mali", kind="url", location=f"{base}/mali.txt")
        [summary] = source_check(source=source)
        assert summary["status"] == "ingested"
        source.refresh_from_db()
        assert source.etag == '"v1"'
        assert source_check(source=source) == []
    assert routes.log[1][1].get("If-None-Match") == '"v1"'
    assert IngestRun.objects.filter(source=source, status="not_modified").count() == 1
    assert (
        source.schedule is not None and source.schedule.task == "ingestion.tasks.source_check_task"
    )


def test_a_server_error_is_transient_and_recorded_on_the_source(loopback_allowed):
    routes = Routes({"/mali.txt": (503, b"busy", {})})
    with serving(routes) as base:
        source = source_register(report_slug="mali", kind="url", location=f"{base}/mali.txt")
        with pytest.raises(FetchError) as failure:
            source_check(source=source)
    assert failure.value.transient and "503" in failure.value.reason
    assert "503" in Source.objects.get(pk=source.pk).last_error


def test_an_unreachable_source_is_a_transient_error_with_a_reason(loopback_allowed):
    with pytest.raises(FetchError, match="Cannot reach") as failure:
        fetch_url("http://127.0.0.1:9/none.txt", timeout=2)
    assert failure.value.transient


def test_a_404_is_permanent_and_recorded_as_a_failed_run(loopback_allowed):
    with serving(Routes()) as base:
        source = source_register(report_slug="mali", kind="url", location=f"{base}/gone.txt")
        [summary] = source_check(source=source)
    assert summary["status"] == "failed" and "404" in summary["error"]
    assert IngestRun.objects.filter(source=source, status="failed").exists()


def test_loopback_and_private_addresses_are_refused_unless_allowed(settings):
    settings.LEDGER_FETCH_ALLOW_HTTP = True
    with pytest.raises(FetchError, match="not a public address"):
        fetch_url("http://127.0.0.1:8000/x")
    with pytest.raises(FetchError, match="Only https"):
        fetch_url("ftp://example.org/x")


def test_an_oversized_edition_is_refused_before_it_is_stored(loopback_allowed, settings, tmp_path):
    settings.LEDGER_MAX_EDITION_BYTES = 1024 * 1024
    big = tmp_path / "huge.txt"
    big.write_bytes(b"x" * (50 * 1024 * 1024))
    source = source_register(report_slug="mali", kind="file", location=str(big))
    [summary] = source_check(source=source)
    assert summary["status"] == "failed" and "limit" in summary["error"]
    assert Edition.objects.count() == 0
    routes = Routes({"/huge.txt": (200, b"y" * (2 * 1024 * 1024), {})})
    with serving(routes) as base, pytest.raises(FetchError, match="limit"):
        fetch_url(f"{base}/huge.txt")


def test_a_folder_source_ingests_each_new_file_once(tmp_path):
    (tmp_path / "2024-06.txt").write_text(render(ENTRIES[2:]))
    source = source_register(report_slug="mali", kind="folder", location=str(tmp_path))
    assert [s["status"] for s in source_check(source=source)] == ["ingested"]
    (tmp_path / "2024-10.txt").write_text(render())
    [second] = source_check(source=source)
    assert second["counts"]["new"] == 2
    events = StoredEvent.objects.count()
    assert source_check(source=source) == []
    assert StoredEvent.objects.count() == events
    assert Incident.objects.count() == len(ENTRIES)
