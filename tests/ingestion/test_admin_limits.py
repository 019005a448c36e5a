"""The admin refuses what ingestion would refuse, as form errors: an upload over the edition
byte limit, a file source outside the source roots (issue 14)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingestion.models import Edition, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):  # type: ignore[no-untyped-def]
    user = User.objects.create_superuser("operator", password="pw-for-tests")
    client.force_login(user)
    return client


def test_an_upload_over_the_edition_limit_is_a_form_error_and_nothing_is_stored(operator, settings):
    settings.LEDGER_MAX_EDITION_BYTES = 2048
    upload = SimpleUploadedFile("huge.txt", b"x" * 5000, content_type="text/plain")
    response = operator.post(
        reverse("admin:ingestion_edition_upload"), {"report": "mali", "file": upload}
    )
    assert response.status_code == 200
    assert "LEDGER_MAX_EDITION_BYTES" in response.content.decode()
    assert Edition.objects.count() == 0


def test_a_file_source_outside_the_source_roots_is_a_form_error(operator, settings, tmp_path):
    settings.LEDGER_SOURCE_ROOTS = [str(tmp_path)]
    response = operator.post(
        reverse("admin:ingestion_source_add"),
        {"report_slug": "mali", "kind": "file", "location": "/proc/self/environ"},
    )
    assert response.status_code == 200
    assert "LEDGER_SOURCE_ROOTS" in response.content.decode()
    assert Source.objects.count() == 0
