"""Actors in the admin: read-only rows, changed through forms that call one service each
(add an alias, add a dated relation, merge two actors)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from actors.models import Actor, ActorAlias, ActorRelation, Place, RelationKind
from actors.services import (
    ActorCommandError,
    NotAPlaceEditor,
    PlaceCommandError,
    actor_alias_add,
    actor_merge,
    actor_relation_add,
    place_correct,
    place_record,
)
from common.errors import Forbidden
from common.roles import CurationContextMixin, can_edit_places, curated_or_404
from ledger.admin_base import ReadOnlyAdmin
from ledger.errors import ConcurrencyConflict
from ledger.store import Cause


def _editor_cause(user: Any, why: str) -> Cause:
    """Who and why for an actor edit; `_form` has let only editors this far (can_curate)."""
    return Cause(who=f"user:{user.username}", why=why)


class AliasInline(admin.TabularInline):
    model = ActorAlias
    verbose_name = "alias"
    verbose_name_plural = "aliases"  # Django's default would read "actor aliass"
    extra = 0
    can_delete = False
    readonly_fields = ("alias", "normalized")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class AliasForm(forms.Form):
    alias = forms.CharField(max_length=200, help_text="Another name the actor goes by.")
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RelationForm(forms.Form):
    kind = forms.ChoiceField(choices=RelationKind.choices)
    other = forms.ModelChoiceField(queryset=Actor.objects.filter(merged_into__isnull=True))
    since = forms.DateField(required=False, help_text="YYYY-MM-DD")
    until = forms.DateField(required=False, help_text="YYYY-MM-DD")
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActorMergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Actor.objects.filter(merged_into__isnull=True),
        help_text="This actor becomes a tombstone; its incidents go to the survivor.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(Actor)
class ActorAdmin(CurationContextMixin, ReadOnlyAdmin):
    list_display = ("name", "short_name", "kind", "merged_into")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "aliases__alias")
    inlines = [AliasInline]
    change_form_template = "admin/actors/actor/change_form.html"

    def get_urls(self):  # type: ignore[no-untyped-def]
        view = self.admin_site.admin_view
        return [
            path("<uuid:pk>/alias/", view(self.alias_view), name="actors_actor_alias"),
            path("<uuid:pk>/relation/", view(self.relation_view), name="actors_actor_relation"),
            path("<uuid:pk>/merge/", view(self.merge_view), name="actors_actor_merge"),
            *super().get_urls(),
        ]

    def _form(
        self,
        request: HttpRequest,
        pk: uuid.UUID,
        title: str,
        form_class: type[forms.Form],
        perform: Callable[[dict[str, Any], Any], Any],
    ) -> HttpResponse:
        actor = curated_or_404(request, lambda: Actor.objects.filter(id=pk).first())
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                perform(form.cleaned_data, request.user)
            except Forbidden as exc:
                raise PermissionDenied(str(exc)) from exc
            except (ActorCommandError, ConcurrencyConflict) as exc:
                form.add_error(None, str(exc) or "The actor changed meanwhile; look again.")
            else:
                messages.success(request, f"{title}: done.")
                return HttpResponseRedirect(reverse("admin:actors_actor_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{title}: {actor}",
            "form": form,
            "actor": actor,
        }
        return TemplateResponse(request, "admin/actors/actor/action.html", context)

    def alias_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], user: Any) -> Any:
            why = data["reason"] or f"alias {data['alias']}"
            return actor_alias_add(actor_id=pk, alias=data["alias"], cause=_editor_cause(user, why))

        return self._form(request, pk, "Add an alias", AliasForm, perform)

    def relation_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], user: Any) -> Any:
            why = data["reason"] or f"{data['kind']} {data['other']}"
            return actor_relation_add(
                subject_id=pk,
                kind=data["kind"],
                object_id=data["other"].id,
                since=data["since"],
                until=data["until"],
                cause=_editor_cause(user, why),
            )

        return self._form(request, pk, "Add a dated relation", RelationForm, perform)

    def merge_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], user: Any) -> Any:
            return actor_merge(
                loser_id=pk,
                survivor_id=data["survivor"].id,
                cause=_editor_cause(user, data["reason"]),
            )

        return self._form(request, pk, "Merge into another actor", ActorMergeForm, perform)


@admin.register(ActorRelation)
class ActorRelationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "object", "since", "until")
    list_filter = ("kind",)


class PlaceForm(forms.Form):
    """One place of the editors' table; the reason is recorded with the editor's name."""

    name = forms.CharField(max_length=200)
    country = forms.CharField(max_length=80, help_text="The country's name, e.g. Mali.")
    admin1 = forms.CharField(
        max_length=120, required=False, label="Region (admin1)", help_text="e.g. Mopti."
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    alternate_names = forms.CharField(
        required=False,
        label="Other spellings",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text="One per line; the parser finds the place under each of them.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        help_text="Recorded with your name; the next editor reads it.",
    )

    def clean_alternate_names(self) -> list[str]:
        lines = str(self.cleaned_data.get("alternate_names") or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def place_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "country": d["country"],
            "admin1": d.get("admin1") or "",
            "latitude": d.get("latitude"),
            "longitude": d.get("longitude"),
            "alternate_names": d.get("alternate_names") or [],
        }

    def refused(self, exc: Exception) -> None:
        """A service refusal names its field first ("latitude: ..."): shown next to it."""
        message = str(exc)
        field = message.split(":", 1)[0].strip()
        self.add_error(field if field in self.fields else None, message)


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    """The gazetteer's editor-kept places. Place is a read model (written by its projector
    from PlaceRecorded / PlaceCorrected), so Django's own add / change forms would break
    replay: the add page and the correct page here are forms that call place_record /
    place_correct, with a reason, as the logged-in editor. No delete: there is no event for it.
    """

    list_display = ("name", "country", "admin1", "latitude", "longitude", "changed", "correct")
    list_filter = ("country", "source")
    search_fields = ("name", "admin1", "country")
    change_form_template = "admin/actors/place/change_form.html"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Shows the changelist's "Add place" button; add_view below records through the service.
        return bool(can_edit_places(request.user))

    @admin.display(description="last change")
    def changed(self, place: Place) -> str:
        who = place.updated_by or "-"
        return f"{who}: {place.reason}" if place.reason else who

    @admin.display(description="")
    def correct(self, place: Place) -> str:
        url = reverse("admin:actors_place_correct", args=[place.pk])
        return format_html('<a href="{}">correct</a>', url)

    def get_urls(self):  # type: ignore[no-untyped-def]
        view = self.admin_site.admin_view
        return [
            path("<uuid:pk>/correct/", view(self.correct_view), name="actors_place_correct"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra = {"can_correct": can_edit_places(request.user, change=True)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PlaceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                place_id = place_record(
                    editor=request.user, reason=form.cleaned_data["reason"], **form.place_fields()
                )
            except NotAPlaceEditor as exc:
                raise PermissionDenied(str(exc)) from exc
            except (PlaceCommandError, ConcurrencyConflict) as exc:
                form.refused(exc)
            else:
                messages.success(request, f"Recorded {form.cleaned_data['name']}.")
                return HttpResponseRedirect(reverse("admin:actors_place_change", args=[place_id]))
        return self._page(request, form, title="Record a place", place=None)

    def correct_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        if not can_edit_places(request.user, change=True):
            raise PermissionDenied
        place = Place.objects.filter(id=pk).first()
        if place is None:
            raise Http404
        initial = {
            "name": place.name,
            "country": place.country,
            "admin1": place.admin1,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "alternate_names": "\n".join(place.alternate_names or []),
        }
        form = PlaceForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            changes = form.place_fields()
            try:
                result = place_correct(
                    place_id=pk,
                    editor=request.user,
                    reason=form.cleaned_data["reason"],
                    **changes,
                )
            except NotAPlaceEditor as exc:
                raise PermissionDenied(str(exc)) from exc
            except PlaceCommandError as exc:
                form.refused(exc)
            except ConcurrencyConflict:
                form.add_error(None, "Someone changed this place meanwhile; look at it again.")
            else:
                if result is None:
                    # Said, not swallowed: nothing was recorded, so the reason was not either.
                    form.add_error(None, "Nothing differs from the table: nothing was recorded.")
                else:
                    messages.success(request, f"Corrected {changes['name']}.")
                    return HttpResponseRedirect(reverse("admin:actors_place_change", args=[pk]))
        return self._page(request, form, title=f"Correct {place}", place=place)

    def _page(
        self, request: HttpRequest, form: PlaceForm, *, title: str, place: Place | None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "place": place,
        }
        return TemplateResponse(request, "admin/actors/place/form.html", context)
