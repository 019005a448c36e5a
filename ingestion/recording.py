"""Turns a matched edition into commands: record new incidents, revise matched ones, drop the
vanished, assert claims, and raise a review flag for every change.

The review policy (DESIGN.md) is enforced here, per changed field of a matched entry:
1. a field an editor holds (accepted, rejected, corrected or locked) is not changed; the change
   is flagged, and applied only if an editor accepts that flag;
2. a field no editor touched follows the edition at once, and is still flagged;
3. a source value an editor rejected for that field is neither applied nor flagged again;
4. a vanished entry is dropped (kept, marked and flagged), never deleted.
Each flag's `detail` carries the field's values before and after as incident fields or claims,
so a decision can apply or undo exactly that change.

Called by ingestion.services inside the edition's transaction; every write goes through the
incident and review services.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incidents.projection import current_state
from incidents.review_merge import duplicate_group_open
from incidents.review_services import flag_part
from incidents.schema import CASUALTY_PROPERTIES, REVIEW_FIELDS, IncidentFields, full_date
from incidents.services import (
    ClaimDraft,
    claim_assert,
    claim_rank,
    incident_drop,
    incident_record_parts,
    incident_revise,
    incident_seen_part,
)
from incidents.state import IncidentState, Status, claim_field, claim_key
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


def _claims_for(entry: Entry, field: str) -> list[dict[str, Any]]:
    return [c for c in _claims_of(entry) if claim_field(c) == field]


_CLAIM_FIELDS = (*CASUALTY_PROPERTIES, "claims")


class EditionRecorder:
    """Applies one edition's matching through the services, and tallies what it did."""

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
        """Append what was gathered (new incidents, their claims, flags) in one batch."""
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
        if not fields:
            self.tally.unchanged += 1
            self._seen(incident)
            return
        state = current_state(incident)
        assert state is not None
        new_values, old_values = vars(incident_fields(after)), vars(incident_fields(before))
        changes: dict[str, Any] = {}
        follow_claims: set[str] = set()
        for name in fields:
            value = _jsonable(comparable(after, name))
            if value in state.rejected_values.get(name, []):
                continue  # rule 3: an editor refused this very value before
            names = REVIEW_FIELDS.get(name, ())
            held = _held(state, name)
            if held and _holds_already(state, name, names, new_values, after):
                continue  # the edition now says what the editor holds: nothing to decide
            detail: dict[str, Any] = {"held": held}
            if names:
                detail["before_fields"] = {n: old_values[n] for n in names}
                detail["after_fields"] = {n: new_values[n] for n in names}
            elif name in _CLAIM_FIELDS:
                detail["before_claims"] = _claims_for(before, name)
                detail["after_claims"] = _claims_for(after, name)
            if not held:  # rule 2: follow the edition at once
                changes.update({n: new_values[n] for n in names})
                if name in _CLAIM_FIELDS:
                    follow_claims.add(name)
            self._flag(
                "revised",
                incident_id=incident,
                field=name,
                before=_jsonable(comparable(before, name)),
                after=value,
                before_text=before.get("text"),
                after_text=after.get("text"),
                detail=detail,
            )
        if "text" not in fields and not _held(state, "text") and new_values["text"] != state.text:
            # Only figures, dates or names moved inside the same wording: their own flags show
            # the change; the stored text still follows the edition it was read from.
            changes["text"] = new_values["text"]
        if changes:
            incident_revise(
                incident_id=incident,
                changes=changes,
                edition_id=self.edition_id,
                cause=self.cause,
                idempotency_key=self._key("revise", entry_at(after)),
            )
        if follow_claims:
            self._revise_claims(incident, after, follow_claims)
        self._seen(incident)
        self.tally.changes.append(
            {
                "incident": str(incident),
                "line": after["line"],
                "part": after.get("part") or 0,
                "kind": "revised",
                "fields": fields,
            }
        )

    def _seen(self, incident: uuid.UUID) -> None:
        """Present in this edition: last seen moves here through an event, even when nothing
        else changed (a revision with this edition already says so)."""
        state = current_state(incident)
        if state is None or state.status in (Status.RETRACTED, Status.MERGED):
            return
        part = incident_seen_part(
            state=state, edition_id=self.edition_id, idempotency_key=self._key("seen", incident)
        )
        if part is not None:
            self.pending.append(part)

    def _revise_claims(self, incident: uuid.UUID, after: Entry, fields: set[str]) -> None:
        """Claims of `fields` the new edition no longer makes are deprecated; claims it adds
        are asserted. Claims of fields an editor holds, and editors' own claims, stay."""
        state = current_state(incident)
        assert state is not None
        wanted = {claim_key(c): c for c in _claims_of(after) if claim_field(c) in fields}
        live = {
            claim_key(c): c
            for c in state.claims.values()
            if c.get("rank") != "deprecated"
            and c.get("edition_id") is not None
            and claim_field(c) in fields
        }
        for key, claim in live.items():
            if key not in wanted:
                claim_rank(
                    claim_id=uuid.UUID(claim["id"]),
                    rank="deprecated",
                    cause=self.cause,
                    reason=f"Superseded by edition {self.edition_id}",
                )
        for n, (key, claim) in enumerate(wanted.items()):
            if key not in live:
                claim_assert(
                    incident_id=incident,
                    edition_id=self.edition_id,
                    cause=self.cause,
                    idempotency_key=self._key("claim", entry_at(after), "rev", n),
                    **claim,
                )

    def drop(self, incident: uuid.UUID, before: Entry | None) -> None:
        incident_drop(incident_id=incident, edition_id=self.edition_id, cause=self.cause)
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
        the same") or a flag already asks (see incidents.review_merge): a decided pair is never
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


def _holds_already(
    state: IncidentState, name: str, names: Sequence[str], new_values: dict[str, Any], after: Entry
) -> bool:
    if names:
        return all(getattr(state, n) == new_values[n] for n in names)
    live = {
        claim_key(c)
        for c in state.claims.values()
        if c.get("rank") != "deprecated"
        and c.get("edition_id") is not None
        and claim_field(c) == name
    }
    return live == {claim_key(c) for c in _claims_for(after, name)}


def _held(state: IncidentState, name: str) -> bool:
    """Ingestion may not change this field: an editor holds it, or the incident is a tombstone
    or retracted (its fields no longer follow any edition)."""
    return state.is_held(name) or state.status in (Status.RETRACTED, Status.MERGED)


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value
