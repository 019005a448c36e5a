from django.contrib import admin

from incidents.models import Claim, Incident, IncidentRevision
from ledger.admin_base import ReadOnlyAdmin


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    can_delete = False
    fields = ("property", "claimant", "value_min", "value_max", "qualifier", "rank", "phrase")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("date_start", "country", "event_type", "killed_best", "status", "report")
    list_filter = ("status", "country", "event_type", "date_precision", "report")
    search_fields = ("text",)
    date_hierarchy = "date_start"
    inlines = [ClaimInline]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("incident", "property", "claimant", "value_min", "value_max", "rank")
    list_filter = ("property", "rank")


@admin.register(IncidentRevision)
class IncidentRevisionAdmin(ReadOnlyAdmin):
    list_display = ("incident_id", "valid_from", "valid_to")
    search_fields = ("=incident_id",)
