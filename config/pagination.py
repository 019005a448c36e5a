"""Cursor pagination whose bad cursor is the client's error (400), as every bad parameter is."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class LedgerCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering: str | list[str] | tuple[str, ...] = "-pk"

    def decode_cursor(self, request: Any) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound as exc:  # DRF answers 404; the cursor is a malformed parameter
            raise ValidationError({self.cursor_query_param: [str(exc.detail)]}) from exc
