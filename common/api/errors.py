"""JSON errors everywhere under /api/: for paths no route matches, for server errors, and also
under DEBUG, where Django would answer an API client with an HTML page; people get Django's.
`ErrorOutput` is their shape in the schema: `detail`, and `errors` by parameter or field."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

API_PREFIX = "/api/"


@extend_schema_field(OpenApiTypes.OBJECT)
class ErrorDetailField(serializers.JSONField):
    pass


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(required=False)
    errors = ErrorDetailField(  # type: ignore[assignment]
        required=False, help_text="Parameter name -> list of reasons."
    )


# Viewers and operators are refused (403), anonymous clients asked to authenticate (401).
REFUSED = {401: ErrorOutput, 403: ErrorOutput}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": f"No such resource: {request.path}"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "The server failed; the error is logged."}, status=500)
    return defaults.server_error(request)


def _detail(request: HttpRequest, status: int) -> str:
    if status == 404:
        return f"No such resource: {request.path}"
    if status == 405:
        return f"Method {request.method} not allowed on {request.path}."
    if status >= 500:
        return "The server failed; the error is logged."
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "The request failed."


class ApiJsonErrorsMiddleware:
    """An HTML error answer to an /api/ request becomes JSON with the same status.

    The handlers above cover production; under DEBUG Django renders its technical 404 and 500
    pages instead, and a few of its own views (405 on a plain view, 400 for a bad host) answer
    HTML whatever the setting. A client of the API reads `detail` either way; the traceback
    stays in the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and response.get("Content-Type", "").startswith("text/html")
        ):
            json_response = JsonResponse(
                {"detail": _detail(request, response.status_code)}, status=response.status_code
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
