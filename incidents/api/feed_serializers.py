"""Output and input of the change feed."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incidents.api.serializers import IncidentOutput


class ChangeFeedInput(serializers.Serializer):
    """The feed's paging: `after` a position, `page_size` items (common.api.pagination)."""

    after = serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        help_text="Changes after this log position: 0, or a `position` a page returned.",
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Items per page (100); a page ends at an append's end, so it may hold a "
        "few more.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Deprecated: the old name of page_size.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "page_size" in attrs and "limit" in attrs:
            raise serializers.ValidationError(
                {"limit": "Give page_size only (limit is its old name)."}
            )
        attrs["page_size"] = attrs.pop("limit", None) or attrs.get("page_size") or 100
        return attrs


class TombstoneOutput(serializers.Serializer):
    status = serializers.CharField(help_text="dropped | retracted | merged")
    merged_into = serializers.UUIDField(allow_null=True)


class ChangeOutput(serializers.Serializer):
    """One incident as an append left it (`incident_state`), or one actor event (`data`)."""

    position = serializers.IntegerField(
        help_text="The log position of the last event of the append that changed it."
    )
    recorded_at = serializers.DateTimeField()
    events = serializers.ListField(
        child=serializers.CharField(),
        help_text="Types of the append's events that changed it, in log order.",
    )
    incident = serializers.UUIDField(allow_null=True)
    actor = serializers.UUIDField(allow_null=True)
    who = serializers.CharField(source="metadata.who", allow_null=True, default=None)
    why = serializers.CharField(source="metadata.why", allow_null=True, default=None)
    edition_id = serializers.IntegerField(
        source="metadata.edition_id", allow_null=True, default=None
    )
    tombstone = TombstoneOutput(
        allow_null=True, help_text="Set when the incident is no longer active (still listed)."
    )
    incident_state = IncidentOutput(
        source="state",
        allow_null=True,
        help_text="The incident's whole public state after the change, exactly as "
        "GET /incidents/?include=all shows it; null for an actor event.",
    )
    data = serializers.DictField(  # type: ignore[assignment]
        allow_null=True, help_text="An actor event's payload; null for an incident."
    )


class ChangePageOutput(serializers.Serializer):
    results = ChangeOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page; null when caught up.")
    previous = serializers.URLField(
        allow_null=True, help_text="The page before; null on the first page."
    )
    position = serializers.IntegerField(help_text="Resume from here with ?after=position.")
