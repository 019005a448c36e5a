"""The parser's output: frozen plain-data records, one per thing the parser reads."""

from __future__ import annotations

from dataclasses import dataclass, field


class ParseError(Exception):
    """Input the parser cannot read; `reason` says what to do about it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Count:
    """One figure in the report's own voice (see the contract's `count`)."""

    min: int | None = None
    max: int | None = None
    qualifier: str | None = None
    text: str | None = None


NO_COUNT = Count()


@dataclass(frozen=True)
class Location:
    name: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "unresolved"
    country: str | None = None
    # How the incident lies relative to this place when it is only a reference point ("north
    # of", "near", "30 km from"); None when the incident happened in the place itself.
    relation: str | None = None


@dataclass(frozen=True)
class Perpetrator:
    name: str  # as written
    actor: str | None  # canonical name
    actor_id: str | None
    status: str


@dataclass(frozen=True)
class Claim:
    claimant: str
    about: str
    min: int | None
    max: int | None
    text: str
    qualifier: str | None = None
    actor_id: str | None = None  # the claimant in the actor registry, when it knows it


@dataclass(frozen=True)
class Entry:
    """One incident as a timeline entry reports it. An entry that reports several separate
    events gives one Entry per event: same `line`, `part` 0 (primary), 1, 2, ... in text order."""

    line: int
    part: int
    date_start: str | None
    date_end: str | None
    date_precision: str
    event_type: str
    country: str | None
    locations: tuple[Location, ...]
    killed: Count
    wounded: Count
    kidnapped: Count
    attackers_killed: Count
    perpetrators: tuple[Perpetrator, ...]
    claims: tuple[Claim, ...]
    targets: tuple[str, ...]
    sources: tuple[str, ...]
    text: str  # the entry's text; a part's is the entry's without the other parts' sentences
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ParsedEdition:
    parser_version: str
    title: str | None
    country: str | None
    edition_date: str | None
    sha256: str
    chars: int
    input_kind: str  # text / pdf / html
    sections: tuple[Section, ...]
    entries: tuple[Entry, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # The decoded input text (from text, PDF or HTML) the lines and offsets refer to.
    text: str = field(default="", repr=False)
