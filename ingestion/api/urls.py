from rest_framework.routers import SimpleRouter

from ingestion.api.views import EditionViewSet, ReportViewSet, SourceViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("editions", EditionViewSet, basename="edition")
router.register("sources", SourceViewSet, basename="source")
urlpatterns = router.urls
