"""Read-only incident endpoints. Filters, time travel and exports come with the API issue."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.pagination import CursorPagination

from incidents.api.serializers import IncidentOutput
from incidents.selectors import incident_list


class IncidentPagination(CursorPagination):
    ordering = ("-date_start", "id")
    page_size_query_param = "page_size"
    max_page_size = 500


class IncidentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IncidentOutput
    pagination_class = IncidentPagination

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return incident_list().prefetch_related("claims")
