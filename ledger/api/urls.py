from django.urls import path

from ledger.api.views import ChangeFeedView

urlpatterns = [path("changes/", ChangeFeedView.as_view(), name="changes")]
