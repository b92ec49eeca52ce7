from django.urls import path

from triage import board_views, views

app_name = "triage"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("policy/", views.policy_view, name="policy"),
    path("cases/<uuid:case_id>/override/", views.override_view, name="override"),
    path("board/", board_views.board_view, name="board"),
    path("cases/<uuid:case_id>/suggestions/", board_views.suggestions_view, name="suggestions"),
    path("cases/<uuid:case_id>/assign/", board_views.assign_view, name="assign"),
    path("cases/<uuid:case_id>/escalate/", board_views.escalate_view, name="escalate"),
    path("sla/", board_views.sla_view, name="sla"),
    path("callbacks/<int:delivery_id>/redeliver/", board_views.redeliver_view, name="redeliver"),
    path("inbox/", board_views.inbox_view, name="inbox"),
    path("inbox/read/", board_views.inbox_read_view, name="inbox_read"),
]
