from django.contrib import admin

from ledger.admin_base import ReadOnlyAdmin
from ledger.models import StoredEvent


@admin.register(StoredEvent)
class StoredEventAdmin(ReadOnlyAdmin):
    list_display = ("position", "type", "stream_type", "stream_id", "version", "recorded_at", "who")
    list_filter = ("type", "stream_type")
    search_fields = ("=stream_id", "type", "idempotency_key")
    date_hierarchy = "recorded_at"

    @admin.display(description="who")
    def who(self, obj: StoredEvent) -> str:
        return str(obj.metadata.get("who", ""))
