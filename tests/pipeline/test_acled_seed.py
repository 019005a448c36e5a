"""The real Mali edition, ingested, exports in ACLED's layout as ACLED tooling expects: every
dated incident a row, pandas dtypes as ACLED's, every category in ACLED's codebook, Mali's iso."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rest_framework.test import APIClient

from incidents.api.acled import ACLED_DISORDER_TYPES, ACLED_DTYPES, ACLED_EVENT_TYPES
from incidents.models import Incident
from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from tests.review.conftest import make_user

pytestmark = pytest.mark.django_db


def _kind(dtype: str) -> str:
    return "text" if dtype in ("object", "str", "string") else dtype


def test_the_seed_edition_exports_in_acleds_layout_and_vocabulary(seed_text: str) -> None:
    ingest_fetched(report_slug="mali", fetched=Fetched(seed_text.encode(), "seed"), trigger="t")
    api = APIClient()
    api.force_authenticate(make_user("viewer"))
    response = api.get("/api/v1/incidents/export.csv", {"layout": "acled"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    dated = Incident.objects.filter(status="active", date_start__isnull=False).count()
    assert len(frame) == dated > 150
    # Columns ACLED fills and we cannot (admin2, admin3, tags, ...) are empty: pandas reads an
    # all-empty column as float64. Text is "object" before pandas 3 and "str" since.
    expected = {c: _kind(d) for c, d in ACLED_DTYPES.items()} | {
        c: "float64" for c in frame.columns if frame[c].isna().all()
    }
    assert {c: _kind(str(d)) for c, d in frame.dtypes.items()} == expected
    assert set(frame["event_type"]) <= set(ACLED_EVENT_TYPES)
    assert all(
        sub in ACLED_EVENT_TYPES[kind]
        for kind, sub in zip(frame["event_type"], frame["sub_event_type"], strict=True)
    )
    assert set(frame["disorder_type"]) <= set(ACLED_DISORDER_TYPES)
    assert set(frame.loc[frame["country"] == "Mali", "iso"]) == {466}
    assert (frame["fatalities"] >= 0).all() and frame["fatalities"].sum() > 0
    assert frame["inter1"].between(1, 8).all()
