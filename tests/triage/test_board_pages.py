"""Assignment board, SLA board, inbox and escalation pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_case
from triage.deadlines import deadline_open
from triage.inbox import notification_send
from triage.models import DeadlineKind, Notification

pytestmark = pytest.mark.django_db


def test_board_lists_unassigned_by_time_left(
    client, staff, procuratorate, case, duty, django_assert_max_num_queries
):
    later = make_case(procuratorate=procuratorate, needed_by=timezone.now() + timedelta(days=5))
    sooner = make_case(procuratorate=procuratorate, needed_by=timezone.now() + timedelta(hours=5))
    # Notified cases come with their deadlines (the lawyer needed by ...).
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("triage:board")).content.decode()
    assert body.index(sooner.external_ref) < body.index(later.external_ref)
    assert case.external_ref not in body
    suggestions = client.get(reverse("triage:suggestions", args=[sooner.pk])).content.decode()
    assert "李明" in suggestions


def test_one_click_assign_and_override_needs_reason(
    client, staff, procuratorate, duty, other_lawyer
):
    target = make_case(procuratorate=procuratorate)
    client.force_login(staff)
    client.post(reverse("triage:assign", args=[target.pk]), {"lawyer": other_lawyer.pk})
    assert not target.assignments.exists()  # not suggested and no reason
    client.post(reverse("triage:assign", args=[target.pk]), {"lawyer": duty.pk, "suggested": "1"})
    assert target.assignments.get().lawyer == duty
    assert Notification.objects.filter(user=duty.user).exists()


def test_board_forbidden_to_lawyers_and_reviewers(client, duty, reviewer, case):
    for user in (duty.user, reviewer):
        client.force_login(user)
        assert client.get(reverse("triage:board")).status_code == 403
        response = client.post(
            reverse("triage:assign", args=[case.pk]), {"lawyer": 1, "suggested": "1"}
        )
        assert response.status_code in (403, 404)


def test_sla_board_states(client, staff, reviewer, case, duty):
    deadline_open(
        case=case, kind=DeadlineKind.PLEA_SIGNING, due_at=timezone.now() + timedelta(hours=3)
    )
    client.force_login(reviewer)
    body = client.get(reverse("triage:sla")).content.decode()
    assert case.external_ref in body
    assert client.get(reverse("triage:sla"), {"state": "nonsense"}).status_code == 200
    client.force_login(duty.user)
    assert client.get(reverse("triage:sla")).status_code == 403


def test_inbox_and_unread_count(client, duty, case):
    notification_send(user=duty.user, title="新案件：测试", case=case)
    client.force_login(duty.user)
    home = client.get(reverse("home")).content.decode()
    assert 'class="nav__count">1<' in home
    assert "新案件：测试" in client.get(reverse("triage:inbox")).content.decode()
    client.post(reverse("triage:inbox_read"))
    assert 'class="nav__count"' not in client.get(reverse("home")).content.decode()


def test_escalation_through_the_case_page(client, case, duty):
    client.force_login(duty.user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("triage:escalate", args=[case.pk]) in page
    client.post(
        reverse("triage:escalate", args=[case.pk]),
        {"reason": "disputed_law", "text": "对罪与非罪存在争议，需要辩护"},
    )
    case.refresh_from_db()
    assert case.tier == "appointed_counsel"
