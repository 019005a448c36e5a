"""What every editorial endpoint shares: read a request body through its input serializer, call
one service, and turn what the service refuses into a 400 (or 403 / 409) that names the field.

Services word their refusals for people ("latitude: between -90 and 90, not 95.0."); when a
message starts with the name of one of the endpoint's inputs, that input is the field the 400
names, once, under `errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from actors.services import NotAPlaceEditor, PlaceCommandError
from incidents.api.serializers import ErrorOutput
from incidents.review.curation import CurationError, NotAnEditor
from incidents.services import IncidentCommandError
from ledger.errors import ConcurrencyConflict

# Viewers and operators are refused (403), anonymous clients asked to authenticate (401).
REFUSED = {401: ErrorOutput, 403: ErrorOutput}


def decision_responses(output: Any) -> dict[int, Any]:
    return {200: output, 400: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput, **REFUSED}


def read_input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The validated body, or a 400 naming each wrong field once."""
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError({"detail": "Invalid request body.", "errors": serializer.errors})
    return dict(serializer.validated_data)


def refused(message: str, fields: Iterable[str], *, default: str | None = None) -> Response:
    """A 400 for a service's refusal; the field it concerns under `errors` when it is known."""
    head, _, rest = message.partition(":")
    if head in set(fields) and rest.strip():
        return Response(
            {"detail": "Invalid request body.", "errors": {head: [rest.strip()]}}, status=400
        )
    if default:
        return Response({"detail": "Invalid request body.", "errors": {default: [message]}}, 400)
    return Response({"detail": message}, status=400)


def call_service[T](
    run: Callable[[], T],
    *,
    fields: Iterable[str] = (),
    default_field: str | None = None,
    conflict_when: Callable[[], bool] = lambda: False,
) -> T | Response:
    """Run one service; what it refuses becomes a response. `conflict_when` tells a refusal
    that comes from someone else's concurrent decision (409) from a bad request (400)."""
    try:
        return run()
    except ConcurrencyConflict:
        return Response(
            {"detail": "Something changed meanwhile; reload and decide again."}, status=409
        )
    except (NotAnEditor, NotAPlaceEditor) as exc:
        return Response({"detail": str(exc)}, status=403)
    except (CurationError, IncidentCommandError, PlaceCommandError) as exc:
        if conflict_when():
            return Response({"detail": str(exc)}, status=409)
        return refused(str(exc), fields, default=default_field)
