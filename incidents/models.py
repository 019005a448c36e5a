"""Read models of incidents and claims. Written only by incidents.projection; never edit them."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce

# An open revision (valid_to NULL) has no end yet: as the end of an interval it is the largest
# bigint. `valid_end()` is the expression the as-of list indexes hold
# and incidents.query.valid_at tests, word for word, so PostgreSQL matches the two.
OPEN_END = 2**63 - 1


def valid_end() -> Coalesce:
    """A revision's end, open ones at OPEN_END: never NULL, so `valid_end() > P` is one
    comparison an index can test, where `valid_to IS NULL OR valid_to > P` is not."""
    return Coalesce(models.F("valid_to"), models.Value(OPEN_END))


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
            # With the status beside them, a filtered page (a bounding box: thousands of rows
            # stepped over per page) walks the index alone, never the wide rows (PostgreSQL;
            # INCLUDE is PostgreSQL's, SQLite gets the plain index).
            models.Index(
                models.F("date_start").desc(nulls_last=True),
                models.F("id").desc(),
                include=["status"],
                name="incident_date_status",
            ),
            # The `killed` order likewise (its own column's index serves the killed_min range
            # but not this order, so a bounding box ordered by killed read every incident in
            # the box from its row and sorted them).
            models.Index(
                models.F("killed_best").desc(nulls_last=True),
                models.F("id").desc(),
                include=["status"],
                name="incident_killed_status",
            ),
            # The date-span filters: the span alone, small (deduplicated), for a span that
            # other filters narrow further (a page, a count of one month's ambushes: a bitmap
            # of it ANDed with another index's)...
            models.Index(fields=["date_max", "date_min"], name="incident_date_span"),
            # ... and the span with date_start, the status and the id beside it, for a count
            # that reads every incident in a span: from index entries, joining its other
            # filters (an actor's perpetrator rows) on the id, instead of every incident's
            # wide row (PostgreSQL chose a sequential scan of the table). Not one index for
            # both: with the INCLUDEs the first is seven times the size, and PostgreSQL, which
            # overestimates how many incidents a narrow span holds, then reads the whole table
            # for a month's count instead. PostgreSQL only (INCLUDE; migration 0012).
            models.Index(
                fields=["date_max", "date_min"],
                include=["date_start", "status", "id"],
                name="incident_span_cover",
            ),
            models.Index(fields=["last_position"], name="incident_last_position"),
            # An incident's status by its id, from the index entry: a filter that reads its
            # matches first (a count, a small bounding box) looks each incident up by id.
            # PostgreSQL only (INCLUDE); on SQLite it would repeat the primary key.
            models.Index(fields=["id"], include=["status"], name="incident_status_of"),
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
    name_key = models.CharField(max_length=200, default="", db_index=True)  # common.names key
    status = models.CharField(max_length=12)

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class IncidentPlace(models.Model):
    """Where it happened, one row per place, for filtering by place, admin1 and bounding box."""

    # Indexed by incident_place_coords_of, which begins with it.
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="place_rows", db_index=False
    )
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)  # common.names key
    country = models.CharField(max_length=80, null=True, blank=True)
    admin1 = models.CharField(max_length=120, null=True, blank=True)
    admin1_key = models.CharField(max_length=120, null=True, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    precision = models.CharField(max_length=12)

    class Meta:
        indexes = [
            # A bounding box over every place (a count, or a box so small few incidents fall
            # in it): the latitude is the index condition, the longitude tested on the entry,
            # the incident read from it (INCLUDE is PostgreSQL's; SQLite gets the plain index).
            models.Index(
                fields=["latitude", "longitude"],
                include=["incident"],
                name="incident_place_coords_cover",
            ),
            # An incident's place rows (replay replaces them by it), and a bounding box while
            # a list walks its order index: one probe per incident, answered from the index
            # entry, not the place's row.
            models.Index(
                fields=["incident", "latitude", "longitude"], name="incident_place_coords_of"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.precision})"


class IncidentRevision(models.Model):
    """An incident's full state, valid for log positions valid_from <= p < valid_to (open: now).

    "As of position P" is one indexed query over this table for one incident or a whole list.
    The filter and ordering columns repeat the Incident row's, with the same names, so one
    FilterSet (incidents.query) selects from either table: the live list reads Incident, time
    travel reads the revisions valid at P. Nullable because revisions projected before these
    columns existed hold them only after `rebuild_projections`.
    """

    incident_id = models.UUIDField()
    valid_from = models.BigIntegerField()
    valid_to = models.BigIntegerField(null=True, blank=True)
    state = models.JSONField()
    status = models.CharField(max_length=12, null=True, blank=True)
    date_start = models.DateField(null=True, blank=True)
    date_min = models.DateField(null=True, blank=True)
    date_max = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=80, null=True, blank=True)
    event_type = models.CharField(max_length=40, null=True, blank=True)
    killed_best = models.IntegerField(null=True, blank=True)
    targets = models.JSONField(null=True, blank=True)
    sources = models.JSONField(null=True, blank=True)
    text = models.TextField(null=True, blank=True)
    first_edition_id = models.BigIntegerField(null=True, blank=True)
    last_edition_id = models.BigIntegerField(null=True, blank=True)
    last_position = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident_id", "valid_from"], name="incident_revision_start"
            )
        ]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="incident_revision_range"),
            # The list's orders, as on Incident: each ends on the incident's id. Then the
            # validity (start, end), so an as-of list tests "valid at P" on the index entry and
            # reads from the table only the revisions valid then, not every revision of every
            # incident it steps over (several per incident: one per event). Both orders
            # also carry the status (and valid_to, the column under valid_end, which
            # PostgreSQL needs stored to skip the row) as Incident's do, so a filtered page
            # as of P walks the index alone, as the live one does.
            models.Index(
                models.F("date_start").desc(nulls_last=True),
                models.F("incident_id").desc(),
                models.F("valid_from"),
                valid_end(),
                include=["status", "valid_to"],
                name="incident_revision_date_cover",
            ),
            models.Index(
                models.F("killed_best").desc(nulls_last=True),
                models.F("incident_id").desc(),
                models.F("valid_from"),
                valid_end(),
                include=["status", "valid_to"],
                name="incident_revision_killed_cover",
            ),
            models.Index(fields=["last_position"], name="incident_revision_position"),
            # The date-span filters, with the validity after them for the same reason: a
            # count as of P reads the revisions valid then, not the whole table. As on
            # Incident, twice: the keys alone, and with date_start, the status, the
            # incident's id and valid_to beside them, so a count over a span reads index
            # entries, not the revisions' rows (PostgreSQL only, as on Incident).
            models.Index(
                models.F("date_max"),
                models.F("date_min"),
                models.F("valid_from"),
                valid_end(),
                name="incident_revision_span_valid",
            ),
            models.Index(
                models.F("date_max"),
                models.F("date_min"),
                models.F("valid_from"),
                valid_end(),
                include=["date_start", "status", "incident_id", "valid_to"],
                name="incident_revision_span_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} [{self.valid_from}, {self.valid_to or '…'})"


class IncidentRevisionPlace(models.Model):
    """A revision's places, one row each (IncidentPlace for the revision (incident_id,
    valid_from)): place, admin1 and bounding-box filters as of any position.

    `valid_to` repeats the revision's (the projector closes both together) so a filter can pick
    the place rows valid at a position by themselves, from an index, before it joins any
    revision: a bounding box then meets as many rows as it does among the live places, not
    every revision's. The as-of place filters join the incident alone (incidents.query), so
    this `valid_to` must always be its revision's: whatever closes a revision closes its place
    rows in the same transaction."""

    incident_id = models.UUIDField()
    valid_from = models.BigIntegerField()
    valid_to = models.BigIntegerField(null=True, blank=True)
    name_key = models.CharField(max_length=200, db_index=True)
    admin1_key = models.CharField(max_length=120, null=True, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            # An incident's place rows valid at P (the as-of place filters' join), the
            # validity tested on the index entry as in the revision indexes; the coordinates
            # (and valid_to, under valid_end) stored with it so a bounding box probed per
            # incident while a page walks its order is answered from the entry, not the row.
            models.Index(
                models.F("incident_id"),
                models.F("valid_from"),
                valid_end(),
                include=["latitude", "longitude", "valid_to"],
                name="revision_place_valid_coords",
            ),
            # The as-of bounding box: the box and the validity (as in the revision's order
            # indexes) are tested on the index entry, so only the place rows valid at P are
            # read (INCLUDE is PostgreSQL's; SQLite gets the plain index).
            models.Index(
                models.F("latitude"),
                models.F("longitude"),
                models.F("valid_from"),
                valid_end(),
                include=["incident_id"],
                name="revision_place_coords_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}@{self.valid_from} {self.name_key}"


class IncidentRevisionPerpetrator(models.Model):
    """A revision's perpetrators, one row each (IncidentPerpetrator for the revision)."""

    incident_id = models.UUIDField()
    valid_from = models.BigIntegerField()
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    name_key = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=12)

    class Meta:
        indexes = [
            models.Index(fields=["incident_id", "valid_from"], name="revision_perp_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}@{self.valid_from} {self.name_key} ({self.status})"


class IncidentEdition(models.Model):
    """Edition membership: the incident was present in `edition_id` (recorded, revised or seen
    unchanged there), from log position `position` on. `edition=N` and "as of P" read it."""

    incident_id = models.UUIDField()
    edition_id = models.BigIntegerField()
    position = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition_id", "incident_id"], name="incident_edition_member"
            )
        ]
        indexes = [models.Index(fields=["incident_id"], name="incident_edition_incident")]

    def __str__(self) -> str:
        return f"{self.incident_id} in edition {self.edition_id} (from {self.position})"


from incidents.review.models import ReviewFlag  # noqa: E402  (the review queue lives in its own module)

__all__ = [
    "OPEN_END",
    "Claim",
    "Incident",
    "IncidentEdition",
    "IncidentPerpetrator",
    "IncidentRevision",
    "IncidentRevisionPerpetrator",
    "IncidentRevisionPlace",
    "ReviewFlag",
    "valid_end",
]
