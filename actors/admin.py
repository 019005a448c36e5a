from django.contrib import admin

from actors.models import Actor, ActorAlias, ActorRelation, Place
from ledger.admin_base import ReadOnlyAdmin


class AliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 0
    can_delete = False
    readonly_fields = ("alias", "normalized")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Actor)
class ActorAdmin(ReadOnlyAdmin):
    list_display = ("name", "short_name", "kind", "merged_into")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "aliases__alias")
    inlines = [AliasInline]


@admin.register(ActorRelation)
class ActorRelationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "object", "since", "until")
    list_filter = ("kind",)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Reference data for the gazetteer; editors may add and correct places directly."""

    list_display = ("name", "country", "admin1", "latitude", "longitude", "source")
    list_filter = ("country", "source")
    search_fields = ("name",)
