"""Reads the actor endpoints need: actors with their aliases and relations in a few queries.

(Kept beside the API because actors/selectors.py serves the parser; they can move there.)
"""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet

from actors.models import Actor, ActorAlias, ActorRelation, Place
from actors.query import ActorFilterSet, PlaceFilterSet
from common.query import filtered


def _with_relations(qs: QuerySet[Actor]) -> QuerySet[Actor]:
    related = ActorRelation.objects.select_related("subject", "object").order_by("kind", "id")
    return qs.prefetch_related(
        Prefetch("aliases", queryset=ActorAlias.objects.order_by("alias")),
        Prefetch("relations", queryset=related),
        Prefetch("inverse_relations", queryset=related),
    )


def actor_list(*, q: str | None = None, kind: str | None = None, include_merged: bool = False):
    """Actors by name; `q` matches the name or any alias (normalised, as the parser does)."""
    qs = filtered(
        ActorFilterSet, Actor.objects.all(), q=q, kind=kind, include_merged=include_merged
    )
    return _with_relations(qs)


def actor_get(*, actor_id: uuid.UUID) -> Actor | None:
    return _with_relations(Actor.objects.filter(id=actor_id)).first()


def place_list(*, country: str | None = None, q: str | None = None) -> QuerySet[Place]:
    """The editable places table; `q` is text in the name."""
    return filtered(PlaceFilterSet, Place.objects.all(), country=country, q=q)
