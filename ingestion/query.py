"""The edition and source lists' FilterSets (common.query: values arrive parsed by the API's
input serializers)."""

from __future__ import annotations

import django_filters

from common.query import Parsed
from ingestion.models import Edition, Source


class EditionFilterSet(django_filters.FilterSet):
    report = Parsed(field_name="report__slug")
    status = Parsed(field_name="status")

    class Meta:
        model = Edition
        fields: list[str] = []


class SourceFilterSet(django_filters.FilterSet):
    report = Parsed(field_name="report__slug")

    class Meta:
        model = Source
        fields: list[str] = []
