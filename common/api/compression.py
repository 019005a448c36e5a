"""Gzip for the API's responses, and only for them.

BREACH recovers a secret from a compressed response's size when the same response also
reflects attacker-chosen text. Our HTML pages (the admin, the API's Swagger page) carry the
CSRF token; compressing them would be the textbook BREACH target. The API's own responses
(JSON, CSV, GeoJSON, JSON lines) carry no secret: tokens travel in headers, sessions in
cookies, and no endpoint echoes a CSRF token. So gzip is scoped to /api/ and never to HTML.
Streamed exports are compressed as they stream (Django's middleware handles both kinds).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from common.api.errors import API_PREFIX


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
