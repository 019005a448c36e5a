"""Output serializers of the incident API: they translate folded incident states, nothing else.

An incident is always rendered from its IncidentState (the current revision, or the one valid
as of a position), so the live list, time travel, exports and the change feed show one shape.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from incidents.models import Claim
from incidents.schema import place_fields
from incidents.state import CASUALTY_PROPERTIES, IncidentState


class DynamicFieldsMixin(serializers.Serializer):
    """`fields=a,b` keeps only those top-level fields (sparse responses)."""

    def __init__(self, *args: Any, only: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # any may be left out, so the schema requires none
        if only:
            for name in set(self.fields) - only:
                self.fields.pop(name)


class EstimateOutput(serializers.Serializer):
    low = serializers.IntegerField(allow_null=True)
    best = serializers.IntegerField(allow_null=True)
    high = serializers.IntegerField(allow_null=True)


class CasualtiesOutput(serializers.Serializer):
    killed = EstimateOutput()
    wounded = EstimateOutput()
    kidnapped = EstimateOutput()
    attackers_killed = EstimateOutput()


class PlaceOutput(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField(allow_null=True)
    admin1 = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    precision = serializers.CharField(help_text="exact | near | region | country | unresolved")
    relation = serializers.CharField(
        allow_null=True,
        required=False,
        help_text='How the incident lies relative to a reference place ("north of", "near", '
        '"30 km from"); null when it happened in the place itself.',
    )


class PerpetratorOutput(serializers.Serializer):
    actor_id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField(default="")
    status = serializers.CharField(
        default="unknown", help_text="claimed | attributed | suspected | denied | unknown"
    )


class StateClaimOutput(serializers.Serializer):
    id = serializers.UUIDField()
    property = serializers.CharField()
    claimant = serializers.CharField()
    claimant_actor_id = serializers.UUIDField(allow_null=True)
    value_min = serializers.IntegerField(allow_null=True)
    value_max = serializers.IntegerField(allow_null=True)
    qualifier = serializers.CharField(allow_null=True)
    phrase = serializers.CharField(allow_blank=True)
    rank = serializers.CharField(help_text="preferred | normal | deprecated")
    rank_reason = serializers.CharField(allow_blank=True)
    edition_id = serializers.IntegerField(allow_null=True)


CLAIM_KEYS = tuple(StateClaimOutput().fields)


class IncidentOutput(DynamicFieldsMixin):
    """An incident: every field is present unless `fields` leaves it out.

    Every field is a function of the incident's folded events (its revision), so the change
    feed, which carries this same object, reproduces the list exactly. Which part of a timeline
    entry an incident was read from is an edition's record, not an event: see /parts/.
    """

    id = serializers.UUIDField()
    report = serializers.CharField()
    status = serializers.CharField(help_text="active | dropped | retracted | merged")
    review_state = serializers.CharField(
        help_text="unreviewed | pending (changes await an editor: GET /api/v1/flags/?incident=) "
        "| reviewed"
    )
    merged_into = serializers.UUIDField(allow_null=True)
    date_start = serializers.DateField(allow_null=True)
    date_end = serializers.DateField(allow_null=True)
    date_precision = serializers.CharField(help_text="day | range | month | year | unknown")
    country = serializers.CharField(allow_null=True)
    places = serializers.SerializerMethodField()
    event_type = serializers.CharField(allow_null=True)
    perpetrators = PerpetratorOutput(many=True)
    targets = serializers.ListField(child=serializers.CharField(allow_blank=True))
    sources = serializers.ListField(child=serializers.CharField(allow_blank=True))
    text = serializers.CharField(allow_blank=True)
    casualties = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()
    first_edition_id = serializers.IntegerField(allow_null=True)
    last_edition_id = serializers.IntegerField(allow_null=True)
    recorded_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    last_position = serializers.IntegerField(help_text="Log position of its latest event.")

    @extend_schema_field(PlaceOutput(many=True))
    def get_places(self, state: IncidentState) -> list[dict[str, Any]]:
        return [place_fields(p) for p in state.places]

    @extend_schema_field(CasualtiesOutput)
    def get_casualties(self, state: IncidentState) -> dict[str, Any]:
        out = {}
        for prop in CASUALTY_PROPERTIES:
            estimate = state.estimate(prop)
            out[prop] = {"low": estimate.low, "best": estimate.best, "high": estimate.high}
        return out

    @extend_schema_field(StateClaimOutput(many=True))
    def get_claims(self, state: IncidentState) -> list[dict[str, Any]]:
        # Claims in a state are JSON already; a nested serializer per incident costs more
        # than the whole query, so they are picked by name (StateClaimOutput documents them).
        return [{k: claim.get(k) for k in CLAIM_KEYS} for claim in state.claims.values()]


INCIDENT_FIELDS = frozenset(IncidentOutput().fields)


@extend_schema_serializer(many=False)  # a page object, not an array, though the action is "list"
class IncidentPageOutput(serializers.Serializer):
    count = serializers.IntegerField(
        required=False, help_text="The exact number of matches; present only with count=true."
    )
    results = IncidentOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    previous = serializers.URLField(
        allow_null=True, help_text="The page before, or null at the start."
    )
    position = serializers.IntegerField(
        help_text="The log position this page reflects: follow /changes/?after=position."
    )


class EntryPartOutput(serializers.Serializer):
    incident = serializers.UUIDField(source="incident_id")
    edition_id = serializers.IntegerField()
    line = serializers.IntegerField(help_text="Start line of the entry in that edition's text.")
    part = serializers.IntegerField(help_text="0 for the entry's primary incident; 1, 2, ...")
    text = serializers.CharField(allow_blank=True)


class EntryPartsOutput(serializers.Serializer):
    incident = serializers.UUIDField()
    results = EntryPartOutput(many=True)


class HistoryEventOutput(serializers.Serializer):
    position = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()
    type = serializers.CharField()
    stream_type = serializers.CharField(help_text="incident | claim")
    stream_id = serializers.UUIDField()
    version = serializers.IntegerField()
    who = serializers.CharField(allow_null=True)
    why = serializers.CharField(allow_null=True)
    edition_id = serializers.IntegerField(allow_null=True)
    flag_id = serializers.CharField(allow_null=True)
    data = serializers.DictField()  # type: ignore[assignment]


class HistoryOutput(serializers.Serializer):
    incident = serializers.UUIDField()
    results = HistoryEventOutput(many=True)


class ClaimOutput(serializers.ModelSerializer):
    incident = serializers.UUIDField(source="incident_id")

    class Meta:
        model = Claim
        fields = (
            "id",
            "incident",
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
