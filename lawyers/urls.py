from django.urls import path

from lawyers import views

app_name = "lawyers"

urlpatterns = [
    path("rosters/", views.roster_list_view, name="rosters"),
    path("rosters/<int:roster_id>/", views.roster_detail_view, name="roster"),
    path("rosters/<int:roster_id>/status/", views.roster_status_view, name="roster_status"),
    path("rosters/<int:roster_id>/<slug:action>/", views.roster_action_view, name="roster_action"),
    path("shifts/<int:shift_id>/edit/", views.shift_edit_view, name="shift_edit"),
    path(
        "shifts/<int:shift_id>/<slug:action>/",
        views.shift_lawyer_action_view,
        name="shift_action",
    ),
    path("swaps/<int:swap_id>/take/", views.swap_take_view, name="swap_take"),
    path("swaps/<int:swap_id>/<slug:decision>/", views.swap_decide_view, name="swap_decide"),
    path("my-shifts/", views.my_shifts_view, name="my_shifts"),
    path("my-shifts/calendar-reset/", views.calendar_reset_view, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar_feed"),
    path("duty-now/", views.duty_now_view, name="duty_now"),
    path("subsidies/", views.subsidies_view, name="subsidies"),
    path("settings/", views.roster_settings_view, name="settings"),
    path("settings/lawyers/<int:lawyer_id>/", views.availability_view, name="availability"),
]
