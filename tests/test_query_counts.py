"""List pages stay at a constant number of queries as rows grow (no N+1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.records import record_create
from cases.services import case_assign
from lawyers.models import DetentionCentre, Shift, Workstation
from tests.factories import make_case
from triage.deadlines import deadline_open
from triage.inbox import notification_send
from triage.models import DeadlineKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_office(office, procuratorate, duty, staff):
    centre = DetentionCentre.objects.create(code="KSS-Q", name="计数看守所")
    station = Workstation.objects.create(
        office=office,
        code="WS-Q",
        name="计数工作站",
        kind="detention_centre",
        detention_centre=centre,
    )
    now = timezone.now()
    today = timezone.localdate()
    for n in range(12):
        case = make_case(procuratorate=procuratorate)
        case_assign(case=case, lawyer=duty, role="duty_lawyer", acting_user=staff)
        deadline_open(case=case, kind=DeadlineKind.PLEA_SIGNING, due_at=now + timedelta(days=n + 1))
        notification_send(user=duty.user, title=f"通知{n}", case=case)
        record_create(
            case=case,
            user=duty.user,
            kind="consultation",
            values={
                "started_at": now - timedelta(hours=2),
                "ended_at": now - timedelta(hours=1),
                "summary": "咨询",
            },
        )
        Shift.objects.create(
            workstation=station,
            lawyer=duty,
            date=today.replace(day=1) + timedelta(days=n),
            slot="am",
        )
        Shift.objects.create(
            workstation=station, date=today + timedelta(days=n + 1), slot="pm", urgent=True
        )
    return station


@pytest.mark.parametrize(
    ("who", "url_name", "bound"),
    [
        ("staff", "triage:sla", 10),
        ("staff", "lawyers:subsidies", 10),
        ("staff", "lawyers:rosters", 12),
        ("duty", "triage:inbox", 10),
        ("duty", "lawyers:my_shifts", 12),
        ("duty", "home", 12),
        ("duty", "cases:list", 10),
    ],
)
def test_page_queries_are_bounded(
    client, busy_office, staff, duty, who, url_name, bound, django_assert_max_num_queries
):
    client.force_login(staff if who == "staff" else duty.user)
    with django_assert_max_num_queries(bound):
        assert client.get(reverse(url_name)).status_code == 200
