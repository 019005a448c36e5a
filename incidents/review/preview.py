"""What a decision on a flag would do, said before the editor makes it, and the value the ledger
holds for the flag's field now.

A flag's `before` is what the previous edition said; the ledger may hold something else (an
editor corrected it, or rejected an earlier change). `flag_current_value` gives the ledger's
value in the same shape as the flag's before / after, so incidents.review.words reads all three.
`flag_accept_preview` says, in sentences, what accepting would overwrite and whether the
editor's value can be kept (incidents.review.decisions.flag_accept, keep_editor_value).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from incidents.events import FieldCorrected, FieldLocked
from incidents.projection import current_state
from incidents.review.decisions import load_flag
from incidents.review.models import ReviewFlag
from incidents.review.projection import decided_by
from incidents.review.words import describe_value, field_label
from incidents.schema import place_fields
from incidents.state import (
    CASUALTY_PROPERTIES,
    REVIEW_FIELDS,
    IncidentState,
    claim_best,
    estimate_from_claims,
)
from ledger import store

Kind = ReviewFlag.Kind

_WHY: dict[str, str] = {
    Kind.NEW_INCIDENT: "The edition has an entry no earlier edition had; it was recorded as a "
    "new incident.",
    Kind.REVISED: "The edition says something else about this field than the previous one.",
    Kind.DROPPED: "The incident's entry is missing from the edition; it was kept and marked "
    "dropped, never deleted.",
    Kind.AMBIGUOUS_MATCH: "An entry matched two earlier incidents equally well; it was not "
    "guessed.",
    Kind.POSSIBLE_SPLIT: "One earlier entry may have become two in this edition.",
    Kind.POSSIBLE_MERGE: "Two earlier entries may have become one in this edition.",
    Kind.POSSIBLE_DUPLICATE: "Two entries of one edition look like the same incident told "
    "twice (dates within days, the same place, alike wording).",
    Kind.PARAGRAPH_CHANGED: "A narrative paragraph of the report was added, removed or rewritten.",
    Kind.UNRESOLVED_PLACE: "A place the entry names is in no gazetteer; it has no coordinates.",
}
_ACCEPT: dict[str, str] = {
    Kind.NEW_INCIDENT: "Accept keeps the incident in the ledger as reviewed.",
    Kind.DROPPED: "Accept agrees the incident is dropped; it stays in the ledger, marked dropped.",
    Kind.AMBIGUOUS_MATCH: "Accept leaves the match as ingestion made it.",
    Kind.POSSIBLE_SPLIT: "Accept leaves both entries as ingestion recorded them.",
    Kind.POSSIBLE_MERGE: "Accept leaves the entries as ingestion recorded them.",
    Kind.POSSIBLE_DUPLICATE: "Merge A into B (or B into A) makes one incident of the two, "
    "keeping both incidents' claims and sources; the pair is never flagged again.",
    Kind.PARAGRAPH_CHANGED: "Accept acknowledges the new wording; narrative text is not part "
    "of any incident.",
    Kind.UNRESOLVED_PLACE: "Accept leaves the place without coordinates; Correct gives it "
    "coordinates (or resolve it from the gazetteer).",
}
_REJECT: dict[str, str] = {
    Kind.NEW_INCIDENT: "Reject retracts the incident (it stays in the log, marked retracted).",
    Kind.DROPPED: "Reject keeps the incident: it is active again in the curated ledger.",
    Kind.AMBIGUOUS_MATCH: "Reject records that the match is wrong; fix it by merging or "
    "retracting from the incident pages.",
    Kind.POSSIBLE_SPLIT: "Reject records that it is not a split.",
    Kind.POSSIBLE_MERGE: "Reject records that it is not a merge.",
    Kind.POSSIBLE_DUPLICATE: "Not the same records that the two are different incidents; the "
    "pair is never flagged again.",
    Kind.PARAGRAPH_CHANGED: "Reject records that the new wording was seen and refused; "
    "nothing in the ledger changes.",
    Kind.UNRESOLVED_PLACE: "Reject records that the place needs no coordinates.",
}


@dataclass(frozen=True, kw_only=True)
class AcceptPreview:
    """What accepting a flag would do, for the confirmation an editor sees before accepting."""

    losses: tuple[str, ...]  # what the editor would lose, one sentence each; empty: nothing
    held_fields: tuple[str, ...]  # the incident's fields editors hold now
    can_keep_editor_value: bool  # flag_accept(keep_editor_value=True) keeps the editor's value
    why_raised: str
    accept_does: str
    reject_does: str


def flag_accept_preview(*, flag_id: uuid.UUID) -> AcceptPreview:
    flag = load_flag(flag_id)
    state = current_state(flag.incident_id) if flag.incident_id else None
    held = tuple(
        sorted({*(state.held_fields if state else {}), *(state.locked_fields if state else [])})
    )
    accept_does, reject_does = _accept_reject_text(flag)
    if state is not None and state.merged_into and flag.kind == Kind.REVISED:
        accept_does = (
            f"The incident was merged into {state.merged_into}: accepting records the "
            "edition's change as seen; nothing changes in the ledger."
        )
    losses: list[str] = []
    can_keep = False
    detail = flag.detail or {}
    if (
        state is not None
        and flag.kind == Kind.REVISED
        and detail.get("held")
        and flag.field
        and state.is_held(flag.field)
    ):
        losses, can_keep = _losses(state, flag)
    return AcceptPreview(
        losses=tuple(losses),
        held_fields=held,
        can_keep_editor_value=can_keep,
        why_raised=_WHY.get(flag.kind, "A change awaits a decision."),
        accept_does=accept_does,
        reject_does=reject_does,
    )


def _accept_reject_text(flag: ReviewFlag) -> tuple[str, str]:
    if flag.kind != Kind.REVISED:
        return (
            _ACCEPT.get(flag.kind, "Accept records the change as seen."),
            _REJECT.get(flag.kind, "Reject records the change as refused."),
        )
    label = field_label(flag.field)
    after = describe_value(flag.field, flag_value(flag, "after"))
    if (flag.detail or {}).get("held"):
        accept = (
            f"Accept sets {label} to the edition's value ({after}), which ingestion held back "
            f"because an editor holds the field; the field stays held against later editions."
        )
    else:
        accept = (
            f"Accept keeps the edition's value ({after}), which the ledger follows already; "
            f"the field is then held: later editions only flag changes to it."
        )
    reject = (
        f"Reject refuses {after} for {label}: the ledger keeps its value, and no later edition "
        "saying the same is flagged again."
    )
    return accept, reject


def _losses(state: IncidentState, flag: ReviewFlag) -> tuple[list[str], bool]:
    field = flag.field or ""
    who = _held_by(state, field)
    if field == "locations":
        incoming = (flag.detail or {}).get("after_fields", {}).get("places", [])
        editor = [p for p in state.places if p.get("source") == "editor"]
        losses = [
            f"the editor's coordinates {_coords(p)} for {p.get('name')}{who}"
            for p in editor
            if _coords(p)
        ]
        if losses:
            return losses, bool(incoming)
    if field in CASUALTY_PROPERTIES:
        preferred = [
            c
            for c in state.claims.values()
            if c.get("property") == field and c.get("rank") == "preferred"
        ]
        if preferred:
            figure = describe_value(field, estimate_from_claims(preferred).__dict__)
            return [
                f"the editor's {field_label(field)} figure {figure}{who}, which decides best"
            ], True
    current = describe_value(field, flag_current_value(flag))
    return [f"the {field_label(field)} the ledger holds, {current}{who}"], False


def _coords(place: dict[str, Any]) -> str:
    shown = place_fields(place)
    lat, lon = shown["latitude"], shown["longitude"]
    if lat is None or lon is None:
        return ""
    return f"{lat:g}, {lon:g}"


def _held_by(state: IncidentState, field: str) -> str:
    """ " (set by alice on 2026-11-30)": the latest editor's act that holds the field."""
    latest: tuple[str, str, Any] | None = None
    for recorded in reversed(store.read_stream(uuid.UUID(state.id))):
        event = recorded.event
        if isinstance(event, FieldCorrected | FieldLocked) and event.field == field:
            verb = "set" if isinstance(event, FieldCorrected) else "locked"
            latest = (verb, decided_by(recorded.metadata), recorded.recorded_at)
            break
    decided = (
        ReviewFlag.objects.filter(incident_id=state.id, field=field)
        .exclude(status=ReviewFlag.Status.OPEN)
        .exclude(decided_at=None)
        .order_by("-decided_at")
        .first()
    )
    if decided is not None and (latest is None or decided.decided_at > latest[2]):
        latest = (decided.status, decided.decided_by, decided.decided_at)
    if latest is None:
        return ""
    verb, name, at = latest
    return f" ({verb} by {name or 'an editor'} on {at.date().isoformat()})"


def flag_value(flag: ReviewFlag, side: str) -> Any:
    """The flag's before or after value in its fullest form, for words: the incident fields the
    flag's detail carries (places with their spelling and coordinates, the text as written)
    rather than the diff's normalised comparison form."""
    value = flag.before if side == "before" else flag.after
    fields = (flag.detail or {}).get(f"{side}_fields") or {}
    names = REVIEW_FIELDS.get(flag.field or "", ())
    if names and all(name in fields for name in names):
        return fields[names[0]] if len(names) == 1 else {name: fields[name] for name in names}
    return value


def flag_current_value(flag: ReviewFlag) -> Any:
    """The value the ledger holds now for the flag's field, shaped like the flag's before and
    after (None when the flag is about no incident or no field)."""
    if not flag.incident_id or not flag.field:
        return None
    state = current_state(flag.incident_id)
    if state is None:
        return None
    return ledger_value(state, flag.field)


def ledger_value(state: IncidentState, field: str) -> Any:
    """Review field `field` of an incident state, in the diff's comparable shape."""
    if field == "date":
        return [state.date_start, state.date_end, state.date_precision]
    if field in CASUALTY_PROPERTIES:
        estimate = state.estimate(field)
        if estimate.best is None:
            return None
        deciding = _deciding_claim(state, field, estimate.best)
        if deciding is not None:
            return [deciding.get("value_min"), deciding.get("value_max"), deciding.get("qualifier")]
        return [estimate.best, estimate.best, "exact"]
    if field == "locations":
        return [dict(p) for p in state.places]
    if field == "perpetrators":
        return [[p.get("actor") or p.get("name"), p.get("status")] for p in state.perpetrators]
    if field == "claims":
        return [
            [c.get("claimant"), c.get("property"), c.get("value_min"), c.get("value_max")]
            for c in state.claims.values()
            if c.get("rank") != "deprecated" and c.get("claimant") != "report"
        ]
    if field in ("targets", "sources"):
        return list(getattr(state, field))
    if field in ("text", "country", "event_type"):
        return getattr(state, field)
    return None


def _deciding_claim(state: IncidentState, field: str, best: int) -> dict[str, Any] | None:
    usable = [
        c
        for c in state.claims.values()
        if c.get("property") == field and c.get("rank") != "deprecated" and claim_best(c) == best
    ]
    ranked = sorted(
        usable,
        key=lambda c: (
            c.get("rank") == "preferred",
            c.get("claimant") == "report" and not c.get("merged_from"),
            c.get("position", 0),
        ),
    )
    return ranked[-1] if ranked else None
