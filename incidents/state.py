"""An incident's state as a pure fold over its events, and the rule that turns claims into figures.

No Django here: the projection, the services' decisions and time travel all use this one fold,
so a state read back from a revision row is exactly the state the events produce.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from incidents.events import (
    ChangeAccepted,
    ChangeCorrected,
    ChangeRejected,
    ClaimAsserted,
    ClaimRanked,
    DuplicatesDistinguished,
    DuplicatesMerged,
    FieldCorrected,
    FieldLocked,
    FieldUnlocked,
    IncidentAbsorbed,
    IncidentDropped,
    IncidentKept,
    IncidentMerged,
    IncidentRecorded,
    IncidentRetracted,
    IncidentRevised,
    IncidentSeen,
    ReviewFlagClosed,
    ReviewFlagRaised,
)

# Declared in the schema; the fold's readers have long found these names here too.
from incidents.schema import CASUALTY_PROPERTIES as CASUALTY_PROPERTIES
from incidents.schema import DESCRIPTIVE_FIELDS as DESCRIPTIVE_FIELDS
from incidents.schema import REVIEW_FIELDS as REVIEW_FIELDS
from incidents.schema import IncidentFields
from ledger.events import Event

MERGED_CLAIMS = "merged"


def claim_field(claim: dict[str, Any]) -> str:
    """The review field a claim belongs to: the report's own figure is its property's field;
    what anyone else claims is the "claims" field. A claim copied from a merged incident belongs
    to no review field ("merged"): editions of the survivor's own entry neither revise nor
    deprecate it."""
    if claim.get("merged_from"):
        return MERGED_CLAIMS
    if claim.get("claimant") == "report" and claim.get("property") in CASUALTY_PROPERTIES:
        return str(claim["property"])
    return "claims"


class ReviewState:
    UNREVIEWED = "unreviewed"  # no editor has looked at it
    PENDING = "pending"  # changes await a decision
    REVIEWED = "reviewed"  # an editor decided everything flagged so far


CLAIM_PROPERTIES = (*CASUALTY_PROPERTIES, "responsibility", "other")
RANKS = ("preferred", "normal", "deprecated")


class Status:
    ACTIVE = "active"
    DROPPED = "dropped"
    RETRACTED = "retracted"
    MERGED = "merged"


@dataclass(frozen=True)
class Estimate:
    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass(frozen=True, kw_only=True)
class IncidentState(IncidentFields):
    """An incident as its events left it: the descriptive fields (incidents.schema), its
    status, claims and editorial state."""

    id: str
    report: str
    stream_version: int = 0  # version of the incident stream (claims have streams of their own)
    status: str = Status.ACTIVE
    merged_into: str | None = None
    first_edition_id: int | None = None
    last_edition_id: int | None = None
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    recorded_at: str = ""
    updated_at: str = ""
    last_position: int = 0
    # Editorial state (review policy, DESIGN.md): fields an editor accepted, rejected or
    # corrected (field -> how), fields locked, source values rejected per field, open flags.
    held_fields: dict[str, str] = field(default_factory=dict)
    locked_fields: list[str] = field(default_factory=list)
    rejected_values: dict[str, list[Any]] = field(default_factory=dict)
    open_flags: list[str] = field(default_factory=list)
    reviewed: bool = False

    @property
    def review_state(self) -> str:
        if self.open_flags:
            return ReviewState.PENDING
        return ReviewState.REVIEWED if self.reviewed else ReviewState.UNREVIEWED

    def is_held(self, name: str) -> bool:
        """True when ingestion may not change `name`: only a flag an editor accepts may."""
        return name in self.held_fields or name in self.locked_fields

    def to_json(self) -> dict[str, Any]:
        # Shallow on purpose: states are never mutated (apply builds new ones), so nested lists
        # can be shared, and replay serialises one state per event.
        # The instance's dict holds exactly its fields (it is a plain frozen dataclass, and
        # _evolve copies it), in their order; anything else cached there would be left out.
        data = self.__dict__.copy()
        if len(data) != len(_STATE_FIELDS):
            data = {name: getattr(self, name) for name in _STATE_FIELDS}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IncidentState:
        return cls(**data)

    def estimate(self, prop: str) -> Estimate:
        return estimate_from_claims([c for c in self.claims.values() if c["property"] == prop])


_STATE_FIELDS = tuple(f.name for f in dataclasses.fields(IncidentState))
_STATE_FIELD_SET = frozenset(_STATE_FIELDS)


def claim_best(claim: dict[str, Any]) -> int | None:
    """The single figure a claim stands for: its floor for "at least" / "more than" and exact
    figures, its ceiling for "up to", the midpoint of a range."""
    lo, hi, qualifier = claim.get("value_min"), claim.get("value_max"), claim.get("qualifier")
    if lo is None:
        return hi
    if hi is None or hi == lo:
        return lo
    if qualifier == "up_to":
        return hi
    return (lo + hi) // 2


def estimate_from_claims(claims: list[dict[str, Any]]) -> Estimate:
    """Low / best / high of one property, by the documented rule (ARCHITECTURE.md):

    deprecated claims are ignored; low is the smallest floor and high the largest ceiling among
    the rest; best is the preferred claim's figure if an editor preferred one, else the report's
    own figure, else the lowest claimed figure (the conservative choice UCDP makes). Among several
    preferred or own claims, the latest by log position decides. The report's figure for a
    merged-in duplicate is not the incident's own: it widens low / high, never decides best.

    Open bounds stay open: a claim of "at least N" / "more than N" has no ceiling, so high is
    None (unknown), not N; "up to N" has no floor, so low is None. Best is still N.
    """
    usable = [c for c in claims if c.get("rank") != "deprecated" and claim_best(c) is not None]
    if not usable:
        return Estimate()
    floors = [c.get("value_min") for c in usable]
    ceilings = [c.get("value_max") for c in usable]
    preferred = [c for c in usable if c.get("rank") == "preferred"]
    own = [c for c in usable if c.get("claimant") == "report" and not c.get("merged_from")]
    chosen = preferred or own
    # The latest by log position: claims travel through jsonb, which does not keep key order.
    latest = max(chosen, key=lambda c: c.get("position", 0)) if chosen else None
    best = claim_best(latest) if latest else min(claim_best(c) or 0 for c in usable)
    low = None if None in floors else min(v for v in floors if v is not None)
    high = None if None in ceilings else max(v for v in ceilings if v is not None)
    return Estimate(low=low, best=best, high=high)


def apply(
    state: IncidentState | None,
    event: Event,
    *,
    stream_id: str,
    version: int,
    position: int,
    recorded_at: datetime,
    stream_type: str,
) -> IncidentState:
    """The state after `event`. Pure: returns a new state, never mutates the old one."""
    at = _isoformat(recorded_at, recorded_at.utcoffset())
    if isinstance(event, IncidentRecorded):
        base = IncidentState(
            id=stream_id,
            report=event.report,
            first_edition_id=event.edition_id,
            last_edition_id=event.edition_id,
            recorded_at=at,
            **event.values(),
        )
        return _evolve(
            base, {"stream_version": version, "updated_at": at, "last_position": position}
        )
    if state is None:
        raise ValueError(f"{type(event).__name__} for an incident that was never recorded.")
    changes: dict[str, Any] = {"updated_at": at, "last_position": position}
    if stream_type == "incident":
        changes["stream_version"] = version
    if isinstance(event, IncidentRevised):
        changes.update({k: v for k, v in event.changes.items() if k in DESCRIPTIVE_FIELDS})
        if event.edition_id is not None:
            changes["last_edition_id"] = event.edition_id
    elif isinstance(event, IncidentDropped):
        changes["status"] = Status.DROPPED
    elif isinstance(event, IncidentSeen):
        changes["last_edition_id"] = event.edition_id
    elif isinstance(event, IncidentRetracted):
        changes.update(status=Status.RETRACTED, reviewed=True)
    elif isinstance(event, IncidentMerged):
        changes.update(status=Status.MERGED, merged_into=event.into, reviewed=True)
    elif isinstance(event, IncidentAbsorbed):
        changes.update({k: v for k, v in event.changes.items() if k in DESCRIPTIVE_FIELDS})
        held = {
            name: "merged"
            for name, fields in REVIEW_FIELDS.items()
            if set(fields) & set(event.changes)
        }
        changes.update(held_fields={**state.held_fields, **held}, reviewed=True)
    elif isinstance(event, IncidentKept):
        changes.update(status=Status.ACTIVE, reviewed=True)
    elif isinstance(event, FieldCorrected):
        changes.update({k: v for k, v in event.changes.items() if k in DESCRIPTIVE_FIELDS})
        changes.update(held_fields={**state.held_fields, event.field: "corrected"}, reviewed=True)
    elif isinstance(event, FieldLocked):
        locked = sorted({*state.locked_fields, event.field})
        changes.update(locked_fields=locked, reviewed=True)
    elif isinstance(event, FieldUnlocked):
        changes.update(
            locked_fields=[f for f in state.locked_fields if f != event.field],
            held_fields={k: v for k, v in state.held_fields.items() if k != event.field},
        )
    elif isinstance(event, ReviewFlagRaised):
        changes["open_flags"] = [*state.open_flags, stream_id]
    elif isinstance(event, ChangeAccepted | ChangeRejected | ChangeCorrected):
        changes.update(open_flags=[f for f in state.open_flags if f != stream_id], reviewed=True)
        if event.field:
            how = {ChangeAccepted: "accepted", ChangeRejected: "rejected"}.get(
                type(event), "corrected"
            )
            changes["held_fields"] = {**state.held_fields, event.field: how}
        if isinstance(event, ChangeRejected) and event.field:
            refused = state.rejected_values.get(event.field, [])
            if event.value not in refused:
                refused = [*refused, event.value]
            changes["rejected_values"] = {**state.rejected_values, event.field: refused}
    elif isinstance(event, DuplicatesMerged | DuplicatesDistinguished | ReviewFlagClosed):
        changes["open_flags"] = [f for f in state.open_flags if f != stream_id]
        if not isinstance(event, ReviewFlagClosed):
            changes["reviewed"] = True
    elif isinstance(event, ClaimAsserted):
        # Its fields are plain values: the instance's own dict is what to_data would copy deeply.
        claim = {k: v for k, v in vars(event).items() if k != "incident_id"}
        if claim.get("merged_from") is None:
            # Claims asserted before copies existed fold exactly as they always did.
            claim.pop("merged_from", None)
        claim.update(id=stream_id, rank="normal", rank_reason="", asserted_at=at, position=position)
        changes["claims"] = {**state.claims, stream_id: claim}
    elif isinstance(event, ClaimRanked):
        ranked = {**state.claims[stream_id], "rank": event.rank, "rank_reason": event.reason}
        changes["claims"] = {**state.claims, stream_id: ranked}
    else:
        raise ValueError(f"The incident fold does not know {type(event).__name__}.")
    return _evolve(state, changes)


@lru_cache(maxsize=1 << 10)
def _isoformat(moment: datetime, offset: timedelta | None) -> str:
    """An append's events share one recorded_at, so replay formats few distinct moments. The
    offset is part of the key: equal moments in other zones are written differently."""
    return moment.isoformat()


def _evolve(state: IncidentState, changes: dict[str, Any]) -> IncidentState:
    """dataclasses.replace without its per-call walk over every field: replay folds one state
    per event, and that walk was a fifth of its time. The state stays frozen to its users."""
    unknown = changes.keys() - _STATE_FIELD_SET
    if unknown:
        raise TypeError(f"IncidentState has no field(s) {sorted(unknown)}")
    evolved = object.__new__(IncidentState)
    evolved.__dict__.update(state.__dict__)
    evolved.__dict__.update(changes)
    return evolved


# What a claim asserted, as the fold keeps it: ClaimAsserted's fields but the incident it is
# about and the incident it was copied from, with their defaults.
_ASSERTED = tuple(
    (f.name, f.default)
    for f in dataclasses.fields(ClaimAsserted)
    if f.name not in ("incident_id", "merged_from")
)


def claim_assertion(claim: dict[str, Any]) -> dict[str, Any]:
    """A folded claim's assertion (property, claimant, figures, phrase, edition): the claim
    row's columns and the fields a copy of the claim asserts again."""
    return {
        name: claim[name] if default is dataclasses.MISSING else claim.get(name, default)
        for name, default in _ASSERTED
    }


def claim_key(claim: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two claims the same assertion, whatever edition made them."""
    return (
        claim["property"],
        str(claim["claimant"]).casefold(),
        claim.get("value_min"),
        claim.get("value_max"),
    )
