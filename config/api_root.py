"""/api/v1/: what the API has, as links a client (or a person) can follow."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# Name in the root -> URL name. Only collections and documents a client starts from.
ENDPOINTS = {
    "incidents": "incident-list",
    "incidents_export_csv": "incident-export-csv",
    "incidents_export_geojson": "incident-export-geojson",
    "incidents_export_jsonl": "incident-export-jsonl",
    "claims": "claim-list",
    "flags": "flag-list",
    "actors": "actor-list",
    "places": "place-list",
    "changes": "changes",
    "reports": "report-list",
    "editions": "edition-list",
    "sources": "source-list",
    "schema": "schema",
    "docs": "swagger-ui",
}


class ApiRootView(APIView):
    """The endpoints of the API; open to anyone, as it only names them."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        responses={
            200: inline_serializer("ApiRoot", {name: serializers.URLField() for name in ENDPOINTS})
        },
    )
    def get(self, request: Request) -> Response:
        return Response({name: reverse(url, request=request) for name, url in ENDPOINTS.items()})
