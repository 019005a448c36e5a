"""ETags change whenever the rows behind a response change, events or not.

Editions, sources and reports are operational rows written in place without an event; an ETag
derived from the log alone answered a stale 304 for them.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from common.api.etags import ConditionalMixin
from ingestion.models import Report
from ingestion.services import edition_store, report_get_or_create, source_check, source_register
from ledger import store
from tests.pipeline.editions import render

pytestmark = pytest.mark.django_db


def _etag_then(client, url: str):  # type: ignore[no-untyped-def]
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    return etag


def test_an_edition_stored_without_an_event_turns_the_editions_304_into_a_200(api):
    report = report_get_or_create(slug="mali")
    edition_store(report=report, data=b"first", origin="first.txt")
    etag = _etag_then(api, "/api/v1/editions/")
    position = store.last_position()

    edition_store(report=report, data=b"second", origin="second.txt")

    assert store.last_position() == position  # the log did not move
    again = api.get("/api/v1/editions/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and len(again.json()["results"]) == 2


def test_a_failed_source_check_changes_the_sources_etag_though_no_event_was_appended(
    client_for, tmp_path, settings
):
    settings.LEDGER_SOURCE_ROOTS = [str(tmp_path)]
    path = tmp_path / "mali.txt"
    path.write_text(render())
    source = source_register(report_slug="mali", kind="file", location=str(path))
    operator = client_for("operator")
    etag = _etag_then(operator, "/api/v1/sources/")
    position = store.last_position()

    path.unlink()  # the next check fails, and says so on the source (an update in place)
    [summary] = source_check(source=source, trigger="test")

    assert summary["status"] == "failed" and store.last_position() == position
    again = operator.get("/api/v1/sources/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again.json()["results"][0]["last_error"]


def test_a_report_renamed_in_place_changes_the_reports_etag(api):
    report = report_get_or_create(slug="mali")
    etag = _etag_then(api, "/api/v1/reports/mali/")

    report.title = "The Mali report"
    report.save(update_fields=["title"])  # as ingestion fills in a report's title

    again = api.get("/api/v1/reports/mali/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again.json()["title"] == "The Mali report"
    assert Report.objects.get().updated_at > Report.objects.get().created_at


def test_a_view_that_declares_no_etag_source_fails_loudly_instead_of_guessing():
    class Undeclared(ConditionalMixin, APIView):
        permission_classes = []

        def get(self, request):  # type: ignore[no-untyped-def]
            return self.not_modified(request)

    with pytest.raises(ImproperlyConfigured, match="etag_from"):
        Undeclared.as_view()(APIRequestFactory().get("/api/v1/nowhere/"))
