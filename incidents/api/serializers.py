"""Output serializers of the incident API: they translate read models, nothing else."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from incidents.models import Claim, Incident
from incidents.state import CASUALTY_PROPERTIES


class ClaimOutput(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = (
            "id",
            "property",
            "claimant",
            "claimant_actor_id",
            "value_min",
            "value_max",
            "qualifier",
            "phrase",
            "rank",
            "rank_reason",
            "edition_id",
        )


class EstimateOutput(serializers.Serializer):
    low = serializers.IntegerField(allow_null=True)
    best = serializers.IntegerField(allow_null=True)
    high = serializers.IntegerField(allow_null=True)


class CasualtiesOutput(serializers.Serializer):
    killed = EstimateOutput()
    wounded = EstimateOutput()
    kidnapped = EstimateOutput()
    attackers_killed = EstimateOutput()


class IncidentOutput(serializers.ModelSerializer):
    casualties = serializers.SerializerMethodField()
    claims = ClaimOutput(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = (
            "id",
            "report",
            "status",
            "merged_into",
            "date_start",
            "date_end",
            "date_precision",
            "country",
            "places",
            "event_type",
            "perpetrators",
            "targets",
            "sources",
            "text",
            "casualties",
            "claims",
            "first_edition_id",
            "last_edition_id",
            "updated_at",
        )

    def get_casualties(self, obj: Incident) -> dict[str, Any]:
        return {
            prop: {k: getattr(obj, f"{prop}_{k}") for k in ("low", "best", "high")}
            for prop in CASUALTY_PROPERTIES
        }
