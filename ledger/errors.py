"""Errors the event store raises; each says what went wrong and what the caller can do."""

from common.errors import Conflict


class LedgerError(Exception):
    """Base of the event store's errors."""


class ConcurrencyConflict(LedgerError, Conflict):
    """The stream moved on since the caller read it: reload, decide again, append again."""

    def __init__(self, *, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"Stream {stream_id} is at version {actual}, not {expected} as expected: "
            "someone else changed it; reload and retry."
        )
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


class UnknownEventType(LedgerError):
    """An event class missing from config/wiring.py, or a stored type with no class."""


class InvalidEventPayload(LedgerError):
    """An event whose data or metadata cannot be stored as JSON."""


class AppendOnlyViolation(LedgerError):
    """Something tried to change or delete a stored event; corrections are new events."""
