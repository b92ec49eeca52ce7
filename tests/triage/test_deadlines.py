"""The deadline engine with a fixed clock: rules, reminders, breaches, exactly
once under concurrent scans and crashes, catch-up after an outage."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.factories import make_case
from triage.deadlines import deadline_open, deadlines_scan
from triage.models import Deadline, DeadlineAlert, DeadlineKind, DeadlineState, Notification

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=SH)  # a Tuesday

pytestmark = pytest.mark.django_db


def test_fast_track_review_is_10_or_15_days(procuratorate):
    short = make_case(procuratorate=procuratorate, possible_sentence_max_months=6, at=T0)
    assert Deadline.objects.get(case=short, kind="prosecution_review").due_at == T0 + timedelta(10)
    longer = make_case(
        procuratorate=procuratorate, code="CL264", tier_no=2, possible_sentence_max_months=36, at=T0
    )
    assert Deadline.objects.get(case=longer, kind="prosecution_review").due_at == T0 + timedelta(15)


def test_ordinary_review_is_one_month(procuratorate):
    case = make_case(procuratorate=procuratorate, procedure="ordinary", at=T0)
    due = Deadline.objects.get(case=case, kind="prosecution_review").due_at
    assert due.astimezone(SH).date().isoformat() == "2027-01-01"


def test_mandatory_appointment_within_3_working_days(procuratorate):
    # Notified on Friday 4 December: Mon 7, Tue 8, Wed 9 are the 3 working days.
    case = make_case(
        procuratorate=procuratorate,
        code="CL232",
        tier_no=2,
        at=datetime(2026, 12, 4, 10, tzinfo=SH),
    )
    assert case.mandatory_defence  # a possible life sentence (CPL 35)
    due = Deadline.objects.get(case=case, kind="mandatory_appointment").due_at.astimezone(SH)
    assert due.date().isoformat() == "2026-12-09"


@pytest.fixture
def deadline(case):
    return deadline_open(
        case=case,
        kind=DeadlineKind.PLEA_SIGNING,
        due_at=T0 + timedelta(hours=10),
        starts_at=T0,
        now=T0,
    )


def test_reminders_at_50_and_80_percent_then_breach(deadline, duty, staff):
    assert deadlines_scan(now=T0 + timedelta(hours=4)) == 0
    deadlines_scan(now=T0 + timedelta(hours=5))  # 50%
    assert list(DeadlineAlert.objects.values_list("point", "user")) == [(50, duty.user_id)]
    deadlines_scan(now=T0 + timedelta(hours=8))  # 80%
    deadlines_scan(now=T0 + timedelta(hours=10))  # due: breach to the lawyer and up the ladder
    alerts = set(DeadlineAlert.objects.values_list("point", "user"))
    assert alerts == {(50, duty.user_id), (80, duty.user_id), (100, duty.user_id), (100, staff.pk)}
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert Notification.objects.filter(user=staff).count() == 1


def test_scans_are_idempotent(deadline, duty):
    for _ in range(3):
        deadlines_scan(now=T0 + timedelta(hours=6))
    assert DeadlineAlert.objects.count() == 1
    assert Notification.objects.filter(user=duty.user).count() == 1


def test_catch_up_after_an_outage_announces_once(deadline, duty, staff):
    deadlines_scan(now=T0 + timedelta(days=2))
    assert set(DeadlineAlert.objects.values_list("point", flat=True)) == {50, 80, 100}
    # The lawyer hears once (the breach), not three times.
    assert Notification.objects.filter(user=duty.user).count() == 1


def test_hearing_only_reminds(case):
    hearing = deadline_open(
        case=case, kind=DeadlineKind.HEARING, due_at=T0 + timedelta(hours=2), starts_at=T0, now=T0
    )
    deadlines_scan(now=T0 + timedelta(hours=3))
    hearing.refresh_from_db()
    assert hearing.state == DeadlineState.MET
    assert not DeadlineAlert.objects.filter(point=100).exists()


def test_a_crash_mid_scan_delivers_once_on_retry(deadline, duty, monkeypatch):
    import triage.deadlines as engine

    real = engine.notifications_send_many

    def crash(items):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(engine, "notifications_send_many", crash)
    with pytest.raises(RuntimeError):
        deadlines_scan(now=T0 + timedelta(hours=6))
    assert DeadlineAlert.objects.count() == 0  # rolled back with the scan
    monkeypatch.setattr(engine, "notifications_send_many", real)
    deadlines_scan(now=T0 + timedelta(hours=6))
    deadlines_scan(now=T0 + timedelta(hours=6))
    assert Notification.objects.filter(user=duty.user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scanners_alert_once(procuratorate, duty, staff):
    from cases.services import case_assign

    for _n in range(30):
        c = make_case(procuratorate=procuratorate)
        case_assign(case=c, lawyer=duty, role="duty_lawyer", acting_user=staff)
        deadline_open(
            case=c,
            kind=DeadlineKind.PLEA_SIGNING,
            due_at=T0 + timedelta(hours=10),
            starts_at=T0,
            now=T0,
        )
    barrier = threading.Barrier(2)
    handled = []

    def scan():
        try:
            barrier.wait()
            handled.append(deadlines_scan(now=T0 + timedelta(hours=6), batch=7))
            handled.append(deadlines_scan(now=T0 + timedelta(hours=6), batch=50))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert DeadlineAlert.objects.count() == 30
    assert Notification.objects.filter(user=duty.user).count() == 30


def test_reminder_points_are_configurable(settings, case, duty):
    settings.DEADLINE_REMINDER_POINTS = (25,)
    deadline_open(
        case=case,
        kind=DeadlineKind.PLEA_SIGNING,
        due_at=T0 + timedelta(hours=10),
        starts_at=T0,
        now=T0,
    )
    deadlines_scan(now=T0 + timedelta(hours=3))  # 30% of 10 hours
    assert list(DeadlineAlert.objects.values_list("point", flat=True)) == [25]


def test_the_basis_reads_in_the_readers_language_whoever_opened_it(procuratorate):
    from django.utils import translation

    with translation.override("en"):  # e.g. an API client asking for English
        case = make_case(procuratorate=procuratorate, possible_sentence_max_months=6, at=T0)
    review = Deadline.objects.get(case=case, kind="prosecution_review")
    with translation.override("zh-hans"):
        assert review.basis_text == "刑事诉讼法第一百七十二条：速裁程序 10 日"
    with translation.override("en"):
        assert review.basis_text == "CPL 172: fast-track, 10 days"
    legacy = Deadline(basis="律师到位期限", basis_params={})
    assert legacy.basis_text == "律师到位期限"  # rows kept from before: shown as stored
