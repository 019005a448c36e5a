"""Editors' decisions on review flags: accept, reject or correct one flag, or a batch of
low-risk ones.

A decision is an event on the flag's stream (ChangeAccepted / ChangeRejected / ChangeCorrected;
the editor, the reason and the flag's id in the metadata) appended together with the incident
events it implies, all or nothing:
- accepting a change ingestion held back (the field was held) applies it;
- rejecting a change ingestion applied puts the previous value back; rejecting a dropped entry
  keeps the incident, rejecting a new incident retracts it;
- correcting sets the editor's value.
The incident's fold then holds the decided field (review policy, rule 1) and remembers a
rejected source value so later editions saying the same are not flagged again (rule 3).
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from common.names import normalize_name
from incidents.events import (
    CLAIM_STREAM,
    FLAG_STREAM,
    ChangeAccepted,
    ChangeCorrected,
    ChangeRejected,
    ClaimRanked,
    IncidentKept,
    IncidentRetracted,
    IncidentRevised,
)
from incidents.review.curation import (
    EDITOR_CLAIMANT,
    CurationError,
    check_country,
    claim_sync_parts,
    correction_parts,
    editor_cause,
    incident_part,
    load_incident,
    place_resolve,
)
from incidents.review.models import ReviewFlag
from incidents.state import CASUALTY_PROPERTIES, REVIEW_FIELDS, IncidentState, Status
from ledger import store
from ledger.events import Event
from ledger.store import Append, AppendResult, Cause

# Kinds an editor may decide in bulk: a change of wording alone moves no figure, date, place
# or attribution.
LOW_RISK_FIELDS = frozenset({"text"})


class FlagDecisionError(CurationError):
    """A decision the review rules refuse; the message says why."""


def is_low_risk(flag: ReviewFlag) -> bool:
    if flag.kind == ReviewFlag.Kind.PARAGRAPH_CHANGED:
        return True
    return flag.kind == ReviewFlag.Kind.REVISED and flag.field in LOW_RISK_FIELDS


def load_flag(flag_id: uuid.UUID) -> ReviewFlag:
    """The flag, or a FlagDecisionError an editor can act on when there is none."""
    flag = ReviewFlag.objects.filter(id=flag_id).first()
    if flag is None:
        raise FlagDecisionError(f"No review flag {flag_id}.")
    return flag


def open_flag(flag_id: uuid.UUID) -> tuple[ReviewFlag, int]:
    flag = load_flag(flag_id)
    if flag.status != ReviewFlag.Status.OPEN:
        raise FlagDecisionError(
            f"Flag {flag_id} was already {flag.status} by {flag.decided_by or 'someone'}; "
            "reload the queue."
        )
    return flag, store.stream_version(flag.id)


def flag_decision_part(flag: ReviewFlag, version: int, event: Event) -> Append:
    return Append(
        stream_type=FLAG_STREAM, stream_id=flag.id, expected_version=version, events=[event]
    )


def _incident(flag: ReviewFlag) -> IncidentState | None:
    return load_incident(flag.incident_id) if flag.incident_id else None


def _descriptive_parts(
    state: IncidentState,
    flag: ReviewFlag,
    values: dict[str, Any] | None,
    *,
    only_if: dict[str, Any] | None,
) -> list[Append]:
    """An IncidentRevised to `values` (the flag's before or after fields); with `only_if`, only
    for the fields still at those values, so a later change is never undone by accident."""
    if not values:
        return []
    changes = {
        k: v
        for k, v in values.items()
        if getattr(state, k) != v and (only_if is None or getattr(state, k) == only_if.get(k))
    }
    if not changes:
        return []
    if state.status in (Status.RETRACTED, Status.MERGED):
        raise FlagDecisionError(
            f"Incident {state.id} is {state.status}; its fields no longer change."
        )
    return [incident_part(state, [IncidentRevised(changes=changes, edition_id=flag.edition_id)])]


def _apply_parts(state: IncidentState, flag: ReviewFlag, side: str, reason: str) -> list[Append]:
    """The incident appends that bring `flag.field` to the flag's `side` (before / after)."""
    detail = flag.detail or {}
    field = flag.field or ""
    if REVIEW_FIELDS.get(field):
        other = "after" if side == "before" else "before"
        only_if = detail.get(f"{other}_fields") if side == "before" else None
        return _descriptive_parts(state, flag, detail.get(f"{side}_fields"), only_if=only_if)
    if field in REVIEW_FIELDS and f"{side}_claims" in detail:
        return claim_sync_parts(
            state,
            field=field,
            wanted=detail[f"{side}_claims"],
            reason=reason,
            edition_id=flag.edition_id,
        )
    return []


def _decide(
    parts: list[Append], *, editor: Any, reason: str, flag: ReviewFlag
) -> list[AppendResult]:
    return decide_parts(parts, cause=editor_cause(editor=editor, why=reason, flag_id=flag.id))


def decide_parts(parts: list[Append], *, cause: Cause) -> list[AppendResult]:
    """Append a decision's parts in one batch, all or nothing; several parts for one stream are
    joined into one, in the order given."""
    if not parts:
        return []
    # One stream per part: the decision's own events for the incident come first, then claims.
    merged: dict[uuid.UUID, Append] = {}
    for part in parts:
        if part.stream_id in merged:
            first = merged[part.stream_id]
            merged[part.stream_id] = Append(
                stream_type=first.stream_type,
                stream_id=first.stream_id,
                expected_version=first.expected_version,
                events=[*first.events, *part.events],
            )
        else:
            merged[part.stream_id] = part
    return store.append_batch(list(merged.values()), cause=cause)


def flag_accept(
    *, flag_id: uuid.UUID, editor: Any, reason: str = "", keep_editor_value: bool = True
) -> list[AppendResult]:
    """Accept the flagged change; a change ingestion held back is applied now.

    Accepting never silently undoes an editor (see incidents.review.preview, which says what
    would be lost): with `keep_editor_value`, a new spelling of a place the editor resolved keeps
    the editor's coordinates, and an editor's preferred figure keeps deciding "best" next to
    the report's new one. Without it, the edition's value replaces the editor's.
    """
    flag, version = open_flag(flag_id)
    state = _incident(flag)
    why = reason.strip() or "Accepted by an editor"
    parts = [
        flag_decision_part(
            flag,
            version,
            ChangeAccepted(incident_id=_id(flag), field=flag.field, reason=reason.strip()),
        )
    ]
    if (
        state is not None
        and flag.kind == ReviewFlag.Kind.REVISED
        and (flag.detail or {}).get("held")
        # A tombstone's entry still changes in later editions; its fields follow nothing, and
        # the survivor keeps its own: accepting only records that the change was seen.
        and state.status != Status.MERGED
    ):
        after = dict((flag.detail or {}).get("after_fields") or {})
        if flag.field == "locations" and keep_editor_value and "places" in after:
            after["places"] = places_keeping_editor(state.places, after["places"])
            parts += _descriptive_parts(state, flag, after, only_if=None)
        else:
            parts += _apply_parts(state, flag, "after", why)
        if flag.field in CASUALTY_PROPERTIES and not keep_editor_value:
            parts += _editor_figures_withdrawn(state, flag.field, why)
    return _decide(parts, editor=editor, reason=reason.strip() or "accepted", flag=flag)


_KEPT_PLACE_KEYS = ("lat", "lon", "precision", "source", "admin1", "country", "resolved_name")


def places_keeping_editor(
    current: Sequence[dict[str, Any]], incoming: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The edition's places, each keeping the coordinates an editor gave the place it stands
    for: the same name, else the same position in an equally long list (a respelling), else a
    near spelling. Places no editor resolved are taken as the edition gives them."""
    editor = [i for i, p in enumerate(current) if p.get("source") == "editor"]
    if not editor:
        return [dict(p) for p in incoming]
    used: set[int] = set()

    def match(n: int, place: dict[str, Any]) -> int | None:
        name = normalize_name(str(place.get("name") or ""))
        free = [i for i in editor if i not in used]
        for i in free:
            if normalize_name(str(current[i].get("name") or "")) == name:
                return i
        if len(current) == len(incoming) and n in free:
            return n
        scored = [
            (
                difflib.SequenceMatcher(
                    a=name, b=normalize_name(str(current[i].get("name")))
                ).ratio(),
                i,
            )
            for i in free
        ]
        best = max(scored, default=(0.0, None))
        return best[1] if best[0] >= 0.75 else None

    kept = []
    for n, place in enumerate(incoming):
        place = dict(place)
        i = match(n, place)
        if i is not None:
            used.add(i)
            place.pop("latitude", None)
            place.pop("longitude", None)
            place.update({k: current[i][k] for k in _KEPT_PLACE_KEYS if k in current[i]})
        kept.append(place)
    return kept


def _editor_figures_withdrawn(state: IncidentState, field: str, reason: str) -> list[Append]:
    """The editor's preferred figures for `field` step back, so the report's figure decides
    "best": an editor's own claim is deprecated, a preferred claim of anyone else made normal."""
    parts = []
    for claim in state.claims.values():
        if claim.get("property") != field or claim.get("rank") != "preferred":
            continue
        rank = "deprecated" if claim.get("claimant") == EDITOR_CLAIMANT else "normal"
        claim_id = uuid.UUID(claim["id"])
        parts.append(
            Append(
                stream_type=CLAIM_STREAM,
                stream_id=claim_id,
                expected_version=store.stream_version(claim_id),
                events=[ClaimRanked(incident_id=state.id, rank=rank, reason=reason)],
            )
        )
    return parts


def flag_reject(*, flag_id: uuid.UUID, editor: Any, reason: str) -> list[AppendResult]:
    """Reject the flagged change: what ingestion applied is put back, and the source value is
    remembered so the same value is not flagged again."""
    if not reason.strip():
        raise FlagDecisionError("Rejecting a change needs a reason.")
    reason = reason.strip()
    flag, version = open_flag(flag_id)
    state = _incident(flag)
    decision = ChangeRejected(
        incident_id=_id(flag), field=flag.field, value=flag.after, reason=reason
    )
    parts = [flag_decision_part(flag, version, decision)]
    if state is not None:
        detail = flag.detail or {}
        if flag.kind == ReviewFlag.Kind.REVISED and not detail.get("held"):
            parts += _apply_parts(state, flag, "before", reason)
        elif flag.kind == ReviewFlag.Kind.DROPPED and state.status == Status.DROPPED:
            parts.append(incident_part(state, [IncidentKept(reason=reason)]))
        elif flag.kind == ReviewFlag.Kind.NEW_INCIDENT and state.status in (
            Status.ACTIVE,
            Status.DROPPED,
        ):
            parts.append(incident_part(state, [IncidentRetracted(reason=reason)]))
    return _decide(parts, editor=editor, reason=reason, flag=flag)


def flag_correct(
    *, flag_id: uuid.UUID, editor: Any, reason: str, value: Any, confirm_foreign: bool = False
) -> list[AppendResult]:
    """Replace the flagged change by the editor's own value for the flag's field (for an
    unresolved place, its coordinates: {"lat": .., "lon": ..}, with "country" and
    "confirm_foreign" to place it abroad). A place abroad needs `confirm_foreign`."""
    if not reason.strip():
        raise FlagDecisionError("Correcting a change needs a reason.")
    reason = reason.strip()
    flag, version = open_flag(flag_id)
    state = _incident(flag)
    if state is None:
        raise FlagDecisionError("This flag is about no incident; accept or reject it.")
    field = flag.field
    if flag.kind == ReviewFlag.Kind.UNRESOLVED_PLACE:
        confirm_foreign = confirm_foreign or bool(
            isinstance(value, dict) and value.get("confirm_foreign")
        )
        field, value = "locations", _resolved_places(state, flag, value)
    if field not in REVIEW_FIELDS:
        raise FlagDecisionError(
            f"A {flag.kind} flag has no field to correct; accept or reject it "
            "(merge, retract or correct the incident from its page)."
        )
    decision = ChangeCorrected(incident_id=_id(flag), field=field, value=value, reason=reason)
    parts = [flag_decision_part(flag, version, decision)]
    parts += correction_parts(
        state, field=field, value=value, reason=reason, confirm_foreign=confirm_foreign
    )
    return _decide(parts, editor=editor, reason=reason, flag=flag)


def _resolved_places(state: IncidentState, flag: ReviewFlag, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict) or "lat" not in value or "lon" not in value:
        raise FlagDecisionError('An unresolved place is corrected with {"lat": .., "lon": ..}.')
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
    except (TypeError, ValueError) as exc:
        raise FlagDecisionError("Latitude and longitude must be numbers.") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FlagDecisionError("Latitude is -90..90 and longitude -180..180.")
    country = value.get("country") or None
    check_country(
        state, country, confirm_foreign=bool(value.get("confirm_foreign")), name=str(flag.after)
    )
    places = []
    for place in state.places:
        place = dict(place)
        if place.get("name") == flag.after:
            place_resolve(
                place,
                lat=lat,
                lon=lon,
                admin1=value.get("admin1") or None,
                resolved_name=value.get("resolved_name") or None,
                country=country,
                place_id=value.get("place_id") or None,
            )
        places.append(place)
    return places


def flag_decide_many(
    *, flag_ids: Sequence[uuid.UUID], decision: str, editor: Any, reason: str
) -> int:
    """Accept or reject several low-risk flags (wording only) at once, all or none; returns
    how many were decided. Anything riskier is decided one by one, looking at it."""
    if decision not in ("accept", "reject"):
        raise FlagDecisionError("A bulk decision is accept or reject.")
    editor_cause(editor=editor, why=reason)  # refuses anyone but an editor, even for no flags
    flags = list(ReviewFlag.objects.filter(id__in=list(flag_ids)))
    unknown = {str(i) for i in flag_ids} - {str(f.id) for f in flags}
    if unknown:
        raise FlagDecisionError(f"No review flag {', '.join(sorted(unknown))}.")
    risky = [f for f in flags if not is_low_risk(f)]
    if risky:
        kinds = ", ".join(sorted({f"{f.kind} {f.field or ''}".strip() for f in risky}))
        raise FlagDecisionError(
            f"Only wording changes are decided in bulk; decide these one by one: {kinds}."
        )
    with transaction.atomic():
        for flag in flags:
            if decision == "accept":
                flag_accept(flag_id=flag.id, editor=editor, reason=reason)
            else:
                flag_reject(flag_id=flag.id, editor=editor, reason=reason)
    return len(flags)


def _id(flag: ReviewFlag) -> str | None:
    return str(flag.incident_id) if flag.incident_id else None
