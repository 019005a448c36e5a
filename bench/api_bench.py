"""API benchmark on PostgreSQL: incident lists over a generated ledger, ours against plain DRF.

The ledger is generated the way the log would hold it, over three editions (recordings, tolls
revised, places corrected, incidents dropped, merged and listed unchanged): events appended
COPYed into the event table as appends would number them (bench.ledger_history.copy_log),
then the read models are rebuilt from the log, exactly as `rebuild_projections` does.
Nothing writes a read model directly.

Each query runs through the whole DRF stack in-process (request factory -> view -> rendered
JSON): ours (keyset cursor over the projected tables) and a plain ModelViewSet with a
django-filter FilterSet and page-number pagination over the same Incident table. First page and
a deep page (the `DEEP`-th), p50 / p95 in milliseconds, and ours / plain; the same queries
as of a past position (as-of / live), CSV export throughput, and the cost of a count.

`run(quick=..., progress=..., n=...)` returns plain numbers; N defaults to 1,000,000 (20,000
quick). Needs Django set up against PostgreSQL (bench/run.py prepares a fresh database).
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from unittest import mock

import django_filters
from django.contrib.auth.models import User
from django.db import connection
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIRequestFactory, force_authenticate
from tqdm import tqdm

from actors.seeding import seed_actor_id
from bench import ledger_history
from common.api.inputs import parse
from common.roles import VIEWERS, roles_ensure
from incidents.api.export_views import EXPORT_VIEWS
from incidents.api.filters import IncidentListInput
from incidents.api.views import IncidentViewSet
from incidents.events import (
    CLAIM_STREAM,
    INCIDENT_STREAM,
    ClaimAsserted,
    IncidentDropped,
    IncidentMerged,
    IncidentRecorded,
    IncidentRevised,
    IncidentSeen,
)
from incidents.models import Incident, IncidentRevision
from incidents.selectors import incident_count, time_travel_position
from ledger import projection, store
from ledger.store import Cause
from ledger.wiring import projections

FULL_N, QUICK_N = 1_000_000, 20_000
BATCH = 2_000  # appends per transaction while generating
DEEP = 20  # the deep page is the 20th
CAUSE = Cause(who="system:bench", why="api benchmark", edition_id=1)
TARGET_P50_MS, TARGET_P95_MS = 20.0, 50.0
TARGET_AS_OF_RATIO = 2.0  # as-of p95 over live p95, same query (issue 12)

_ACTORS = [  # seed actor key, name as a report writes it, weight
    ("jnim", "JNIM", 20),
    ("isgs", "ISGS", 12),
    ("aqim", "AQIM", 6),
    ("ansar-dine", "Ansar Dine", 4),
    ("katiba-macina", "Katiba Macina", 6),
    (None, "unidentified gunmen", 40),
    ("is-sahel", "IS Sahel", 12),
]
_ADMIN1 = ["Mopti", "Segou", "Timbuktu", "Gao", "Kidal", "Menaka", "Koulikoro", "Sikasso"]
_TEXT = (
    "Gunmen on motorcycles attacked the weekly market in the village before dawn, set fire to "
    "stalls and a grain store, and abducted traders; officials later confirmed casualties."
)
_START = date(2012, 1, 1)
_DAYS = (date(2025, 12, 31) - _START).days

# The queries: (name, query string). Same filters for ours and the plain viewset.
QUERIES = (
    ("date range + actor", "date_from=2019-01-01&date_to=2021-12-31&actor=JNIM"),
    ("bbox", "bbox=-4.5,13.5,-2.5,15.5"),
    ("killed_min", "killed_min=50"),
)


# --- generation -----------------------------------------------------------------------------


def _village(rng: random.Random, number: int) -> dict[str, Any]:
    """A resolved place in Mali's bounding box, as the parser writes places."""
    return {
        "name": f"Village {number}",
        "admin1": rng.choice(_ADMIN1),
        "lat": round(rng.uniform(10.2, 25.0), 4),
        "lon": round(rng.uniform(-12.2, 4.2), 4),
        "precision": "exact",
        "country": "Mali",
    }


def _incident(rng: random.Random, i: int) -> IncidentRecorded:
    day = _START + timedelta(days=rng.randrange(_DAYS))
    precision = rng.choices(["day", "range", "month", "year", "unknown"], [80, 8, 7, 3, 2])[0]
    start: str | None = day.isoformat()
    end: str | None = None
    if precision == "range":
        end = (day + timedelta(days=rng.randint(1, 6))).isoformat()
    elif precision == "month":
        start = day.replace(day=1).isoformat()
    elif precision == "year":
        start = day.replace(month=1, day=1).isoformat()
    elif precision == "unknown":
        start = None
    key, name, _ = rng.choices(_ACTORS, [w for *_, w in _ACTORS])[0]
    status = rng.choice(["claimed", "attributed", "suspected"])
    return IncidentRecorded(
        report="bench-mali",
        edition_id=1,
        date_start=start,
        date_end=end,
        date_precision=precision,
        country="Mali",
        places=[_village(rng, i % 5000)],
        event_type=rng.choice(
            ["armed_attack", "ambush", "kidnapping", "ied_or_landmine", "military_operation"]
        ),
        perpetrators=[
            {"actor_id": str(seed_actor_id(key)) if key else None, "name": name, "status": status}
        ],
        targets=[rng.choice(["civilians", "soldiers", "traders", "officials"])],
        sources=[f"report p. {i % 300 + 1}"],
        text=f"{_TEXT} [{i}]",
    )


def _killed(rng: random.Random) -> int:
    return min(int(rng.paretovariate(1.2)) - 1, 400)


def _claim(incident_id: uuid.UUID, value: int, edition: int) -> store.Append:
    return store.Append(
        stream_type=CLAIM_STREAM,
        stream_id=uuid.uuid4(),
        expected_version=0,
        events=[
            ClaimAsserted(
                incident_id=str(incident_id),
                property="killed",
                claimant="report",
                value_min=value,
                value_max=value,
                qualifier="exact",
                edition_id=edition,
            )
        ],
    )


@contextmanager
def _projectors_off() -> Iterator[None]:
    """Appends write the log only (ledger.store.append_batch looks project_live up per call)."""
    with mock.patch.object(projection, "project_live", lambda recorded: None):
        yield


class _Ledger:
    """Appends in batches of BATCH parts (one per stream), keeping each incident's version."""

    def __init__(self, bar: Any) -> None:
        self.versions: dict[uuid.UUID, int] = {}
        self.parts: list[store.Append] = []
        self.events = 0
        self.cause = CAUSE
        self.bar = bar
        self.copy: ledger_history._CopyLog | None = None

    def incident(self, incident_id: uuid.UUID, *events: Any) -> None:
        version = self.versions.get(incident_id, 0)
        self.parts.append(
            store.Append(
                stream_type=INCIDENT_STREAM,
                stream_id=incident_id,
                expected_version=version,
                events=list(events),
            )
        )
        self.versions[incident_id] = version + len(events)
        self._maybe_flush()

    def claim(self, part: store.Append) -> None:
        self.parts.append(part)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.parts) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            if self.copy is not None:
                self.copy.add(self.parts, self.cause)
            else:
                store.append_batch(self.parts, cause=self.cause)
            self.events += sum(len(p.events) for p in self.parts)
            self.bar.update(len(self.parts))
            self.parts = []


def generate(n: int, *, progress: bool, seed: int = 7) -> dict[str, Any]:
    """Three editions over n incidents, appended as the pipeline and editors would, then the
    read models rebuilt from the log.

    Edition 1 records 70% of the incidents (60% with a killed figure). Edition 2 records the
    rest and walks the earlier ones: 10% have their toll revised, 5% their place corrected, 2%
    are dropped, the others are listed unchanged (IncidentSeen). Edition 3 revises 5% of the
    tolls and 3% of the texts, merges 1% into another incident, and lists the others unchanged.
    So "as of edition 2" has history both before and after it to step over.
    """
    rng = random.Random(seed)
    started = time.perf_counter()
    bar = tqdm(desc="generate", unit="part", disable=not progress, file=sys.stderr)
    ledger = _Ledger(bar)
    ids = [uuid.uuid4() for _ in range(n)]
    first_wave = int(n * 0.7)
    active: set[uuid.UUID] = set()

    def record(i: int, edition: int) -> None:
        event = dataclasses.replace(_incident(rng, i), edition_id=edition)
        ledger.incident(ids[i], event)
        active.add(ids[i])
        if rng.random() < 0.6:
            ledger.claim(_claim(ids[i], _killed(rng), edition))

    # The events are COPYed into the log, numbered as appends would number them (see
    # bench.ledger_history): appending a million incidents one call at a time took most of the
    # benchmark, and what it measures is the reads.
    with _projectors_off(), ledger_history.copy_log() as log:
        ledger.copy = log
        ledger.cause = dataclasses.replace(CAUSE, edition_id=1)
        for i in range(first_wave):
            record(i, 1)
        ledger.flush()
        ledger.cause = dataclasses.replace(CAUSE, edition_id=2)
        for i in range(first_wave, n):
            record(i, 2)
        for incident_id in ids[:first_wave]:
            roll = rng.random()
            if roll < 0.10:
                ledger.claim(_claim(incident_id, _killed(rng), 2))
                ledger.incident(incident_id, IncidentSeen(edition_id=2))
            elif roll < 0.15:
                place = _village(rng, rng.randrange(5000))
                ledger.incident(
                    incident_id, IncidentRevised(changes={"places": [place]}, edition_id=2)
                )
            elif roll < 0.17:
                ledger.incident(incident_id, IncidentDropped(edition_id=2))
                active.discard(incident_id)
            else:
                ledger.incident(incident_id, IncidentSeen(edition_id=2))
        ledger.flush()
        ledger.cause = dataclasses.replace(CAUSE, edition_id=3)
        survivors = sorted(active)
        merged: set[uuid.UUID] = set()
        for incident_id in survivors:
            if incident_id in merged:
                continue
            roll = rng.random()
            if roll < 0.01:
                into = rng.choice(survivors)
                if into != incident_id and into not in merged:
                    merged.add(incident_id)
                    ledger.incident(incident_id, IncidentMerged(into=str(into)))
                    continue
            if roll < 0.06:
                ledger.claim(_claim(incident_id, _killed(rng), 3))
                ledger.incident(incident_id, IncidentSeen(edition_id=3))
            elif roll < 0.09:
                ledger.incident(
                    incident_id,
                    IncidentRevised(changes={"text": f"{_TEXT} (revised)"}, edition_id=3),
                )
            else:
                ledger.incident(incident_id, IncidentSeen(edition_id=3))
        ledger.flush()
    bar.close()
    appended = time.perf_counter() - started
    started = time.perf_counter()
    _, replayed = projection.rebuild_resumable(projections(), restart=True)
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # A database that has been live a while has its pages marked all-visible by
        # autovacuum, so index-only scans skip the rows (the bounding-box pages rest on
        # them); a just-generated one is not yet, and would be measured mid-autovacuum.
        # `rebuild_projections` vacuums the read models it rebuilt; this calls the rebuild
        # itself and has COPYed the log too, so it vacuums and analyses the whole database.
        cursor.execute("VACUUM (ANALYZE)")
    vacuumed = time.perf_counter() - started
    return {
        "incidents": n,
        "events": ledger.events,
        "revisions": IncidentRevision.objects.count(),
        "append_seconds": round(appended, 1),
        "rebuild_seconds": round(rebuilt, 1),
        "vacuum_seconds": round(vacuumed, 1),
        "replayed_events": replayed,
    }


# --- the plain DRF side ---------------------------------------------------------------------


class PlainIncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        exclude = ("places", "perpetrators")


class PlainIncidentFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date_max", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date_min", lookup_expr="lte")
    actor = django_filters.CharFilter(field_name="perpetrator_rows__name", lookup_expr="iexact")
    killed_min = django_filters.NumberFilter(field_name="killed_best", lookup_expr="gte")
    bbox = django_filters.CharFilter(method="filter_bbox")

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_bbox(self, queryset, name, value):  # type: ignore[no-untyped-def]
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
        return queryset.filter(
            place_rows__latitude__range=(min_lat, max_lat),
            place_rows__longitude__range=(min_lon, max_lon),
        ).distinct()


class PlainPagination(PageNumberPagination):
    page_size = 50


class PlainIncidentViewSet(viewsets.ReadOnlyModelViewSet):
    """What a first DRF cut looks like: ModelViewSet + FilterSet + page numbers."""

    queryset = Incident.objects.exclude(status__in=["retracted", "merged", "dropped"]).order_by(
        "-date_start", "id"
    )
    serializer_class = PlainIncidentSerializer
    filterset_class = PlainIncidentFilter
    pagination_class = PlainPagination
    throttle_classes: list[type] = []


# --- timing ---------------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(cuts[18], 2)}


def _timer(view: Callable[..., Any], user: User) -> Callable[[str], tuple[float, Any]]:
    factory = APIRequestFactory()

    def call(query: str) -> tuple[float, Any]:
        request = factory.get(f"/api/v1/incidents/?{query}")
        force_authenticate(request, user=user)
        started = time.perf_counter()
        response = view(request)
        response.render()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        return elapsed, response

    return call


def _deep_cursor(call: Callable[[str], tuple[float, Any]], query: str) -> tuple[str, int]:
    """Our query string of page DEEP (or the last page, if fewer), and that page's number."""
    current, page = query, 1
    while page < DEEP:
        _, response = call(current)
        next_url = response.data["next"]
        if next_url is None:
            break
        current, page = next_url.split("?", 1)[1], page + 1
    return current, page


def _as_of_query(query: str, position: int) -> str:
    return f"{query}&as_of_position={position}"


def _export(user: User, query: str) -> dict[str, Any]:
    """Stream one CSV export through its operation to the end: rows and rows per second."""
    request = APIRequestFactory().get(f"/api/v1/incidents/export.csv?{query}")
    force_authenticate(request, user=user)
    started = time.perf_counter()
    response: Any = EXPORT_VIEWS["csv"].as_view(throttle_classes=[])(request)
    if response.status_code != 200:
        raise AssertionError(response.render().content[:300])
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    elapsed = time.perf_counter() - started
    rows = max(lines - 1, 0)  # the header line
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}


def _count_cost(query: str, as_of: int | None, repeats: int) -> dict[str, Any]:
    request = APIRequestFactory().get(f"/api/v1/incidents/?{query}")
    data = parse(IncidentListInput, request.GET)
    filters = IncidentListInput.to_filters(data)
    samples, total = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        total = incident_count(filters=filters, as_of=as_of)
        samples.append((time.perf_counter() - started) * 1000)
    return {"count": total, **_percentiles(samples)}


def measure(repeats: int, *, progress: bool) -> dict[str, Any]:
    user, _ = User.objects.get_or_create(username="bench-reader")
    user.groups.add(roles_ensure()[VIEWERS])  # reading the API needs a role
    view = IncidentViewSet.as_view({"get": "list"}, detail=False, throttle_classes=[])
    ours = _timer(view, user)
    plain = _timer(PlainIncidentViewSet.as_view({"get": "list"}), user)
    # As of edition 2: the middle of the history, with revisions on both sides to step over.
    edition_2 = time_travel_position(as_of_edition=2)
    assert edition_2 is not None
    results: dict[str, Any] = {"as_of_position": edition_2, "queries": {}}
    steps = [(n, q, d) for n, q in QUERIES for d in ("first page", f"page {DEEP}")]
    for name, query, depth in tqdm(steps, desc="queries", disable=not progress, file=sys.stderr):
        row: dict[str, Any] = {}
        ours_q, plain_q, as_of_q = query, query, _as_of_query(query, edition_2)
        if depth != "first page":
            ours_q, page = _deep_cursor(ours, query)
            plain_q, row["page"] = f"{query}&page={page}", page
            as_of_q, row["as_of_page"] = _deep_cursor(ours, as_of_q)
        for label, call, q in (
            ("ours", ours, ours_q),
            ("ours_as_of", ours, as_of_q),
            ("plain_drf", plain, plain_q),
        ):
            call(q)  # warm the caches once
            samples = [call(q)[0] for _ in range(repeats)]
            row[label] = _percentiles(samples)
        row["ratio_p50_ours_over_plain"] = round(
            row["ours"]["p50_ms"] / row["plain_drf"]["p50_ms"], 3
        )
        row["ratio_p95_as_of_over_live"] = round(
            row["ours_as_of"]["p95_ms"] / row["ours"]["p95_ms"], 3
        )
        row["as_of_meets_target"] = row["ratio_p95_as_of_over_live"] <= TARGET_AS_OF_RATIO
        row["ours_meets_target"] = (
            row["ours"]["p50_ms"] <= TARGET_P50_MS and row["ours"]["p95_ms"] <= TARGET_P95_MS
        )
        results["queries"][f"{name} / {depth}"] = row
    for name, query in tqdm(QUERIES, desc="exports", disable=not progress, file=sys.stderr):
        results.setdefault("exports_csv", {})[name] = {
            "live": _export(user, query),
            "as_of": _export(user, _as_of_query(query, edition_2)),
        }
        results.setdefault("counts", {})[name] = {
            "live": _count_cost(query, None, repeats),
            "as_of": _count_cost(query, edition_2, repeats),
        }
    return results


def run(*, quick: bool, progress: bool, n: int | None = None) -> dict[str, Any]:
    count = n if n is not None else (QUICK_N if quick else FULL_N)
    generated = generate(count, progress=progress)
    measured = measure(10 if quick else 40, progress=progress)
    return {
        "generated": generated,
        "targets_ms": {"p50": TARGET_P50_MS, "p95": TARGET_P95_MS},
        "target_as_of_over_live_p95": TARGET_AS_OF_RATIO,
        **measured,
        "notes": [
            f"{count:,} incidents generated through ledger.store.append, then replayed",
            "times are in-process through the whole DRF stack, rendered JSON included",
            f"plain DRF: ModelViewSet + django-filter + page numbers (deep page = ?page={DEEP})",
            "as of: the same query with as_of_position = the end of edition 2 (revisions valid "
            "then, through the same FilterSet as the live list)",
            "exports: /incidents/export.csv streamed through its view to the last row",
            "counts: incidents.selectors.incident_count, the COUNT behind count=true",
        ],
    }
