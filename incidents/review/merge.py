"""Possible duplicates, decided in one step: merge one incident of the pair into the other, or
say they are not the same; and the memory that keeps a decided pair from being flagged again.

A merge is one append, all or nothing:
- the merged incident becomes a tombstone naming the survivor (IncidentMerged);
- the survivor takes over what the merged incident knew (IncidentAbsorbed): its sources join the
  survivor's, and each of its claims is copied onto the survivor with `merged_from` naming where
  it came from (a copy, so the tombstone's own history stays as it was);
- the merged incident's open flags are closed (ReviewFlagClosed); a possible duplicate of it
  with a third incident is asked again of the survivor, by a new flag;
- the flag that asked, if any, records the one decision (DuplicatesMerged: who, when, why).

A pair is settled once any flag asked about it (decided or still open) or once both incidents
lead to the same survivor. Pairs are keyed by the incidents' stable ids, in either order, so
neither re-wrapped text nor revised figures raise the question again.

A flag may name a group: entries of one edition that look like one incident told more than
twice are asked about in one flag, not one flag per pair (issue 14). Every pair in the group
counts as asked. The editor decides a pair of it at a time: merging one member into another
decides the flag and asks again about the survivor with the rest, by a new flag; "not the same"
says the group's members are all different incidents.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from incidents.events import (
    CLAIM_STREAM,
    ClaimAsserted,
    ClaimRanked,
    DuplicatesDistinguished,
    DuplicatesMerged,
    IncidentAbsorbed,
    IncidentMerged,
    ReviewFlagClosed,
)
from incidents.models import Incident
from incidents.review.curation import editor_cause, load_incident
from incidents.review.decisions import (
    FlagDecisionError,
    decide_parts,
    flag_decision_part,
    load_flag,
    open_flag,
)
from incidents.review.models import ReviewFlag
from incidents.review.services import flag_part
from incidents.services import incident_part
from incidents.state import IncidentState, Status, claim_assertion, claim_key
from ledger import store
from ledger.store import Append, AppendResult

DUPLICATE = ReviewFlag.Kind.POSSIBLE_DUPLICATE
_MAX_HOPS = 20  # a chain of merges longer than this is a loop in bad data, not a chain


# --- the pair memory ------------------------------------------------------------------------


def duplicate_pair_key(first: uuid.UUID | str, second: uuid.UUID | str) -> tuple[str, str]:
    """The pair as one key, whichever way round it is named."""
    a, b = str(first), str(second)
    return (a, b) if a <= b else (b, a)


def incident_survivor(incident_id: uuid.UUID | str) -> str:
    """The incident that stands for `incident_id` now: itself, or the end of its merge chain."""
    current = str(incident_id)
    for _ in range(_MAX_HOPS):
        into = Incident.objects.filter(id=current).values_list("merged_into", flat=True).first()
        if not into:
            return current
        current = str(into)
    return current


def _pair_flags(pair: Iterable[str]) -> list[ReviewFlag]:
    return list(ReviewFlag.objects.filter(kind=DUPLICATE, incident_id__in=list(pair)))


def duplicate_pair_settled(*, first: uuid.UUID | str, second: uuid.UUID | str) -> bool:
    """True when the pair needs no new possible-duplicate flag: both lead to one survivor, or a
    flag already asked about the two incidents (decided, or still open in the queue)."""
    return not duplicate_group_open([first, second])


def duplicate_group_open(incidents: Iterable[uuid.UUID | str]) -> list[str]:
    """The incidents of a group of possible duplicates that still need asking about: those in
    at least one pair that is not settled (see `duplicate_pair_settled`), in the given order,
    one for each survivor. Empty when every pair is settled."""
    survivor_of = {str(i): incident_survivor(i) for i in incidents}
    survivors = list(dict.fromkeys(survivor_of.values()))
    if len(survivors) < 2:
        return []
    asked = [
        {incident_survivor(i) for i in (flag.detail or {}).get("incidents", [])}
        for flag in _pair_flags(set(survivor_of) | set(survivors))
    ]

    def settled(a: str, b: str) -> bool:
        return any(a in group and b in group for group in asked)

    still = {a for a in survivors if any(b != a and not settled(a, b) for b in survivors)}
    out, seen = [], set()
    for incident, survivor in survivor_of.items():
        if survivor in still and survivor not in seen:
            seen.add(survivor)
            out.append(incident)
    return out


@dataclass(frozen=True)
class DuplicatePair:
    """A possible-duplicate flag with both of its incidents as the ledger holds them now, for
    showing them side by side ("A" is the flag's own incident)."""

    flag: ReviewFlag
    a: IncidentState
    b: IncidentState


def duplicate_pair(*, flag_id: uuid.UUID) -> DuplicatePair:
    """The flag's first two incidents (a group's next pair to decide)."""
    flag = load_flag(flag_id)
    first, second = _members(flag)[:2]
    return DuplicatePair(flag=flag, a=load_incident(first), b=load_incident(second))


# --- the use cases ----------------------------------------------------------------------------


def _members(flag: ReviewFlag) -> list[str]:
    """The incidents a possible-duplicate flag names: two, or a group of more."""
    if flag.kind != DUPLICATE:
        raise FlagDecisionError(
            f"Flag {flag.id} is a {flag.kind} flag; only a possible duplicate is merged or "
            "declared not the same."
        )
    members = [str(i) for i in (flag.detail or {}).get("incidents", [])]
    if len(members) < 2 or len(set(members)) != len(members):
        raise FlagDecisionError(f"Flag {flag.id} does not name two or more distinct incidents.")
    return members


def flag_merge(
    *,
    flag_id: uuid.UUID,
    survivor_id: uuid.UUID,
    editor: Any,
    reason: str = "",
    merged_id: uuid.UUID | None = None,
) -> list[AppendResult]:
    """Decide a possible-duplicate flag by merging another incident it names into
    `survivor_id` ("Merge A into B"). One append: the merge, the claims and sources the survivor
    takes over, the merged incident's open flags closed, and the flag's one decision.

    A flag naming a group merges one pair: `merged_id` (by default the first other member of
    the flag's first two, the pair shown side by side); the survivor and the members left are
    asked about again by a new flag."""
    why = reason.strip() or "Merged as a duplicate"
    flag, version = open_flag(flag_id)
    members = _members(flag)
    survivor = str(survivor_id)
    if survivor not in members:
        named = (
            f"two incidents ({members[0]} or {members[1]})"
            if len(members) == 2
            else f"incidents ({', '.join(members)})"
        )
        raise FlagDecisionError(f"The survivor must be one of the flag's {named}.")
    if merged_id is not None:
        loser = str(merged_id)
        if loser not in members or loser == survivor:
            raise FlagDecisionError(
                "The incident to merge must be another of the flag's incidents "
                f"({', '.join(m for m in members if m != survivor)})."
            )
    else:
        shown = members[:2] if survivor in members[:2] else [survivor, *members]
        loser = next(m for m in shown if m != survivor)
    pair = (
        [survivor, loser] if members.index(survivor) < members.index(loser) else [loser, survivor]
    )
    rest = [m for m in members if m not in pair]
    cause = editor_cause(editor=editor, why=why, flag_id=flag.id)
    decision = DuplicatesMerged(
        incident_id=str(flag.incident_id) if flag.incident_id else None,
        incidents=pair,
        survivor_id=survivor,
        merged_id=loser,
        reason=why,
    )
    parts = [flag_decision_part(flag, version, decision)]
    parts += merge_parts(
        loser=load_incident(loser), survivor=load_incident(survivor), reason=why, deciding=flag
    )
    if rest:
        parts.append(_asked_again(flag, [survivor, *rest], load_incident(survivor)))
    return decide_parts(parts, cause=cause)


def _asked_again(flag: ReviewFlag, incidents: list[str], first: IncidentState) -> Append:
    """A new possible-duplicate flag for what a decided one left open."""
    return flag_part(
        kind=DUPLICATE,
        report=flag.report,
        incident_id=first.id,
        before_text=first.text,
        after_text="\n\n".join(
            Incident.objects.filter(id__in=incidents[1:]).values_list("text", flat=True)
        ),
        edition_id=flag.edition_id,
        detail={**(flag.detail or {}), "incidents": incidents, "asked_before": str(flag.id)},
    )


def flag_not_duplicate(*, flag_id: uuid.UUID, editor: Any, reason: str) -> list[AppendResult]:
    """Decide a possible-duplicate flag: the incidents it names are all different ("Not the
    same")."""
    if not reason.strip():
        raise FlagDecisionError("Saying two incidents are not the same needs a reason.")
    why = reason.strip()
    flag, version = open_flag(flag_id)
    pair = _members(flag)
    cause = editor_cause(editor=editor, why=why, flag_id=flag.id)
    decision = DuplicatesDistinguished(
        incident_id=str(flag.incident_id) if flag.incident_id else None, incidents=pair, reason=why
    )
    return decide_parts([flag_decision_part(flag, version, decision)], cause=cause)


def incident_merge_into(
    *, loser_id: uuid.UUID, survivor_id: uuid.UUID, editor: Any, reason: str
) -> list[AppendResult]:
    """Merge `loser_id` into `survivor_id` without starting from a flag (incident page, API).
    An open possible-duplicate flag about the same pair is decided by it."""
    if not reason.strip():
        raise FlagDecisionError("Merging two incidents needs a reason.")
    why = reason.strip()
    wanted = {str(loser_id), str(survivor_id)}
    for flag in _pair_flags(wanted):
        if flag.status == ReviewFlag.Status.OPEN and wanted <= set(
            map(str, (flag.detail or {}).get("incidents", []))
        ):
            return flag_merge(
                flag_id=flag.id,
                survivor_id=survivor_id,
                editor=editor,
                reason=why,
                merged_id=loser_id,
            )
    cause = editor_cause(editor=editor, why=why)
    parts = merge_parts(
        loser=load_incident(loser_id), survivor=load_incident(survivor_id), reason=why
    )
    return decide_parts(parts, cause=cause)


# --- the parts of a merge ---------------------------------------------------------------------


def merge_parts(
    *,
    loser: IncidentState,
    survivor: IncidentState,
    reason: str,
    deciding: ReviewFlag | None = None,
) -> list[Append]:
    """The appends that merge `loser` into `survivor` (nothing is written). `deciding` is the
    flag that asked, decided by the caller; every other open flag about the loser is closed."""
    if loser.id == survivor.id:
        raise FlagDecisionError("An incident cannot be merged into itself.")
    if survivor.status in (Status.RETRACTED, Status.MERGED):
        raise FlagDecisionError(
            f"Incident {survivor.id} is {survivor.status}; merge into the incident that stands "
            f"for it{' (' + survivor.merged_into + ')' if survivor.merged_into else ''}."
        )
    if loser.status == Status.MERGED and loser.merged_into == survivor.id:
        return []  # merged already (from its page): only the flag's decision is left to record
    if loser.status in (Status.RETRACTED, Status.MERGED):
        raise FlagDecisionError(
            f"Incident {loser.id} is {loser.status}; it cannot be merged again."
        )
    parts = [incident_part(loser, [IncidentMerged(into=survivor.id)])]
    sources = [*survivor.sources, *(s for s in loser.sources if s not in survivor.sources)]
    changes = {"sources": sources} if sources != survivor.sources else {}
    parts.append(
        incident_part(
            survivor, [IncidentAbsorbed(merged_id=loser.id, changes=changes, reason=reason)]
        )
    )
    parts += _claim_copies(loser, survivor)
    parts += _flags_closed(loser, survivor, reason, deciding)
    return parts


def _claim_copies(loser: IncidentState, survivor: IncidentState) -> list[Append]:
    """Each of the loser's claims asserted again about the survivor, `merged_from` the loser;
    a deprecated one stays deprecated. A claim the survivor already makes is not doubled."""
    have = {claim_key(c) for c in survivor.claims.values() if c.get("rank") != "deprecated"}
    parts = []
    for claim in sorted(loser.claims.values(), key=lambda c: c.get("position", 0)):
        if claim.get("rank") != "deprecated" and claim_key(claim) in have:
            continue
        copy = ClaimAsserted(
            incident_id=survivor.id, **claim_assertion(claim), merged_from=loser.id
        )
        events: list[Any] = [copy]
        if claim.get("rank") == "deprecated":
            events.append(
                ClaimRanked(
                    incident_id=survivor.id,
                    rank="deprecated",
                    reason=claim.get("rank_reason") or "Deprecated on the merged incident",
                )
            )
        parts.append(
            Append(
                stream_type=CLAIM_STREAM, stream_id=uuid.uuid4(), expected_version=0, events=events
            )
        )
    return parts


def _flags_closed(
    loser: IncidentState, survivor: IncidentState, reason: str, deciding: ReviewFlag | None
) -> list[Append]:
    """Close every open flag about the loser; a possible duplicate of it with a third incident
    is asked again of the survivor (a new flag), unless that pair is settled already."""
    skip = {deciding.id} if deciding else set()
    flags = [
        f
        for f in ReviewFlag.objects.filter(id__in=loser.open_flags).exclude(id__in=skip)
        if f.status == ReviewFlag.Status.OPEN
    ]
    # Possible duplicates name both incidents but belong to the first: find those naming the
    # loser second, too.
    seen = {f.id for f in flags} | skip
    flags += list(
        ReviewFlag.objects.filter(
            kind=DUPLICATE, status=ReviewFlag.Status.OPEN, detail__incidents__contains=[loser.id]
        ).exclude(id__in=seen)
    )
    parts: list[Append] = []
    asked: set[tuple[str, str]] = set()
    for flag in flags:
        successor = None
        if flag.kind == DUPLICATE:
            others = [
                str(i) for i in (flag.detail or {}).get("incidents", []) if str(i) != loser.id
            ]
            thirds = [
                t
                for t in dict.fromkeys(incident_survivor(o) for o in others)
                if t != survivor.id
                and duplicate_pair_key(survivor.id, t) not in asked
                and not duplicate_pair_settled(first=survivor.id, second=t)
            ]
            if thirds:
                asked.update(duplicate_pair_key(survivor.id, t) for t in thirds)
                raised = _asked_again(flag, [survivor.id, *thirds], survivor)
                parts.append(raised)
                successor = str(raised.stream_id)
        closed = ReviewFlagClosed(
            incident_id=str(flag.incident_id) if flag.incident_id else None,
            field=flag.field,
            reason=f"Incident {loser.id} was merged into {survivor.id}: {reason}",
            superseded_by=successor,
        )
        parts.append(flag_decision_part(flag, store.stream_version(flag.id), closed))
    return parts
