"""Ingesting editions end to end on the real database: exactly the real changes, nothing else."""

from __future__ import annotations

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from incidents.models import Incident, ReviewFlag
from ingestion import services
from ingestion.fetching import Fetched
from ingestion.models import Edition, IngestRun
from ingestion.services import ingest_fetched
from ledger import projection
from ledger.models import StoredEvent
from ledger.wiring import projections
from tests.pipeline.editions import ENTRIES, SECTIONS, Item, edit, render

pytestmark = pytest.mark.django_db


def ingest(text: str | bytes, origin: str = "edition.txt") -> dict:
    data = text.encode() if isinstance(text, str) else text
    return ingest_fetched(report_slug="mali", fetched=Fetched(data, origin), trigger="test")


def changes(summary: dict) -> list[tuple[str, list[str]]]:
    return sorted((c["kind"], c["fields"]) for c in summary["changes"])


def test_a_first_edition_records_every_entry_as_new(summary_schema):
    summary = ingest(render())
    jsonschema.validate(summary, summary_schema)
    assert summary["status"] == "ingested"
    assert summary["counts"] == {"new": len(ENTRIES), "revised": 0, "dropped": 0, "unchanged": 0}
    assert Incident.objects.filter(report="mali").count() == len(ENTRIES)
    assert summary["flags"]["new_incident"] == len(ENTRIES)


def test_identical_bytes_are_unchanged_and_write_no_event(summary_schema):
    ingest(render())
    events = StoredEvent.objects.count()
    summary = ingest(render(), origin="again.txt")
    jsonschema.validate(summary, summary_schema)
    assert summary["status"] == "unchanged"
    assert StoredEvent.objects.count() == events
    assert Edition.objects.count() == 1


def test_the_same_edition_rewrapped_with_other_bullets_and_page_breaks_reports_no_change():
    ingest(render())
    summary = ingest(render(bullet="• ", width=64, page_break_every=3))
    assert summary["status"] == "ingested"
    assert summary["changes"] == [] and summary["sections_changed"] == []
    assert summary["counts"]["unchanged"] == len(ENTRIES)


def test_a_later_edition_reports_exactly_its_real_changes(summary_schema):
    first = ingest(render())
    entries = list(ENTRIES)
    entries = edit(entries, 1, body=entries[1].body.replace("at least 31", "at least 36"))
    entries = edit(
        entries,
        2,
        body=entries[2].body.replace(
            "No group claims responsibility.", "JNIM claims responsibility."
        ),
    )
    entries = edit(entries, 3, date="June 24, 2024")
    entries = edit(entries, 4, body=entries[4].body.replace("Ouatagouna", "Ouattagouna"))
    del entries[8]  # the mayor of Dioura: dropped from this edition
    new = Item(
        "October 2, 2024",
        "Jihadists set fire to a ferry on the Niger River near Gourma-Rharous, killing 12 passengers.",
    )
    entries.insert(0, new)
    sections = [
        (
            SECTIONS[0][0],
            (
                "Armed groups linked to al-Qaeda and to the Islamic State compete for territory across the Sahel; aid groups now count 500,000 displaced.",
            ),
        ),
        SECTIONS[1],
    ]
    second = ingest(render(entries, sections=sections, bullet="* ", width=90))
    jsonschema.validate(second, summary_schema)
    assert changes(second) == sorted(
        [
            ("new", []),
            ("revised", ["killed"]),
            ("revised", ["perpetrators", "claims", "text"]),
            ("revised", ["date"]),
            ("revised", ["locations"]),
            ("dropped", []),
        ]
    )
    assert second["counts"] == {"new": 1, "revised": 4, "dropped": 1, "unchanged": len(ENTRIES) - 5}
    assert [s["kind"] for s in second["sections_changed"]] == ["changed"]
    first_ids = {c["incident"] for c in first["changes"]}
    assert {c["incident"] for c in second["changes"] if c["kind"] != "new"} <= first_ids
    lines = {c["line"] for c in second["changes"] if c["kind"] != "dropped"}
    assert None not in lines
    dropped = next(c for c in second["changes"] if c["kind"] == "dropped")
    assert Incident.objects.get(id=dropped["incident"]).status == "dropped"  # kept, never deleted
    assert ReviewFlag.objects.filter(kind="dropped").count() == 1
    assert projection.verify(projections()) == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, ""),
        (b"Just a shopping list: eggs, milk.", ""),
        (render().encode()[:300], "timeline"),
    ],
    ids=["empty", "binary", "not-a-report", "truncated"],
)
def test_a_bad_edition_fails_with_a_clear_reason_and_changes_nothing_stored(
    data, reason, summary_schema
):
    ingest(render())
    events, incidents = (
        StoredEvent.objects.count(),
        list(Incident.objects.values_list("id", "text")),
    )
    summary = ingest(data, origin="bad.bin")
    jsonschema.validate(summary, summary_schema)
    assert summary["status"] == "failed"
    assert summary["error"] and reason in summary["error"]
    assert StoredEvent.objects.count() == events
    assert list(Incident.objects.values_list("id", "text")) == incidents
    failed = Edition.objects.get(pk=summary["edition"])
    assert (failed.status, bytes(failed.raw)) == ("failed", data)  # the bytes are kept
    assert IngestRun.objects.filter(edition=failed, status="failed").exists()


def test_a_failed_edition_can_be_rerun_and_then_ingests():
    summary = ingest(render().encode()[:300])
    edition = Edition.objects.get(pk=summary["edition"])
    again = services.ingest(bytes(edition.raw), "mali", trigger="rerun", origin=edition.origin)
    assert again.failed and again.edition == edition.pk  # same bytes, same parser
    assert Edition.objects.get(pk=edition.pk).status == "failed"


def test_ingest_report_command_prints_the_summary_and_exits_non_zero_on_failure(
    tmp_path, capsys, summary_schema
):
    import json

    good = tmp_path / "mali.txt"
    good.write_text(render())
    call_command("ingest_report", str(good), "--report", "mali", "--format", "json")
    summary = json.loads(capsys.readouterr().out)
    jsonschema.validate(summary, summary_schema)
    assert summary["status"] == "ingested"
    with pytest.raises(CommandError) as failure:
        call_command("ingest_report", str(tmp_path / "missing.txt"), "--report", "mali")
    assert failure.value.returncode == 1
    assert "No file at" in capsys.readouterr().err


def test_a_revised_toll_also_brings_the_new_wording_into_the_incident():
    first = ingest(render())
    entries = edit(list(ENTRIES), 1, body=ENTRIES[1].body.replace("at least 31", "at least 36"))
    second = ingest(render(entries))
    [change] = second["changes"]
    assert change["fields"] == ["killed"]
    incident = Incident.objects.get(id=change["incident"])
    assert "at least 36" in incident.text and incident.killed_best == 36
    assert change["incident"] in {c["incident"] for c in first["changes"]}
