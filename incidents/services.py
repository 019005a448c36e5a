"""Use cases that change incidents and claims: each decides, then appends events.

Every write to incidents goes through these functions; the admin, the API, tasks and commands
only parse input and call one of them. A ConcurrencyConflict means the incident moved on while
we decided: callers reload and retry (see ledger.retry.on_conflict).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from common.errors import Refused
from incidents.events import (
    CLAIM_STREAM,
    INCIDENT_STREAM,
    ClaimAsserted,
    ClaimRanked,
    IncidentDropped,
    IncidentMerged,
    IncidentRecorded,
    IncidentRetracted,
    IncidentRevised,
    IncidentSeen,
)
from incidents.projection import current_state
from incidents.schema import DESCRIPTIVE_FIELDS
from incidents.schema import IncidentFields as IncidentFields  # the services' input
from incidents.state import CLAIM_PROPERTIES, RANKS, IncidentState, Status
from ledger import store
from ledger.store import AppendResult, Cause


class IncidentCommandError(Refused):
    """A command that the incident's rules refuse; the message says why."""


def _load(incident_id: uuid.UUID) -> IncidentState:
    state = current_state(incident_id)
    if state is None:
        raise IncidentCommandError(f"No incident {incident_id}.")
    return state


def incident_part(
    state: IncidentState, events: list[Any], *, idempotency_key: str | None = None
) -> store.Append:
    """The append of `events` to the incident's stream, expecting the version `state` was
    folded at (nothing is written; a concurrent write makes the batch fail, not interleave)."""
    return store.Append(
        stream_type=INCIDENT_STREAM,
        stream_id=uuid.UUID(state.id),
        expected_version=state.stream_version,
        events=events,
        idempotency_key=idempotency_key,
    )


def _append(state: IncidentState, event: Any, cause: Cause, key: str | None) -> AppendResult:
    return store.append_batch([incident_part(state, [event], idempotency_key=key)], cause=cause)[0]


@dataclass(frozen=True, kw_only=True)
class ClaimDraft:
    """A claim to assert together with a new incident."""

    property: str
    claimant: str
    value_min: int | None = None
    value_max: int | None = None
    qualifier: str | None = None
    phrase: str = ""
    claimant_actor_id: str | None = None


def _check_claim(property: str, value_min: int | None, value_max: int | None) -> None:
    if property not in CLAIM_PROPERTIES:
        raise IncidentCommandError(
            f"Claims are about {', '.join(CLAIM_PROPERTIES)}, not {property!r}."
        )
    for value in (value_min, value_max):
        if value is not None and value < 0:
            raise IncidentCommandError("A claimed figure cannot be negative.")
    if value_min is not None and value_max is not None and value_min > value_max:
        raise IncidentCommandError(f"value_min {value_min} is above value_max {value_max}.")


def incident_record_parts(
    *,
    report: str,
    fields: IncidentFields,
    edition_id: int | None = None,
    claims: Sequence[ClaimDraft] = (),
    incident_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> tuple[uuid.UUID, list[store.Append]]:
    """Decide the appends that record a new incident with its first claims (nothing is written).

    Callers recording many incidents at once (ingestion) gather the parts into one batch.
    """
    incident_id = incident_id or uuid.uuid4()
    parts = [
        store.Append(
            stream_type=INCIDENT_STREAM,
            stream_id=incident_id,
            expected_version=0,
            events=[IncidentRecorded(report=report, edition_id=edition_id, **fields.values())],
            idempotency_key=idempotency_key,
        )
    ]
    for n, claim in enumerate(claims):
        parts.append(
            claim_assert_part(
                incident_id=incident_id,
                draft=claim,
                edition_id=edition_id,
                idempotency_key=f"{idempotency_key}/claim/{n}" if idempotency_key else None,
            )
        )
    return incident_id, parts


def incident_record(
    *,
    report: str,
    fields: IncidentFields,
    cause: Cause,
    edition_id: int | None = None,
    claims: Sequence[ClaimDraft] = (),
    incident_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> uuid.UUID:
    """Record a new incident (and its first claims); returns its id, the stored one when the
    key was used before."""
    _, parts = incident_record_parts(
        report=report,
        fields=fields,
        edition_id=edition_id,
        claims=claims,
        incident_id=incident_id,
        idempotency_key=idempotency_key,
    )
    return store.append_batch(parts, cause=cause)[0].events[0].stream_id


def incident_revise(
    *,
    incident_id: uuid.UUID,
    changes: dict[str, Any],
    cause: Cause,
    edition_id: int | None = None,
    idempotency_key: str | None = None,
) -> AppendResult | None:
    """Change descriptive fields; returns None when nothing actually differs."""
    part = incident_revise_part(
        state=_load(incident_id),
        changes=changes,
        edition_id=edition_id,
        idempotency_key=idempotency_key,
    )
    return store.append_batch([part], cause=cause)[0] if part else None


def incident_revise_part(
    *,
    state: IncidentState,
    changes: dict[str, Any],
    edition_id: int | None = None,
    idempotency_key: str | None = None,
) -> store.Append | None:
    """The append that changes descriptive fields (nothing is written; ingestion batches it).
    None when nothing actually differs."""
    unknown = set(changes) - set(DESCRIPTIVE_FIELDS)
    if unknown:
        raise IncidentCommandError(f"Not incident fields: {', '.join(sorted(unknown))}.")
    if state.status in (Status.RETRACTED, Status.MERGED):
        raise IncidentCommandError(f"Incident {state.id} is {state.status}; it cannot be revised.")
    real = {k: v for k, v in changes.items() if getattr(state, k) != v}
    if not real:
        return None
    return incident_part(
        state,
        [IncidentRevised(changes=real, edition_id=edition_id)],
        idempotency_key=idempotency_key,
    )


def incident_seen_part(
    *, state: IncidentState, edition_id: int, idempotency_key: str | None = None
) -> store.Append | None:
    """The append saying an edition lists the incident unchanged (nothing is written; the
    pipeline batches it). None when the state already says it was last seen there."""
    if state.last_edition_id == edition_id:
        return None
    return incident_part(
        state, [IncidentSeen(edition_id=edition_id)], idempotency_key=idempotency_key
    )


def incident_drop(
    *,
    incident_id: uuid.UUID,
    cause: Cause,
    edition_id: int | None = None,
    idempotency_key: str | None = None,
) -> AppendResult | None:
    """Mark an incident missing from an edition; it is kept, never deleted. No-op if not active."""
    part = incident_drop_part(
        state=_load(incident_id), edition_id=edition_id, idempotency_key=idempotency_key
    )
    return store.append_batch([part], cause=cause)[0] if part else None


def incident_drop_part(
    *, state: IncidentState, edition_id: int | None = None, idempotency_key: str | None = None
) -> store.Append | None:
    """The append that marks an incident missing from an edition (nothing is written); None
    when it is not active."""
    if state.status != Status.ACTIVE:
        return None
    return incident_part(
        state, [IncidentDropped(edition_id=edition_id)], idempotency_key=idempotency_key
    )


def incident_retract(*, incident_id: uuid.UUID, reason: str, cause: Cause) -> AppendResult:
    if not reason.strip():
        raise IncidentCommandError("Retracting an incident needs a reason.")
    state = _load(incident_id)
    if state.status in (Status.RETRACTED, Status.MERGED):
        raise IncidentCommandError(f"Incident {incident_id} is already {state.status}.")
    return _append(state, IncidentRetracted(reason=reason), cause, None)


def incident_merge(*, loser_id: uuid.UUID, survivor_id: uuid.UUID, cause: Cause) -> AppendResult:
    """Make `loser_id` a tombstone naming `survivor_id`."""
    if loser_id == survivor_id:
        raise IncidentCommandError("An incident cannot be merged into itself.")
    loser, survivor = _load(loser_id), _load(survivor_id)
    for state in (loser, survivor):
        if state.status in (Status.RETRACTED, Status.MERGED):
            raise IncidentCommandError(
                f"Incident {state.id} is {state.status}; it cannot take part in a merge."
            )
    return _append(loser, IncidentMerged(into=survivor.id), cause, None)


def claim_assert(
    *,
    incident_id: uuid.UUID,
    property: str,
    claimant: str,
    cause: Cause,
    value_min: int | None = None,
    value_max: int | None = None,
    qualifier: str | None = None,
    phrase: str = "",
    claimant_actor_id: uuid.UUID | None = None,
    edition_id: int | None = None,
    claim_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> uuid.UUID:
    state = _load(incident_id)
    part = claim_assert_part(
        incident_id=uuid.UUID(state.id),
        draft=ClaimDraft(
            property=property,
            claimant=claimant,
            value_min=value_min,
            value_max=value_max,
            qualifier=qualifier,
            phrase=phrase,
            claimant_actor_id=str(claimant_actor_id) if claimant_actor_id else None,
        ),
        edition_id=edition_id,
        claim_id=claim_id,
        idempotency_key=idempotency_key,
    )
    return store.append_batch([part], cause=cause)[0].events[0].stream_id


def claim_assert_part(
    *,
    incident_id: uuid.UUID,
    draft: ClaimDraft,
    edition_id: int | None = None,
    claim_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> store.Append:
    """The append that asserts one claim about an incident (nothing is written)."""
    _check_claim(draft.property, draft.value_min, draft.value_max)
    return store.Append(
        stream_type=CLAIM_STREAM,
        stream_id=claim_id or uuid.uuid4(),
        expected_version=0,
        events=[ClaimAsserted(incident_id=str(incident_id), edition_id=edition_id, **vars(draft))],
        idempotency_key=idempotency_key,
    )


def claim_rank(*, claim_id: uuid.UUID, rank: str, reason: str, cause: Cause) -> AppendResult:
    """Rank a claim preferred / normal / deprecated; a preferred claim decides the best figure."""
    return store.append_batch(
        [claim_rank_part(claim_id=claim_id, rank=rank, reason=reason)], cause=cause
    )[0]


def claim_rank_part(*, claim_id: uuid.UUID, rank: str, reason: str) -> store.Append:
    """The append that ranks one claim (nothing is written)."""
    if rank not in RANKS:
        raise IncidentCommandError(f"Rank must be one of {', '.join(RANKS)}.")
    if rank != "normal" and not reason.strip():
        raise IncidentCommandError(f"Ranking a claim {rank} needs a reason.")
    events = store.read_stream(claim_id)
    if not events:
        raise IncidentCommandError(f"No claim {claim_id}.")
    incident_id = events[0].event.incident_id  # type: ignore[attr-defined]
    return store.Append(
        stream_type=CLAIM_STREAM,
        stream_id=claim_id,
        expected_version=events[-1].version,
        events=[ClaimRanked(incident_id=incident_id, rank=rank, reason=reason)],
    )


def incidents_reattribute(
    *, from_actor_id: uuid.UUID, to_actor_id: uuid.UUID, to_name: str, cause: Cause
) -> int:
    """Attribute to `to_actor_id` what was attributed to `from_actor_id` (after an actor merge):
    one IncidentRevised per incident, so each incident's history shows it. Retracted and merged
    incidents are left as they were. Returns how many incidents changed."""
    from incidents.models import IncidentPerpetrator  # the rows that index perpetrators by actor

    ids = set(
        IncidentPerpetrator.objects.filter(actor_id=from_actor_id).values_list(
            "incident_id", flat=True
        )
    )
    parts = []
    for incident_id in sorted(ids):
        state = current_state(incident_id)
        if state is None or state.status in (Status.RETRACTED, Status.MERGED):
            continue
        perpetrators = [
            {**p, "actor_id": str(to_actor_id), "actor": to_name}
            if str(p.get("actor_id")) == str(from_actor_id)
            else p
            for p in state.perpetrators
        ]
        parts.append(
            incident_part(state, [IncidentRevised(changes={"perpetrators": perpetrators})])
        )
    if parts:
        store.append_batch(parts, cause=cause)
    return len(parts)
