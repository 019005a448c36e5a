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

from actors.models import Actor, ActorAlias, ActorRelation, Place, RelationKind
from actors.services import ActorCommandError, actor_alias_add, actor_merge, actor_relation_add
from incidents.review_curation import NotAnEditor, editor_cause
from incidents.roles import CurationContextMixin, can_curate
from ledger.admin_base import ReadOnlyAdmin
from ledger.errors import ConcurrencyConflict


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
        if not can_curate(request.user):
            raise PermissionDenied
        actor = Actor.objects.filter(id=pk).first()
        if actor is None:
            raise Http404
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                perform(form.cleaned_data, request.user)
            except NotAnEditor as exc:
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
            return actor_alias_add(
                actor_id=pk, alias=data["alias"], cause=editor_cause(editor=user, why=why)
            )

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
                cause=editor_cause(editor=user, why=why),
            )

        return self._form(request, pk, "Add a dated relation", RelationForm, perform)

    def merge_view(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        def perform(data: dict[str, Any], user: Any) -> Any:
            return actor_merge(
                loser_id=pk,
                survivor_id=data["survivor"].id,
                cause=editor_cause(editor=user, why=data["reason"]),
            )

        return self._form(request, pk, "Merge into another actor", ActorMergeForm, perform)


@admin.register(ActorRelation)
class ActorRelationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "object", "since", "until")
    list_filter = ("kind",)


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    """The gazetteer's editor-kept places, shown read-only: Place is a read model now (written
    by its projector from PlaceRecorded / PlaceCorrected), so a direct save here would break
    replay. Editors record and correct places through actors.services (the API's places/)."""

    list_display = ("name", "country", "admin1", "latitude", "longitude", "source")
    list_filter = ("country", "source")
    search_fields = ("name",)
