from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("policy/", views.policy_view, name="policy"),
    path("cases/<uuid:case_id>/override/", views.override_view, name="override"),
]
