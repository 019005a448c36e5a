"""The review policy (DESIGN.md) as a pure function: what a new edition may do to one incident.

`decide` takes the incident as the ledger holds it, the fields editors hold, the source values
they rejected, and what the matched entry now says, and returns a `Plan`: the incident fields to
change, the claims to assert and deprecate, and the flags to raise. It reads nothing and writes
nothing; ingestion gathers the inputs, and appends every plan of an edition in one batch.

The rules, per review field that changed between the two editions' readings of the entry:
1. a field an editor holds (accepted, rejected, corrected or locked), or any field of a merged or
   retracted incident, is not changed; the change is flagged, and applied only if an editor
   accepts that flag;
2. a field no editor touched follows the edition at once, and is still flagged; for figures and
   claims, the edition's claims replace the earlier editions' claims of that field (editors' own
   claims and claims copied from merged duplicates stay);
3. a source value an editor rejected for that field is neither applied nor flagged again;
4. a held field the edition now gives exactly as the editor holds it is settled: no flag;
5. when only figures, dates or names moved inside the same wording, the stored text still
   follows the edition it was read from (unless an editor holds the text).
Each flag's `detail` carries the field's values before and after, as incident fields or as
claims, so a decision can apply or undo exactly that change. (A vanished entry is dropped and
flagged, never deleted: ingestion does that without asking the policy.)

No Django here, and no other app: the matched entry comes in already read (`Incoming`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from incidents.state import (
    CASUALTY_PROPERTIES,
    REVIEW_FIELDS,
    IncidentState,
    Status,
    claim_field,
    claim_key,
)

# Review fields whose values live in claims rather than in incident fields.
CLAIM_FIELDS = (*CASUALTY_PROPERTIES, "claims")


@dataclass(frozen=True, kw_only=True)
class Incoming:
    """What the previous and the new edition say about one matched incident."""

    changed: Sequence[str]  # review fields whose readings differ between the two editions
    before: Mapping[str, Any]  # review field -> its compared value in the previous edition
    after: Mapping[str, Any]  # review field -> its compared value in the new edition
    before_fields: Mapping[str, Any]  # incident field -> value, as the previous edition gave it
    after_fields: Mapping[str, Any]  # incident field -> value, as the new edition gives it
    before_claims: Sequence[Mapping[str, Any]] = ()  # claims (claim_assert's arguments)
    after_claims: Sequence[Mapping[str, Any]] = ()
    before_text: str | None = None
    after_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class FlagDraft:
    """A review flag to raise about the incident."""

    kind: str
    field: str | None = None
    before: Any = None
    after: Any = None
    before_text: str | None = None
    after_text: str | None = None
    detail: dict[str, Any] = _field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ClaimToAssert:
    """A claim the edition makes that the incident lacks; `index` keeps its idempotency key
    stable (its place among the edition's claims of the followed fields)."""

    index: int
    claim: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What to append for one matched incident: nothing here has been written."""

    changes: dict[str, Any] = _field(default_factory=dict)  # incident fields that really change
    assert_claims: list[ClaimToAssert] = _field(default_factory=list)
    deprecate_claims: list[str] = _field(default_factory=list)  # claim ids the edition dropped
    flags: list[FlagDraft] = _field(default_factory=list)


def decide(
    current_state: IncidentState,
    held_fields: Collection[str],
    rejected_values: Mapping[str, Sequence[Any]],
    incoming: Incoming,
) -> Plan:
    """The review policy's answer for one matched incident (see the module's rules)."""
    state = current_state

    def held(name: str) -> bool:
        # A tombstone or a retracted incident follows no edition any more: all its fields hold.
        return name in held_fields or state.status in (Status.RETRACTED, Status.MERGED)

    changes: dict[str, Any] = {}
    follow_claims: set[str] = set()
    flags: list[FlagDraft] = []
    for name in incoming.changed:
        value = incoming.after.get(name)
        if value in rejected_values.get(name, []):
            continue  # rule 3: an editor refused this very value before
        names = REVIEW_FIELDS.get(name, ())
        is_held = held(name)
        if is_held and _holds_already(state, name, names, incoming):
            continue  # rule 4: the edition now says what the editor holds: nothing to decide
        detail: dict[str, Any] = {"held": is_held}
        if names:
            detail["before_fields"] = {n: incoming.before_fields[n] for n in names}
            detail["after_fields"] = {n: incoming.after_fields[n] for n in names}
        elif name in CLAIM_FIELDS:
            detail["before_claims"] = _claims_for(incoming.before_claims, name)
            detail["after_claims"] = _claims_for(incoming.after_claims, name)
        if not is_held:  # rule 2: follow the edition at once
            changes.update({n: incoming.after_fields[n] for n in names})
            if name in CLAIM_FIELDS:
                follow_claims.add(name)
        flags.append(  # rules 1 and 2: held or not, the change is flagged
            FlagDraft(
                kind="revised",
                field=name,
                before=incoming.before.get(name),
                after=value,
                before_text=incoming.before_text,
                after_text=incoming.after_text,
                detail=detail,
            )
        )
    new_text = incoming.after_fields.get("text", state.text)
    if "text" not in incoming.changed and not held("text") and new_text != state.text:
        # Rule 5: only figures, dates or names moved inside the same wording: their own flags
        # show the change; the stored text still follows the edition it was read from.
        changes["text"] = new_text
    deprecate, to_assert = _claims_followed(state, incoming.after_claims, follow_claims)
    return Plan(
        # Only what differs from the ledger: a revision that changes nothing is no revision.
        changes={k: v for k, v in changes.items() if getattr(state, k) != v},
        assert_claims=to_assert,
        deprecate_claims=deprecate,
        flags=flags,
    )


def _claims_for(claims: Sequence[Mapping[str, Any]], name: str) -> list[dict[str, Any]]:
    return [dict(c) for c in claims if claim_field(dict(c)) == name]


def _edition_claims(state: IncidentState, fields: Collection[str]) -> dict[tuple[Any, ...], Any]:
    """The live claims editions made about `fields` (editors' own claims have no edition)."""
    return {
        claim_key(c): c
        for c in state.claims.values()
        if c.get("rank") != "deprecated"
        and c.get("edition_id") is not None
        and claim_field(c) in fields
    }


def _claims_followed(
    state: IncidentState, after_claims: Sequence[Mapping[str, Any]], fields: set[str]
) -> tuple[list[str], list[ClaimToAssert]]:
    """Claims of `fields` the new edition no longer makes are deprecated; claims it adds are
    asserted. Claims of fields an editor holds, and editors' own claims, stay."""
    if not fields:
        return [], []
    wanted = {claim_key(dict(c)): c for c in after_claims if claim_field(dict(c)) in fields}
    live = _edition_claims(state, fields)
    deprecate = [str(claim["id"]) for key, claim in live.items() if key not in wanted]
    to_assert = [
        ClaimToAssert(index=n, claim=claim)
        for n, (key, claim) in enumerate(wanted.items())
        if key not in live
    ]
    return deprecate, to_assert


def _holds_already(
    state: IncidentState, name: str, names: Sequence[str], incoming: Incoming
) -> bool:
    if names:
        return all(getattr(state, n) == incoming.after_fields[n] for n in names)
    live = set(_edition_claims(state, (name,)))
    return live == {
        claim_key(dict(c)) for c in incoming.after_claims if claim_field(dict(c)) == name
    }
