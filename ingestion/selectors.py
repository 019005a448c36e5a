"""Reads of ingestion's operational records: reports, editions, sources, and which incidents
one timeline entry reported. Also what incidents read of them through their port
(incidents.editions.EditionRecords, wired in config/wiring.py): this module implements it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from common.query import filtered
from ingestion.models import Edition, EditionEntry, Report, Source
from ingestion.parsing.gazetteer import Gazetteer
from ingestion.query import EditionFilterSet, SourceFilterSet
from ingestion.reference import parser_reference


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
    return filtered(EditionFilterSet, qs, report=report, status=status)


def edition_get(*, edition_id: int) -> Edition | None:
    return (
        Edition.objects.select_related("report")
        .defer("raw", "parsed")
        .filter(pk=edition_id)
        .first()
    )


def edition_exists(*, edition_id: int) -> bool:
    return Edition.objects.filter(pk=edition_id).exists()


def edition_ids(*, report: str) -> set[int]:
    return set(Edition.objects.filter(report__slug=report).values_list("id", flat=True))


def edition_label(edition: Edition) -> str:
    """An edition as editors know it: its report and its date (the fetch date when the report
    gave none), never the table's global number."""
    when = edition.edition_date or edition.fetched_at.date()
    return f"{edition.report.slug} {when.isoformat()}"


def edition_labels(*, edition_ids: Any = None) -> dict[int, str]:
    """Edition id -> "report date"; two editions of one report on one date get #1, #2."""
    qs = (
        Edition.objects.select_related("report")
        .defer("raw", "text", "parsed")
        .order_by("report__slug", "fetched_at", "id")
    )
    if edition_ids is not None:
        reports = Edition.objects.filter(id__in=list(edition_ids)).values_list("report_id")
        qs = qs.filter(report_id__in=reports)
    editions = list(qs)
    labels = {e.id: edition_label(e) for e in editions}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    for e in editions:
        label = labels[e.id]
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            labels[e.id] = f"{label} #{seen[label]}"
    return labels


def entry_line() -> Subquery:
    """The line of the incident's entry in the edition, for a queryset with `edition_id` and
    `incident_id` columns (the review queue orders by it); None when the edition dropped it."""
    line = EditionEntry.objects.filter(
        edition_id=OuterRef("edition_id"), incident_id=OuterRef("incident_id")
    ).values("line")[:1]
    return Subquery(line)


def gazetteer() -> Gazetteer:
    return parser_reference()[1]


def source_list(*, report: str | None = None) -> QuerySet[Source]:
    qs = Source.objects.select_related("report", "schedule__interval")
    return filtered(SourceFilterSet, qs, report=report)


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
