"""Events of the incident and claim streams. Dates are ISO strings; ids are UUID strings."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from incidents.schema import IncidentFields
from ledger.events import Event

INCIDENT_STREAM = "incident"
CLAIM_STREAM = "claim"


@dataclass(frozen=True, kw_only=True)
class IncidentRecorded(Event, IncidentFields):
    """A new incident, with its descriptive fields (incidents.schema) as the report gave them."""

    report: str
    edition_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class IncidentRevised(Event):
    """Some descriptive fields changed; `changes` maps field name to its new value."""

    changes: dict[str, Any]
    edition_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class IncidentDropped(Event):
    """The incident's entry is missing from an edition. Kept, never deleted."""

    edition_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class IncidentSeen(Event):
    """The incident's entry is present, unchanged, in an edition: last seen moves there, and
    the incident is a member of that edition (`edition=N`). Recorded and revised say it too."""

    edition_id: int


@dataclass(frozen=True, kw_only=True)
class IncidentRetracted(Event):
    reason: str


@dataclass(frozen=True, kw_only=True)
class IncidentMerged(Event):
    """This incident is a duplicate of `into`; it stays as a tombstone naming the survivor."""

    into: str


@dataclass(frozen=True, kw_only=True)
class IncidentAbsorbed(Event):
    """The survivor's side of a merge: `merged_id` became a tombstone naming this incident, and
    `changes` (descriptive fields, e.g. the combined sources) are what it took over. The fields
    changed are held, so a later edition of the survivor's own entry does not drop them."""

    merged_id: str
    changes: dict[str, Any]
    reason: str


@dataclass(frozen=True, kw_only=True)
class IncidentKept(Event):
    """An editor keeps an incident its report dropped: it is active again in the curated ledger."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class FieldCorrected(Event):
    """An editor set a review field (see incidents.schema.REVIEW_FIELDS) by hand.

    `changes` maps descriptive incident fields to their corrected values; for a casualty field
    it is empty and the figure travels as an editor's preferred claim in the same append.
    """

    field: str
    changes: dict[str, Any]
    reason: str


@dataclass(frozen=True, kw_only=True)
class FieldLocked(Event):
    """Ingestion may no longer change this field; it only flags what the editions say."""

    field: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class FieldUnlocked(Event):
    """The field follows the latest edition again."""

    field: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ClaimAsserted(Event):
    """A claimant asserts a property of an incident: a toll, or responsibility."""

    incident_id: str
    property: str  # killed | wounded | kidnapped | attackers_killed | responsibility
    claimant: str  # "report" for the report's own voice, else who says it
    claimant_actor_id: str | None = None
    value_min: int | None = None
    value_max: int | None = None
    qualifier: str | None = None  # exact | at_least | more_than | up_to | about | range ...
    phrase: str = ""
    edition_id: int | None = None
    # Set on a copy made when the incident it was first asserted about (this id) was merged into
    # this one: the claim still says what it said, and no edition of this incident's own entry
    # revises or deprecates it.
    merged_from: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClaimRanked(Event):
    incident_id: str
    rank: str  # preferred | normal | deprecated
    reason: str


INCIDENT_EVENTS = (
    IncidentRecorded,
    IncidentRevised,
    IncidentDropped,
    IncidentSeen,
    IncidentRetracted,
    IncidentMerged,
    IncidentAbsorbed,
    IncidentKept,
    FieldCorrected,
    FieldLocked,
    FieldUnlocked,
)
CLAIM_EVENTS = (ClaimAsserted, ClaimRanked)


FLAG_STREAM = "flag"


@dataclass(frozen=True, kw_only=True)
class ReviewFlagRaised(Event):
    """A change that awaits an editor's decision (see the review policy in DESIGN.md).

    `before` / `after` are the field's values, `before_text` / `after_text` the report text they
    were read from; `detail` carries what the kind needs (candidates of an ambiguous match, ...).
    """

    kind: str
    report: str
    incident_id: str | None = None
    field: str | None = None
    before: Any = None
    after: Any = None
    before_text: str | None = None
    after_text: str | None = None
    edition_id: int | None = None
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ChangeAccepted(Event):
    """An editor accepted the flagged change. `incident_id` and `field` repeat the flag's, so
    the incident's fold can remember who holds which field without reading the queue."""

    incident_id: str | None = None
    field: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ChangeRejected(Event):
    """An editor rejected the flagged change; `value` is the source value now refused, so a
    later edition saying the same is not flagged again (review policy, rule 3)."""

    incident_id: str | None = None
    field: str | None = None
    value: Any = None
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangeCorrected(Event):
    """An editor replaced the flagged change by their own value."""

    incident_id: str | None = None
    field: str | None = None
    value: Any = None
    reason: str


@dataclass(frozen=True, kw_only=True)
class DuplicatesMerged(Event):
    """An editor decided a possible-duplicate flag: the pair `incidents` is one incident, and
    `merged_id` was merged into `survivor_id` in the same append. The pair is settled for good:
    no later edition flags it again."""

    incident_id: str | None = None
    field: str | None = None
    incidents: list[str]
    survivor_id: str
    merged_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class DuplicatesDistinguished(Event):
    """An editor decided a possible-duplicate flag: the pair `incidents` are two incidents
    ("not the same"). The pair is settled for good: no later edition flags it again."""

    incident_id: str | None = None
    field: str | None = None
    incidents: list[str]
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReviewFlagClosed(Event):
    """The flag's question went away without a decision on it: its incident was merged into
    another. `superseded_by` names the flag that carries the question on, if one does (a
    possible duplicate of the merged incident is asked again of the survivor)."""

    incident_id: str | None = None
    field: str | None = None
    reason: str
    superseded_by: str | None = None


FLAG_EVENTS = (
    ReviewFlagRaised,
    ChangeAccepted,
    ChangeRejected,
    ChangeCorrected,
    DuplicatesMerged,
    DuplicatesDistinguished,
    ReviewFlagClosed,
)
# Events that end a flag: an editor's decision, or its closing by a merge.
FLAG_DECISIONS = (
    ChangeAccepted,
    ChangeRejected,
    ChangeCorrected,
    DuplicatesMerged,
    DuplicatesDistinguished,
    ReviewFlagClosed,
)
