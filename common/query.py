"""The one query layer's shared piece: every list filters through a django-filter FilterSet
whose values arrive already parsed.

An endpoint's input serializer answers the 400s (common.api.inputs.parse); the selector hands
the parsed values to a FilterSet, whose filters only name columns. A value of None or an empty
tuple means "any" (django-filter skips empty values).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Model, QuerySet


class Parsed(django_filters.Filter):
    """A filter whose value arrives parsed (a tuple, a date, a number) and passes through."""

    field_class = forms.Field


def filtered[M: Model](
    filterset: type[django_filters.FilterSet], queryset: QuerySet[M], **values: Any
) -> QuerySet[M]:
    """`queryset` narrowed by `filterset` to the given parsed values."""
    return filterset(data=values, queryset=queryset).qs
