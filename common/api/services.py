"""What every writing endpoint shares: call one service, and turn what it refuses into a 400
(or 403 / 409) that names the field.

Services word their refusals for people ("latitude: between -90 and 90, not 95.0."); when a
message starts with the name of one of the endpoint's inputs, that input is the field the 400
names, once, under `errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rest_framework.response import Response

from common.api.errors import REFUSED, ErrorOutput
from common.errors import Conflict, Forbidden, Refused


def decision_responses(output: Any) -> dict[int, Any]:
    return {200: output, 400: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput, **REFUSED}


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
    except Conflict:
        return Response(
            {"detail": "Something changed meanwhile; reload and decide again."}, status=409
        )
    except Forbidden as exc:
        return Response({"detail": str(exc)}, status=403)
    except Refused as exc:
        if conflict_when():
            return Response({"detail": str(exc)}, status=409)
        return refused(str(exc), fields, default=default_field)
