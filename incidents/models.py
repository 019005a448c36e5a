"""Read models of incidents and claims. Written only by incidents.projection; never edit them."""

from __future__ import annotations

from django.db import models


class Incident(models.Model):
    """An incident's current state, as the event log says it is now."""

    id = models.UUIDField(primary_key=True)
    report = models.CharField(max_length=100, db_index=True)
    status = models.CharField(max_length=12, db_index=True)
    merged_into = models.UUIDField(null=True, blank=True)
    date_start = models.DateField(null=True, blank=True, db_index=True)
    date_end = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10)
    # The span the incident may fall in, from its dates and their precision (a "month" date
    # covers the whole month): date filters test overlap with it. Null when undated.
    date_min = models.DateField(null=True, blank=True)
    date_max = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=80, null=True, blank=True, db_index=True)
    places = models.JSONField(default=list)
    event_type = models.CharField(max_length=40, null=True, blank=True, db_index=True)
    perpetrators = models.JSONField(default=list)
    targets = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    text = models.TextField(blank=True)
    # unreviewed | pending | reviewed (incidents.state.ReviewState), from its flags' events.
    # Nullable only so SQLite adds the column in place: a table rebuild there cannot recreate
    # the NULLS LAST index; the projector always writes it.
    review_state = models.CharField(max_length=12, null=True, blank=True, db_index=True)
    killed_low = models.IntegerField(null=True, blank=True)
    killed_best = models.IntegerField(null=True, blank=True, db_index=True)
    killed_high = models.IntegerField(null=True, blank=True)
    wounded_low = models.IntegerField(null=True, blank=True)
    wounded_best = models.IntegerField(null=True, blank=True)
    wounded_high = models.IntegerField(null=True, blank=True)
    kidnapped_low = models.IntegerField(null=True, blank=True)
    kidnapped_best = models.IntegerField(null=True, blank=True)
    kidnapped_high = models.IntegerField(null=True, blank=True)
    attackers_killed_low = models.IntegerField(null=True, blank=True)
    attackers_killed_best = models.IntegerField(null=True, blank=True)
    attackers_killed_high = models.IntegerField(null=True, blank=True)
    first_edition_id = models.BigIntegerField(null=True, blank=True)
    last_edition_id = models.BigIntegerField(null=True, blank=True)
    stream_version = models.PositiveIntegerField()
    last_position = models.BigIntegerField()
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-date_start", "id"]
        indexes = [
            # The API's default order and keyset cursor: (date_start, id) descending, undated last.
            models.Index(
                models.F("date_start").desc(nulls_last=True),
                models.F("id").desc(),
                name="incident_date_order",
            ),
            models.Index(fields=["date_max", "date_min"], name="incident_date_span"),
            models.Index(fields=["last_position"], name="incident_last_position"),
        ]

    def __str__(self) -> str:
        return f"{self.date_start or 'undated'} {self.country or ''} {self.text[:60]}"


class Claim(models.Model):
    """One claimant's assertion about an incident, ranked Wikidata-style."""

    id = models.UUIDField(primary_key=True)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="claims")
    property = models.CharField(max_length=20)
    claimant = models.CharField(max_length=200)
    claimant_actor_id = models.UUIDField(null=True, blank=True)
    value_min = models.IntegerField(null=True, blank=True)
    value_max = models.IntegerField(null=True, blank=True)
    qualifier = models.CharField(max_length=20, null=True, blank=True)
    phrase = models.TextField(blank=True)
    rank = models.CharField(max_length=12)
    rank_reason = models.TextField(blank=True)
    edition_id = models.BigIntegerField(null=True, blank=True)
    # A copy made when the incident it was first asserted about (this id) was merged into this.
    merged_from = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "property", "claimant"]

    def __str__(self) -> str:
        return f"{self.claimant}: {self.property} {self.value_min}-{self.value_max}"


class IncidentPerpetrator(models.Model):
    """Who did it or is said to have, one row per actor, for filtering by actor."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="perpetrator_rows"
    )
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, default="", db_index=True)  # actors.names key
    status = models.CharField(max_length=12)

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class IncidentPlace(models.Model):
    """Where it happened, one row per place, for filtering by place, admin1 and bounding box."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="place_rows")
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)  # actors.names key
    country = models.CharField(max_length=80, null=True, blank=True)
    admin1 = models.CharField(max_length=120, null=True, blank=True)
    admin1_key = models.CharField(max_length=120, null=True, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    precision = models.CharField(max_length=12)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="incident_place_coords")]

    def __str__(self) -> str:
        return f"{self.name} ({self.precision})"


class IncidentRevision(models.Model):
    """An incident's full state, valid for log positions valid_from <= p < valid_to (open: now).

    "As of position P" is one indexed query over this table for one incident or a whole list.
    """

    incident_id = models.UUIDField()
    valid_from = models.BigIntegerField()
    valid_to = models.BigIntegerField(null=True, blank=True)
    state = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident_id", "valid_from"], name="incident_revision_start"
            )
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="incident_revision_range")]

    def __str__(self) -> str:
        return f"{self.incident_id} [{self.valid_from}, {self.valid_to or '…'})"


from incidents.review_models import ReviewFlag  # noqa: E402  (the review queue lives in its own module)

__all__ = ["Claim", "Incident", "IncidentPerpetrator", "IncidentRevision", "ReviewFlag"]
