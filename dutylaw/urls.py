from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dutylaw import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("cases/", include("cases.urls")),
    path("audit/", include("supervision.urls")),
    path("triage/", include("triage.urls")),
    path("duty/", include("lawyers.urls")),
    path("api/v1/", include("cases.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "dutylaw.views.not_found"
handler500 = "dutylaw.views.server_error"
handler403 = "dutylaw.views.forbidden"
