from rest_framework.routers import SimpleRouter

from incidents.api.flags import FlagViewSet
from incidents.api.views import ClaimViewSet, IncidentViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("claims", ClaimViewSet, basename="claim")
router.register("flags", FlagViewSet, basename="flag")
urlpatterns = router.urls
