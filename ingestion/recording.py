"""Turns a matched edition into appends: record new incidents, revise matched ones, drop the
vanished, assert claims, and raise a review flag for every change.

What a matched entry may change is the review policy's to say (incidents.review.policy.decide,
pure): the recorder gathers its inputs (the incident as the ledger holds it, the fields editors
hold, the values they rejected, the entry in both editions), turns the plan into appends, and a
vanished entry is dropped (kept, marked and flagged), never deleted. Every append of the edition
(new incidents and their claims, revisions, claims, drops, flags) is gathered and written in ONE
batch by flush(), so the edition is one append in the log.

Called by ingestion.services inside the edition's transaction; every append is decided by the
incident and review services.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incidents.projection import current_state
from incidents.review.merge import duplicate_group_open
from incidents.review.policy import Incoming, Plan, decide
from incidents.review.services import flag_part
from incidents.schema import CASUALTY_PROPERTIES, REVIEW_FIELDS, IncidentFields, full_date
from incidents.services import (
    ClaimDraft,
    IncidentCommandError,
    claim_assert_part,
    claim_rank_part,
    incident_drop_part,
    incident_record_parts,
    incident_revise_part,
    incident_seen_part,
)
from incidents.state import IncidentState, Status
from ingestion.diffing import changed_fields, comparable
from ledger.store import Append, Cause, append_batch

Entry = Mapping[str, Any]


@dataclass
class Tally:
    """What one edition did, in the ingest summary's terms."""

    changes: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    flags: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c["kind"] == kind)

    def flagged(self, kind: str) -> None:
        self.flags[kind] = self.flags.get(kind, 0) + 1


def entry_at(entry: Entry) -> str:
    """Where an incident stands in its edition: the entry's line, and ".part" for an entry's
    further events (so the idempotency keys of an entry's parts differ)."""
    part = entry.get("part") or 0
    return f"{entry['line']}.{part}" if part else str(entry["line"])


def incident_fields(entry: Entry) -> IncidentFields:
    """A parsed entry (contract form) in the schema's names and shapes: the one place where
    the parser's names become the incident's (`locations` -> `places`; a partial date -> its
    first day, and a last day for a month or a year given alone). Nothing after this renames."""
    start = entry.get("date_start")
    end = entry.get("date_end")
    if start and not end and len(start) < 10:
        end = start
    return IncidentFields(
        date_start=full_date(start),
        date_end=full_date(end, end=True),
        date_precision=entry.get("date_precision") or "unknown",
        event_type=entry.get("event_type"),
        country=entry.get("country"),
        places=[dict(loc) for loc in entry.get("locations", [])],
        perpetrators=[
            {
                "name": p.get("name"),
                "actor": p.get("actor"),
                "actor_id": p.get("actor_id"),
                "status": p.get("status"),
            }
            for p in entry.get("perpetrators", [])
        ],
        targets=list(entry.get("targets", [])),
        sources=list(entry.get("sources", [])),
        text=entry.get("text", ""),
    )


def _claims_of(entry: Entry) -> list[dict[str, Any]]:
    """The report's own figures and the named claims of an entry, as claim_assert arguments."""
    claims = []
    for prop in CASUALTY_PROPERTIES:
        count = entry.get(prop) or {}
        if count.get("min") is not None or count.get("max") is not None:
            claims.append(
                {
                    "property": prop,
                    "claimant": "report",
                    "value_min": count.get("min"),
                    "value_max": count.get("max"),
                    "qualifier": count.get("qualifier"),
                    "phrase": count.get("text") or "",
                }
            )
    for claim in entry.get("claims", []):
        claims.append(
            {
                "property": claim.get("about") or "other",
                "claimant": claim.get("claimant") or "unknown",
                "value_min": claim.get("min"),
                "value_max": claim.get("max"),
                "qualifier": claim.get("qualifier"),
                "phrase": claim.get("text") or "",
                "claimant_actor_id": _actor_uuid(claim.get("actor_id")),
            }
        )
    return claims


def _actor_uuid(value: str | None) -> str | None:
    """The registry's actor id of a claimant (parsed against the database's registry, ids are
    UUIDs; a lexicon keyed otherwise links no actor)."""
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


class EditionRecorder:
    """Turns one edition's matching into appends (decided by the services and the review
    policy), gathers them for flush(), and tallies what it did."""

    def __init__(self, *, report: str, edition_id: int, cause: Cause) -> None:
        self.report, self.edition_id, self.cause = report, edition_id, cause
        self.tally = Tally()
        self.pending: list[Append] = []

    def _key(self, *parts: object) -> str:
        return ":".join(["edition", str(self.edition_id), *map(str, parts)])

    def _flag(self, kind: str, **kwargs: Any) -> None:
        """Flags are gathered and appended in one batch by flush()."""
        self.pending.append(
            flag_part(kind=kind, report=self.report, edition_id=self.edition_id, **kwargs)
        )
        self.tally.flagged(kind)

    def flush(self) -> None:
        """Append everything the edition decided (new incidents and their claims, revisions,
        sightings, claim changes, drops, flags) in one batch: one lock, one append in the log."""
        if self.pending:
            append_batch(self.pending, cause=self.cause)
            self.pending = []

    def record_new(self, entry: Entry) -> uuid.UUID:
        line, part = entry["line"], entry.get("part") or 0
        incident, parts = incident_record_parts(
            report=self.report,
            fields=incident_fields(entry),
            edition_id=self.edition_id,
            claims=[ClaimDraft(**c) for c in _claims_of(entry)],
            idempotency_key=self._key("record", entry_at(entry)),
        )
        self.pending.extend(parts)
        self.tally.changes.append(
            {"incident": str(incident), "line": line, "part": part, "kind": "new", "fields": []}
        )
        self._flag("new_incident", incident_id=incident, after_text=entry.get("text"))
        for place in entry.get("locations", []):
            if place.get("precision") == "unresolved":
                self._flag(
                    "unresolved_place",
                    incident_id=incident,
                    after=place.get("name"),
                    after_text=entry.get("text"),
                    detail={"place": dict(place)},
                )
        return incident

    def revise(self, incident: uuid.UUID, before: Entry, after: Entry) -> None:
        fields = changed_fields(before, after)
        state = current_state(incident)
        assert state is not None
        if not fields:
            self.tally.unchanged += 1
            self._seen(state)
            return
        plan = decide(
            state,
            {name for name in REVIEW_FIELDS if state.is_held(name)},
            state.rejected_values,
            _incoming(fields, before, after),
        )
        self._apply(state, plan, after)
        self.tally.changes.append(
            {
                "incident": str(incident),
                "line": after["line"],
                "part": after.get("part") or 0,
                "kind": "revised",
                "fields": fields,
            }
        )

    def _apply(self, state: IncidentState, plan: Plan, after: Entry) -> None:
        """The plan's appends: the revision (which also says the edition lists the incident)
        or else a sighting, the claims the edition no longer makes deprecated, its new claims,
        and the flags."""
        incident = uuid.UUID(state.id)
        revision = (
            incident_revise_part(
                state=state,
                changes=plan.changes,
                edition_id=self.edition_id,
                idempotency_key=self._key("revise", entry_at(after)),
            )
            if plan.changes
            else None
        )
        if revision is not None:
            self.pending.append(revision)
        else:
            self._seen(state)
        for claim_id in plan.deprecate_claims:
            self.pending.append(
                claim_rank_part(
                    claim_id=uuid.UUID(claim_id),
                    rank="deprecated",
                    reason=f"Superseded by edition {self.edition_id}",
                )
            )
        for wanted in plan.assert_claims:
            self.pending.append(
                claim_assert_part(
                    incident_id=incident,
                    draft=ClaimDraft(**wanted.claim),
                    edition_id=self.edition_id,
                    idempotency_key=self._key("claim", entry_at(after), "rev", wanted.index),
                )
            )
        for flag in plan.flags:
            self._flag(
                flag.kind,
                incident_id=incident,
                field=flag.field,
                before=flag.before,
                after=flag.after,
                before_text=flag.before_text,
                after_text=flag.after_text,
                detail=flag.detail,
            )

    def _seen(self, state: IncidentState) -> None:
        """Present in this edition: last seen moves here through an event, even when nothing
        else changed."""
        if state.status in (Status.RETRACTED, Status.MERGED):
            return
        part = incident_seen_part(
            state=state, edition_id=self.edition_id, idempotency_key=self._key("seen", state.id)
        )
        if part is not None:
            self.pending.append(part)

    def drop(self, incident: uuid.UUID, before: Entry | None) -> None:
        state = current_state(incident)
        if state is None:
            raise IncidentCommandError(f"No incident {incident}.")
        part = incident_drop_part(state=state, edition_id=self.edition_id)
        if part is not None:
            self.pending.append(part)
        self.tally.changes.append(
            {"incident": str(incident), "line": None, "part": None, "kind": "dropped", "fields": []}
        )
        self._flag("dropped", incident_id=incident, before_text=(before or {}).get("text"))

    def ambiguity(self, kind: str, incidents: Sequence[str], entries: Sequence[Entry]) -> None:
        flag = {"tie": "ambiguous_match", "split": "possible_split", "merge": "possible_merge"}[
            kind
        ]
        self._flag(
            flag,
            incident_id=incidents[0] if incidents else None,
            after_text="\n\n".join(e.get("text", "") for e in entries),
            detail={"candidates": list(incidents), "lines": [e["line"] for e in entries]},
        )

    def duplicate(self, group: Sequence[tuple[uuid.UUID, Entry]]) -> None:
        """Flag entries that may tell one incident more than once (a pair, or a group: one flag
        naming them all), unless an editor settled each pair among them (merged it, or said "not
        the same") or a flag already asks (see incidents.review.merge): a decided pair is never
        asked again, whatever later editions say."""
        asking = set(duplicate_group_open([incident for incident, _ in group]))
        members = [(incident, entry) for incident, entry in group if str(incident) in asking]
        if len(members) < 2:
            return
        first = members[0]
        self._flag(
            "possible_duplicate",
            incident_id=first[0],
            before_text=first[1].get("text"),
            after_text="\n\n".join(entry.get("text", "") for _, entry in members[1:]),
            detail={
                "incidents": [str(incident) for incident, _ in members],
                "lines": [entry["line"] for _, entry in members],
            },
        )

    def paragraph(self, change: Mapping[str, Any]) -> None:
        self._flag(
            "paragraph_changed",
            field=change["kind"],
            before_text=change.get("before"),
            after_text=change.get("after"),
            detail=dict(change),
        )


def _incoming(fields: Sequence[str], before: Entry, after: Entry) -> Incoming:
    """The matched entry in both editions, in the terms the review policy decides in."""
    return Incoming(
        changed=fields,
        before={name: _jsonable(comparable(before, name)) for name in fields},
        after={name: _jsonable(comparable(after, name)) for name in fields},
        before_fields=vars(incident_fields(before)),
        after_fields=vars(incident_fields(after)),
        before_claims=_claims_of(before),
        after_claims=_claims_of(after),
        before_text=before.get("text"),
        after_text=after.get("text"),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value
