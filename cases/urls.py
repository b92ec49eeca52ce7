from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("<uuid:case_id>/", views.case_detail_view, name="detail"),
    path("<uuid:case_id>/identity/", views.identity_reveal_view, name="identity"),
    path("<uuid:case_id>/students/", views.student_access_view, name="students"),
]
