"""One entry point, `ingestion.services.ingest`: bytes, a file or a URL in, a typed summary out,
and every failure recorded the same way (a failed IngestRun with its reason), whichever edge
called it: the command, the admin upload or the task."""

from __future__ import annotations

import jsonschema
import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from ingestion.models import Edition, IngestRun
from ingestion.services import IngestSummary, ingest, ingest_later
from ingestion.tasks import edition_ingest_task
from ledger.models import StoredEvent
from tests.pipeline.editions import render

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):  # type: ignore[no-untyped-def]
    client.force_login(User.objects.create_superuser("operator", password="pw-for-tests"))
    return client


def _upload(client, data: bytes, name: str = "mali.txt"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:ingestion_edition_upload"),
        {"report": "mali", "file": SimpleUploadedFile(name, data, content_type="text/plain")},
    )


def test_bytes_are_ingested_into_a_typed_summary_whose_dict_is_the_contract(summary_schema):
    summary = ingest(render().encode(), "mali", trigger="test", origin="mali.txt")

    assert isinstance(summary, IngestSummary)
    assert summary.status == "ingested" and not summary.failed
    jsonschema.validate(summary.to_dict(), summary_schema)
    assert Edition.objects.get(pk=summary.edition).summary == summary.to_dict()


def test_a_file_is_read_from_its_path(tmp_path):
    path = tmp_path / "mali.txt"
    path.write_text(render())

    summary = ingest(path, "mali", trigger="command")

    assert summary.status == "ingested"
    assert Edition.objects.get().origin.endswith("mali.txt")


def test_a_file_outside_the_source_roots_is_a_failed_run_unless_an_operator_lifts_that(
    tmp_path_factory,
):
    outside = tmp_path_factory.mktemp("elsewhere") / "mali.txt"
    outside.write_text(render())

    refused = ingest(str(outside), "mali", trigger="test")
    accepted = ingest(str(outside), "mali", trigger="command", confine=False)

    assert refused.failed and "LEDGER_SOURCE_ROOTS" in (refused.error or "")
    assert accepted.status == "ingested"


def test_a_missing_file_is_a_failed_run_with_its_reason_not_an_exception(tmp_path):
    summary = ingest(tmp_path / "missing.txt", "mali", trigger="command")

    assert summary.failed and summary.edition is None
    run = IngestRun.objects.get()
    assert (run.status, run.trigger, run.stage) == ("failed", "command", "fetching")
    assert "No file at" in run.error


def test_a_url_that_may_not_be_fetched_is_a_failed_run_with_its_reason():
    summary = ingest("http://127.0.0.1:9/edition.txt", "mali", trigger="command")

    assert summary.failed
    assert IngestRun.objects.get().error == summary.error


def test_bytes_over_the_edition_limit_are_a_failed_run_and_nothing_is_stored(settings):
    settings.LEDGER_MAX_EDITION_BYTES = 100

    summary = ingest(b"x" * 101, "mali", trigger="upload", origin="big.txt")

    assert summary.failed and "LEDGER_MAX_EDITION_BYTES" in (summary.error or "")
    assert Edition.objects.count() == 0
    assert IngestRun.objects.get().status == "failed"


@pytest.fixture
def eager_worker():  # type: ignore[no-untyped-def]
    """Tasks run where they are sent, as a worker would run them."""
    app.conf.task_always_eager = True  # the app read its settings at start-up
    yield
    app.conf.task_always_eager = False


def test_an_admin_upload_is_stored_at_once_and_ingested_by_the_worker_with_its_run_recorded(
    operator, eager_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _upload(operator, render().encode())

    assert response.status_code == 302
    edition = Edition.objects.get()
    assert edition.status != "ingested" and IngestRun.objects.count() == 0
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success" and f"Stored edition {edition.pk}" in message.message

    for callback in queued:  # the transaction committed: the task is sent
        callback()
    edition.refresh_from_db()
    assert edition.status == "ingested"
    run = IngestRun.objects.get()
    assert (run.trigger, run.status, run.edition_id) == ("upload", "ingested", edition.pk)


def test_an_admin_upload_that_cannot_be_read_is_recorded_like_any_failed_edition(
    operator, eager_worker, django_capture_on_commit_callbacks
):
    events = StoredEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        _upload(operator, b"no timeline here at all", name="notes.txt")

    edition = Edition.objects.get()
    run = IngestRun.objects.get()
    assert (edition.status, run.status, run.trigger) == ("failed", "failed", "upload")
    assert run.error
    assert StoredEvent.objects.count() == events


def test_bytes_stored_for_the_worker_over_the_byte_limit_are_a_failed_run_and_store_nothing(
    settings,
):
    settings.LEDGER_MAX_EDITION_BYTES = 100

    refused = ingest_later(b"x" * 101, "mali", trigger="upload", origin="big.txt")

    assert isinstance(refused, IngestSummary) and refused.failed
    assert "LEDGER_MAX_EDITION_BYTES" in (refused.error or "")
    assert Edition.objects.count() == 0
    assert IngestRun.objects.get().status == "failed"


def test_the_task_ingests_a_stored_edition_through_the_same_entry_point():
    failed = ingest(render().encode()[:300], "mali", trigger="test", origin="cut.txt")

    summary = edition_ingest_task.apply(args=[failed.edition, "rerun"]).get()

    assert summary["status"] == "failed" and summary["edition"] == failed.edition
    assert list(IngestRun.objects.order_by("pk").values_list("trigger", flat=True)) == [
        "test",
        "rerun",
    ]


def test_stored_bytes_stored_again_find_their_edition_without_sending_the_file_again():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ingestion.services import edition_store, report_get_or_create

    report = report_get_or_create(slug="mali")
    first = edition_store(report=report, data=render().encode(), origin="mali.txt")

    with CaptureQueriesContext(connection) as queries:
        again = edition_store(report=report, data=render().encode(), origin="mali.txt")

    assert again.pk == first.pk
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
