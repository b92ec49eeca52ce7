from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.audit_view, name="audit"),
    path("identity-views/", views.identity_views_view, name="identity_views"),
]
