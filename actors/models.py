"""Read models of actors (written only by actors.projection) and the editable place table."""

from __future__ import annotations

from django.db import models


class ActorKind(models.TextChoices):
    JIHADIST_GROUP = "jihadist_group"
    SEPARATIST_GROUP = "separatist_group"
    STATE_FORCE = "state_force"
    FOREIGN_FORCE = "foreign_force"
    MILITIA = "militia"
    PERSON = "person"
    INTERNATIONAL_BODY = "international_body"


class RelationKind(models.TextChoices):
    MERGED_INTO = "merged_into"
    SPLINTER_OF = "splinter_of"
    RENAMED_TO = "renamed_to"
    AFFILIATE_OF = "affiliate_of"
    LEADER_OF = "leader_of"


class Actor(models.Model):
    id = models.UUIDField(primary_key=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, null=True, blank=True)
    kind = models.CharField(max_length=24, choices=ActorKind.choices)
    merged_into = models.UUIDField(null=True, blank=True)
    stream_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class ActorAlias(models.Model):
    """A name the actor goes by; `normalized` (common.names) is what lookups compare."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "normalized"], name="actor_alias_unique")
        ]

    def __str__(self) -> str:
        return self.alias


class ActorRelation(models.Model):
    subject = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    object = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="inverse_relations")
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subject} {self.kind} {self.object}"


class Place(models.Model):
    """Editor-maintained places the offline gazetteer lacks (villages, local spellings).

    A read model of the place stream (actors.projection.PlaceProjection): editors change it
    through actors.services.place_record / place_correct, each an event with who and why. The
    parser reads it alongside the gazetteer package (ingestion.reference).
    """

    id = models.UUIDField(primary_key=True)
    name = models.CharField(max_length=200)
    alternate_names = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=80)
    admin1 = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=40, default="editor")
    # The last change: who (the event's metadata), why, and when (the event's time).
    updated_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    stream_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.country}"
