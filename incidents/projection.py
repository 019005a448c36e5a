"""Projects incident and claim events into Incident, Claim, IncidentPerpetrator and
IncidentRevision.

Live, one event at a time: the current revision's state is loaded, folded with the event
(incidents.state.apply), and the rows rewritten. Replay keeps every state in memory and writes
all rows with bulk inserts at the end, which is what makes replay fast.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from incidents.events import CLAIM_EVENTS, INCIDENT_EVENTS
from incidents.models import Claim, Incident, IncidentPerpetrator, IncidentRevision
from incidents.state import CASUALTY_PROPERTIES, IncidentState, apply
from ledger.projection import Projection
from ledger.store import RecordedEvent

BATCH = 2000


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def incident_row(state: IncidentState) -> Incident:
    figures: dict[str, Any] = {}
    for prop in CASUALTY_PROPERTIES:
        estimate = state.estimate(prop)
        figures |= {
            f"{prop}_low": estimate.low,
            f"{prop}_best": estimate.best,
            f"{prop}_high": estimate.high,
        }
    return Incident(
        id=uuid.UUID(state.id),
        report=state.report,
        status=state.status,
        merged_into=uuid.UUID(state.merged_into) if state.merged_into else None,
        date_start=_date(state.date_start),
        date_end=_date(state.date_end),
        date_precision=state.date_precision,
        country=state.country,
        places=state.places,
        event_type=state.event_type,
        perpetrators=state.perpetrators,
        targets=state.targets,
        sources=state.sources,
        text=state.text,
        first_edition_id=state.first_edition_id,
        last_edition_id=state.last_edition_id,
        stream_version=state.stream_version,
        last_position=state.last_position,
        recorded_at=datetime.fromisoformat(state.recorded_at),
        updated_at=datetime.fromisoformat(state.updated_at),
        **figures,
    )


def claim_rows(state: IncidentState) -> list[Claim]:
    return [
        Claim(
            id=uuid.UUID(claim["id"]),
            incident_id=uuid.UUID(state.id),
            property=claim["property"],
            claimant=claim["claimant"],
            claimant_actor_id=claim.get("claimant_actor_id"),
            value_min=claim.get("value_min"),
            value_max=claim.get("value_max"),
            qualifier=claim.get("qualifier"),
            phrase=claim.get("phrase", ""),
            rank=claim["rank"],
            rank_reason=claim.get("rank_reason", ""),
            edition_id=claim.get("edition_id"),
        )
        for claim in state.claims.values()
    ]


def perpetrator_rows(state: IncidentState) -> list[IncidentPerpetrator]:
    return [
        IncidentPerpetrator(
            incident_id=uuid.UUID(state.id),
            actor_id=p.get("actor_id"),
            name=p.get("name", ""),
            status=p.get("status", "unknown"),
        )
        for p in state.perpetrators
    ]


def _incident_key(recorded: RecordedEvent) -> str:
    incident_id = getattr(recorded.event, "incident_id", None)
    return incident_id or str(recorded.stream_id)


def _fold(state: IncidentState | None, recorded: RecordedEvent) -> IncidentState:
    return apply(
        state,
        recorded.event,
        stream_id=str(recorded.stream_id),
        stream_type=recorded.stream_type,
        version=recorded.version,
        position=recorded.position,
        recorded_at=recorded.recorded_at,
    )


def current_state(incident_id: str | uuid.UUID) -> IncidentState | None:
    revision = IncidentRevision.objects.filter(
        incident_id=incident_id, valid_to__isnull=True
    ).first()
    return IncidentState.from_json(revision.state) if revision else None


class IncidentProjection(Projection):
    name = "incidents"
    models = (Incident, Claim, IncidentPerpetrator, IncidentRevision)
    handles = frozenset((*INCIDENT_EVENTS, *CLAIM_EVENTS))

    def apply_live(self, recorded: RecordedEvent) -> None:
        key = _incident_key(recorded)
        state = _fold(current_state(key), recorded)
        incident_row(state).save()
        Claim.objects.filter(incident_id=key).delete()
        Claim.objects.bulk_create(claim_rows(state))
        IncidentPerpetrator.objects.filter(incident_id=key).delete()
        IncidentPerpetrator.objects.bulk_create(perpetrator_rows(state))
        IncidentRevision.objects.filter(incident_id=key, valid_to__isnull=True).update(
            valid_to=recorded.position
        )
        IncidentRevision.objects.create(
            incident_id=key, valid_from=recorded.position, state=state.to_json()
        )

    def replay_start(self) -> None:
        self._states: dict[str, IncidentState] = {}
        self._revisions: list[IncidentRevision] = []
        self._open: dict[str, IncidentRevision] = {}

    def replay_event(self, recorded: RecordedEvent) -> None:
        key = _incident_key(recorded)
        state = _fold(self._states.get(key), recorded)
        self._states[key] = state
        previous = self._open.get(key)
        if previous is not None:
            previous.valid_to = recorded.position
        revision = IncidentRevision(
            incident_id=key, valid_from=recorded.position, state=state.to_json()
        )
        self._revisions.append(revision)
        self._open[key] = revision

    def replay_finish(self) -> None:
        states = list(self._states.values())
        Incident.objects.bulk_create([incident_row(s) for s in states], batch_size=BATCH)
        Claim.objects.bulk_create([c for s in states for c in claim_rows(s)], batch_size=BATCH)
        IncidentPerpetrator.objects.bulk_create(
            [p for s in states for p in perpetrator_rows(s)], batch_size=BATCH
        )
        IncidentRevision.objects.bulk_create(self._revisions, batch_size=BATCH)
        self.replay_start()
