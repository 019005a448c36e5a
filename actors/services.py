"""Use cases that change actors: register, add an alias or a dated relation, merge."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction

from actors.events import (
    ACTOR_STREAM,
    ActorAliasAdded,
    ActorMerged,
    ActorRegistered,
    ActorRelationAdded,
)
from actors.models import Actor, ActorAlias, ActorKind, RelationKind
from actors.names import normalize_name
from ledger import store
from ledger.events import Event
from ledger.store import AppendResult, Cause


class ActorCommandError(ValueError):
    """A command the actor rules refuse; the message says why."""


def _load(actor_id: uuid.UUID) -> Actor:
    actor = Actor.objects.filter(id=actor_id).first()
    if actor is None:
        raise ActorCommandError(f"No actor {actor_id}.")
    if actor.merged_into:
        raise ActorCommandError(f"Actor {actor.name} was merged into {actor.merged_into}.")
    return actor


def _append(actor: Actor, event: Event, cause: Cause, key: str | None) -> AppendResult:
    return store.append(
        stream_type=ACTOR_STREAM,
        stream_id=actor.id,
        expected_version=actor.stream_version,
        events=[event],
        cause=cause,
        idempotency_key=key,
    )


def actor_register(
    *,
    name: str,
    kind: str,
    cause: Cause,
    short_name: str | None = None,
    aliases: tuple[str, ...] = (),
    actor_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> uuid.UUID:
    """Register an actor with its aliases in one append; returns its id."""
    if kind not in ActorKind.values:
        raise ActorCommandError(f"Actor kind must be one of {', '.join(ActorKind.values)}.")
    if not name.strip():
        raise ActorCommandError("An actor needs a name.")
    events: list[Event] = [ActorRegistered(name=name, kind=kind, short_name=short_name)]
    events += [
        ActorAliasAdded(alias=a) for a in dict.fromkeys(aliases) if a not in (name, short_name)
    ]
    result = store.append(
        stream_type=ACTOR_STREAM,
        stream_id=actor_id or uuid.uuid4(),
        expected_version=0,
        events=events,
        cause=cause,
        idempotency_key=idempotency_key,
    )
    return result.events[0].stream_id


def actor_alias_add(
    *, actor_id: uuid.UUID, alias: str, cause: Cause, idempotency_key: str | None = None
) -> AppendResult | None:
    """Add a name; returns None when the actor already goes by it."""
    actor = _load(actor_id)
    if not normalize_name(alias):
        raise ActorCommandError("An alias needs letters or digits.")
    if ActorAlias.objects.filter(actor=actor, normalized=normalize_name(alias)).exists():
        return None
    return _append(actor, ActorAliasAdded(alias=alias), cause, idempotency_key)


def actor_relation_add(
    *,
    subject_id: uuid.UUID,
    kind: str,
    object_id: uuid.UUID,
    cause: Cause,
    since: date | None = None,
    until: date | None = None,
    idempotency_key: str | None = None,
) -> AppendResult:
    if kind not in RelationKind.values:
        raise ActorCommandError(f"Relation kind must be one of {', '.join(RelationKind.values)}.")
    if subject_id == object_id:
        raise ActorCommandError("An actor cannot be related to itself.")
    if since and until and since > until:
        raise ActorCommandError("A relation cannot end before it starts.")
    subject = _load(subject_id)
    _load(object_id)
    event = ActorRelationAdded(
        kind=kind,
        object_id=str(object_id),
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
    )
    return _append(subject, event, cause, idempotency_key)


def actor_merge(*, loser_id: uuid.UUID, survivor_id: uuid.UUID, cause: Cause) -> AppendResult:
    """Make `loser_id` a tombstone naming `survivor_id`, and re-attribute its incidents to the
    survivor in the same transaction: one event per incident, so each history shows it."""
    from incidents.services import incidents_reattribute  # incidents depend on actors, not back

    if loser_id == survivor_id:
        raise ActorCommandError("An actor cannot be merged into itself.")
    loser = _load(loser_id)
    survivor = _load(survivor_id)
    with transaction.atomic():
        result = _append(loser, ActorMerged(into=str(survivor_id)), cause, None)
        incidents_reattribute(
            from_actor_id=loser_id, to_actor_id=survivor_id, to_name=survivor.name, cause=cause
        )
    return result
