"""Projects review flag events into ReviewFlag rows: raised open, then decided once."""

from __future__ import annotations

from incidents.events import (
    FLAG_EVENTS,
    ChangeAccepted,
    ChangeCorrected,
    ChangeRejected,
    DuplicatesDistinguished,
    DuplicatesMerged,
    ReviewFlagClosed,
    ReviewFlagRaised,
)
from incidents.review.models import ReviewFlag
from ledger.projection import Projection
from ledger.store import RecordedEvent

_STATUS = {
    ChangeAccepted: ReviewFlag.Status.ACCEPTED,
    ChangeRejected: ReviewFlag.Status.REJECTED,
    ChangeCorrected: ReviewFlag.Status.CORRECTED,
    DuplicatesMerged: ReviewFlag.Status.MERGED,
    DuplicatesDistinguished: ReviewFlag.Status.DISTINCT,
    ReviewFlagClosed: ReviewFlag.Status.CLOSED,
}


def decided_by(metadata: dict) -> str:
    """The decider's user name, as the metadata's `who` ("user:<name>") gives it."""
    who = str(metadata.get("who") or "")
    return who.split(":", 1)[1] if who.startswith("user:") else who


class ReviewFlagProjection(Projection):
    name = "review_flags"
    models = (ReviewFlag,)
    handles = frozenset(FLAG_EVENTS)

    def apply_live(self, recorded: RecordedEvent) -> None:
        event = recorded.event
        if isinstance(event, ReviewFlagRaised):
            ReviewFlag.objects.create(
                id=recorded.stream_id,
                kind=event.kind,
                status=ReviewFlag.Status.OPEN,
                report=event.report,
                incident_id=event.incident_id,
                field=event.field,
                before=event.before,
                after=event.after,
                before_text=event.before_text,
                after_text=event.after_text,
                edition_id=event.edition_id,
                detail=event.detail,
                raised_at=recorded.recorded_at,
            )
        elif isinstance(event, ChangeAccepted | ChangeRejected | ChangeCorrected):
            ReviewFlag.objects.filter(id=recorded.stream_id).update(
                status=_STATUS[type(event)],
                decided_by=decided_by(recorded.metadata),
                decided_at=recorded.recorded_at,
                reason=event.reason,
                corrected_value=event.value if isinstance(event, ChangeCorrected) else None,
            )
        elif isinstance(event, DuplicatesMerged | DuplicatesDistinguished | ReviewFlagClosed):
            flag = ReviewFlag.objects.get(id=recorded.stream_id)
            flag.status = _STATUS[type(event)]
            flag.decided_by = decided_by(recorded.metadata)
            flag.decided_at = recorded.recorded_at
            flag.reason = event.reason
            flag.detail = {**flag.detail, "outcome": _outcome(event)}
            flag.save(update_fields=["status", "decided_by", "decided_at", "reason", "detail"])


def _outcome(event: DuplicatesMerged | DuplicatesDistinguished | ReviewFlagClosed) -> dict:
    """What closed the flag, kept in its detail for the queue and the API."""
    if isinstance(event, DuplicatesMerged):
        return {"merged": event.merged_id, "into": event.survivor_id}
    if isinstance(event, DuplicatesDistinguished):
        return {"distinct": event.incidents}
    return {"closed": "incident merged", "superseded_by": event.superseded_by}
