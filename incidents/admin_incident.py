"""Incidents in the admin: shown read-only; changed only through forms that each call one
service (correct or lock a field, rank a claim, merge, retract, keep, resolve a place), a
history of field-level diffs with who / why / which flag, "as of" an edition or a date compared
with now, and the two lookups the forms' search boxes use (incidents, gazetteer places)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.roles import CurationContextMixin, can_read, curated_or_404
from incidents.admin_forms import (
    CORRECTABLE_FIELDS,
    LockFieldForm,
    MergeForm,
    PerpetratorsValueForm,
    PlaceValueForm,
    RankClaimForm,
    ReasonForm,
    refuse,
    value_form_class,
    value_initial,
)
from incidents.editions import edition_records
from incidents.models import Claim
from incidents.review.curation import (
    CurationError,
    NotAnEditor,
    editor_cause,
    incident_correct_field,
    incident_keep,
    incident_lock_field,
    incident_resolve_place,
    incident_unlock_field,
)
from incidents.review.merge import incident_merge_into
from incidents.review.selectors import (
    edition_labels,
    incident_compare,
    incident_search,
    incident_steps,
    place_candidates,
    place_pick,
    state_in_words,
)
from incidents.selectors import edition_position, incident_get, position_as_of
from incidents.services import IncidentCommandError, claim_rank, incident_retract
from incidents.state import IncidentState
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
        others = [
            p
            for p in edition_records().incident_entry_parts(incident_id=obj.pk)
            if p.incident_id != obj.pk
        ]
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
            path(
                "lookup/incidents/",
                view(self.incident_lookup_view),
                name="incidents_incident_lookup",
            ),
            path("lookup/places/", view(self.place_lookup_view), name="incidents_place_lookup"),
            *super().get_urls(),
        ]

    # --- history ------------------------------------------------------------------------------

    def ledger_history_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        """Every change as a field-level diff, with who / why / which flag; and the incident
        as of an edition, a date or a log position compared field by field with now."""
        if not can_read(request.user):
            raise PermissionDenied
        state = incident_get(incident_id=pk)
        steps = incident_steps(incident_id=pk)
        if steps is None or state is None:
            raise Http404
        editions = edition_labels(
            edition_ids=[e for e in (state.first_edition_id, state.last_edition_id) if e]
        )
        asof, asof_label = _as_of(request)
        of_report = edition_records().edition_ids(report=state.report)
        compared = incident_compare(incident_id=pk, position=asof) if asof is not None else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Incident history",
            "state": state,
            "incident_id": pk,
            "steps": list(reversed(steps)),
            "editions": [(eid, label) for eid, label in editions.items() if eid in of_report],
            "asof": asof,
            "asof_label": asof_label,
            "compared": compared,
            "now_words": state_in_words(state),
            "chosen_edition": request.GET.get("edition", ""),
            "chosen_date": request.GET.get("date", ""),
        }
        return TemplateResponse(request, "admin/incidents/incident/history.html", context)

    # --- lookups for the search boxes ---------------------------------------------------------

    def incident_lookup_view(self, request: HttpRequest) -> JsonResponse:
        if not can_read(request.user):
            raise PermissionDenied
        return JsonResponse({"results": incident_search(q=request.GET.get("q", ""))})

    def place_lookup_view(self, request: HttpRequest) -> JsonResponse:
        if not can_read(request.user):
            raise PermissionDenied
        results = place_candidates(
            q=request.GET.get("q", ""), country=request.GET.get("country") or None
        )
        return JsonResponse({"results": results})

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
        initial: dict[str, Any] | Callable[[IncidentState], dict[str, Any]] | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        state = curated_or_404(request, lambda: incident_get(incident_id=pk))
        extra = form_kwargs(state) if form_kwargs else {}
        if callable(initial):
            initial = initial(state)
        form = form_class(request.POST or None, initial=initial, **extra)
        if request.method == "POST" and form.is_valid():
            try:
                perform(form.cleaned_data, state, request.user)
            except NotAnEditor as exc:
                raise PermissionDenied(str(exc)) from exc
            except ConcurrencyConflict:
                form.add_error(None, "The incident changed meanwhile; look at it again.")
            except (CurationError, IncidentCommandError) as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"{title}: done.")
                return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "state": state,
            "now_words": state_in_words(state),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/incidents/incident/action.html", context)

    def correct_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        """?field=...: that field's own form, filled with the value the ledger holds; without
        it, the fields to choose from with their values in words."""
        field = request.GET.get("field", "")
        if field not in CORRECTABLE_FIELDS:
            return self._field_menu(request, pk, action="correct", title="Correct a field")
        form_class = value_form_class(field)

        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            if form_class is PlaceValueForm:
                return _resolve_place(pk, data, state, user)
            return incident_correct_field(
                incident_id=pk, field=field, value=data["value"], reason=data["reason"], editor=user
            )

        return self._form(
            request,
            pk,
            title=f"Correct {field.replace('_', ' ')}",
            form_class=form_class,
            perform=perform,
            form_kwargs=_form_kwargs(form_class),
            initial=lambda state: value_initial(field, state),
            extra_context={"field": field},
        )

    def _field_menu(
        self, request: HttpRequest, pk: uuid.UUID, *, action: str, title: str
    ) -> HttpResponse:
        state = curated_or_404(request, lambda: incident_get(incident_id=pk))
        words = state_in_words(state)
        held = {**state.held_fields, **{f: "locked" for f in state.locked_fields}}
        rows = [
            {
                "field": f,
                "label": f.replace("_", " "),
                "now": words.get(f, ""),
                "held": held.get(f, ""),
            }
            for f in CORRECTABLE_FIELDS
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "state": state,
            "rows": rows,
            "action": action,
        }
        return TemplateResponse(request, "admin/incidents/incident/fields.html", context)

    def lock_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        """?field=...: lock (or unlock) that field, the confirmation naming it and its value."""
        field = request.GET.get("field", "")
        if field not in CORRECTABLE_FIELDS:
            return self._field_menu(request, pk, action="lock", title="Lock or unlock a field")

        def perform(data: dict[str, Any], state: IncidentState, user: Any) -> Any:
            use = incident_lock_field if data["lock"] else incident_unlock_field
            return use(incident_id=pk, field=field, reason=data["reason"], editor=user)

        label = field.replace("_", " ")
        return self._form(
            request,
            pk,
            title=f"Lock or unlock {label}",
            form_class=LockFieldForm,
            perform=perform,
            initial={"field": field, "lock": "1"},
            extra_context={"field": field},
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
            return incident_merge_into(
                loser_id=pk, survivor_id=data["survivor"], editor=user, reason=data["reason"]
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
        """Resolving a place is correcting the incident's places: the same form."""
        url = reverse("admin:incidents_incident_correct", args=[pk]) + "?field=locations"
        return HttpResponseRedirect(url)


def _resolve_place(pk: uuid.UUID, data: dict[str, Any], state: IncidentState, user: Any) -> Any:
    """A place the incident names: incident_resolve_place decides, a place abroad included
    (the editor's confirmation is passed on). A new place goes through incident_correct_field,
    which applies the same country rule to the places it adds."""
    chosen, confirm = data["chosen"], bool(data.get("confirm_foreign"))
    if not data["new"]:
        return incident_resolve_place(
            incident_id=pk,
            place=chosen["name"],
            latitude=chosen["lat"],
            longitude=chosen["lon"],
            admin1=chosen.get("admin1"),
            resolved_name=chosen.get("resolved_name"),
            country=chosen.get("country"),
            place_id=uuid.UUID(chosen["place_id"]) if chosen.get("place_id") else None,
            confirm_foreign=confirm,
            reason=data["reason"],
            editor=user,
        )
    # A place the incident does not name yet: incident_resolve_place only resolves names the
    # incident has, so the new list is a correction of `locations` (the service applies the
    # same country rule to the places it adds).
    return incident_correct_field(
        incident_id=pk,
        field="locations",
        value=data["value"],
        reason=data["reason"],
        editor=user,
        confirm_foreign=confirm,
    )


def _form_kwargs(form_class: type[forms.Form]) -> Callable[[IncidentState], dict[str, Any]] | None:
    if form_class is PlaceValueForm:
        return _place_kwargs
    if form_class is PerpetratorsValueForm:
        return lambda state: {"perpetrators": state.perpetrators}
    return None


def _place_kwargs(state: IncidentState) -> dict[str, Any]:
    return {
        "places": [dict(p) for p in state.places],
        "country": state.country,
        "search": lambda label: place_pick(label=label, country=state.country),
    }


def _as_of(request: HttpRequest) -> tuple[int | None, str]:
    """The log position an "as of" choice means: an edition (when its ingestion committed),
    a date (the end of that day) or a raw position; with what to call it."""
    edition, day, at = (request.GET.get(k, "").strip() for k in ("edition", "date", "at"))
    if edition.isdigit():
        position = edition_position(edition_id=int(edition))
        label = edition_labels(edition_ids=[int(edition)]).get(int(edition), edition)
        return position, f"as of edition {label}"
    if day:
        try:
            moment = datetime.combine(datetime.fromisoformat(day).date(), time.max)
        except ValueError:
            return None, f"{day!r} is not a date (YYYY-MM-DD)"
        aware = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        return position_as_of(moment=aware), f"as of the end of {day}"
    if at.isdigit():
        return int(at), f"right after log position {at}"
    return None, ""
