"""The review queue in the admin: open flags to filter, search and sort; one flag with its old
and new text side by side, the incident's state and history; accept, reject and correct, each
through a confirmation page; bulk decisions for wording-only flags; keyboard shortcuts.

Views parse the form and call one service (incidents.review.decisions); nothing here decides.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from common.roles import can_curate, can_read
from incidents.admin_forms import (
    CORRECTABLE_FIELDS,
    AcceptForm,
    BulkDecisionForm,
    PerpetratorsValueForm,
    PlaceValueForm,
    RejectForm,
    refuse,
    value_form_class,
    value_initial,
)
from incidents.review import charts
from incidents.review.curation import CurationError, NotAnEditor
from incidents.review.decisions import (
    flag_accept,
    flag_correct,
    flag_decide_many,
    flag_reject,
    is_low_risk,
)
from incidents.review.diff import FIGURE_FIELDS, figure_words, value_words, word_diff
from incidents.review.merge import flag_merge, flag_not_duplicate
from incidents.review.models import ReviewFlag
from incidents.review.preview import AcceptPreview, flag_accept_preview, flag_current_value
from incidents.review.selectors import (
    UNATTRIBUTED,
    edition_labels,
    flag_get,
    incident_timeline,
    incidents_by_actor,
    incidents_per_month,
    open_flags_by,
    place_pick,
    queue_rows,
    report_slugs,
    state_in_words,
)
from incidents.review.words import field_label
from incidents.schema import place_fields
from incidents.selectors import incident_get
from incidents.state import IncidentState
from ledger.admin_base import ReadOnlyAdmin
from ledger.errors import ConcurrencyConflict


class StatusFilter(admin.SimpleListFilter):
    """Open flags unless asked otherwise: the queue is what awaits a decision."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*ReviewFlag.Status.choices, ("all", "All")]

    def choices(self, changelist: Any) -> Any:
        value = self.value() or ReviewFlag.Status.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> Any:
        value = self.value() or ReviewFlag.Status.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"
    _DAYS = {"1": (None, 1), "7": (1, 7), "30": (7, 30), "old": (30, None)}

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", "today"), ("7", "this week"), ("30", "this month"), ("old", "older")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> Any:
        if self.value() not in self._DAYS:
            return queryset
        newest, oldest = self._DAYS[self.value() or ""]
        now = timezone.now()
        if newest is not None:
            queryset = queryset.filter(raised_at__lte=now - timedelta(days=newest))
        if oldest is not None:
            queryset = queryset.filter(raised_at__gt=now - timedelta(days=oldest))
        return queryset


class ReportFilter(admin.SimpleListFilter):
    """One report at a time (demo and real reports never mix); the last choice is remembered in
    the session by ReviewFlagAdmin.changelist_view."""

    title = "report"
    parameter_name = "report"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(slug, slug) for slug in report_slugs()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> Any:
        value = self.value()
        return queryset.filter(report=value) if value and value != "all" else queryset


class EditionFilter(admin.SimpleListFilter):
    """Editions named by their report and date."""

    title = "edition"
    parameter_name = "edition"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        report = request.GET.get("report")
        ids = ReviewFlag.objects.exclude(edition_id__isnull=True)
        if report and report != "all":
            ids = ids.filter(report=report)
        wanted = {e for e in ids.values_list("edition_id", flat=True).distinct() if e is not None}
        labels = edition_labels(edition_ids=wanted)
        return [(str(e), labels.get(e, str(e))) for e in sorted(wanted)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> Any:
        value = self.value()
        return queryset.filter(edition_id=int(value)) if value and value.isdigit() else queryset


class ReviewFlagAdmin(ReadOnlyAdmin):
    """The review queue."""

    list_display = (
        "kind_link",
        "change",
        "incident_date",
        "incident_place",
        "incident_figure",
        "held",
        "edition_name",
        "status",
        "keys",
    )
    list_display_links = ("kind_link",)
    list_filter = (
        StatusFilter,
        ReportFilter,
        EditionFilter,
        "kind",
        ("field", admin.AllValuesFieldListFilter),
        AgeFilter,
    )
    search_fields = ("before_text", "after_text", "field", "report", "reason", "decided_by")
    sortable_by = ("kind_link", "field", "edition_name", "status", "incident_date")
    actions = ["accept_selected", "reject_selected"]
    list_per_page = 50
    change_list_template = "admin/incidents/reviewflag/change_list.html"
    QUEUE_ORDER = ("report", "edition_id", "entry_line", "raised_at", "id")

    # --- who may do what --------------------------------------------------------------------

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read(request.user)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return can_curate(request.user)

    # --- the list ---------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewFlag]:
        # Annotated before the admin orders by get_ordering (which names the annotation).
        return queue_rows(self.model._default_manager.get_queryset()).order_by(
            *self.get_ordering(request)
        )

    def get_ordering(self, request: HttpRequest) -> Any:
        # As the report reads: report, edition, where the entry stands in it.
        return self.QUEUE_ORDER

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        cl = super().get_changelist_instance(request)
        # Column callables see only the row, and this admin object serves every request at
        # once: what a row needs from this request rides on the row itself.
        rows = list(cl.result_list)
        labels = edition_labels(edition_ids={f.edition_id for f in rows if f.edition_id})
        filters = request.GET.urlencode()
        query = f"?{urlencode({'_changelist_filters': filters})}" if filters else ""
        for flag in rows:
            flag.queue_edition_label = labels.get(flag.edition_id, "") if flag.edition_id else ""
            flag.queue_query = query
        return cl

    @admin.display(description="kind: field", ordering="kind")
    def kind_link(self, flag: ReviewFlag) -> str:
        # The field rides with the kind ("revised: killed"): one column less at 1280 px.
        kind = KIND_NAMES.get(flag.kind, flag.kind)
        return f"{kind}: {field_label(flag.field)}" if flag.field else kind

    @admin.display(description="report says → ledger holds")
    def change(self, flag: ReviewFlag) -> str:
        field = flag.field or ""
        if flag.kind == ReviewFlag.Kind.POSSIBLE_DUPLICATE:
            return "two entries that may be one incident"
        if flag.before is not None or flag.after is not None:
            before, after = value_words(field, flag.before), value_words(field, flag.after)
            return f"{_short(before, 40)} → {_short(after, 40)}"
        return _short(flag.after_text or flag.before_text or "")

    @admin.display(description="date", ordering="incident_date")
    def incident_date(self, flag: ReviewFlag) -> str:
        return str(getattr(flag, "incident_date", None) or "")

    @admin.display(description="place")
    def incident_place(self, flag: ReviewFlag) -> str:
        places = getattr(flag, "incident_places", None) or []
        return ", ".join(str(p.get("name")) for p in places if isinstance(p, dict))[:40]

    @admin.display(description="figure now")
    def incident_figure(self, flag: ReviewFlag) -> str:
        field = flag.field if flag.field in FIGURE_FIELDS else "killed"
        best = getattr(flag, "incident_killed", None) if field == "killed" else None
        if field != "killed":
            return ""
        return f"killed {best}" if best is not None else ""

    @admin.display(description="held")
    def held(self, flag: ReviewFlag) -> str:
        held = dict(getattr(flag, "incident_held", None) or {})
        for f in getattr(flag, "incident_locked", None) or []:
            held[f] = "locked"
        return ", ".join(f"{f} ({how})" for f, how in sorted(held.items()))

    @admin.display(description="edition", ordering="edition_id")
    def edition_name(self, flag: ReviewFlag) -> str:
        return str(getattr(flag, "queue_edition_label", ""))

    @admin.display(description="")
    def keys(self, flag: ReviewFlag) -> str:
        if flag.status != ReviewFlag.Status.OPEN:
            return ""
        query = getattr(flag, "queue_query", "")
        return format_html(
            '<a href="{}{}" data-key="a">accept</a> · <a href="{}{}" data-key="r">reject</a>',
            reverse("admin:incidents_reviewflag_accept", args=[flag.pk]),
            query,
            reverse("admin:incidents_reviewflag_reject", args=[flag.pk]),
            query,
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        remembered = request.session.get(REPORT_SESSION_KEY)
        chosen = request.GET.get("report")
        if chosen:
            request.session[REPORT_SESSION_KEY] = chosen
        elif remembered and request.method == "GET" and "_changelist_filters" not in request.GET:
            query = request.GET.copy()
            query["report"] = remembered
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        extra = {
            "can_decide": can_curate(request.user),
            # The queue needs the width at 1280 px: the app menu stays one click away (Home).
            "is_nav_sidebar_enabled": False,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra)

    # --- bulk decisions, low-risk kinds only -------------------------------------------------

    @admin.action(description="Accept the selected wording changes", permissions=["decide"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> Any:
        return self._bulk(request, queryset, "accept")

    @admin.action(description="Reject the selected wording changes", permissions=["decide"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> Any:
        return self._bulk(request, queryset, "reject")

    def _bulk(self, request: HttpRequest, queryset: QuerySet[ReviewFlag], decision: str) -> Any:
        flags = list(queryset.filter(status=ReviewFlag.Status.OPEN))
        risky = [f for f in flags if not is_low_risk(f)]
        if risky:
            self.message_user(
                request,
                f"{len(risky)} of the selected flags change more than wording; only wording "
                "changes are decided in bulk. Decide the others one by one.",
                messages.ERROR,
            )
            return None
        form = BulkDecisionForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            try:
                count = flag_decide_many(
                    flag_ids=[f.id for f in flags],
                    decision=decision,
                    editor=request.user,
                    reason=form.cleaned_data["reason"] or f"{decision}ed in bulk",
                )
            except (CurationError, ConcurrencyConflict) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(request, f"{decision.title()}ed {count} wording change(s).")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{decision.title()} {len(flags)} wording change(s)?",
            "flags": flags,
            "form": form,
            "decision": decision,
            "action": f"{decision}_selected",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/bulk_confirm.html", context)

    # --- one flag -----------------------------------------------------------------------------

    def get_urls(self):  # type: ignore[no-untyped-def]
        view = self.admin_site.admin_view

        def decision(name: str) -> Any:
            return path(
                f"<uuid:pk>/{name}/",
                view(self.decide_view),
                {"decision": name},
                name=f"incidents_reviewflag_{name}",
            )

        return [
            path("dashboard/", view(self.dashboard_view), name="incidents_reviewflag_dashboard"),
            decision("accept"),
            decision("reject"),
            decision("correct"),
            path(
                "<uuid:pk>/duplicate/",
                view(self.duplicate_view),
                name="incidents_reviewflag_duplicate",
            ),
            *super().get_urls(),
        ]

    def _queue_ids(self, request: HttpRequest) -> list[uuid.UUID]:
        """The flags of the list the editor came from, in its order: the changelist rebuilt
        from the query string the list carried (Django's _changelist_filters)."""
        filters = request.GET.get("_changelist_filters", "")
        fake = copy.copy(request)
        fake.GET = QueryDict(filters)
        try:
            cl = ReviewFlagAdmin.get_changelist_instance(self, fake)
        except (IncorrectLookupParameters, ValueError):
            return list(
                queue_rows(ReviewFlag.objects.filter(status=ReviewFlag.Status.OPEN))
                .order_by(*self.QUEUE_ORDER)
                .values_list("id", flat=True)
            )
        return list(cl.queryset.values_list("id", flat=True))

    def _neighbours(
        self, request: HttpRequest, flag: ReviewFlag
    ) -> tuple[str | None, str | None, int, int]:
        ids = self._queue_ids(request)
        suffix = _carry(request)
        if flag.id not in ids:
            return None, _flag_url(ids[0], suffix) if ids else None, 0, len(ids)
        n = ids.index(flag.id)
        earlier = ids[n - 1] if n > 0 else None
        later = ids[n + 1] if n + 1 < len(ids) else None
        return _flag_url(earlier, suffix), _flag_url(later, suffix), n + 1, len(ids)

    def _context(self, request: HttpRequest, flag: ReviewFlag) -> dict[str, Any]:
        before, after = word_diff(flag.before_text, flag.after_text)
        state = incident_get(incident_id=flag.incident_id) if flag.incident_id else None
        events = incident_timeline(incident_id=flag.incident_id) if flag.incident_id else None
        previous_url, next_url, at, total = self._neighbours(request, flag)
        field = flag.field or ""
        words = state_in_words(state)
        pair = []
        if flag.kind == ReviewFlag.Kind.POSSIBLE_DUPLICATE:
            for n, incident_id in enumerate((flag.detail or {}).get("incidents", [])[:2]):
                other = incident_get(incident_id=uuid.UUID(str(incident_id)))
                if other is not None:
                    pair.append(_side(other, "AB"[n], (flag.detail or {}).get("lines", [])))
        pair_map = (
            charts.dot_map(
                [
                    (name, lat, lon, side["letter"].lower())
                    for side in pair
                    for name, lat, lon in side["points"]
                ]
            )
            if pair
            else ""
        )
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "flag": flag,
            "kind_name": KIND_NAMES.get(flag.kind, flag.kind),
            "explain": flag_explanation(flag),
            "edition_name": edition_labels(edition_ids=[flag.edition_id]).get(
                flag.edition_id or 0, ""
            ),
            "before_segments": before,
            "after_segments": after,
            "report_before": value_words(field, flag.before) if flag.before is not None else "",
            "report_after": value_words(field, flag.after) if flag.after is not None else "",
            "ledger_holds": (
                value_words(field, flag_current_value(flag)) if field and state else ""
            ),
            "held_how": (
                "locked"
                if state and field in state.locked_fields
                else (state.held_fields.get(field, "") if state else "")
            ),
            "state": state,
            "now_words": words,
            "pair": pair,
            "pair_map": pair_map,
            "events": [e.as_row() for e in (events or [])[-15:]],
            "previous_url": previous_url,
            "next_url": next_url,
            "queue_at": at,
            "queue_total": total,
            "carry": _carry(request),
            "back_to_queue": _queue_url(request),
            "can_decide": can_curate(request.user) and flag.status == ReviewFlag.Status.OPEN,
            "can_correct": can_correct(flag),
        }

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        flag = _flag_or_404(object_id)
        context = {
            **self._context(request, flag),
            "title": f"Review: {KIND_NAMES.get(flag.kind, flag.kind)} {flag.field or ''}",
            "quick_form": AcceptForm(),
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/detail.html", context)

    def _after_decision(self, request: HttpRequest, flag: ReviewFlag, done: str) -> HttpResponse:
        """The next flag of the same list (filter and order kept), else back to that list."""
        messages.success(request, done)
        _, later, _, _ = self._neighbours(request, flag)
        return HttpResponseRedirect(later or _queue_url(request))

    def decide_view(self, request: HttpRequest, pk: uuid.UUID, decision: str) -> HttpResponse:
        if not can_curate(request.user):
            raise PermissionDenied
        flag = _flag_or_404(str(pk))
        state = incident_get(incident_id=flag.incident_id) if flag.incident_id else None
        if decision == "correct" and not can_correct(flag):
            messages.error(
                request,
                f"A {KIND_NAMES.get(flag.kind, flag.kind)} flag has no value to correct: "
                "accept or reject it.",
            )
            return HttpResponseRedirect(_flag_url(flag.id, _carry(request)) or "")
        form = self._decision_form(request, flag, decision, state)
        warning = accept_warning(flag) if decision == "accept" else None
        # A quick accept that would undo an editor stops here: the page says what would be lost.
        unseen = bool(warning) and "keep" not in request.POST
        if request.method == "POST" and not unseen and form.is_valid():
            data = form.cleaned_data
            try:
                if decision == "accept":
                    self._accept(flag, request, data, warning)
                elif decision == "reject":
                    flag_reject(flag_id=flag.id, editor=request.user, reason=data["reason"])
                else:
                    flag_correct(
                        flag_id=flag.id,
                        editor=request.user,
                        reason=data["reason"],
                        value=_correct_value(flag, form),
                        confirm_foreign=bool(form.cleaned_data.get("confirm_foreign")),
                    )
            except NotAnEditor as exc:
                raise PermissionDenied(str(exc)) from exc
            except ConcurrencyConflict:
                form.add_error(None, "The flag or its incident changed meanwhile; look again.")
            except CurationError as exc:
                refuse(form, exc)
            else:
                label = f"{KIND_NAMES.get(flag.kind, flag.kind)} {flag.field or ''}".strip()
                return self._after_decision(request, flag, f"{decision.title()}ed: {label}")
        context = {
            **self._context(request, flag),
            "title": f"{decision.title()} this change?",
            "form": form,
            "decision": decision,
            "warning": warning.losses if warning else None,
            "can_keep": bool(warning and warning.can_keep_editor_value),
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/decide.html", context)

    def _decision_form(
        self, request: HttpRequest, flag: ReviewFlag, decision: str, state: IncidentState | None
    ) -> forms.Form:
        data = request.POST if request.method == "POST" else None
        if decision == "accept":
            return AcceptForm(data, initial={"reason": request.POST.get("reason", "")})
        if decision == "reject":
            return RejectForm(data)
        field = "locations" if flag.kind == ReviewFlag.Kind.UNRESOLVED_PLACE else flag.field or ""
        form_class = value_form_class(field)
        kwargs: dict[str, Any] = {}
        if form_class is PlaceValueForm and state is not None:
            kwargs = {
                "places": [dict(p) for p in state.places],
                "country": state.country,
                "search": lambda label: place_pick(label=label, country=state.country),
            }
        if form_class is PerpetratorsValueForm and state is not None:
            kwargs = {"perpetrators": state.perpetrators}
        initial = value_initial(field, state) if state is not None else {}
        if flag.kind == ReviewFlag.Kind.UNRESOLVED_PLACE:
            initial = {"place": flag.after, "lookup": flag.after}
        return form_class(data, initial=initial, **kwargs)

    def _accept(
        self, flag: ReviewFlag, request: HttpRequest, data: dict[str, Any], warning: Any
    ) -> None:
        # Without a warning nothing of an editor's is at stake: the service's default (keep).
        # Where the preview says the editor's value cannot be kept, it is not kept, whatever
        # was posted: the page offered no such choice.
        keep = request.POST.get("keep", "editor") == "editor"
        if warning is not None and not warning.can_keep_editor_value:
            keep = False
        accept_flag(flag=flag, editor=request.user, reason=data["reason"], keep_editor_value=keep)

    # --- duplicates ---------------------------------------------------------------------------

    def duplicate_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        """The buttons of a possible-duplicate flag: merge A into B, B into A, or not the same."""
        if not can_curate(request.user) or request.method != "POST":
            raise PermissionDenied
        flag = _flag_or_404(str(pk))
        reason = request.POST.get("reason", "").strip()
        choice = request.POST.get("choice", "")
        try:
            if choice == "distinct":
                duplicate_distinct(
                    flag=flag, editor=request.user, reason=reason or "Two different incidents"
                )
                done = "Not the same: both incidents stay."
            else:
                survivor = uuid.UUID(choice.removeprefix("merge:"))
                duplicate_merge(flag=flag, survivor=survivor, editor=request.user, reason=reason)
                done = "Merged: the other incident is now a tombstone naming the survivor."
        except NotAnEditor as exc:
            raise PermissionDenied(str(exc)) from exc
        except (CurationError, ConcurrencyConflict, ValueError) as exc:
            messages.error(request, str(exc) or "The flag changed meanwhile; look again.")
            return HttpResponseRedirect(_flag_url(flag.id, _carry(request)) or "")
        return self._after_decision(request, flag, done)

    # --- dashboard ----------------------------------------------------------------------------

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not can_read(request.user):
            raise PermissionDenied
        reports = report_slugs()
        report = request.GET.get("report") or request.session.get(REPORT_SESSION_KEY) or ""
        if report not in reports:
            report = reports[0] if len(reports) == 1 else ""
        months = incidents_per_month(report=report or None)
        actors = incidents_by_actor(report=report or None)
        incidents_url = reverse("admin:incidents_incident_changelist")
        queue_url = reverse("admin:incidents_reviewflag_changelist")
        scope = f"&report={report}" if report else ""
        incident_scope = f"&report__exact={report}" if report else ""
        kind_of = {name: kind for kind, name in KIND_NAMES.items()}

        def month_link(label: str) -> str:
            year, month = label.split("-")
            return (
                f"{incidents_url}?date_start__year={year}&date_start__month={int(month)}"
                f"&status__exact=active{incident_scope}"
            )

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review dashboard{': ' + report if report else ''}",
            "reports": reports,
            "report": report,
            # Kinds read as the queue names them; each bar opens the queue filtered to it.
            "by_kind": charts.bars(
                [
                    (KIND_NAMES.get(k, k), n)
                    for k, n in open_flags_by(column="kind", report=report or None)
                ],
                link=lambda name: f"{queue_url}?kind__exact={kind_of.get(name, name)}{scope}",
            ),
            "incidents_per_month": charts.columns(
                [(m["month"], m["incidents"]) for m in months], link=month_link, width=880
            ),
            "killed_per_month": charts.columns(
                [(m["month"], m["killed"]) for m in months],
                link=month_link,
                tone="danger",
                width=880,
            ),
            "incidents_by_actor": charts.bars(
                [(a["actor"], a["incidents"]) for a in actors],
                link=lambda a: (
                    f"{incidents_url}?q={quote(a)}{scope.replace('report', 'report__exact')}"
                    if a != UNATTRIBUTED
                    else None
                ),
            ),
            "killed_by_actor": charts.bars(
                [(a["actor"], a["killed"]) for a in actors], tone="danger"
            ),
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/dashboard.html", context)


REPORT_SESSION_KEY = "review_queue_report"
KIND_NAMES = {
    "new_incident": "new incident",
    "revised": "revised",
    "dropped": "dropped entry",
    "ambiguous_match": "ambiguous match",
    "possible_split": "possible split",
    "possible_merge": "possible merge",
    "possible_duplicate": "possible duplicate",
    "paragraph_changed": "paragraph",
    "unresolved_place": "unresolved place",
}


def can_correct(flag: ReviewFlag) -> bool:
    """Correct is offered where there is one value to correct: a revised field (not the
    claims list) or an unresolved place; never on paragraphs, duplicates, new or dropped
    entries."""
    if flag.kind == ReviewFlag.Kind.UNRESOLVED_PLACE:
        return True
    return flag.kind == ReviewFlag.Kind.REVISED and (flag.field or "") in CORRECTABLE_FIELDS


def _side(state: IncidentState, letter: str, lines: list[Any]) -> dict[str, Any]:
    words = state_in_words(state)
    points = [(p["name"], p["latitude"], p["longitude"]) for p in map(place_fields, state.places)]
    return {
        "letter": letter,
        "state": state,
        "words": words,
        "claims": [
            f"{c.get('claimant')}: {c.get('property')} "
            f"{figure_words(c.get('value_min'), c.get('value_max'), c.get('qualifier'))}"
            f"{' (' + str(c.get('rank')) + ')' if c.get('rank') != 'normal' else ''}"
            for c in state.claims.values()
        ],
        "points": [
            (str(n), float(lat), float(lon))
            for n, lat, lon in points
            if lat is not None and lon is not None
        ],
        "line": lines[0 if letter == "A" else 1] if len(lines) > 1 else None,
    }


def _carry(request: HttpRequest) -> str:
    """The list's query string, passed on from page to page (Django's preserved filters)."""
    filters = request.GET.get("_changelist_filters")
    return f"?{urlencode({'_changelist_filters': filters})}" if filters is not None else ""


def _queue_url(request: HttpRequest) -> str:
    filters = request.GET.get("_changelist_filters", "")
    url = reverse("admin:incidents_reviewflag_changelist")
    return f"{url}?{filters}" if filters else url


def _correct_value(flag: ReviewFlag, form: forms.Form) -> Any:
    if flag.kind == ReviewFlag.Kind.UNRESOLVED_PLACE and isinstance(form, PlaceValueForm):
        # The whole place as chosen, and the editor's word on a place abroad: the service
        # decides what it keeps and whether the country may differ.
        chosen = form.cleaned_data["chosen"]
        return {
            "name": chosen["name"],
            "lat": chosen["lat"],
            "lon": chosen["lon"],
            "country": chosen.get("country"),
            "admin1": chosen.get("admin1"),
            "resolved_name": chosen.get("resolved_name"),
            "place_id": chosen.get("place_id"),
            "confirm_foreign": bool(form.cleaned_data.get("confirm_foreign")),
        }
    return form.cleaned_data["value"]


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flag_or_404(object_id: str) -> ReviewFlag:
    try:
        flag = flag_get(flag_id=uuid.UUID(str(object_id)))
    except ValueError as exc:
        raise Http404 from exc
    if flag is None:
        raise Http404
    return flag


def _flag_url(flag_id: uuid.UUID | None, suffix: str = "") -> str | None:
    if not flag_id:
        return None
    return reverse("admin:incidents_reviewflag_change", args=[flag_id]) + suffix


# --- the decision services, as the views call them --------------------------------------------


def flag_explanation(flag: ReviewFlag) -> dict[str, str]:
    """One line each: why the flag was raised, what Accept and Reject will do."""
    try:
        preview = flag_accept_preview(flag_id=flag.id)
    except CurationError:
        return {}
    # The page labels the lines "Accept:" / "Reject:"; a line that starts with the same word
    # would read "Accept: Accept sets ...".
    return {
        "why": preview.why_raised,
        "accept": _unlabelled(preview.accept_does, "Accept"),
        "reject": _unlabelled(preview.reject_does, "Reject"),
    }


def _unlabelled(line: str, label: str) -> str:
    return line[len(label) + 1 :] if line.startswith(f"{label} ") else line


def accept_warning(flag: ReviewFlag) -> AcceptPreview | None:
    """The accept preview when accepting would overwrite an editor's correction or lock (its
    losses, and whether the editor's value can be kept); None when nothing is lost."""
    if flag.status != ReviewFlag.Status.OPEN:
        return None
    preview = flag_accept_preview(flag_id=flag.id)
    return preview if preview.losses else None


def accept_flag(*, flag: ReviewFlag, editor: Any, reason: str, keep_editor_value: bool) -> None:
    flag_accept(flag_id=flag.id, editor=editor, reason=reason, keep_editor_value=keep_editor_value)


def duplicate_merge(*, flag: ReviewFlag, survivor: uuid.UUID, editor: Any, reason: str) -> None:
    flag_merge(flag_id=flag.id, survivor_id=survivor, editor=editor, reason=reason)


def duplicate_distinct(*, flag: ReviewFlag, editor: Any, reason: str) -> None:
    flag_not_duplicate(flag_id=flag.id, editor=editor, reason=reason)
