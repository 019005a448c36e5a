"""Input of every endpoint: a query string or a body through its input serializer, refused with
a 400 that names each wrong parameter or field once.

Unknown query parameters are refused too: a typo must not silently widen a query.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

# Parameters DRF itself reads; every other unknown parameter is refused.
FRAMEWORK_PARAMS = frozenset({"format"})


def refuse_unknown(query: QueryDict, serializer: serializers.Serializer) -> None:
    unknown = sorted(set(query) - set(serializer.fields) - FRAMEWORK_PARAMS)
    if unknown:
        accepted = ", ".join(sorted(serializer.fields))
        raise ValidationError(
            {
                "detail": "Unknown query parameter(s).",
                "errors": {
                    name: [f"Not a parameter of this endpoint; it takes {accepted}."]
                    for name in unknown
                },
            }
        )


def invalid_parameter(name: str, reason: str) -> ValidationError:
    """The 400 for one query parameter that parsed but that the ledger cannot answer (a cursor
    not ours, a position past the log), shaped as `parse` shapes its refusals."""
    return ValidationError({"detail": "Invalid query parameter(s).", "errors": {name: [reason]}})


def parse(serializer_class: type[serializers.Serializer], query: QueryDict) -> dict[str, Any]:
    """The validated query parameters, or a 400."""
    serializer = serializer_class(data=query)
    refuse_unknown(query, serializer)
    if not serializer.is_valid():
        raise ValidationError(
            {"detail": "Invalid query parameter(s).", "errors": serializer.errors}
        )
    return dict(serializer.validated_data)


def read_input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The validated body, or a 400 naming each wrong field once."""
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError({"detail": "Invalid request body.", "errors": serializer.errors})
    return dict(serializer.validated_data)


class NoParamsInput(serializers.Serializer):
    """An endpoint that takes no query parameter (beyond `format`)."""
