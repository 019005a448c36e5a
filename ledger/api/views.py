"""The change feed endpoint: events after a position, with tombstones, for consumers to sync."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import feed_links
from incidents.api.filters import parse
from incidents.api.serializers import ErrorOutput
from ledger.api.common import ConditionalMixin
from ledger.api.feed import change_page
from ledger.api.serializers import ChangeFeedInput, ChangePageOutput


class ChangeFeedView(ConditionalMixin, APIView):
    """Public events in log order; follow `next` until it is null, then poll `after=position`."""

    throttle_scope = "changes"

    @extend_schema(
        parameters=[ChangeFeedInput],
        responses={
            200: ChangePageOutput,
            304: OpenApiResponse(description="Not modified"),
            400: ErrorOutput,
        },
    )
    def get(self, request: Request) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        data = parse(ChangeFeedInput, request.query_params)
        page = change_page(after=data["after"], limit=data["page_size"])
        next_url, previous_url = feed_links(
            request,
            after=data["after"],
            position=page.position,
            more=page.more,
            page_size=data["page_size"],
        )
        body = {
            "results": page.changes,
            "next": next_url,
            "previous": previous_url,
            "position": page.position,
        }
        return Response(ChangePageOutput(body).data)
