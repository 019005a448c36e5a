"""The actor and place lists' FilterSets (common.query: values arrive parsed by the API's
input serializers)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from actors.models import Actor, ActorAlias, Place
from common.names import normalize_name
from common.query import Parsed


class ActorFilterSet(django_filters.FilterSet):
    include_merged = Parsed(method="by_merged")
    kind = Parsed(field_name="kind")
    q = Parsed(method="by_name")

    class Meta:
        model = Actor
        fields: list[str] = []

    def by_merged(self, qs: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return qs if value else qs.filter(merged_into__isnull=True)

    def by_name(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """The name, or any alias normalised as the parser normalises names."""
        aliases = ActorAlias.objects.filter(normalized__contains=normalize_name(value))
        return qs.filter(Q(name__icontains=value) | Q(id__in=aliases.values("actor_id")))


class PlaceFilterSet(django_filters.FilterSet):
    country = Parsed(field_name="country", lookup_expr="iexact")
    q = Parsed(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Place
        fields: list[str] = []
