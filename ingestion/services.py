"""Ingesting editions: store the bytes first, then read, match, diff and record them,
all or nothing.

`ingest` is the one entry point behind the Celery tasks, `manage.py ingest_report` and admin
uploads (source checks call its core, `ingest_fetched`, with what they fetched): every attempt,
failed or not, is an IngestRun, and the caller gets an `IngestSummary`. The
edition's bytes are committed before anything reads them, so a failure keeps them with its
error, and the edition can be re-run. Ingestion of one report is serialised by a row lock on the
report, and an edition already ingested is `unchanged`: a redelivered task writes nothing.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ingestion.diffing import section_changes
from ingestion.fetching import (
    Fetched,
    FetchError,
    confined,
    fetch_url,
    folder_files,
    read_bytes,
    read_file,
    sha256,
)
from ingestion.matching import Matching, match
from ingestion.models import Edition, EditionEntry, IngestRun, Report, Source
from ingestion.parsing.api import PARSER_VERSION, parse_edition, to_contract
from ingestion.parsing.gazetteer import default_gazetteer
from ingestion.parsing.limits import Limits
from ingestion.parsing.model import ParsedEdition, ParseError
from ingestion.recording import EditionRecorder
from ingestion.reference import parser_reference
from ledger.store import Cause

Progress = Callable[[str, int], None]


class IngestError(Exception):
    """An edition that could not be ingested; `reason` is for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class IngestSummary:
    """What one ingestion did; `to_dict` is the summary outside tools read
    (contracts/ingest-summary.schema.json), stored on the edition and its run."""

    report: str
    status: str  # ingested | unchanged | failed
    edition: int | None = None
    sha256: str | None = None
    edition_date: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "revised": 0, "dropped": 0, "unchanged": 0}
    )
    changes: list[dict[str, Any]] = field(default_factory=list)
    sections_changed: list[dict[str, Any]] = field(default_factory=list)
    flags: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "edition": self.edition,
            "sha256": self.sha256,
            "status": self.status,
            "edition_date": self.edition_date,
            "counts": self.counts,
            "changes": self.changes,
            "sections_changed": self.sections_changed,
            "flags": self.flags,
            "warnings": self.warnings,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, summary: dict[str, Any]) -> IngestSummary:
        return cls(**summary)


def report_get_or_create(*, slug: str, title: str = "", country: str = "") -> Report:
    report, _ = Report.objects.get_or_create(
        slug=slugify(slug) or "report", defaults={"title": title, "country": country}
    )
    return report


def edition_store(
    *, report: Report, data: bytes, origin: str, source: Source | None = None
) -> Edition:
    """Store an edition's bytes (committed at once); the stored one when these bytes are known."""
    digest = sha256(data)
    # A stored edition run again (the task, a redelivery) finds its row without sending the
    # whole file to the database only to have the unique constraint refuse it.
    if stored := Edition.objects.filter(report=report, sha256=digest).defer("raw").first():
        return stored
    try:
        with transaction.atomic():
            return Edition.objects.create(
                report=report,
                source=source,
                origin=origin[:1000],
                sha256=digest,
                size=len(data),
                raw=data,
                fetched_at=timezone.now(),
            )
    except IntegrityError:  # stored meanwhile by a concurrent ingestion of the same bytes
        return Edition.objects.get(report=report, sha256=digest)


def _summary(
    edition: Edition | None, report: str, status: str, *, error: str | None = None, **parts: Any
) -> dict[str, Any]:
    return IngestSummary(
        report=report,
        status=status,
        edition=edition.pk if edition else None,
        sha256=edition.sha256 if edition else None,
        edition_date=edition.edition_date.isoformat() if edition and edition.edition_date else None,
        error=error,
        **parts,
    ).to_dict()


def _unchanged(edition: Edition) -> dict[str, Any]:
    counts = {"new": 0, "revised": 0, "dropped": 0, "unchanged": edition.entries.count()}
    return _summary(edition, edition.report.slug, "unchanged", counts=counts)


def warm_up() -> None:
    """Load the gazetteer and parser tables now rather than in the first ingestion."""
    default_gazetteer()


def ingest_limits() -> Limits:
    """What one edition may cost the parser (settings; see README, operators)."""
    return Limits(
        max_pdf_pages=settings.LEDGER_MAX_PDF_PAGES,
        max_html_depth=settings.LEDGER_MAX_HTML_DEPTH,
        max_html_elements=settings.LEDGER_MAX_HTML_ELEMENTS,
        max_entries=settings.LEDGER_MAX_ENTRIES,
    )


def edition_read(edition: Edition) -> tuple[ParsedEdition, dict[str, Any]]:
    """Parse a stored edition within the limits; its parse and contract document."""
    lexicon, gazetteer = parser_reference()
    try:
        parsed = parse_edition(
            bytes(edition.raw), lexicon=lexicon, gazetteer=gazetteer, limits=ingest_limits()
        )
    except ParseError as exc:
        raise IngestError(f"Could not read the edition: {exc.reason}") from exc
    document = to_contract(parsed)
    if not document["incidents"]:
        raise IngestError(
            "The edition has no timeline entries the parser could find "
            "(no 'Major Extremist and Terrorist Incidents' section?); nothing was recorded."
        )
    return parsed, document


def _previous_edition(edition: Edition) -> Edition | None:
    return (
        Edition.objects.filter(report_id=edition.report_id, status=Edition.Status.INGESTED)
        .exclude(pk=edition.pk)
        .order_by("-edition_date", "-id")
        .first()
    )


def _match_against(
    previous: Edition | None, current: list[dict[str, Any]]
) -> tuple[list[tuple[str, dict[str, Any]]], Matching]:
    before = [(str(e.incident_id), e.entry) for e in previous.entries.all()] if previous else []
    return before, match(before, current)


def edition_ingest(*, edition: Edition, progress: Progress | None = None) -> dict[str, Any]:
    """Read, match, diff and record one stored edition; returns its ingest summary.

    All or nothing: every event of the edition commits together or not at all. Parsing and
    matching (the slow, input-sized work) happen before the write transaction opens, so a slow
    edition holds no lock an editor's decision waits for; only recording runs inside it.
    """
    note = progress or (lambda stage, pct: None)
    edition.refresh_from_db()
    if edition.status == Edition.Status.INGESTED:
        return _unchanged(edition)
    note("parsing", 10)
    parsed, document = edition_read(edition)
    current = document["incidents"]
    note("matching", 40)
    previous = _previous_edition(edition)
    before, matching = _match_against(previous, current)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=edition.report_id)
        edition.refresh_from_db()
        if edition.status == Edition.Status.INGESTED:
            return _unchanged(edition)
        latest = _previous_edition(edition)
        if (latest and latest.pk) != (previous and previous.pk):
            # Another edition of this report was recorded meanwhile: match against it instead
            # (rare; bounded by LEDGER_MAX_ENTRIES).
            previous = latest
            before, matching = _match_against(previous, current)
        note("recording", 60)
        recorder = EditionRecorder(
            report=report.slug,
            edition_id=edition.pk,
            cause=Cause(
                who="system:ingestion",
                why=f"Edition {edition.pk} of {report.slug}",
                edition_id=edition.pk,
            ),
        )
        old_entries = dict(before)
        incident_of: dict[int, uuid.UUID] = {}
        for pair in matching.pairs:
            incident = uuid.UUID(pair.incident)
            recorder.revise(incident, old_entries[pair.incident], current[pair.new_index])
            incident_of[pair.new_index] = incident
        for index in matching.new:
            incident_of[index] = recorder.record_new(current[index])
        for incident_id in matching.dropped:
            recorder.drop(uuid.UUID(incident_id), old_entries.get(incident_id))
        for ambiguity in matching.ambiguities:
            recorder.ambiguity(
                ambiguity.kind, ambiguity.incidents, [current[i] for i in ambiguity.new_indexes]
            )
        warnings = _flag_duplicates(recorder, matching.duplicates, incident_of, current)
        sections = (
            [
                c.to_summary()
                for c in section_changes(
                    previous.parsed["sections"] if previous and previous.parsed else [],
                    document["sections"],
                )
            ]
            if previous
            else []
        )
        for change in sections:
            recorder.paragraph(change)
        recorder.flush()
        EditionEntry.objects.bulk_create(
            EditionEntry(
                edition=edition,
                line=entry["line"],
                part=entry.get("part", 0),
                incident_id=incident_of[i],
                entry=entry,
            )
            for i, entry in enumerate(current)
        )
        note("finishing", 90)
        tally = recorder.tally
        if not report.title or not report.country:
            report.title = report.title or document["report"]["title"] or ""
            report.country = report.country or document["report"]["country"] or ""
            report.save(update_fields=["title", "country"])
        edition.text = parsed.text
        edition.parsed = document
        edition.edition_date = document["report"]["edition_date"]
        edition.parser_version = PARSER_VERSION
        edition.status = Edition.Status.INGESTED
        edition.error = ""
        edition.ingested_at = timezone.now()
        edition.save()
        edition.refresh_from_db()
        summary = _summary(
            edition,
            report.slug,
            "ingested",
            counts={
                "new": tally.count("new"),
                "revised": tally.count("revised"),
                "dropped": tally.count("dropped"),
                "unchanged": tally.unchanged,
            },
            changes=tally.changes,
            sections_changed=sections,
            flags=tally.flags,
            warnings=warnings,
        )
        edition.summary = summary
        edition.save(update_fields=["summary"])
    return summary


def _flag_duplicates(
    recorder: EditionRecorder,
    groups: list[tuple[int, ...]],
    incident_of: dict[int, uuid.UUID],
    current: list[dict[str, Any]],
) -> list[str]:
    """One flag per group of possible duplicates, capped per edition (flags and members per
    flag); what the caps leave out is said in the run's warnings, not silently dropped."""
    max_flags = settings.LEDGER_MAX_DUPLICATE_FLAGS
    max_members = settings.LEDGER_MAX_DUPLICATE_MEMBERS
    warnings = []
    for group in groups[:max_flags]:
        if len(group) > max_members:
            warnings.append(
                f"{len(group):,} entries (lines {current[group[0]]['line']} to "
                f"{current[group[-1]]['line']}) look like one incident told many times; the "
                f"possible-duplicate flag names the first {max_members} "
                "(LEDGER_MAX_DUPLICATE_MEMBERS)."
            )
        recorder.duplicate([(incident_of[i], current[i]) for i in group[:max_members]])
    if len(groups) > max_flags:
        warnings.append(
            f"{len(groups) - max_flags:,} more groups of possible duplicates were not flagged: "
            f"at most {max_flags} flags an edition (LEDGER_MAX_DUPLICATE_FLAGS)."
        )
    return warnings


def ingest_fetched(
    *,
    report_slug: str,
    fetched: Fetched,
    source: Source | None = None,
    trigger: str,
    task_id: str = "",
    run: IngestRun | None = None,
) -> dict[str, Any]:
    """Store and ingest fetched bytes, recording the run; failures are summaries, not exceptions."""
    assert fetched.data is not None
    run = run or IngestRun.objects.create(trigger=trigger, source=source, task_id=task_id)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    edition: Edition | None = None
    report = report_get_or_create(slug=report_slug)
    run.report = report

    def progress(stage: str, pct: int) -> None:
        timings[stage] = round(time.perf_counter() - started, 4)
        run.stage, run.progress = stage, pct

    try:
        edition = edition_store(
            report=report, data=fetched.data, origin=fetched.origin, source=source
        )
        run.edition = edition
        IngestRun.objects.filter(edition=edition, status=IngestRun.Status.RUNNING).exclude(
            pk=run.pk
        ).update(
            status=IngestRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{_ABANDONED}; the edition was tried again.",
        )
        progress("stored", 5)
        run.save(update_fields=["report", "edition", "stage", "progress"])
        summary = edition_ingest(edition=edition, progress=progress)
        if fetched.notes:
            summary = {**summary, "warnings": [*summary.get("warnings", []), *fetched.notes]}
    except IngestError as exc:
        summary = _edition_failed(edition, report, exc.reason)
    except SoftTimeLimitExceeded:
        # Not raised again: the task ends here (acknowledged), with the reason on the run.
        summary = _edition_failed(
            edition,
            report,
            "Stopped: the edition took longer than the task's time limit "
            f"({settings.LEDGER_TASK_SOFT_TIME_LIMIT} s, LEDGER_TASK_SOFT_TIME_LIMIT); "
            "nothing was recorded.",
        )
    except Exception as exc:  # an unexpected fault is recorded too; the bytes stay stored
        summary = _edition_failed(
            edition, report, f"Unexpected error while ingesting: {type(exc).__name__}: {exc}"
        )
        _finish_run(run, summary, timings, started)
        raise
    _finish_run(run, summary, timings, started)
    return summary


def _edition_failed(edition: Edition | None, report: Report, reason: str) -> dict[str, Any]:
    if edition is None:
        return _summary(None, report.slug, "failed", error=reason)
    edition.refresh_from_db()
    summary = _summary(edition, report.slug, "failed", error=reason)
    Edition.objects.filter(pk=edition.pk).exclude(status=Edition.Status.INGESTED).update(
        status=Edition.Status.FAILED, error=reason, summary=summary
    )
    return summary


def _finish_run(
    run: IngestRun, summary: dict[str, Any], timings: dict[str, float], started: float
) -> None:
    timings["total"] = round(time.perf_counter() - started, 4)
    run.status = summary["status"]
    run.summary, run.timings, run.error = summary, timings, summary.get("error") or ""
    run.progress, run.stage, run.finished_at = 100, "done", timezone.now()
    run.save()


def _read(
    source: Path | str | bytes,
    slug: str,
    *,
    trigger: str,
    origin: str = "",
    confine: bool = True,
    source_row: Source | None = None,
) -> Fetched | IngestSummary:
    """The edition's bytes from wherever they are, or the failed run recorded for a source that
    cannot be read (the same for `ingest` and `ingest_later`)."""
    try:
        if isinstance(source, bytes):
            return read_bytes(source, origin or "upload")
        if isinstance(source, str) and source.startswith(("http://", "https://")):
            return fetch_url(source)
        return read_file(source, confine=confine)
    except FetchError as exc:
        failed = record_fetch_failure(
            report_slug=slug, trigger=trigger, reason=exc.reason, source=source_row
        )
        return IngestSummary.from_dict(failed)


def ingest(
    source: Path | str | bytes,
    report: Report | str,
    *,
    trigger: str,
    origin: str = "",
    confine: bool = True,
    from_source: Source | None = None,
    task_id: str = "",
) -> IngestSummary:
    """Ingest one edition from wherever it is: bytes (an upload, a stored edition run again;
    `origin` names them), an http(s) URL, or a file path. Every outcome is recorded the same way
    (an IngestRun, and the edition's status once its bytes are stored): a source that cannot be
    read is a failed run with its reason, never an exception.

    `confine` keeps a file path under LEDGER_SOURCE_ROOTS; only an operator's own command at a
    shell reads any path (still a regular file within the edition byte limit).
    """
    slug = report.slug if isinstance(report, Report) else report
    fetched = _read(
        source, slug, trigger=trigger, origin=origin, confine=confine, source_row=from_source
    )
    if isinstance(fetched, IngestSummary):
        return fetched
    summary = ingest_fetched(
        report_slug=slug, fetched=fetched, source=from_source, trigger=trigger, task_id=task_id
    )
    return IngestSummary.from_dict(summary)


def ingest_later(
    data: bytes, report: Report | str, *, trigger: str, origin: str
) -> Edition | IngestSummary:
    """Store an edition's bytes for a worker to ingest; what cannot be stored (too large) is a
    failed run, recorded as `ingest` records it. The admin upload takes this path: an editor's
    request should not wait for a whole edition to be parsed and matched, and the worker gives
    the edition the task's time limits, redelivery and its run's progress. The caller queues
    `edition_ingest_task` for the stored edition once its transaction commits."""
    slug = report.slug if isinstance(report, Report) else report
    fetched = _read(data, slug, trigger=trigger, origin=origin)
    if isinstance(fetched, IngestSummary):
        return fetched
    assert fetched.data is not None
    return edition_store(
        report=report_get_or_create(slug=slug), data=fetched.data, origin=fetched.origin
    )


def record_fetch_failure(
    *, report_slug: str, trigger: str, reason: str, source: Source | None = None
) -> dict[str, Any]:
    """Record a run that failed before any bytes could be stored."""
    report = report_get_or_create(slug=report_slug)
    summary = _summary(None, report.slug, "failed", error=reason)
    IngestRun.objects.create(
        report=report,
        source=source,
        trigger=trigger,
        status=IngestRun.Status.FAILED,
        error=reason,
        summary=summary,
        stage="fetching",
        progress=100,
        finished_at=timezone.now(),
    )
    if source is not None:
        Source.objects.filter(pk=source.pk).update(
            last_error=reason, last_checked_at=timezone.now()
        )
    return summary


def source_location_check(*, kind: str, location: str) -> None:
    """Refuse a source that could never be read, or may not be: a file or folder outside
    LEDGER_SOURCE_ROOTS (symlinks resolved), a URL that is not http(s)."""
    if kind not in Source.Kind.values:
        raise IngestError(f"A source is one of {', '.join(Source.Kind.values)}, not {kind!r}.")
    if kind == Source.Kind.URL and not location.startswith(("https://", "http://")):
        raise IngestError(f"A URL source needs an https URL, not {location!r}.")
    if kind in (Source.Kind.FILE, Source.Kind.FOLDER):
        try:
            confined(location)
        except FetchError as exc:
            raise IngestError(exc.reason) from exc


def source_register(
    *, report_slug: str, kind: str, location: str, every_minutes: int | None = 24 * 60
) -> Source:
    """Register where a report's editions come from, with a beat schedule to check it."""
    source_location_check(kind=kind, location=location)
    with transaction.atomic():
        source = Source.objects.create(
            report=report_get_or_create(slug=report_slug), kind=kind, location=location
        )
        if every_minutes:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=every_minutes, period=IntervalSchedule.MINUTES
            )
            source.schedule = PeriodicTask.objects.create(
                name=f"Check source {source.pk} ({source.report.slug})",
                task="ingestion.tasks.source_check_task",
                interval=interval,
                args=json.dumps([source.pk]),
            )
            source.save(update_fields=["schedule"])
    return source


def source_check(
    *, source: Source, trigger: str = "schedule", task_id: str = ""
) -> list[dict[str, Any]]:
    """Look for new editions at a source and ingest each; returns their summaries.

    Transient fetch errors (timeouts, 5xx) are raised for the caller to retry with backoff;
    permanent ones are recorded on the source and returned as a failed summary.
    """
    slug = source.report.slug
    try:
        if source.kind == Source.Kind.URL:
            fetched = fetch_url(
                source.location, etag=source.etag, last_modified=source.last_modified
            )
            Source.objects.filter(pk=source.pk).update(
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                last_checked_at=timezone.now(),
                last_error="",
            )
            if fetched.not_modified:
                IngestRun.objects.create(
                    summary={"warnings": list(fetched.notes)},
                    report=source.report,
                    source=source,
                    trigger=trigger,
                    task_id=task_id,
                    status=IngestRun.Status.NOT_MODIFIED,
                    stage="done",
                    progress=100,
                    finished_at=timezone.now(),
                )
                return []
            candidates = [fetched]
        elif source.kind == Source.Kind.FILE:
            candidates = [read_file(source.location)]
        else:
            known = set(
                Edition.objects.filter(report=source.report).values_list("sha256", flat=True)
            )
            candidates = [
                f
                for f in map(read_file, folder_files(source.location))
                if sha256(f.data or b"") not in known
            ]
    except SoftTimeLimitExceeded:
        return [
            record_fetch_failure(
                report_slug=slug,
                trigger=trigger,
                reason="Stopped: fetching took longer than the task's time limit "
                f"({settings.LEDGER_TASK_SOFT_TIME_LIMIT} s, LEDGER_TASK_SOFT_TIME_LIMIT).",
                source=source,
            )
        ]
    except FetchError as exc:
        if exc.transient:
            Source.objects.filter(pk=source.pk).update(
                last_error=exc.reason, last_checked_at=timezone.now()
            )
            raise
        return [
            record_fetch_failure(
                report_slug=slug, trigger=trigger, reason=exc.reason, source=source
            )
        ]
    Source.objects.filter(pk=source.pk).update(last_checked_at=timezone.now(), last_error="")
    return [
        ingest_fetched(report_slug=slug, fetched=f, source=source, trigger=trigger, task_id=task_id)
        for f in candidates
    ]


_ABANDONED = "Abandoned: its worker stopped before finishing"


def deliveries_exhausted(
    *, task_id: str, source: Source | None, trigger: str
) -> dict[str, Any] | None:
    """For a task delivered again after its worker died: when earlier deliveries died
    LEDGER_TASK_MAX_DELIVERIES times (a poison edition: out of memory, killed at the hard time
    limit), record the failure on their editions and a run, and return its summary; the task
    then ends instead of being redelivered forever. None when the task may go on."""
    if not task_id:
        return None
    died = IngestRun.objects.filter(task_id=task_id).filter(
        Q(status=IngestRun.Status.RUNNING) | Q(error__startswith=_ABANDONED)
    )
    if died.count() < settings.LEDGER_TASK_MAX_DELIVERIES:
        return None
    reason = (
        f"Not tried again: its worker stopped {died.count()} times while ingesting "
        "(out of memory, or killed at the hard time limit, LEDGER_TASK_TIME_LIMIT); the "
        "edition is kept and can be run again by an operator once the cause is fixed."
    )
    editions = Edition.objects.filter(pk__in=died.values("edition_id")).exclude(
        status=Edition.Status.INGESTED
    )
    editions.update(status=Edition.Status.FAILED, error=reason)
    died.filter(status=IngestRun.Status.RUNNING).update(
        status=IngestRun.Status.FAILED, finished_at=timezone.now(), error=reason
    )
    first = died.first()
    report = source.report if source else (first.report if first else None)
    return record_fetch_failure(
        report_slug=report.slug if report else "unknown",
        trigger=trigger,
        reason=reason,
        source=source,
    )
