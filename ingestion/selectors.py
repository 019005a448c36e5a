"""Reads of ingestion's operational records for the API: reports, editions, sources, where
an edition's ingestion left the ledger, and which incidents one timeline entry reported."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from ingestion.models import Edition, EditionEntry, Report, Source
from ledger.models import StoredEvent


def report_list() -> QuerySet[Report]:
    """Report series with how many editions each has and the date of the latest."""
    return Report.objects.annotate(
        edition_count=Count("editions"), latest_edition_date=Max("editions__edition_date")
    ).order_by("slug")


def report_get(*, slug: str) -> Report | None:
    return report_list().filter(slug=slug).first()


def edition_list(*, report: str | None = None, status: str | None = None) -> QuerySet[Edition]:
    """Editions newest first, without their raw bytes or text (both can be megabytes)."""
    qs = Edition.objects.select_related("report").defer("raw", "text", "parsed")
    if report:
        qs = qs.filter(report__slug=report)
    if status:
        qs = qs.filter(status=status)
    return qs


def edition_get(*, edition_id: int) -> Edition | None:
    return (
        Edition.objects.select_related("report")
        .defer("raw", "parsed")
        .filter(pk=edition_id)
        .first()
    )


def edition_exists(*, edition_id: int) -> bool:
    return Edition.objects.filter(pk=edition_id).exists()


def edition_position(*, edition_id: int) -> int | None:
    """The ledger position at which this edition's ingestion committed: the last event its
    ingestion appended (they carry Cause(edition_id=...)); None when it appended none."""
    last = StoredEvent.objects.filter(metadata__edition_id=edition_id).aggregate(
        last=Max("position")
    )["last"]
    return int(last) if last is not None else None


def source_list(*, report: str | None = None) -> QuerySet[Source]:
    qs = Source.objects.select_related("report", "schedule__interval")
    if report:
        qs = qs.filter(report__slug=report)
    return qs


def source_get(*, source_id: int) -> Source | None:
    return Source.objects.filter(pk=source_id).first()


@dataclass(frozen=True)
class EntryPart:
    """One incident of a timeline entry, as the entry's edition wrote it."""

    incident_id: uuid.UUID
    edition_id: int
    line: int
    part: int
    text: str


def incident_entry_parts(*, incident_id: uuid.UUID) -> list[EntryPart]:
    """The incidents of the entry this incident was last read from (the same edition, the same
    line), the incident itself included, in part order. One item for an entry that reports a
    single event; empty for an incident no edition reported (one an editor recorded)."""
    last = (
        EditionEntry.objects.filter(incident_id=incident_id)
        .order_by("-edition_id")
        .values("edition_id", "line")
        .first()
    )
    if last is None:
        return []
    rows = EditionEntry.objects.filter(edition_id=last["edition_id"], line=last["line"])
    return [
        EntryPart(r.incident_id, r.edition_id, r.line, r.part, str(r.entry.get("text", "")))
        for r in rows.order_by("part")
    ]


def incident_parts_of(*, incident_ids: Iterable[uuid.UUID | str]) -> dict[str, int]:
    """Each incident's part in the entry it was last read from (0 for an entry's primary
    event), by incident id as a string; incidents no edition reported are left out. One query
    for a page of incidents."""
    ids = [uuid.UUID(str(i)) for i in incident_ids]
    # One row per incident, its latest edition's, not one per edition that has read it: a page
    # of a long-running report would otherwise carry every edition's rows. A correlated
    # subquery rather than DISTINCT ON, which SQLite (`make run`) does not have.
    latest = (
        EditionEntry.objects.filter(incident_id=OuterRef("incident_id"))
        .order_by("-edition_id")
        .values("edition_id")[:1]
    )
    rows = EditionEntry.objects.filter(
        incident_id__in=ids, edition_id=Subquery(latest)
    ).values_list("incident_id", "part")
    return {str(incident_id): part for incident_id, part in rows}
