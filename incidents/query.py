"""One query layer for incident lists, now and as of any log position: a django-filter FilterSet
over either table.

"Now" reads the Incident rows; "as of position P" reads the IncidentRevision rows valid at P
(`valid_from <= P < valid_to`), which carry the same filter and order columns under the same
names, with their place and perpetrator rows beside them. A `Table` says which one and how its
rows join their places, perpetrators and edition membership; the FilterSet's methods only name
columns, so every filter means the same thing at every position, in SQL, with indexes.

Input is parsed before it gets here (incidents.api.filters answers 400s); the FilterSet takes
the parsed values as they are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThan

from common.names import normalize_name
from common.query import Parsed
from incidents.models import (
    Claim,
    Incident,
    IncidentEdition,
    IncidentPerpetrator,
    IncidentPlace,
    IncidentRevision,
    IncidentRevisionPerpetrator,
    IncidentRevisionPlace,
    valid_end,
)
from incidents.state import Status

# The curated view: what a list shows unless it asks for other statuses.
DEFAULT_STATUSES = (Status.ACTIVE,)
ALL_STATUSES = (Status.ACTIVE, Status.DROPPED, Status.MERGED, Status.RETRACTED)


@dataclass(frozen=True, kw_only=True)
class IncidentFilters:
    """What a list asks for. Empty tuples and None mean "any"."""

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    actors: tuple[str, ...] = ()  # canonical names or aliases
    include_related: frozenset[str] = frozenset()
    perpetrator_statuses: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    killed_min: int | None = None
    killed_max: int | None = None
    target: str | None = None
    source: str | None = None
    edition: int | None = None  # present in that edition (recorded, revised or seen there)
    first_edition: int | None = None  # first seen in
    last_edition: int | None = None  # last seen in
    # Incident statuses; empty means the curated view (active, and dropped with
    # include_dropped).
    statuses: tuple[str, ...] = ()
    include_dropped: bool = False
    updated_since: datetime | None = None
    since_position: int | None = None  # changed after this log position
    q: str | None = None

    def visible_statuses(self) -> tuple[str, ...]:
        if self.statuses:
            return self.statuses
        return (Status.ACTIVE, Status.DROPPED) if self.include_dropped else DEFAULT_STATUSES


@dataclass(frozen=True)
class ActorMatch:
    """The perpetrator rows an actor filter accepts: resolved actor ids, or unresolved names."""

    ids: frozenset[uuid.UUID] = frozenset()
    name_keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Table:
    """Where a list reads: the live rows (position None) or the revisions valid at `position`."""

    position: int | None = None
    counting: bool = False  # a count, not a page: see places()

    @property
    def model(self) -> type[Incident] | type[IncidentRevision]:
        return Incident if self.position is None else IncidentRevision

    @property
    def id_column(self) -> str:
        """The incident's id on this table's rows (the order's tie-breaker and the cursor's)."""
        return "id" if self.position is None else "incident_id"

    def rows(self) -> QuerySet[Any]:
        if self.position is None:
            return Incident.objects.all()
        return IncidentRevision.objects.filter(valid_at(self.position))

    def places(self) -> QuerySet[Any]:
        if self.position is None:
            return IncidentPlace.objects.filter(incident_id=OuterRef("pk"))
        # The revision's own rows: place rows carry their revision's validity (the projector
        # closes both together), so the incident's place rows valid at the position are those
        # of its revision valid then, and the validity picks them, from the bounding-box index
        # too. Joined on the incident alone, not also on valid_from: PostgreSQL multiplies the
        # two columns' selectivities, expects almost no matches, and answers a bounding box
        # by reading every match and sorting, however deep the page, where the live list walks
        # its order index until the page is full (as it now does as of P). A count reads every
        # match anyway, and with valid_from joined too each finds its revision in one probe.
        rows = IncidentRevisionPlace.objects.filter(
            valid_at(self.position), incident_id=OuterRef("incident_id")
        )
        return rows.filter(valid_from=OuterRef("valid_from")) if self.counting else rows

    def perpetrators(self) -> QuerySet[Any]:
        if self.position is None:
            return IncidentPerpetrator.objects.filter(incident_id=OuterRef("pk"))
        return IncidentRevisionPerpetrator.objects.filter(
            incident_id=OuterRef("incident_id"), valid_from=OuterRef("valid_from")
        )

    def members(self, edition: int) -> QuerySet[Any]:
        members = IncidentEdition.objects.filter(
            incident_id=OuterRef(self.id_column), edition_id=edition
        )
        if self.position is not None:
            members = members.filter(position__lte=self.position)
        return members


def valid_at(position: int) -> Q:
    """The revisions valid right after `position`: valid_from <= P < valid_to, an open revision
    ending nowhere. Said with models.valid_end, as the revision indexes hold it, so both halves
    are tested on index entries and a list reads only the revisions valid then (with
    `valid_to IS NULL OR valid_to > P`, an OR no index tests, it read every revision of every
    incident it stepped over, one per event)."""
    return Q(valid_from__lte=position) & Q(GreaterThan(valid_end(), position))


def _any_iexact(column: str, values: tuple[str, ...]) -> Q:
    q = Q()
    for value in values:
        q |= Q(**{f"{column}__iexact": value})
    return q


class IncidentFilterSet(django_filters.FilterSet):
    """The list's filters over `table`. Construct with `for_filters`; read `.qs`."""

    statuses = Parsed(method="by_status")
    date_from = Parsed(method="by_date_from")
    date_to = Parsed(method="by_date_to")
    countries = Parsed(method="by_country")
    event_types = Parsed(method="by_event_type")
    killed_min = Parsed(field_name="killed_best", lookup_expr="gte")
    killed_max = Parsed(field_name="killed_best", lookup_expr="lte")
    target = Parsed(field_name="targets", lookup_expr="icontains")
    source = Parsed(field_name="sources", lookup_expr="icontains")
    q = Parsed(field_name="text", lookup_expr="icontains")
    updated_since = Parsed(field_name="updated_at", lookup_expr="gte")
    since_position = Parsed(field_name="last_position", lookup_expr="gt")
    first_edition = Parsed(field_name="first_edition_id")
    last_edition = Parsed(field_name="last_edition_id")
    edition = Parsed(method="by_edition")
    places = Parsed(method="by_place")
    admin1 = Parsed(method="by_admin1")
    bbox = Parsed(method="by_bbox")
    perpetrators = Parsed(method="by_perpetrator")

    def __init__(
        self, data: dict[str, Any], *, table: Table, actors: ActorMatch | None = None
    ) -> None:
        self.table, self.actors = table, actors
        super().__init__(data=data, queryset=table.rows())

    @classmethod
    def for_filters(
        cls, filters: IncidentFilters, *, table: Table, actors: ActorMatch | None
    ) -> IncidentFilterSet:
        data = {f.name: getattr(filters, f.name) for f in fields(filters)}
        data["statuses"] = filters.visible_statuses()
        # One Exists over the perpetrator rows tests the actor and the attribution together.
        data["perpetrators"] = (
            (actors, filters.perpetrator_statuses)
            if actors is not None or filters.perpetrator_statuses
            else None
        )
        return cls(data, table=table, actors=actors)

    def by_status(self, qs: QuerySet[Any], name: str, value: tuple[str, ...]) -> QuerySet[Any]:
        return qs.filter(status__in=value)

    def by_date_from(self, qs: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return qs.filter(date_max__gte=value)

    def by_date_to(self, qs: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        # date_start <= date_to is implied (a dated incident's date_min is its date_start), but
        # stated it lets the date-ordered index start at date_to instead of the newest incident.
        return qs.filter(date_min__lte=value, date_start__lte=value)

    def by_country(self, qs: QuerySet[Any], name: str, value: tuple[str, ...]) -> QuerySet[Any]:
        return qs.filter(_any_iexact("country", value))

    def by_event_type(self, qs: QuerySet[Any], name: str, value: tuple[str, ...]) -> QuerySet[Any]:
        return qs.filter(_any_iexact("event_type", value))

    def by_edition(self, qs: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return qs.filter(Exists(self.table.members(value)))

    def by_place(self, qs: QuerySet[Any], name: str, value: tuple[str, ...]) -> QuerySet[Any]:
        keys = [normalize_name(p) for p in value]
        return qs.filter(Exists(self.table.places().filter(name_key__in=keys)))

    def by_admin1(self, qs: QuerySet[Any], name: str, value: tuple[str, ...]) -> QuerySet[Any]:
        keys = [normalize_name(a) for a in value]
        return qs.filter(Exists(self.table.places().filter(admin1_key__in=keys)))

    def by_bbox(
        self, qs: QuerySet[Any], name: str, value: tuple[float, float, float, float]
    ) -> QuerySet[Any]:
        min_lon, min_lat, max_lon, max_lat = value
        inside = self.table.places().filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        return qs.filter(Exists(inside))

    def by_perpetrator(
        self, qs: QuerySet[Any], name: str, value: tuple[ActorMatch | None, tuple[str, ...]]
    ) -> QuerySet[Any]:
        actors, statuses = value
        perps = self.table.perpetrators()
        if actors is not None:
            perps = perps.filter(Q(actor_id__in=actors.ids) | Q(name_key__in=actors.name_keys))
        if statuses:
            perps = perps.filter(status__in=statuses)
        return qs.filter(Exists(perps))


# --- claims --------------------------------------------------------------------------------


class ClaimFilterSet(django_filters.FilterSet):
    """The claim list's filters: claims about incidents in `statuses`."""

    statuses = Parsed(field_name="incident__status", lookup_expr="in")
    incident = Parsed(field_name="incident_id")
    property = Parsed(field_name="property")
    rank = Parsed(field_name="rank")
    claimant = Parsed(field_name="claimant", lookup_expr="icontains")

    class Meta:
        model = Claim
        fields: list[str] = []
