"""What incidents read of ingestion's records (editions, their entries, the gazetteer), through
a port: ingestion sits above incidents and records into it, so incidents never import it.

`config/wiring.py` names the implementation (`EDITION_RECORDS`, ingestion.selectors); the
admin's history, the review queue, the incident API's parts and time travel by edition ask
`edition_records()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, cast

from ledger import wiring


class EntryPart(Protocol):
    """One incident of a timeline entry, as the entry's edition wrote it."""

    @property
    def incident_id(self) -> uuid.UUID: ...
    @property
    def edition_id(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def part(self) -> int: ...
    @property
    def text(self) -> str: ...


class EditionRecords(Protocol):
    def edition_exists(self, *, edition_id: int) -> bool: ...

    def edition_ids(self, *, report: str) -> set[int]:
        """The ids of a report's editions."""
        ...

    def edition_labels(self, *, edition_ids: Any = None) -> dict[int, str]:
        """Edition id -> "report date", as editors know an edition."""
        ...

    def incident_entry_parts(self, *, incident_id: uuid.UUID) -> Sequence[EntryPart]: ...

    def incident_parts_of(self, *, incident_ids: Iterable[uuid.UUID | str]) -> dict[str, int]: ...

    def entry_line(self) -> Any:
        """A subquery for querysets with `edition_id` and `incident_id` columns: the line of
        that incident's entry in that edition (None when the edition dropped it)."""
        ...

    def gazetteer(self) -> Any:
        """The parser's gazetteer (its places and the editors' place table)."""
        ...


def edition_records() -> EditionRecords:
    return cast(EditionRecords, wiring.provided("EDITION_RECORDS"))
