"""Output and input of the change feed."""

from __future__ import annotations

from rest_framework import serializers

from incidents.api.serializers import IncidentOutput


class ChangeFeedInput(serializers.Serializer):
    after = serializers.IntegerField(
        required=False, default=0, min_value=0, help_text="Events after this log position."
    )
    limit = serializers.IntegerField(required=False, default=100, min_value=1, max_value=1000)


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
    position = serializers.IntegerField(help_text="Resume from here with ?after=position.")
