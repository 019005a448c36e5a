"""Reads of the review queue: flags by filter, one flag with its context, and the dashboard's
counts (open flags by kind and report; incidents and fatalities per month and by actor)."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import django_filters
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth

from actors.models import Place
from common.names import normalize_name
from common.query import Parsed, filtered
from incidents.editions import edition_records
from incidents.events import FLAG_STREAM
from incidents.models import Incident, IncidentPerpetrator, IncidentRevision
from incidents.review.diff import FIGURE_FIELDS, FieldChange, state_diff, state_words, value_words
from incidents.review.models import ReviewFlag
from incidents.review.preview import ledger_value
from incidents.selectors import (
    incident_get,
    incident_history,
    incident_state_as_of,
    incident_states_at_positions,
)
from incidents.state import IncidentState, Status
from ledger import store
from ledger.store import RecordedEvent


@dataclass(frozen=True, kw_only=True)
class FlagFilters:
    incident: uuid.UUID | None = None
    status: str | None = None
    kind: str | None = None
    edition: int | None = None
    field: str | None = None
    report: str | None = None
    raised_before: datetime | None = None


class FlagFilterSet(django_filters.FilterSet):
    """The review queue's filters (common.query: values arrive parsed)."""

    incident = Parsed(field_name="incident_id")
    status = Parsed(field_name="status")
    kind = Parsed(field_name="kind")
    edition = Parsed(field_name="edition_id")
    field = Parsed(field_name="field")
    report = Parsed(field_name="report")
    raised_before = Parsed(field_name="raised_at", lookup_expr="lt")

    class Meta:
        model = ReviewFlag
        fields: list[str] = []


def flag_list(*, filters: FlagFilters) -> QuerySet[ReviewFlag]:
    return filtered(FlagFilterSet, ReviewFlag.objects.all(), **asdict(filters))


def flag_get(*, flag_id: uuid.UUID) -> ReviewFlag | None:
    return ReviewFlag.objects.filter(id=flag_id).first()


def flag_neighbours(*, flag: ReviewFlag) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The open flags before and after this one in queue order (raised_at, id): j / k."""
    return _open_neighbour(flag, after=False), _open_neighbour(flag, after=True)


def _open_neighbour(flag: ReviewFlag, *, after: bool) -> uuid.UUID | None:
    """The nearest open flag on one side of `flag` in queue order; ties on raised_at go by id."""
    if after:
        reach, passed, order = "raised_at__gte", "id__lt", ("raised_at", "id")
    else:
        reach, passed, order = "raised_at__lte", "id__gt", ("-raised_at", "-id")
    return (
        ReviewFlag.objects.filter(status=ReviewFlag.Status.OPEN, **{reach: flag.raised_at})
        .exclude(id=flag.id)
        .exclude(**{"raised_at": flag.raised_at, passed: flag.id})
        .order_by(*order)
        .values_list("id", flat=True)
        .first()
    )


def incident_timeline(*, incident_id: uuid.UUID) -> list[RecordedEvent] | None:
    """Every event about an incident: its own, its claims', and its flags' (raised and
    decided), in log order. None when there is no such incident."""
    events = incident_history(incident_id=incident_id)
    if events is None:
        return None
    flag_ids = ReviewFlag.objects.filter(incident_id=incident_id).values_list("id", flat=True)
    events += [e for flag_id in flag_ids for e in store.read_stream(flag_id)]
    return sorted(events, key=lambda e: e.position)


# --- dashboard ------------------------------------------------------------------------------


def open_flags_by(*, column: str, report: str | None = None) -> list[tuple[str, int]]:
    """Open flags counted by `kind` or `report`, largest first."""
    qs = ReviewFlag.objects.filter(status=ReviewFlag.Status.OPEN)
    if report:
        qs = qs.filter(report=report)
    rows = qs.values_list(column).annotate(n=Count("id")).order_by("-n", column)
    return [(str(key), n) for key, n in rows]


def incidents_per_month(*, report: str | None = None, months: int = 36) -> list[dict[str, Any]]:
    """Incidents and fatalities (best estimate) per month of one report (or all), oldest first,
    every month from the first to the last of the latest `months` months, quiet months as 0:
    a gap in the chart is a month without incidents, not a missing bar. Undated incidents are
    left out."""
    qs = Incident.objects.filter(status=Status.ACTIVE, date_start__isnull=False)
    if report:
        qs = qs.filter(report=report)
    rows = (
        qs.annotate(month=TruncMonth("date_start"))
        .values("month")
        .annotate(incidents=Count("id"), killed=Sum("killed_best"))
        .order_by("-month")[:months]
    )
    found = {r["month"].strftime("%Y-%m"): r for r in rows}
    if not found:
        return []
    first, last = min(found), max(found)
    out: list[dict[str, Any]] = []
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        row = found.get(key)
        out.append(
            {
                "month": key,
                "incidents": row["incidents"] if row else 0,
                "killed": (row["killed"] or 0) if row else 0,
            }
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


UNATTRIBUTED = "unattributed"
# Attributions that name no actor: the report's way of saying nobody knows who did it.
_VAGUE = (
    "suspected jihadist",
    "suspected jihadists",
    "suspected militants",
    "suspected terrorists",
    "suspected extremists",
    "armed men",
    "armed individuals",
    "unidentified gunmen",
    "unidentified assailants",
    "unknown gunmen",
    "unknown assailants",
    "gunmen",
    "militants",
    "jihadists",
    "terrorists",
    "extremists",
    "assailants",
)


def is_vague_attribution(name: str, actor_id: Any) -> bool:
    """True for "Suspected jihadists", "Armed men", "Unidentified gunmen": a name with no
    actor in the registry behind it, made of generic words only."""
    if actor_id is not None:
        return False
    key = normalize_name(name)
    return key in _VAGUE or key.startswith(("suspected ", "unidentified ", "unknown ", "armed "))


def incidents_by_actor(*, report: str | None = None, limit: int = 12) -> list[dict[str, Any]]:
    """The perpetrators most incidents are attributed to, with their fatalities; attributions
    that name nobody ("Armed men") count together as "unattributed"."""
    qs = IncidentPerpetrator.objects.filter(incident__status=Status.ACTIVE)
    if report:
        qs = qs.filter(incident__report=report)
    rows = qs.values_list("incident_id", "name", "name_key", "actor_id", "incident__killed_best")
    incidents: dict[str, set[Any]] = {}
    killed: dict[str, dict[Any, int]] = {}
    names: dict[str, str] = {}
    for incident_id, name, name_key, actor_id, best in rows:
        key = UNATTRIBUTED if is_vague_attribution(name, actor_id) else (name_key or name)
        names.setdefault(key, UNATTRIBUTED if key == UNATTRIBUTED else name)
        incidents.setdefault(key, set()).add(incident_id)
        killed.setdefault(key, {})[incident_id] = best or 0
    ranked = sorted(incidents, key=lambda k: (-len(incidents[k]), names[k]))[:limit]
    return [
        {"actor": names[k], "incidents": len(incidents[k]), "killed": sum(killed[k].values())}
        for k in ranked
    ]


def report_slugs() -> list[str]:
    """Reports that have flags or incidents, for the queue's and dashboard's report filter."""
    slugs = set(ReviewFlag.objects.values_list("report", flat=True).distinct())
    slugs |= set(Incident.objects.values_list("report", flat=True).distinct())
    return sorted(slugs)


# --- the queue's context ----------------------------------------------------------------------


def edition_labels(*, edition_ids: Any = None) -> dict[int, str]:
    """Edition id -> "report date"; two editions of one report on one date get #1, #2."""
    return edition_records().edition_labels(edition_ids=edition_ids)


def with_entry_line(queryset: QuerySet[ReviewFlag]) -> QuerySet[ReviewFlag]:
    """Flags annotated with `entry_line`: where the flagged incident's entry stands in the
    flag's edition (a dropped entry has none, and sorts last), for ordering the queue as the
    report reads."""
    return queryset.annotate(entry_line=edition_records().entry_line())


def queue_rows(queryset: QuerySet[ReviewFlag]) -> QuerySet[ReviewFlag]:
    """The queue's flags with what its columns show of their incident: date, places, killed
    (best), and the fields editors hold (from the incident's current revision)."""
    incident = Incident.objects.filter(id=OuterRef("incident_id"))
    current = IncidentRevision.objects.filter(
        incident_id=OuterRef("incident_id"), valid_to__isnull=True
    )
    return with_entry_line(queryset).annotate(
        incident_date=Subquery(incident.values("date_start")[:1]),
        incident_places=Subquery(incident.values("places")[:1]),
        incident_killed=Subquery(incident.values("killed_best")[:1]),
        incident_held=Subquery(current.values("state__held_fields")[:1]),
        incident_locked=Subquery(current.values("state__locked_fields")[:1]),
    )


def incident_search(*, q: str, limit: int = 15) -> list[dict[str, Any]]:
    """Incidents for a lookup box: by id prefix, date (YYYY-MM or YYYY-MM-DD), or words of
    the text; live ones first, newest first."""
    q = q.strip()
    qs = Incident.objects.exclude(status__in=[Status.MERGED, Status.RETRACTED])
    if not q:
        return []
    cond = Q(text__icontains=q)
    try:
        if len(q) >= 8:
            cond |= Q(id=uuid.UUID(q))
    except ValueError:
        pass
    if len(q) == 7 and q[:4].isdigit() and q[4] == "-":
        cond |= Q(date_start__startswith=q)
    elif len(q) == 10 and q[:4].isdigit() and q[4] == "-":
        # Not a calendar date ("2024-02-30"): the words of the text still match.
        with contextlib.suppress(ValueError):
            cond |= Q(date_start=date.fromisoformat(q))
    rows = qs.filter(cond).order_by("-date_start", "id")[:limit]
    return [
        {
            "id": str(r.id),
            "label": f"{r.date_start or 'undated'} · {r.country or '?'} · "
            f"killed {r.killed_best if r.killed_best is not None else 'none'} · {r.text[:90]}",
        }
        for r in rows
    ]


# --- history as diffs -------------------------------------------------------------------------


def state_in_words(state: IncidentState | None) -> dict[str, str]:
    if state is None:
        return {}
    estimates = {}
    for prop in FIGURE_FIELDS:
        e = state.estimate(prop)
        estimates[prop] = (e.low, e.best, e.high)
    words = state_words(state.to_json(), estimates)
    for prop in FIGURE_FIELDS:
        # The figure with the qualifier of the claim that decides it ("at least 26", not a
        # bare 26), then the spread of all claims as state_words gives it.
        deciding = ledger_value(state, prop)
        if deciding is not None:
            spread = words[prop].partition(" (")[2]
            words[prop] = value_words(prop, deciding) + (f" ({spread}" if spread else "")
    return words


def incident_compare(
    *, incident_id: uuid.UUID, position: int, until: int | None = None
) -> list[FieldChange]:
    """Field by field, what changed in an incident between right after log position
    `position` and right after `until` (now when None)."""
    past = incident_state_as_of(incident_id=incident_id, position=position)
    now = (
        incident_state_as_of(incident_id=incident_id, position=until)
        if until is not None
        else incident_get(incident_id=incident_id)
    )
    return state_diff(state_in_words(past), state_in_words(now))


@dataclass(frozen=True, kw_only=True)
class HistoryStep:
    """One event that changed the incident's fields: who, why, which flag, and the diff."""

    position: int
    at: datetime
    event: str
    who: str
    why: str
    flag_id: str | None
    changes: list[FieldChange]


def incident_steps(*, incident_id: uuid.UUID) -> list[HistoryStep] | None:
    """The incident's history as a list of field-level diffs, one per event that changed
    something (flag events that changed no field still show, with their decision)."""
    events = incident_timeline(incident_id=incident_id)
    if events is None:
        return None
    positions = [e.position for e in events]
    states = incident_states_at_positions(positions=positions)
    steps: list[HistoryStep] = []
    previous: dict[str, str] = {}
    for e in events:
        state = states.get(e.position)
        words = state_in_words(state) if state is not None else previous
        changes = state_diff(previous, words) if previous else state_diff({}, words)
        previous = words
        meta = e.metadata or {}
        extra_flag = meta.get("flag_id") or (
            str(e.stream_id) if e.stream_type == FLAG_STREAM else None
        )
        steps.append(
            HistoryStep(
                position=e.position,
                at=e.recorded_at,
                event=type(e.event).type_name(),
                who=str(meta.get("who") or ""),
                why=str(meta.get("why") or ""),
                flag_id=extra_flag,
                changes=changes,
            )
        )
    return steps


# --- lookups for the admin's search boxes -----------------------------------------------------


def place_candidates(
    *, q: str, country: str | None = None, limit: int = 12
) -> list[dict[str, Any]]:
    """Gazetteer places whose name (or a spelling of it) starts with `q`, each with its
    country and admin1 so "Lere, Nigeria" is never mistaken for Léré, Mali; places in
    `country` first, then by population."""
    gazetteer = edition_records().gazetteer()
    key = normalize_name(q)
    if len(key) < 2:
        return []
    found: dict[tuple[str, str, Any, Any], Any] = {}
    for name, candidates in gazetteer._places.items():
        if name.startswith(key):
            for p in candidates:
                found.setdefault((p.name, p.country, p.lat, p.lon), p)
    rows = []
    for p in found.values():
        if p.lat is None or p.lon is None:
            continue
        named = gazetteer.country_by_iso(p.country)
        country_name = named.name if named else p.country
        where = ", ".join(x for x in (p.admin1, country_name) if x)
        rows.append(
            {
                "name": p.name,
                "country": country_name,
                "admin1": p.admin1,
                "lat": p.lat,
                "lon": p.lon,
                "label": f"{p.name} ({where}) {p.lat:.3f}, {p.lon:.3f}",
                "_rank": (
                    0 if country and country_name.casefold() == country.casefold() else 1,
                    0 if normalize_name(p.name) == key else 1,
                    -p.population,
                ),
            }
        )
    rows.sort(key=lambda r: r["_rank"])
    picked = [{k: v for k, v in r.items() if k != "_rank"} for r in rows[:limit]]
    # A place the editors keep in their table carries its id, so the incident's place links
    # to the row (incident_resolve_place records it) and the label says where it comes from.
    kept = {
        (row.name.casefold(), row.country.casefold(), row.latitude, row.longitude): row.id
        for row in Place.objects.filter(name__in={r["name"] for r in picked})
    }
    for r in picked:
        place_id = kept.get((r["name"].casefold(), r["country"].casefold(), r["lat"], r["lon"]))
        r["place_id"] = str(place_id) if place_id else None
        if place_id:
            r["label"] += " · editors' table"
    return picked


def place_pick(*, label: str, country: str | None = None) -> dict[str, Any] | None:
    """The candidate an editor picked in the lookup box (its label), or the best candidate for
    a bare name typed without picking."""
    name = label.split(" (", 1)[0].strip()
    candidates = place_candidates(q=name, country=country, limit=50)
    for c in candidates:
        if c["label"] == label.strip():
            return c
    exact = [c for c in candidates if normalize_name(c["name"]) == normalize_name(name)]
    return exact[0] if exact else None
