"""Projects review flag events into ReviewFlag rows."""

from __future__ import annotations

from incidents.events import FLAG_EVENTS, ReviewFlagRaised
from incidents.review_models import ReviewFlag
from ledger.projection import Projection
from ledger.store import RecordedEvent


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
