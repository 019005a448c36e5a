"""Incidents in the admin: shown read-only; changed only through forms that each call one
service (correct or lock a field, rank a claim, merge, retract, keep, resolve a place), and a
history view with every event's who / when / why and the state at any earlier point."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from incidents.admin_forms import (
    CorrectFieldForm,
    LockFieldForm,
    MergeForm,
    RankClaimForm,
    ReasonForm,
    ResolvePlaceForm,
)
from incidents.models import Claim
from incidents.review_curation import (
    CurationError,
    NotAnEditor,
    editor_cause,
    incident_correct_field,
    incident_keep,
    incident_lock_field,
    incident_resolve_place,
    incident_unlock_field,
)
from incidents.review_selectors import incident_timeline
from incidents.roles import CurationContextMixin, can_curate, can_read
from incidents.selectors import incident_get, incident_state_as_of
from incidents.services import IncidentCommandError, claim_rank, incident_merge, incident_retract
from incidents.state import IncidentState
from ingestion.parsing.gazetteer import default_gazetteer
from ingestion.selectors import incident_entry_parts
from ledger.admin_base import ReadOnlyAdmin
from ledger.errors import ConcurrencyConflict


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    can_delete = False
    fields = (
        "property",
        "claimant",
        "value_min",
        "value_max",
        "qualifier",
        "rank",
        "rank_reason",
        "phrase",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


Perform = Callable[[dict[str, Any], IncidentState, Any], Any]


class IncidentAdmin(CurationContextMixin, ReadOnlyAdmin):
    list_display = (
        "date_start",
        "country",
        "event_type",
        "killed_best",
        "status",
        "review_state",
        "report",
    )
    list_filter = ("status", "review_state", "country", "event_type", "date_precision", "report")
    search_fields = ("text",)
    date_hierarchy = "date_start"
    inlines = [ClaimInline]
    change_form_template = "admin/incidents/incident/change_form.html"
    readonly_fields = ("other_parts",)

    @admin.display(description="Other parts of this entry")
    def other_parts(self, obj: Any) -> str:
        """The other incidents the same timeline entry reports ("That same day, ..."), so an
        editor sees an entry's events together."""
        others = [p for p in incident_entry_parts(incident_id=obj.pk) if p.incident_id != obj.pk]
        if not others:
            return "None: the entry reports this event only."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">part {} (line {})</a>: {}</li>',
                (
                    (
                        reverse("admin:incidents_incident_change", args=[p.incident_id]),
                        p.part,
                        p.line,
                        p.text[:160],
                    )
                    for p in others
                ),
            ),
        )

    def get_urls(self):  # type: ignore[no-untyped-def]
        view = self.admin_site.admin_view

        def route(name: str, handler: Callable[..., HttpResponse]) -> Any:
            return path(f"<uuid:pk>/{name}/", view(handler), name=f"incidents_incident_{name}")

        return [
            route("history", self.ledger_history_view),
            route("correct", self.correct_view),
            route("lock", self.lock_view),
            route("rank", self.rank_view),
            route("merge", self.merge_view),
            route("retract", self.retract_view),
            route("keep", self.keep_view),
            route("resolve", self.resolve_view),
            *super().get_urls(),
        ]

    # --- history ------------------------------------------------------------------------------

    def ledger_history_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        if not can_read(request.user):
            raise PermissionDenied
        events = incident_timeline(incident_id=pk)
        if events is None:
            raise Http404
        at = request.GET.get("at")
        past = None
        if at and at.isdigit():
            past = incident_state_as_of(incident_id=pk, position=int(at))
        rows = [
            {
                "position": e.position,
                "at": e.recorded_at,
                "type": type(e.event).type_name(),
                "stream": e.stream_type,
                "who": e.metadata.get("who"),
                "why": e.metadata.get("why"),
                "data": json.dumps(e.event.to_data(), ensure_ascii=False, default=str)[:400],
            }
            for e in events
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Incident history",
            "incident_id": pk,
            "events": rows,
            "at": at,
            "past": json.dumps(past.to_json(), indent=1, ensure_ascii=False) if past else None,
        }
        return TemplateResponse(request, "admin/incidents/incident/history.html", context)

    # --- forms that call one service each -----------------------------------------------------

    def _form(
        self,
        request: HttpRequest,
        pk: uuid.UUID,
        *,
        title: str,
        form_class: type[forms.Form],
        perform: Perform,
        form_kwargs: Callable[[IncidentState], dict[str, Any]] | None = None,
        initial: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not can_curate(request.user):
            raise PermissionDenied
        state = incident_get(incident_id=pk)
        if state is None:
            raise Http404
        extra = form_kwargs(state) if form_kwargs else {}
        form = form_class(request.POST or None, initial=initial, **extra)
        if request.method == "POST" and form.is_valid():
            try:
                perform(form.cleaned_data, state, request.user)
            except NotAnEditor as exc:
                raise PermissionDenied(str(exc)) from exc
            except ConcurrencyConflict:
                form.add_error(None, "The incident changed meanwhile; look at it again.")
            except (CurationError, IncidentCommandError) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{title}: done.")
                return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "state": state,
        }
        return TemplateResponse(request, "admin/incidents/incident/action.html", context)

    def correct_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            return incident_correct_field(
                incident_id=pk,
                field=data["field"],
                value=data["value"],
                reason=data["reason"],
                editor=user,
            )

        return self._form(
            request, pk, title="Correct a field", form_class=CorrectFieldForm, perform=perform
        )

    def lock_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            use = incident_lock_field if data["lock"] else incident_unlock_field
            return use(incident_id=pk, field=data["field"], reason=data["reason"], editor=user)

        return self._form(
            request, pk, title="Lock or unlock a field", form_class=LockFieldForm, perform=perform
        )

    def rank_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def claims(state: IncidentState) -> dict[str, Any]:
            return {
                "claims": [
                    (
                        cid,
                        f"{c['property']}: {c['claimant']} {c.get('value_min')}-"
                        f"{c.get('value_max')} ({c['rank']})",
                    )
                    for cid, c in state.claims.items()
                ]
            }

        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            reason = data["reason"] or ""
            return claim_rank(
                claim_id=uuid.UUID(data["claim"]),
                rank=data["rank"],
                reason=reason,
                cause=editor_cause(editor=user, why=reason or f"ranked {data['rank']}"),
            )

        return self._form(
            request,
            pk,
            title="Rank a claim",
            form_class=RankClaimForm,
            perform=perform,
            form_kwargs=claims,
        )

    def merge_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            return incident_merge(
                loser_id=pk,
                survivor_id=data["survivor"],
                cause=editor_cause(editor=user, why=data["reason"]),
            )

        return self._form(
            request,
            pk,
            title="Merge into another incident",
            form_class=MergeForm,
            perform=perform,
            initial={"survivor": request.GET.get("survivor", "")},
        )

    def retract_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            return incident_retract(
                incident_id=pk,
                reason=data["reason"],
                cause=editor_cause(editor=user, why=data["reason"]),
            )

        return self._form(
            request, pk, title="Retract the incident", form_class=ReasonForm, perform=perform
        )

    def keep_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            return incident_keep(incident_id=pk, reason=data["reason"], editor=user)

        return self._form(
            request, pk, title="Keep the dropped incident", form_class=ReasonForm, perform=perform
        )

    def resolve_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def places(state: IncidentState) -> dict[str, Any]:
            return {"places": [str(p.get("name")) for p in state.places if p.get("name")]}

        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            lat, lon = data.get("latitude"), data.get("longitude")
            admin1 = resolved = None
            if lat is None or lon is None:
                match = default_gazetteer().lookup(data["gazetteer_name"])
                if match is None or match.lat is None or match.lon is None:
                    raise CurationError(
                        f"The gazetteer does not know {data['gazetteer_name']!r}; "
                        "give coordinates instead."
                    )
                lat, lon, admin1, resolved = match.lat, match.lon, match.admin1, match.name
            return incident_resolve_place(
                incident_id=pk,
                place=data["place"],
                latitude=lat,
                longitude=lon,
                admin1=admin1,
                resolved_name=resolved,
                reason=data["reason"],
                editor=user,
            )

        return self._form(
            request,
            pk,
            title="Resolve a place",
            form_class=ResolvePlaceForm,
            perform=perform,
            form_kwargs=places,
        )
