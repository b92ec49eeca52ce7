"""Roster, shift, settings and subsidy pages."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lawyers.models import DetentionCentre, Roster, RosterStatus, Shift, Workstation
from lawyers.rosters import roster_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(office):
    centre = DetentionCentre.objects.create(code="KSS-P", name="页面看守所")
    return Workstation.objects.create(
        office=office,
        code="WS-P",
        name="页面工作站",
        kind="detention_centre",
        detention_centre=centre,
    )


def test_staff_create_generate_publish(client, staff, station, duty, counsel, monkeypatch):
    client.force_login(staff)
    assert client.post(reverse("lawyers:rosters"), {"month": "not-a-month"}).status_code == 400
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    past = client.post(reverse("lawyers:rosters"), {"month": f"{last_month:%Y-%m}"})
    assert past.status_code == 400 and "该月份已过" in past.content.decode()
    assert not Roster.objects.exists()
    next_month = (timezone.localdate().replace(day=28) + timedelta(days=4)).replace(day=1)
    response = client.post(reverse("lawyers:rosters"), {"month": f"{next_month:%Y-%m}"})
    roster = Roster.objects.get()
    assert response.status_code == 302 and roster.month == next_month
    queued = []
    monkeypatch.setattr("lawyers.tasks.generate_roster.delay_on_commit", queued.append)
    client.post(
        reverse("lawyers:roster_action", args=[roster.pk, "generate"]), {"version": roster.version}
    )
    roster.refresh_from_db()
    assert roster.status == RosterStatus.GENERATING and queued == [roster.pk]
    status = client.get(reverse("lawyers:roster_status", args=[roster.pk]), HTTP_HX_REQUEST="true")
    assert "every 2s" in status.content.decode()
    roster_generate(roster_id=roster.pk, time_limit=5)
    roster.refresh_from_db()
    done = client.get(reverse("lawyers:roster_status", args=[roster.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    page = client.get(reverse("lawyers:roster", args=[roster.pk]))
    assert page.status_code == 200 and "页面工作站" in page.content.decode()
    stale = client.post(
        reverse("lawyers:roster_action", args=[roster.pk, "publish"]),
        {"version": roster.version - 1},
    )
    assert stale.status_code == 302
    roster.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT
    client.post(
        reverse("lawyers:roster_action", args=[roster.pk, "publish"]), {"version": roster.version}
    )
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED


def test_roster_grid_query_count(client, staff, station, duty, django_assert_max_num_queries):
    roster = Roster.objects.create(
        office=station.office,
        month=timezone.localdate().replace(day=1),
        status=RosterStatus.GENERATING,
    )
    roster_generate(roster_id=roster.pk, time_limit=3)
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("lawyers:roster", args=[roster.pk])).status_code == 200
    week = client.get(reverse("lawyers:roster", args=[roster.pk]), {"week": "garbage", "ws": "x"})
    assert week.status_code == 200


def test_shift_edit_page_shows_double_booking(client, staff, station, duty):
    day = timezone.localdate() + timedelta(days=2)
    Shift.objects.create(workstation=station, lawyer=duty, date=day, slot="am")
    other = Shift.objects.create(workstation=station, date=day, slot="pm")
    client.force_login(staff)
    url = reverse("lawyers:shift_edit", args=[other.pk])
    response = client.post(url, {"lawyer": duty.pk, "version": 0})
    assert response.status_code == 400 and "field-error" in response.content.decode()


def test_lawyer_claims_and_signs_in_through_pages(client, duty, station):
    today = timezone.localdate()
    open_shift = Shift.objects.create(
        workstation=station, date=today + timedelta(days=3), slot="am", urgent=True
    )
    client.force_login(duty.user)
    page = client.get(reverse("lawyers:my_shifts")).content.decode()
    assert "页面工作站" in page
    client.post(reverse("lawyers:shift_action", args=[open_shift.pk, "claim"]))
    open_shift.refresh_from_db()
    assert open_shift.lawyer == duty
    bad = client.post(reverse("lawyers:shift_action", args=[open_shift.pk, "teleport"]))
    assert bad.status_code == 404
    evil = client.post(
        reverse("lawyers:shift_action", args=[open_shift.pk, "offer"]),
        {"next": "https://evil.example/"},
    )
    assert evil.url == reverse("lawyers:my_shifts")


def test_settings_page_leave_and_rates(client, staff, duty):
    client.force_login(staff)
    assert client.get(reverse("lawyers:settings")).status_code == 200
    bad = client.post(
        reverse("lawyers:settings"),
        {
            "form": "leave",
            "leave-lawyer": duty.pk,
            "leave-date_from": "2026-12-10",
            "leave-date_to": "2026-12-01",
        },
    )
    assert bad.status_code == 400 and "结束时间早于开始时间" in bad.content.decode()
    rates = client.post(
        reverse("lawyers:settings"),
        {
            "form": "rates",
            "rates-effective_from": "2026-12-01",
            "rates-shift_day": "-5",
            "rates-case_simple": "200",
            "rates-case_complex": "500",
            "rates-trial_defence": "1200",
        },
    )
    assert rates.status_code == 400
    ok = client.post(
        reverse("lawyers:availability", args=[duty.pk]),
        {"available_weekdays": ["0", "2"], "max_shifts_per_week": "2", "max_shifts_per_month": "6"},
    )
    assert ok.status_code == 302
    duty.refresh_from_db()
    assert duty.available_weekdays == [0, 2] and duty.max_shifts_per_month == 6


def test_subsidy_page_and_exports(client, staff, duty):
    client.force_login(staff)
    page = client.get(reverse("lawyers:subsidies"), {"month": "2026-11"})
    assert page.status_code == 200 and "李明" in page.content.decode()
    xlsx = client.get(reverse("lawyers:subsidies"), {"month": "2026-11", "export": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "李明" in [c.value for c in book.active["A"]]
    csv = client.get(reverse("lawyers:subsidies"), {"month": "2026-11", "export": "csv"})
    assert "李明" in csv.content.decode("utf-8-sig")
    client.force_login(duty.user)
    own = client.get(reverse("lawyers:subsidies")).content.decode()
    assert "李明" in own


def test_roster_pages_are_for_office_workers(client, duty, reviewer, other_staff, staff, station):
    roster = Roster.objects.create(office=station.office, month=timezone.localdate().replace(day=1))
    for user in (duty.user, reviewer):
        client.force_login(user)
        assert client.get(reverse("lawyers:rosters")).status_code == 403
        assert client.get(reverse("lawyers:duty_now")).status_code == 403
    client.force_login(other_staff)
    assert client.get(reverse("lawyers:roster", args=[roster.pk])).status_code == 404
    client.force_login(reviewer)
    assert client.get(reverse("lawyers:my_shifts")).status_code == 403


def test_duty_now_page(client, staff, station, duty):
    client.force_login(staff)
    body = client.get(reverse("lawyers:duty_now")).content.decode()
    assert "页面工作站" in body
