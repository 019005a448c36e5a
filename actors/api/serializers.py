"""Output and input of the actor endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import Actor, ActorKind, Place
from common.api.pagination import PagingInput


class ActorListInput(PagingInput):
    q = serializers.CharField(required=False, help_text="Text in the name or any alias.")
    kind = serializers.ChoiceField(choices=ActorKind.values, required=False)
    include_merged = serializers.BooleanField(required=False, default=False)


class ActorRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class RelationOutput(serializers.Serializer):
    kind = serializers.CharField(
        help_text="merged_into | splinter_of | renamed_to | affiliate_of | leader_of"
    )
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text="outgoing: this actor <kind> other; incoming: other <kind> this actor.",
    )
    other = ActorRefOutput()
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class ActorOutput(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()
    relations = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = ("id", "name", "short_name", "kind", "merged_into", "aliases", "relations")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, actor: Actor) -> list[str]:
        return [a.alias for a in actor.aliases.all()]

    @extend_schema_field(RelationOutput(many=True))
    def get_relations(self, actor: Actor) -> Any:
        out = [
            {
                "kind": r.kind,
                "direction": "outgoing",
                "other": r.object,
                "since": r.since,
                "until": r.until,
            }
            for r in actor.relations.all()
        ]
        out += [
            {
                "kind": r.kind,
                "direction": "incoming",
                "other": r.subject,
                "since": r.since,
                "until": r.until,
            }
            for r in actor.inverse_relations.all()
        ]
        return RelationOutput(out, many=True).data


class PlaceListInput(PagingInput):
    country = serializers.CharField(required=False, help_text="Country name (any case).")
    q = serializers.CharField(required=False, help_text="Text in the place's name.")


class PlaceRecordOutput(serializers.ModelSerializer):
    alternate_names = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Place
        fields = (
            "id",
            "name",
            "alternate_names",
            "country",
            "admin1",
            "latitude",
            "longitude",
            "source",
            "updated_by",
            "reason",
            "updated_at",
        )


class PlaceRecordInput(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    admin1 = serializers.CharField(required=False, allow_blank=True, default="")
    latitude = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-90, max_value=90
    )
    longitude = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-180, max_value=180
    )
    alternate_names = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    reason = serializers.CharField(help_text="Why; required, for the next editor.")


class PlaceCorrectInput(serializers.Serializer):
    """Only the fields given change."""

    name = serializers.CharField(required=False)
    country = serializers.CharField(required=False)
    admin1 = serializers.CharField(required=False, allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    alternate_names = serializers.ListField(child=serializers.CharField(), required=False)
    reason = serializers.CharField(help_text="Why; required, for the next editor.")
