"""An edition is one append in the log: its new incidents, revisions, claim changes, drops and
flags are written together (ingestion.recording gathers them; the review policy decides them)."""

from __future__ import annotations

import pytest

from ingestion.fetching import Fetched
from ingestion.services import ingest_fetched
from ledger.models import StoredEvent
from tests.pipeline.editions import ENTRIES, Item, edit, render

pytestmark = pytest.mark.django_db


def _ingest(entries: list[Item] | tuple[Item, ...], origin: str) -> dict:
    data = render(entries).encode()
    return ingest_fetched(report_slug="mali", fetched=Fetched(data, origin), trigger="test")


def test_an_edition_that_revises_drops_and_adds_is_one_append_in_the_log():
    _ingest(ENTRIES, "first.txt")
    revised = edit(list(ENTRIES), 1, body=ENTRIES[1].body.replace("at least 31", "at least 36"))
    second = _ingest(revised[1:], "second.txt")  # the first entry vanishes; a toll moves

    kinds = {change["kind"] for change in second["changes"]}
    assert kinds == {"revised", "dropped"}
    events = StoredEvent.objects.filter(metadata__edition_id=second["edition"])
    types = set(events.values_list("type", flat=True))
    assert {"IncidentRevised", "IncidentDropped", "ClaimRanked", "ClaimAsserted"} <= types
    assert events.values("recorded_at").distinct().count() == 1
    positions = sorted(events.values_list("position", flat=True))
    assert positions == list(range(positions[0], positions[0] + len(positions)))
