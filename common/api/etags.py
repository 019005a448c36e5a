"""Conditional GETs, and ids in URLs.

A response is determined by the request and by the rows behind it, so the ETag is a digest of
the request (path, query, format) and of a *version* of those rows, checked before any query
for the response runs. Each view declares where its version comes from (`etag_from`): the log's
last position for read models projected from events (they change only when the log grows), a
cheap aggregate of the tables for operational rows that change without an event (editions,
sources, runs; `table_version`). A view that declares nothing fails loudly rather than
answering a stale 304.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Count, Max
from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

# A version of the rows behind a response: anything with a stable repr that changes when they do.
Version = Callable[[], object]


def table_version(model: type[models.Model], *, changed: str | None = None) -> Version:
    """The version of a table that is written in place without events: its row count, its
    highest id and, with `changed`, the latest value of that column (a timestamp every write
    sets). One aggregate query over indexed columns."""

    def version() -> object:
        columns: dict[str, Any] = {"n": Count("pk"), "top": Max("pk")}
        if changed:
            columns["changed"] = Max(changed)
        row = model._default_manager.aggregate(**columns)
        return (model._meta.label, row["n"], row["top"], str(row.get("changed")))

    return version


def request_etag(request: Request, versions: Sequence[Version]) -> str:
    """A weak ETag: the rows' versions and a digest of the path, query and format."""
    query = sorted((k, v) for k in request.query_params for v in request.query_params.getlist(k))
    accepted = getattr(request, "accepted_media_type", "")
    stamp = repr(tuple(version() for version in versions))
    digest = hashlib.sha256(repr((request.path, query, accepted, stamp)).encode()).hexdigest()
    return f'W/"{digest[:32]}"'


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


class ConditionalMixin:
    """`self.not_modified(request)` at the top of a GET handler answers 304 when the client's
    If-None-Match still holds; otherwise the ETag is remembered and set on the response.

    `etag_from` lists the versions of every table the view's responses read (a tuple, so the
    functions stay plain functions and not methods)."""

    etag_from: tuple[Version, ...] = ()
    _etag: str | None = None

    def not_modified(self, request: Request) -> Response | None:
        if not self.etag_from:
            raise ImproperlyConfigured(
                f"{type(self).__name__} answers conditional GETs but declares no etag_from."
            )
        self._etag = request_etag(request, self.etag_from)
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
