"""Reads of the review queue: flags by filter, one flag with its context, and the dashboard's
counts (open flags by kind and report; incidents and fatalities per month and by actor)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from incidents.models import Incident, IncidentPerpetrator
from incidents.review_models import ReviewFlag
from incidents.selectors import incident_history
from incidents.state import Status
from ledger import store
from ledger.store import RecordedEvent


@dataclass(frozen=True, kw_only=True)
class FlagFilters:
    incident: uuid.UUID | None = None
    status: str | None = None
    kind: str | None = None
    edition: int | None = None
    field: str | None = None
    report: str | None = None
    raised_before: datetime | None = None


def flag_list(*, filters: FlagFilters) -> QuerySet[ReviewFlag]:
    f = filters
    qs = ReviewFlag.objects.all()
    if f.incident is not None:
        qs = qs.filter(incident_id=f.incident)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.edition is not None:
        qs = qs.filter(edition_id=f.edition)
    if f.field:
        qs = qs.filter(field=f.field)
    if f.report:
        qs = qs.filter(report=f.report)
    if f.raised_before is not None:
        qs = qs.filter(raised_at__lt=f.raised_before)
    return qs


def flag_get(*, flag_id: uuid.UUID) -> ReviewFlag | None:
    return ReviewFlag.objects.filter(id=flag_id).first()


def flag_neighbours(*, flag: ReviewFlag) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The open flags before and after this one in queue order (raised_at, id): j / k."""
    queue = ReviewFlag.objects.filter(status=ReviewFlag.Status.OPEN)
    earlier = (
        queue.filter(raised_at__lte=flag.raised_at)
        .exclude(id=flag.id)
        .exclude(raised_at=flag.raised_at, id__gt=flag.id)
        .order_by("-raised_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    later = (
        queue.filter(raised_at__gte=flag.raised_at)
        .exclude(id=flag.id)
        .exclude(raised_at=flag.raised_at, id__lt=flag.id)
        .order_by("raised_at", "id")
        .values_list("id", flat=True)
        .first()
    )
    return earlier, later


def incident_timeline(*, incident_id: uuid.UUID) -> list[RecordedEvent] | None:
    """Every event about an incident: its own, its claims', and its flags' (raised and
    decided), in log order. None when there is no such incident."""
    events = incident_history(incident_id=incident_id)
    if events is None:
        return None
    flag_ids = ReviewFlag.objects.filter(incident_id=incident_id).values_list("id", flat=True)
    events += [e for flag_id in flag_ids for e in store.read_stream(flag_id)]
    return sorted(events, key=lambda e: e.position)


# --- dashboard ------------------------------------------------------------------------------


def open_flags_by(*, column: str) -> list[tuple[str, int]]:
    """Open flags counted by `kind` or `report`, largest first."""
    rows = (
        ReviewFlag.objects.filter(status=ReviewFlag.Status.OPEN)
        .values_list(column)
        .annotate(n=Count("id"))
        .order_by("-n", column)
    )
    return [(str(key), n) for key, n in rows]


def incidents_per_month(*, months: int = 24) -> list[dict[str, Any]]:
    """Incidents and fatalities (best estimate) per month, the latest `months` months that
    have any, oldest first; undated incidents are left out."""
    rows = (
        Incident.objects.filter(status=Status.ACTIVE, date_start__isnull=False)
        .annotate(month=TruncMonth("date_start"))
        .values("month")
        .annotate(incidents=Count("id"), killed=Sum("killed_best"))
        .order_by("-month")[:months]
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "incidents": r["incidents"],
            "killed": r["killed"] or 0,
        }
        for r in reversed(list(rows))
    ]


def incidents_by_actor(*, limit: int = 12) -> list[dict[str, Any]]:
    """The perpetrators most incidents are attributed to, with their fatalities."""
    rows = (
        IncidentPerpetrator.objects.filter(incident__status=Status.ACTIVE)
        .values("name_key")
        .annotate(
            incidents=Count("incident_id", distinct=True), killed=Sum("incident__killed_best")
        )
        .order_by("-incidents", "name_key")[:limit]
    )
    names = dict(
        IncidentPerpetrator.objects.filter(name_key__in=[r["name_key"] for r in rows])
        .values_list("name_key", "name")
        .distinct()
    )
    return [
        {
            "actor": names.get(r["name_key"], r["name_key"]),
            "incidents": r["incidents"],
            "killed": r["killed"] or 0,
        }
        for r in rows
    ]
