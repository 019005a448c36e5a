from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from incidents.api.export_views import EXPORT_VIEWS
from incidents.api.feed_views import ChangeFeedView
from incidents.api.views import ClaimViewSet, IncidentViewSet
from incidents.review.api.curation import IncidentCurationViewSet
from incidents.review.api.flags import FlagViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
# Editors' writes on an incident: only detail actions, so no route clashes with the reads above.
router.register("incidents", IncidentCurationViewSet, basename="incident-curation")
router.register("claims", ClaimViewSet, basename="claim")
router.register("flags", FlagViewSet, basename="flag")
# Before the router's routes; `export.csv` is no incident id, so the two never clash.
urlpatterns: list[URLPattern | URLResolver] = [
    path(f"incidents/export.{fmt}", view.as_view(), name=f"incident-export-{fmt}")
    for fmt, view in EXPORT_VIEWS.items()
]
urlpatterns += [path("changes/", ChangeFeedView.as_view(), name="changes"), *router.urls]
