"""Raising review flags. Decisions on them (accept, reject, correct) come with the review queue."""

from __future__ import annotations

import uuid
from typing import Any

from incidents.events import FLAG_STREAM, ReviewFlagRaised
from ledger import store
from ledger.store import Cause


def flag_part(
    *,
    kind: str,
    report: str,
    incident_id: uuid.UUID | str | None = None,
    field: str | None = None,
    before: Any = None,
    after: Any = None,
    before_text: str | None = None,
    after_text: str | None = None,
    edition_id: int | None = None,
    detail: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> store.Append:
    """Decide the append that raises one flag (nothing is written)."""
    event = ReviewFlagRaised(
        kind=kind,
        report=report,
        incident_id=str(incident_id) if incident_id else None,
        field=field,
        before=before,
        after=after,
        before_text=before_text,
        after_text=after_text,
        edition_id=edition_id,
        detail=detail or {},
    )
    return store.Append(
        stream_type=FLAG_STREAM,
        stream_id=uuid.uuid4(),
        expected_version=0,
        events=[event],
        idempotency_key=idempotency_key,
    )


def flag_raise(*, cause: Cause, **flag: Any) -> uuid.UUID:
    """Raise one review flag now; `flag` takes flag_part's arguments."""
    return store.append_batch([flag_part(**flag)], cause=cause)[0].events[0].stream_id
