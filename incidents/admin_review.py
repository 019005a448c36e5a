"""The review queue in the admin: open flags to filter, search and sort; one flag with its old
and new text side by side, the incident's state and history; accept, reject and correct, each
through a confirmation page; bulk decisions for wording-only flags; keyboard shortcuts.

Views parse the form and call one service (incidents.review_decisions); nothing here decides.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from incidents import review_charts
from incidents.admin_forms import AcceptForm, BulkDecisionForm, CorrectForm, RejectForm
from incidents.review_curation import CurationError, NotAnEditor
from incidents.review_decisions import (
    flag_accept,
    flag_correct,
    flag_decide_many,
    flag_reject,
    is_low_risk,
)
from incidents.review_diff import word_diff
from incidents.review_models import ReviewFlag
from incidents.review_selectors import (
    flag_get,
    flag_neighbours,
    incident_timeline,
    incidents_by_actor,
    incidents_per_month,
    open_flags_by,
)
from incidents.roles import can_curate, can_read
from incidents.selectors import incident_get
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


def _pretty(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, indent=1, ensure_ascii=False, default=str)


class ReviewFlagAdmin(ReadOnlyAdmin):
    """The review queue."""

    list_display = (
        "kind",
        "field",
        "change",
        "keys",
        "report",
        "edition_id",
        "status",
        "decided_by",
        "raised_at",
    )
    list_display_links = ("kind",)
    list_filter = (
        StatusFilter,
        "kind",
        "report",
        ("edition_id", admin.AllValuesFieldListFilter),
        ("field", admin.AllValuesFieldListFilter),
        AgeFilter,
    )
    search_fields = ("before_text", "after_text", "field", "report", "reason", "decided_by")
    ordering = ("raised_at", "id")
    sortable_by = ("raised_at", "kind", "field", "report", "edition_id", "status", "decided_by")
    actions = ["accept_selected", "reject_selected"]
    list_per_page = 50
    change_list_template = "admin/incidents/reviewflag/change_list.html"

    # --- who may do what --------------------------------------------------------------------

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read(request.user)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return can_curate(request.user)

    # --- the list ---------------------------------------------------------------------------

    @admin.display(description="change")
    def change(self, flag: ReviewFlag) -> str:
        if flag.before is not None or flag.after is not None:
            text = f"{_short(flag.before)} → {_short(flag.after)}"
        else:
            text = _short(flag.after_text or flag.before_text)
        return text

    @admin.display(description="")
    def keys(self, flag: ReviewFlag) -> str:
        if flag.status != ReviewFlag.Status.OPEN:
            return ""
        return format_html(
            '<a href="{}" data-key="a">accept</a> · <a href="{}" data-key="r">reject</a>',
            reverse("admin:incidents_reviewflag_accept", args=[flag.pk]),
            reverse("admin:incidents_reviewflag_reject", args=[flag.pk]),
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        extra = {"can_decide": can_curate(request.user), **(extra_context or {})}
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
        return [
            path("dashboard/", view(self.dashboard_view), name="incidents_reviewflag_dashboard"),
            path(
                "<uuid:pk>/accept/",
                view(self.decide_view),
                {"decision": "accept"},
                name="incidents_reviewflag_accept",
            ),
            path(
                "<uuid:pk>/reject/",
                view(self.decide_view),
                {"decision": "reject"},
                name="incidents_reviewflag_reject",
            ),
            path(
                "<uuid:pk>/correct/",
                view(self.decide_view),
                {"decision": "correct"},
                name="incidents_reviewflag_correct",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, flag: ReviewFlag) -> dict[str, Any]:
        before, after = word_diff(flag.before_text, flag.after_text)
        state = incident_get(incident_id=flag.incident_id) if flag.incident_id else None
        events = incident_timeline(incident_id=flag.incident_id) if flag.incident_id else None
        earlier, later = flag_neighbours(flag=flag)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "flag": flag,
            "before_segments": before,
            "after_segments": after,
            "before_value": _pretty(flag.before),
            "after_value": _pretty(flag.after),
            "detail": _pretty({k: v for k, v in (flag.detail or {}).items()}),
            "state": state,
            "casualties": {p: state.estimate(p) for p in ("killed", "wounded", "kidnapped")}
            if state
            else {},
            "events": [_event_row(e) for e in (events or [])][-30:],
            "previous_url": _flag_url(earlier),
            "next_url": _flag_url(later),
            "can_decide": can_curate(request.user) and flag.status == ReviewFlag.Status.OPEN,
        }

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        flag = _flag_or_404(object_id)
        context = {
            **self._context(request, flag),
            "title": f"Review: {flag.kind} {flag.field or ''}",
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/detail.html", context)

    def decide_view(self, request: HttpRequest, pk: uuid.UUID, decision: str) -> HttpResponse:
        if not can_curate(request.user):
            raise PermissionDenied
        flag = _flag_or_404(str(pk))
        form_class = {"accept": AcceptForm, "reject": RejectForm, "correct": CorrectForm}[decision]
        initial = {}
        if decision == "correct":
            initial["value"] = _initial_value(flag)
        form = form_class(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if decision == "accept":
                    flag_accept(flag_id=flag.id, editor=request.user, reason=data["reason"])
                elif decision == "reject":
                    flag_reject(flag_id=flag.id, editor=request.user, reason=data["reason"])
                else:
                    flag_correct(
                        flag_id=flag.id,
                        editor=request.user,
                        reason=data["reason"],
                        value=data["value"],
                    )
            except NotAnEditor as exc:
                raise PermissionDenied(str(exc)) from exc
            except ConcurrencyConflict:
                form.add_error(None, "The flag or its incident changed meanwhile; look again.")
            except CurationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{decision.title()}ed: {flag.kind} {flag.field or ''}")
                _, later = flag_neighbours(flag=flag)
                return HttpResponseRedirect(
                    _flag_url(later) or reverse("admin:incidents_reviewflag_changelist")
                )
        context = {
            **self._context(request, flag),
            "title": f"{decision.title()} this change?",
            "form": form,
            "decision": decision,
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/decide.html", context)

    # --- dashboard ----------------------------------------------------------------------------

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not can_read(request.user):
            raise PermissionDenied
        months = incidents_per_month()
        actors = incidents_by_actor()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Review dashboard",
            "by_kind": review_charts.bars(open_flags_by(column="kind")),
            "by_report": review_charts.bars(open_flags_by(column="report")),
            "incidents_per_month": review_charts.columns(
                [(m["month"], m["incidents"]) for m in months]
            ),
            "killed_per_month": review_charts.columns(
                [(m["month"], m["killed"]) for m in months], color="#a33"
            ),
            "incidents_by_actor": review_charts.bars(
                [(a["actor"], a["incidents"]) for a in actors]
            ),
            "killed_by_actor": review_charts.bars(
                [(a["actor"], a["killed"]) for a in actors], color="#a33"
            ),
        }
        return TemplateResponse(request, "admin/incidents/reviewflag/dashboard.html", context)


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


def _flag_url(flag_id: uuid.UUID | None) -> str | None:
    return reverse("admin:incidents_reviewflag_change", args=[flag_id]) if flag_id else None


def _initial_value(flag: ReviewFlag) -> str:
    """The correct form starts from the new value, in the form the service takes."""
    after = (flag.detail or {}).get("after_fields")
    if after and len(after) == 1:
        value = next(iter(after.values()))
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if after:
        return json.dumps(after, ensure_ascii=False)
    if isinstance(flag.after, list) and flag.after and isinstance(flag.after[0], int):
        return str(flag.after[0])  # a figure: (min, max, qualifier)
    return ""


def _event_row(event: Any) -> dict[str, Any]:
    return {
        "position": event.position,
        "at": event.recorded_at,
        "type": type(event.event).type_name(),
        "stream_type": event.stream_type,
        "who": event.metadata.get("who"),
        "why": event.metadata.get("why"),
        "data": _short(event.event.to_data(), 160),
    }
