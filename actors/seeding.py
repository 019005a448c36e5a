"""Registers the seed actors (actors.seed_data) through the services.

Running it again writes nothing: every append carries an idempotency key.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction

from actors.seed_data import SEED_ACTORS, SEED_RELATIONS
from actors.services import actor_register, actor_relation_add
from ledger.store import Cause

_NAMESPACE = uuid.UUID("5b0f6c1e-3d7a-4a55-9a43-6c1b2f0e9d10")


def seed_actor_id(key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"actor:{key}")


def actors_seed() -> None:
    cause = Cause(who="system:seed", why="Actors every fresh ledger knows")
    with transaction.atomic():
        for actor in SEED_ACTORS:
            actor_register(
                actor_id=seed_actor_id(actor.key),
                name=actor.name,
                kind=actor.kind,
                short_name=actor.short_name,
                aliases=actor.aliases,
                cause=cause,
                idempotency_key=f"seed:actor:{actor.key}",
            )
        for rel in SEED_RELATIONS:
            actor_relation_add(
                subject_id=seed_actor_id(rel.subject),
                kind=rel.kind,
                object_id=seed_actor_id(rel.object),
                since=date.fromisoformat(rel.since) if rel.since else None,
                until=date.fromisoformat(rel.until) if rel.until else None,
                cause=cause,
                idempotency_key=f"seed:relation:{rel.subject}:{rel.kind}:{rel.object}",
            )
