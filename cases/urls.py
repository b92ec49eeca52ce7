from django.urls import path

from cases import record_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("<uuid:case_id>/", views.case_detail_view, name="detail"),
    path("<uuid:case_id>/identity/", views.identity_reveal_view, name="identity"),
    path("<uuid:case_id>/students/", views.student_access_view, name="students"),
    path(
        "<uuid:case_id>/records/new/<slug:kind>/",
        record_views.record_new_view,
        name="record_new",
    ),
    path("<uuid:case_id>/records/<int:record_id>/", record_views.record_detail_view, name="record"),
    path(
        "<uuid:case_id>/records/<int:record_id>/edit/",
        record_views.record_edit_view,
        name="record_edit",
    ),
    path(
        "<uuid:case_id>/records/<int:record_id>/sign/",
        record_views.record_sign_view,
        name="record_sign",
    ),
    path(
        "<uuid:case_id>/records/<int:record_id>/opinion.pdf",
        record_views.opinion_pdf_view,
        name="opinion_pdf",
    ),
    path("<uuid:case_id>/handover/", record_views.handover_view, name="handover"),
    path(
        "<uuid:case_id>/documents/<slug:document>.pdf",
        record_views.document_view,
        name="document",
    ),
]
