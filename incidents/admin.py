"""The incidents app in the admin: read models shown read-only, the review queue, and the
forms through which editors change anything (each calls one service)."""

from django.contrib import admin

from incidents.admin_incident import IncidentAdmin
from incidents.models import Claim, Incident, IncidentRevision, ReviewFlag
from incidents.review.admin import ReviewFlagAdmin
from ledger.admin_base import ReadOnlyAdmin

# "View site" pointed at "/", which serves nothing (a 404): the public API's incidents instead.
admin.site.site_url = "/api/v1/incidents/"

admin.site.register(Incident, IncidentAdmin)
admin.site.register(ReviewFlag, ReviewFlagAdmin)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("incident", "property", "claimant", "value_min", "value_max", "rank")
    list_filter = ("property", "rank")


@admin.register(IncidentRevision)
class IncidentRevisionAdmin(ReadOnlyAdmin):
    list_display = ("incident_id", "valid_from", "valid_to")
    search_fields = ("=incident_id",)
