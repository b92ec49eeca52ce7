from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from cases.api.views import CaseViewSet, ChargeListView

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")

urlpatterns = [
    path("", include(router.urls)),
    path("charges/", ChargeListView.as_view(), name="api-charges"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
