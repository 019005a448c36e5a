"""One paging convention for every list of the API, and cursors whose tampering is a 400.

Every list takes `page_size` and answers `results`, `next` and `previous` (links, null at either
end) and, only when asked with `count=true`, `count`: the exact number of matches, one COUNT
over the same indexed filter the page uses (so it costs what the filter costs, and nothing
when not asked). Three kinds of list share it:

- model lists (actors, places, claims, flags, editions, ...): `LedgerCursorPagination`, DRF's
  cursor pagination with its cursor checked against the ordering column before any query;
- the incident list: keyset cursors over (ordering value, id), `encode_keyset_cursor` /
  `decode_keyset_cursor`, the value checked against the ordering's kind;
- the change feed: positions are gap-free, so a page is `after=P` and the previous page is
  `after=P - page_size` (`feed_links`).

A cursor is opaque: whatever a client sends that this API did not give out (base64 junk, valid
base64 of junk, a NUL byte, a number beyond the column's range) is a 400 naming `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from base64 import b64decode
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common.api.inputs import invalid_parameter

BIGINT = 2**63 - 1
MAX_PAGE_SIZE = 500
NOT_OURS = "Not a cursor this API gave out; follow the `next` or `previous` link of a page."


def _refuse(name: str = "cursor", reason: str = NOT_OURS) -> ValidationError:
    return invalid_parameter(name, reason)


def wants_count(request: Request) -> bool:
    """`count=true|false` (also 1/0, yes/no); anything else is a 400."""
    value = request.query_params.get("count")
    if value is None:
        return False
    field = serializers.BooleanField()
    try:
        return bool(field.to_internal_value(value))
    except serializers.ValidationError as exc:
        raise _refuse("count", "Give count=true for the total, or leave it out.") from exc


class PagingInput(serializers.Serializer):
    """The paging parameters every list takes (documented once, merged into each list's own)."""

    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    cursor = serializers.CharField(
        required=False, help_text="Opaque; from a page's `next` or `previous` link."
    )
    count = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also return `count`, the exact number of matches (one COUNT over the "
        "list's filter; only run when asked).",
    )


# --- model lists ----------------------------------------------------------------------------


def _check_position(field: models.Field[Any, Any] | None, position: str) -> None:
    """Refuse a position the ordering column could not hold, before it reaches SQL."""
    if "\x00" in position:
        raise _refuse()
    if field is None:
        return
    try:
        value = field.to_python(position)
    except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
        raise _refuse() from exc
    if isinstance(value, int) and not -BIGINT - 1 <= value <= BIGINT:
        raise _refuse()


class LedgerCursorPagination(CursorPagination):
    """DRF's cursor pagination with the house conventions: page_size, count=true, 400s."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering: str | list[str] | tuple[str, ...] = "-pk"
    _count: int | None = None
    _model: type[models.Model] | None = None

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self._model = getattr(queryset, "model", None)
        self._count = queryset.count() if wants_count(request) else None
        self._check_page_size(request)
        return super().paginate_queryset(queryset, request, view)

    def _check_page_size(self, request: Request) -> None:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            field.run_validation(value)
        except serializers.ValidationError as exc:
            raise _refuse("page_size", "; ".join(str(d) for d in exc.detail)) from exc  # type: ignore[union-attr]

    def decode_cursor(self, request: Any) -> Any:
        token = request.query_params.get(self.cursor_query_param)
        if token is not None:
            self._check_token(token)
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:  # DRF answers 404; the cursor is a malformed parameter
            raise _refuse() from exc
        except (ValueError, TypeError, OverflowError) as exc:
            raise _refuse() from exc
        if cursor is not None and cursor.position is not None:
            _check_position(self._ordering_field(), str(cursor.position))
        return cursor

    def _check_token(self, token: str) -> None:
        """DRF reads any decodable text as some cursor (junk becomes the first page); only a
        query string of its own keys, with an offset DRF itself would give, is one."""
        try:
            text = b64decode(token.encode("ascii")).decode("ascii")
            tokens = parse_qs(text, keep_blank_values=True, strict_parsing=True)
            offset = int(tokens.get("o", ["0"])[0])
        except (ValueError, TypeError, binascii.Error) as exc:
            raise _refuse() from exc
        if not tokens or set(tokens) - {"o", "r", "p"} or not 0 <= offset <= self.offset_cutoff:
            raise _refuse()

    def _ordering_field(self) -> models.Field[Any, Any] | None:
        ordering = self.ordering if isinstance(self.ordering, list | tuple) else [self.ordering]
        name = str(ordering[0]).lstrip("-")
        if self._model is None:
            return None
        meta = self._model._meta
        if name == "pk":
            return meta.pk  # type: ignore[return-value]
        try:
            return meta.get_field(name)  # type: ignore[return-value]
        except Exception:  # an annotation: no column to check against, NUL is still refused
            return None

    def get_paginated_response(self, data: Any) -> Response:
        body: OrderedDict[str, Any] = OrderedDict()
        if self._count is not None:
            body["count"] = self._count
        body["next"] = self.get_next_link()
        body["previous"] = self.get_previous_link()
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        page = super().get_paginated_response_schema(schema)
        page["properties"]["count"] = {
            "type": "integer",
            "description": "The exact number of matches; present only with count=true.",
        }
        page["required"] = ["results", "next", "previous"]
        return page

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": "count",
                "required": False,
                "in": "query",
                "description": "Also return `count`, the exact number of matches.",
                "schema": {"type": "boolean"},
            }
        )
        return parameters


# --- keyset cursors (the incident list) -----------------------------------------------------


@dataclass(frozen=True)
class KeysetCursor:
    ordering: str  # the ordering it belongs to, e.g. "-date_start"
    value: Any  # the ordering value of the item it points at (JSON: ISO date, int or None)
    id: uuid.UUID
    backwards: bool  # True for a `previous` link: the page before the item


def encode_keyset_cursor(ordering: str, value: Any, ident: uuid.UUID, *, backwards: bool) -> str:
    data: dict[str, Any] = {"o": ordering, "v": value, "i": str(ident)}
    if backwards:
        data["d"] = "p"
    raw = json.dumps(data, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _value_fits(value: Any, kind: str) -> bool:
    if value is None:
        return True
    if kind == "date":
        if not isinstance(value, str) or "\x00" in value:
            return False
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return isinstance(value, int) and not isinstance(value, bool) and -BIGINT - 1 <= value <= BIGINT


def decode_keyset_cursor(token: str, *, kinds: dict[str, str]) -> KeysetCursor:
    """The cursor, or a serializers.ValidationError. `kinds` maps each ordering (without its
    sign) to the kind of its value: "date" or "int"."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        ordering, value, ident = data["o"], data["v"], uuid.UUID(data["i"])
        backwards = data.get("d") == "p"
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise serializers.ValidationError(NOT_OURS) from exc
    kind = kinds.get(ordering.lstrip("-")) if isinstance(ordering, str) else None
    if kind is None or not _value_fits(value, kind):
        raise serializers.ValidationError(NOT_OURS)
    return KeysetCursor(ordering, value, ident, backwards)


def keyset_links(
    request: Request, ordering: str, *, next_item: tuple[Any, uuid.UUID] | None,
    previous_item: tuple[Any, uuid.UUID] | None,
) -> tuple[str | None, str | None]:  # fmt: skip
    """(next, previous) links of a keyset page, from the items they continue from."""
    url = remove_query_param(request.build_absolute_uri(), "cursor")
    links: list[str | None] = []
    for item, backwards in ((next_item, False), (previous_item, True)):
        if item is None:
            links.append(None)
            continue
        token = encode_keyset_cursor(ordering, item[0], item[1], backwards=backwards)
        links.append(replace_query_param(url, "cursor", token))
    return links[0], links[1]


# --- the change feed --------------------------------------------------------------------------


def feed_links(
    request: Request, *, after: int, position: int, more: bool, page_size: int
) -> tuple[str | None, str | None]:
    """(next, previous) of a feed page. Positions are gap-free, so the page before `after=A`
    starts at `after=max(0, A - page_size)`, with no cursor to keep. Pages hold whole appends,
    so that page may reach past A; the fold (latest state per id) does not mind a repeat."""
    url = request.build_absolute_uri()
    next_url = replace_query_param(url, "after", position) if more else None
    previous_url = None
    if after > 0:
        previous_url = replace_query_param(url, "after", max(0, after - page_size))
    return next_url, previous_url
