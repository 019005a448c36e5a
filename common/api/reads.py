"""The two GET answers every read endpoint gives: one page of a selector's rows, and one row.

Both check the ETag first (no query runs for a 304), refuse unknown or wrong query parameters
with a 400, and serialize through the endpoint's output serializer; a view's handler names only
what differs (its input, its selector, its output), so paging, conditional GETs and 404s are
written once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.http import Http404
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.etags import UUID_PATTERN, ConditionalMixin
from common.api.inputs import parse

T = TypeVar("T")

# The output serializer of a page or a row: a serializer class, or a function building one.
Output = Callable[..., serializers.BaseSerializer]


class ConditionalReadMixin(ConditionalMixin):
    """`answer_page` for lists (on a GenericViewSet: its pagination_class pages them) and
    `answer_one` for single rows."""

    def answer_page(
        self,
        request: Request,
        *,
        params: type[serializers.Serializer],
        rows: Callable[[dict[str, Any]], Iterable[Any]],
        output: Output,
        context: Callable[[list[Any]], dict[str, Any]] | None = None,
    ) -> Response:
        """A page of `rows(parsed params)`; `context(page)` gives the serializer what it needs
        to look up for the whole page at once (one query per page, not one per row)."""
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        view: Any = self  # a GenericViewSet: paginate_queryset and get_paginated_response
        page = view.paginate_queryset(rows(parse(params, request.query_params)))
        extra = context(page) if context else {}
        return view.get_paginated_response(output(page, many=True, context=extra).data)

    def answer_one(
        self,
        request: Request,
        *,
        fetch: Callable[[], T | None],
        output: Callable[[T], serializers.BaseSerializer],
        params: type[serializers.Serializer] | None = None,
    ) -> Response:
        """`output(fetch())`, or a 404 when it finds nothing. With `params`, the query string
        is checked against them first (an endpoint without parameters refuses any)."""
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        if params is not None:
            parse(params, request.query_params)
        found = fetch()
        if found is None:
            raise Http404
        return Response(output(found).data)


class ReadViewSet(ConditionalReadMixin, viewsets.GenericViewSet):
    """A viewset over selectors: its input serializers parse the filters and its selectors
    apply them, so no DRF filter backend runs; ids in URLs are UUIDs unless a view says
    otherwise. A subclass declares its serializer, pagination and `etag_from`."""

    lookup_value_regex = UUID_PATTERN
    filter_backends: list[type] = []
