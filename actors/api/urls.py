from rest_framework.routers import SimpleRouter

from actors.api.views import ActorViewSet, PlaceViewSet

router = SimpleRouter()
router.register("actors", ActorViewSet, basename="actor")
router.register("places", PlaceViewSet, basename="place")
urlpatterns = router.urls
