"""Reads of incidents, including time travel over the revision table."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Q, QuerySet

from incidents.models import Incident, IncidentRevision
from incidents.projection import current_state
from incidents.state import IncidentState
from ledger import store


def incident_get(*, incident_id: uuid.UUID) -> IncidentState | None:
    return current_state(incident_id)


def incident_list(*, include_dropped: bool = False) -> QuerySet[Incident]:
    qs = Incident.objects.exclude(status__in=["retracted", "merged"])
    return qs if include_dropped else qs.exclude(status="dropped")


def _valid_at(position: int) -> Q:
    return Q(valid_from__lte=position) & (Q(valid_to__isnull=True) | Q(valid_to__gt=position))


def incident_state_as_of(*, incident_id: uuid.UUID, position: int) -> IncidentState | None:
    """The incident exactly as it stood right after log position `position`."""
    revision = IncidentRevision.objects.filter(_valid_at(position), incident_id=incident_id).first()
    return IncidentState.from_json(revision.state) if revision else None


def incident_states_as_of(*, position: int) -> list[IncidentState]:
    """Every incident as it stood right after `position`, in one indexed query."""
    revisions = IncidentRevision.objects.filter(_valid_at(position)).order_by("incident_id")
    return [IncidentState.from_json(r.state) for r in revisions]


def position_as_of(*, moment: datetime) -> int:
    return store.position_at(moment)
