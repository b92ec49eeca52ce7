"""Record pages and generated documents."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import HelpRecord, PiiAccess
from cases.records import record_create
from tests.times import form_times

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_log_a_meeting_through_the_page(client, case, duty):
    client.force_login(duty.user)
    url = reverse("cases:record_new", args=[case.pk, "meeting"])
    assert client.get(url).status_code == 200
    data = {**form_times(), "approval": "approved", "place": "看守所会见室", "summary": "首次会见"}
    response = client.post(url, data)
    assert response.status_code == 302
    record = HelpRecord.objects.get()
    assert record.kind == "meeting" and record.is_signed


def test_end_before_start_is_shown_on_the_end_field(client, case, duty):
    client.force_login(duty.user)
    url = reverse("cases:record_new", args=[case.pk, "consultation"])
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "start": "10:00",
            "end": "09:00",
            "summary": "咨询",
        },
    )
    assert response.status_code == 400
    assert "结束时间早于开始时间" in response.content.decode()
    assert HelpRecord.objects.count() == 0


def test_unknown_kind_is_404_and_outsider_is_403(client, case, duty, other_lawyer, staff):
    client.force_login(duty.user)
    assert client.get(reverse("cases:record_new", args=[case.pk, "haircut"])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("cases:record_new", args=[case.pk, "meeting"])).status_code == 403
    client.force_login(other_lawyer.user)
    assert client.get(reverse("cases:record_new", args=[case.pk, "meeting"])).status_code == 404


def test_case_page_shows_warnings_and_log_buttons(client, case, duty):
    now = timezone.now()
    record_create(
        case=case,
        user=duty.user,
        kind="plea_signing",
        values={
            "started_at": now - timedelta(hours=1),
            "ended_at": now - timedelta(minutes=30),
            "lawyer_present": True,
            "rights_explained": True,
            "consequences_explained": True,
            "procedure_explained": True,
            "accused_understood": True,
            "no_pressure_seen": True,
            "objections": "对量刑建议有异议：建议缓刑。",
        },
    )
    client.force_login(duty.user)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-code="plea_without_file_review"' in body
    assert reverse("cases:record_new", args=[case.pk, "file_review"]) in body


def test_student_sign_flow_pages(client, complex_case, student, mentor):
    client.force_login(student.user)
    url = reverse("cases:record_new", args=[complex_case.pk, "consultation"])
    assert client.post(url, {**form_times(), "summary": "学生起草"}).status_code == 302
    record = HelpRecord.objects.get()
    detail = reverse("cases:record", args=[complex_case.pk, record.pk])
    sign_url = reverse("cases:record_sign", args=[complex_case.pk, record.pk])
    assert sign_url not in client.get(detail).content.decode()  # a student cannot sign
    client.force_login(mentor.user)
    assert sign_url in client.get(detail).content.decode()
    assert (
        client.post(
            reverse("cases:record_sign", args=[complex_case.pk, record.pk]),
            {"version": record.version},
        ).status_code
        == 302
    )
    record.refresh_from_db()
    assert record.is_signed


# The case is notified at noon that day; the form is opened at each clock time.
@pytest.mark.time_machine(datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
@pytest.mark.parametrize(
    ("clock", "start", "end"),
    [
        ("23:50", "23:20", "23:50"),  # the half hour before
        ("00:10", "00:00", "00:10"),  # just after midnight: from midnight, never "today 23:40"
        ("00:45", "00:15", "00:45"),
    ],
)
def test_a_new_record_offers_the_last_half_hour_of_the_day(
    client, case, duty, time_machine, clock, start, end
):
    hour, minute = map(int, clock.split(":"))
    moment = datetime(2027, 3, 10, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(moment, tick=False)
    client.force_login(duty.user)
    form = client.get(reverse("cases:record_new", args=[case.pk, "consultation"])).context["form"]
    assert form["date"].value().isoformat() == "2027-03-10"
    assert form["start"].value().strftime("%H:%M") == start
    assert form["end"].value().strftime("%H:%M") == end
    data = {"date": "2027-03-10", "start": start, "end": end, "summary": "咨询"}  # as offered
    response = client.post(reverse("cases:record_new", args=[case.pk, "consultation"]), data)
    assert response.status_code == 302


def test_written_opinion_pdf_has_the_text(client, case, duty):
    client.force_login(duty.user)
    page = client.get(reverse("cases:record_new", args=[case.pk, "written_opinion"]))
    assert "一、案件基本情况" in page.content.decode()  # drafted from the records
    now = timezone.now()
    record = record_create(
        case=case,
        user=duty.user,
        kind="written_opinion",
        values={
            "started_at": now - timedelta(hours=1),
            "ended_at": now - timedelta(minutes=10),
            "summary": "本案事实清楚，建议对被追诉人适用缓刑。",
        },
    )
    response = client.get(reverse("cases:opinion_pdf", args=[case.pk, record.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "法律意见书" in text and "建议对被追诉人适用缓刑" in text and "李明" in text


def test_help_letter_names_the_accused_and_logs_the_view(client, case, duty):
    client.force_login(duty.user)
    url = reverse("cases:document", args=[case.pk, "help-letter"])
    assert client.get(url).status_code == 405  # generating it is recorded, so POST only
    response = client.post(url)
    text = pdf_text(response.content)
    assert "法律帮助公函" in text and "张三丰" in text and "李明" in text
    log = PiiAccess.objects.get()
    assert log.user == duty.user and log.channel == "document"
    receipt = pdf_text(client.post(reverse("cases:document", args=[case.pk, "receipt"])).content)
    assert "送达回执" in receipt


def test_documents_forbidden_to_reviewer(client, case, reviewer):
    client.force_login(reviewer)
    assert client.post(reverse("cases:document", args=[case.pk, "receipt"])).status_code == 403
    assert PiiAccess.objects.count() == 0


def test_annotation_page(client, case, duty):
    now = timezone.now()
    record = record_create(
        case=case,
        user=duty.user,
        kind="consultation",
        values={
            "started_at": now - timedelta(hours=1),
            "ended_at": now - timedelta(minutes=30),
            "summary": "咨询",
        },
    )
    client.force_login(duty.user)
    url = reverse("cases:record", args=[case.pk, record.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "补充：当事人要求家属会见"}).status_code == 302
    assert "补充：当事人要求家属会见" in client.get(url).content.decode()


def test_case_page_query_count_with_records(client, case, duty, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(8):
        record_create(
            case=case,
            user=duty.user,
            kind="consultation",
            values={
                "started_at": now - timedelta(hours=i + 2),
                "ended_at": now - timedelta(hours=i + 1),
                "summary": f"咨询{i}",
            },
        )
    client.force_login(duty.user)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_record_dated_in_the_year_one_is_refused_and_the_pages_still_open(client, case, duty):
    client.force_login(duty.user)
    url = reverse("cases:record_new", args=[case.pk, "meeting"])
    for data in (
        {"date": "0001-01-01", "start": "00:10", "end": "00:40"},
        {**form_times(), "requested_at": "0001-01-01T00:10"},
    ):
        response = client.post(url, {**data, "approval": "approved", "place": "会见室"})
        assert response.status_code == 400
    assert HelpRecord.objects.count() == 0
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(url).status_code == 200
