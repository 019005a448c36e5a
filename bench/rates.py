"""What every ledger benchmark row is made of: a progress bar and a measured rate."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


def bar(desc: str, total: int, progress: bool, *, unit: str = "ev") -> tqdm:
    return tqdm(
        total=total, desc=desc, unit=unit, disable=not progress, leave=False, file=sys.stderr
    )


def measurement(
    name: str,
    description: str,
    *,
    events: int,
    transactions: int,
    seconds: float,
    target: int | None = None,
) -> dict[str, Any]:
    rate = events / seconds if seconds > 0 else 0.0
    result: dict[str, Any] = {
        "name": name,
        "description": description,
        "events": events,
        "transactions": transactions,
        "seconds": round(seconds, 4),
        "events_per_s": round(rate, 1),
    }
    if target is not None:
        result["target_events_per_s"] = target
        result["met"] = rate >= target
    return result
