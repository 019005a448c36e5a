"""Pieces every ledger endpoint shares: conditional GETs keyed on the log, ids in URLs.

Every read model is a function of the event log, so a response is fully determined by the log's
last position and the request: that pair is the ETag, checked before any query runs.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from ledger import store


def log_etag(request: Request) -> str:
    """A weak ETag: the log's last position and a digest of the path, query and format."""
    query = sorted((k, v) for k in request.query_params for v in request.query_params.getlist(k))
    accepted = getattr(request, "accepted_media_type", "")
    digest = hashlib.sha256(repr((request.path, query, accepted)).encode()).hexdigest()[:20]
    return f'W/"{store.last_position()}-{digest}"'


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


class ConditionalMixin:
    """`self.not_modified(request)` at the top of a GET handler answers 304 when the client's
    If-None-Match still holds; otherwise the ETag is remembered and set on the response."""

    _etag: str | None = None

    def not_modified(self, request: Request) -> Response | None:
        self._etag = log_etag(request)
        header = request.headers.get("If-None-Match")
        if header and _matches(header, self._etag):
            return Response(status=304, headers={"ETag": self._etag})
        return None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self._etag and response.status_code == 200:
            response["ETag"] = self._etag
        return response


UUID_PATTERN = "[0-9a-fA-F-]{32,36}"


def uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc
