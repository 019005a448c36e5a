"""The change feed endpoint: what each append changed, for consumers that keep a copy in sync."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.errors import ErrorOutput
from common.api.etags import ConditionalMixin
from common.api.inputs import invalid_parameter, parse
from common.api.pagination import feed_links
from incidents.api.feed import change_page
from incidents.api.feed_serializers import ChangeFeedInput, ChangePageOutput
from incidents.selectors import TimeTravelError, position_in_log
from ledger import store

FEED_DESCRIPTION = """\
The ledger's changes in log order: one item per incident per append (transaction), carrying the
incident's whole public state after it (`incident_state`), and one item per actor event.

**The fold.** Keep the latest `incident_state` per `incident` id, tombstones included
(`status` dropped, retracted or merged; a merged incident names its survivor in
`merged_into`). Applied from `after=0`, the copy equals `GET /incidents/?include=all` field for
field after every page, and `GET /incidents/?include=all&as_of_position=P` at each page's
`position` P. Follow `next` until it is null, then poll with `after=position`. Applying an item
twice is harmless, so a client may resume from any `position` it has stored.
"""


class ChangeFeedView(ConditionalMixin, APIView):
    """Changes in log order; follow `next` until it is null, then poll `after=position`."""

    throttle_scope = "changes"
    etag_from = (store.last_position,)  # the feed is the log

    @extend_schema(
        description=FEED_DESCRIPTION,
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
        try:
            position_in_log("after", data["after"])
        except TimeTravelError as error:
            raise invalid_parameter(error.parameter, str(error)) from error
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
