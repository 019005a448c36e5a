"""Content negotiation whose unknown `?format=` is the client's error (400), said in JSON.

DRF answers an unknown format with a bare 404, as if the resource were missing; the resource
is there, the parameter is wrong, so it is a 400 naming the formats the endpoint has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


def _refused(value: str, formats: list[str]) -> ValidationError:
    return ValidationError(
        {
            "detail": "Unknown format.",
            "errors": {"format": [f"No format {value!r} here; use one of {', '.join(formats)}."]},
        }
    )


def refuse_other_format(request: Request, own: str) -> None:
    """For an endpoint with one format (an export): any other `?format=` is a 400."""
    value = request.query_params.get("format")
    if value is not None and value != own:
        raise _refused(value, [own])


class LedgerContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (Http404, NotFound) as exc:
            value = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            formats = sorted({r.format for r in renderers if r.format})
            raise _refused(str(value), formats) from exc
