"""Reads of actors and places, as plain data the pure parser can take."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from actors.models import Actor, ActorAlias, Place
from common.names import normalize_name


def actor_lexicon_entries() -> list[tuple[str, str, list[str]]]:
    """(actor id, canonical name, aliases) of every live actor, for the parser's lexicon."""
    aliases: dict[uuid.UUID, list[str]] = {}
    for actor_id, alias in ActorAlias.objects.values_list("actor_id", "alias"):
        aliases.setdefault(actor_id, []).append(alias)
    return [
        (str(a.id), a.name, aliases.get(a.id, []))
        for a in Actor.objects.filter(merged_into__isnull=True)
    ]


def actor_find(*, name: str) -> Actor | None:
    """The live actor going by `name` (any alias, any spelling normalize_name equates)."""
    alias = (
        ActorAlias.objects.filter(normalized=normalize_name(name), actor__merged_into__isnull=True)
        .select_related("actor")
        .first()
    )
    return alias.actor if alias else None


def actor_kinds(*, actor_ids: Iterable[str]) -> dict[str, tuple[str, str | None, str]]:
    """actor id -> (name, short name, kind) for the ids given (exports name actors by kind)."""
    ids = {uuid.UUID(str(i)) for i in actor_ids if i}
    rows = Actor.objects.filter(id__in=ids).values_list("id", "name", "short_name", "kind")
    return {str(i): (name, short, kind) for i, name, short, kind in rows}


def place_entries() -> list[dict[str, Any]]:
    fields = ("name", "alternate_names", "country", "admin1", "latitude", "longitude")
    return [dict(row) for row in Place.objects.values(*fields)]
