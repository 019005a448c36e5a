"""Output and input of the change feed."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incidents.api.serializers import IncidentOutput
from ledger import store


class ChangeFeedInput(serializers.Serializer):
    """The feed's paging: `after` a position, `page_size` events (config.pagination)."""

    after = serializers.IntegerField(
        required=False, default=0, min_value=0, help_text="Events after this log position."
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, help_text="Log positions per page (100)."
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Deprecated: the old name of page_size.",
    )

    def validate_after(self, value: int) -> int:
        last = store.last_position()
        if value > last:
            raise serializers.ValidationError(f"The log ends at position {last}.")
        return value

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
    position = serializers.IntegerField(source="recorded.position")
    recorded_at = serializers.DateTimeField(source="recorded.recorded_at")
    type = serializers.CharField(source="recorded.event.type_name")
    stream_type = serializers.CharField(source="recorded.stream_type")
    stream_id = serializers.UUIDField(source="recorded.stream_id")
    incident = serializers.UUIDField(allow_null=True)
    actor = serializers.UUIDField(allow_null=True)
    who = serializers.CharField(source="recorded.metadata.who", allow_null=True, default=None)
    why = serializers.CharField(source="recorded.metadata.why", allow_null=True, default=None)
    edition_id = serializers.IntegerField(
        source="recorded.metadata.edition_id", allow_null=True, default=None
    )
    data = serializers.DictField(source="recorded.event.to_data")  # type: ignore[assignment]
    tombstone = TombstoneOutput(allow_null=True)
    incident_state = IncidentOutput(source="state", allow_null=True)


class ChangePageOutput(serializers.Serializer):
    results = ChangeOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page; null when caught up.")
    previous = serializers.URLField(
        allow_null=True, help_text="The page before; null on the first page."
    )
    position = serializers.IntegerField(help_text="Resume from here with ?after=position.")
