"""Events of the actor stream. Ids are UUID strings; dates ISO strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.events import Event

ACTOR_STREAM = "actor"


@dataclass(frozen=True, kw_only=True)
class ActorRegistered(Event):
    name: str
    kind: str
    short_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class ActorAliasAdded(Event):
    alias: str


@dataclass(frozen=True, kw_only=True)
class ActorRelationAdded(Event):
    """This actor stands in `kind` relation to `object_id` (e.g. merged_into JNIM) over a period."""

    kind: str
    object_id: str
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, kw_only=True)
class ActorMerged(Event):
    """A duplicate actor; it stays as a tombstone naming the survivor."""

    into: str


ACTOR_EVENTS = (ActorRegistered, ActorAliasAdded, ActorRelationAdded, ActorMerged)


PLACE_STREAM = "place"


@dataclass(frozen=True, kw_only=True)
class PlaceRecorded(Event):
    """An editor added a place the gazetteer lacks (a village, a local spelling)."""

    name: str
    country: str
    admin1: str = ""
    latitude: float | None = None
    longitude: float | None = None
    alternate_names: list[str] = field(default_factory=list)
    source: str = "editor"
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class PlaceCorrected(Event):
    """An editor changed some of a place's fields; `changes` maps field name to new value."""

    changes: dict[str, Any]
    reason: str


PLACE_EVENTS = (PlaceRecorded, PlaceCorrected)
