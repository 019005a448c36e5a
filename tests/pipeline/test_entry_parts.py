"""An analyst's checklist through the pipeline: one incident per event, across editions.

The seed is ingested, then a later edition made from it by program: one entry gains a separate
same-day event (our own wording), another loses its second event. Each part keeps its identity;
the ledger replays to the same rows; the API, the CSV export and the admin show the parts and
the open bounds of "at least" figures. Skipped when the seed is not checked out.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import Incident
from ingestion.fetching import Fetched
from ingestion.models import EditionEntry
from ingestion.selectors import incident_entry_parts
from ingestion.services import ingest_fetched
from ledger.models import StoredEvent
from tests.review.conftest import make_user

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
pytestmark = pytest.mark.django_db

# Our own wording for the event the later edition adds to the Dembo entry.
ADDED_EVENT = "That same day, gunmen attack a checkpoint in Niono, killing four gendarmes."


@pytest.fixture
def seed_text() -> str:
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        pytest.skip(f"the seed edition is absent from {SEED}")
    return files[0].read_text(encoding="utf-8")


def _ingest(text: str, origin: str) -> dict:
    summary = ingest_fetched(
        report_slug="mali", fetched=Fetched(text.encode(), origin), trigger="t"
    )
    assert summary["status"] == "ingested", summary
    return summary


def _entry_start(text: str, date: str) -> int:
    at = text.find(f"- {date}:")
    assert at >= 0, date
    return at


def later_edition(text: str) -> str:
    """The seed with a same-day event added to the Dembo entry (before its sources) and the
    Sevare entry's same-day ambush taken out; every line stays where it was."""
    dembo = _entry_start(text, "August 11, 2024")
    sources = text.index(" Source:", dembo)
    text = f"{text[:sources]} {ADDED_EVENT}{text[sources:]}"
    sevare = _entry_start(text, "April 23, 2023")
    second = re.compile(r" That same day, [^.]*\.").search(text, sevare)
    assert second is not None
    return text[: second.start()] + text[second.end() :]


def _parts(edition: int, date_start: str) -> list[EditionEntry]:
    rows = EditionEntry.objects.filter(edition_id=edition, entry__date_start=date_start)
    line = min(r.line for r in rows)
    return list(rows.filter(line=line).order_by("part"))


def _incident(row: EditionEntry) -> Incident:
    return Incident.objects.get(id=row.incident_id)


def test_each_event_of_an_entry_is_its_own_incident_and_keeps_its_identity_across_editions(
    seed_text: str,
) -> None:
    first = _ingest(seed_text, "seed")
    assert first["counts"]["new"] == 195  # 186 entries, nine with a second event
    sevare, koulikoro = _parts(first["edition"], "2023-04-23")
    assert (sevare.part, koulikoro.part) == (0, 1) and sevare.line == koulikoro.line
    assert (_incident(sevare).killed_best, _incident(koulikoro).killed_best) == (13, 10)
    (dembo,) = _parts(first["edition"], "2024-08-11")
    before = {
        row.incident_id: StoredEvent.objects.filter(stream_id=row.incident_id).count()
        for row in (sevare, dembo)
    }

    second = _ingest(later_edition(seed_text), "later")
    assert second["counts"] == {"new": 1, "revised": 0, "dropped": 1, "unchanged": 194}
    (new,) = [c for c in second["changes"] if c["kind"] == "new"]
    (dropped,) = [c for c in second["changes"] if c["kind"] == "dropped"]
    assert (new["line"], new["part"]) == (dembo.line, 1)
    assert dropped["incident"] == str(koulikoro.incident_id)
    assert _incident(koulikoro).status == "dropped"  # kept, never deleted
    # the parts that stayed are the same incidents; this edition only says it saw them
    dembo_now, niono = _parts(second["edition"], "2024-08-11")
    (sevare_now,) = _parts(second["edition"], "2023-04-23")
    assert dembo_now.incident_id == dembo.incident_id
    assert sevare_now.incident_id == sevare.incident_id
    after = {
        row.incident_id: StoredEvent.objects.filter(stream_id=row.incident_id).count()
        for row in (sevare_now, dembo_now)
    }
    assert after == {incident: count + 1 for incident, count in before.items()}
    seen = StoredEvent.objects.filter(stream_id=sevare.incident_id).order_by("-position")[0]
    assert (seen.type, seen.data) == ("IncidentSeen", {"edition_id": second["edition"]})
    assert (_incident(niono).killed_best, _incident(niono).country) == (4, "Mali")
    assert str(niono.incident_id) == new["incident"]
    call_command("rebuild_projections", "--verify", "--no-progress")


def test_the_parts_of_an_entry_are_listed_together_for_editors_and_the_api(
    seed_text: str,
) -> None:
    first = _ingest(seed_text, "seed")
    sevare, koulikoro = _parts(first["edition"], "2023-04-23")
    listed = incident_entry_parts(incident_id=koulikoro.incident_id)
    assert [(p.incident_id, p.part) for p in listed] == [
        (sevare.incident_id, 0),
        (koulikoro.incident_id, 1),
    ]
    (dembo,) = _parts(first["edition"], "2024-08-11")
    assert [p.part for p in incident_entry_parts(incident_id=dembo.incident_id)] == [0]
    assert incident_entry_parts(incident_id=uuid.uuid4()) == []

    api = APIClient()
    api.force_authenticate(make_user("viewer"))
    # The part is an edition's record, not an event: the incident object (which the change
    # feed reproduces) leaves it to /parts/ and the exports.
    assert "part" not in api.get(f"/api/v1/incidents/{koulikoro.incident_id}/").json()
    day = api.get("/api/v1/incidents/export.jsonl?date_from=2023-04-23&date_to=2023-04-23")
    rows = [json.loads(line) for line in b"".join(day.streaming_content).splitlines()]
    assert sorted((r["id"], r["part"]) for r in rows) == sorted(
        [(str(sevare.incident_id), 0), (str(koulikoro.incident_id), 1)]
    )
    body = api.get(f"/api/v1/incidents/{sevare.incident_id}/parts/").json()
    assert [(r["incident"], r["part"], r["line"]) for r in body["results"]] == [
        (str(sevare.incident_id), 0, sevare.line),
        (str(koulikoro.incident_id), 1, sevare.line),
    ]

    editor = Client()
    editor.force_login(make_user("editor"))
    page = editor.get(reverse("admin:incidents_incident_change", args=[sevare.incident_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Other parts of this entry" in html
    assert reverse("admin:incidents_incident_change", args=[koulikoro.incident_id]) in html


def test_at_least_26_has_no_upper_bound_in_the_api_and_the_csv(seed_text: str) -> None:
    first = _ingest(seed_text, "seed")
    (dembo,) = _parts(first["edition"], "2024-08-11")
    api = APIClient()
    api.force_authenticate(make_user("viewer"))
    item = api.get(f"/api/v1/incidents/{dembo.incident_id}/").json()
    assert item["casualties"]["killed"] == {"low": 26, "best": 26, "high": None}
    listed = api.get("/api/v1/incidents/?date_from=2024-08-11&date_to=2024-08-11").json()
    (row,) = [r for r in listed["results"] if r["id"] == str(dembo.incident_id)]
    assert row["casualties"]["killed"] == {"low": 26, "best": 26, "high": None}
    export = api.get("/api/v1/incidents/export.csv?date_from=2024-08-11&date_to=2024-08-11")
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    (line,) = [r for r in rows if r["id"] == str(dembo.incident_id)]
    assert (line["killed_low"], line["killed_best"], line["killed_high"]) == ("26", "26", "")
    assert line["part"] == "0"


def test_party_figures_are_claims_with_their_actor_and_open_bounds_reach_the_events(
    seed_text: str,
) -> None:
    first = _ingest(seed_text, "seed")
    ambush, boobytrap = _parts(first["edition"], "2024-07-25")
    api = APIClient()
    api.force_authenticate(make_user("viewer"))
    claims = {}
    for row in (ambush, boobytrap):
        item = api.get(f"/api/v1/incidents/{row.incident_id}/").json()
        for c in item["claims"]:
            if c["property"] == "killed":
                claims[(row.part, c["claimant"])] = (c["value_min"], c["value_max"], c)
    assert sorted((part, name, lo, hi) for (part, name), (lo, hi, _) in claims.items()) == [
        (0, "Strategic Framework for the Defense of the People of Azawad", 131, None),
        (1, "Jama'at Nusrat al-Islam wal-Muslimin", 60, 60),
    ]  # a party's figure, never the report's own ("report" claims no toll here)
    for (_, name), (_, _, claim) in claims.items():
        actor = api.get(f"/api/v1/actors/{claim['claimant_actor_id']}/").json()
        assert actor["name"] == name
    (dembo,) = _parts(first["edition"], "2024-08-11")
    (own,) = [
        e.data
        for e in StoredEvent.objects.filter(type="ClaimAsserted")
        if e.data["incident_id"] == str(dembo.incident_id) and e.data["property"] == "killed"
    ]
    assert (own["claimant"], own["value_min"], own["value_max"], own["qualifier"]) == (
        "report",
        26,
        None,
        "at_least",
    )
