"""Events of the actor stream. Ids are UUID strings; dates ISO strings."""

from __future__ import annotations

from dataclasses import dataclass

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
