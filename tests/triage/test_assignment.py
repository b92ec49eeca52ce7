"""Ranking candidates, assigning with notice and callbacks, automatic
assignment, escalation (dynamic diversion)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.services import case_assign
from dutylaw.errors import DomainError
from lawyers.models import DetentionCentre, Shift, Workstation
from tests.factories import LawyerFactory, make_case
from triage.assignment import (
    assignment_candidates,
    case_assign_and_notify,
    case_auto_assign,
    case_escalate,
)
from triage.models import CallbackDelivery, Deadline, DeadlineKind, Notification, OutboxMessage
from triage.services import policy_current, policy_update

pytestmark = pytest.mark.django_db


def names(candidates):
    return [c.lawyer.user.full_name for c in candidates]


@pytest.fixture
def centre():
    return DetentionCentre.objects.create(code="KSS-A", name="甲看守所")


def test_on_duty_lawyer_ranks_first_then_fair_share(office, procuratorate, staff, centre):
    LawyerFactory(office=office, user__full_name="甲律师")
    b = LawyerFactory(office=office, user__full_name="乙律师")
    ws = Workstation.objects.create(
        office=office, code="WS-A", name="甲站", kind="detention_centre", detention_centre=centre
    )
    case = make_case(
        procuratorate=procuratorate,
        custody={"measure": "detained", "facility": centre},
        needed_by=timezone.now() + timedelta(days=1),
    )
    Shift.objects.create(
        workstation=ws, lawyer=b, date=timezone.localdate(case.needed_by), slot="day"
    )
    ranked = assignment_candidates(case=case)
    assert names(ranked)[:2] == ["乙律师", "甲律师"]
    assert any("值班" in r or "duty" in r for r in ranked[0].reasons)


def test_fair_share_then_deterministic_tie_break(office, procuratorate, staff):
    a = LawyerFactory(office=office, user__full_name="甲律师")
    b = LawyerFactory(office=office, user__full_name="乙律师")
    busy = make_case(procuratorate=procuratorate)
    case_assign(case=busy, lawyer=a, role="duty_lawyer", acting_user=staff)
    case = make_case(procuratorate=procuratorate)
    assert names(assignment_candidates(case=case))[0] == "乙律师"
    again = assignment_candidates(case=case)
    assert names(again) == names(assignment_candidates(case=case))
    assert b.id


def test_conflict_cap_qualification_and_continuity(office, procuratorate, staff):
    a = LawyerFactory(office=office, user__full_name="甲律师")
    b = LawyerFactory(office=office, user__full_name="乙律师", takes_complex_cases=True)
    # Co-accused go to a duty lawyer here, so that the conflict, not the tier, is tested.
    policy_update(
        office=office,
        acting_user=staff,
        expected_version=1,
        values={"co_accused_to_counsel": False},
    )
    first = make_case(procuratorate=procuratorate, external_ref="A-1", co_accused_refs=["A-2"])
    case_assign(case=first, lawyer=a, role="duty_lawyer", acting_user=staff)
    co = make_case(procuratorate=procuratorate, external_ref="A-2", co_accused_refs=["A-1"])
    assert "甲律师" not in names(assignment_candidates(case=co))  # co-accused conflict
    complex_case = make_case(procuratorate=procuratorate, code="CL264", tier_no=2)
    assert names(assignment_candidates(case=complex_case)) == ["乙律师"]
    policy_update(
        office=office, acting_user=staff, expected_version=2, values={"daily_case_cap": 1}
    )
    assert "甲律师" not in names(assignment_candidates(case=make_case(procuratorate=procuratorate)))
    # Continuity: whoever helped at an earlier stage comes first.
    policy_update(
        office=office, acting_user=staff, expected_version=3, values={"daily_case_cap": 15}
    )
    c = make_case(procuratorate=procuratorate)
    case_assign(case=c, lawyer=a, role="duty_lawyer", acting_user=staff)
    case_assign(case=c, lawyer=b, role="duty_lawyer", acting_user=staff)
    assert names(assignment_candidates(case=c))[0] in ("甲律师", "乙律师")
    assert assignment_candidates(case=c)[0].continuity


def test_language_and_sign_language(office, procuratorate):
    # A deaf accused is a mandatory-defence case (CPL 35): counsel for complex cases.
    LawyerFactory(office=office, user__full_name="普通律师", takes_complex_cases=True)
    LawyerFactory(
        office=office, user__full_name="手语律师", sign_language=True, takes_complex_cases=True
    )
    case = make_case(
        procuratorate=procuratorate, accused={"name": "王五", "disabilities": ["hearing"]}
    )
    assert case.mandatory_defence
    assert names(assignment_candidates(case=case))[0] == "手语律师"


def test_assign_notifies_closes_deadlines_and_calls_back(
    procuratorate, duty, staff, api_client_pair
):
    client, _token = api_client_pair
    client.callback_url = "http://127.0.0.1:9/callback"
    client.save()
    case = make_case(procuratorate=procuratorate, needed_by=timezone.now() + timedelta(days=2))
    case_assign_and_notify(case=case, lawyer=duty, acting_user=staff)
    assert Notification.objects.filter(user=duty.user, case=case).exists()
    assert Deadline.objects.get(case=case, kind=DeadlineKind.ASSIGNMENT).state == "met"
    delivery = CallbackDelivery.objects.get(case=case)
    assert delivery.event == "assigned" and '"lawyer_name": "李明"' in delivery.body
    assert OutboxMessage.objects.filter(task="triage.tasks.deliver_callbacks").exists()


def test_auto_assign_follows_policy_and_is_idempotent(office, procuratorate, duty, staff):
    case = make_case(procuratorate=procuratorate)
    assert case_auto_assign(case_id=case.pk) is None  # staff confirm by default
    policy_update(
        office=office,
        acting_user=staff,
        expected_version=policy_current(office=office).version,
        values={"auto_assign": True},
    )
    assert case_auto_assign(case_id=case.pk).lawyer == duty
    assert case_auto_assign(case_id=case.pk) is None
    assert case.assignments.count() == 1


def test_escalation_moves_tier_and_opens_the_24h_deadline(case, duty, staff, counsel):
    escalation = case_escalate(
        case=case,
        user=duty.user,
        reason="contradictory_evidence",
        text="证人证言与监控录像相互矛盾",
    )
    case.refresh_from_db()
    assert case.tier == "appointed_counsel" and case.status == "escalated"
    deadline = Deadline.objects.get(case=case, kind=DeadlineKind.DIVERSION)
    assert abs((deadline.due_at - escalation.created_at) - timedelta(hours=24)) < timedelta(
        seconds=1
    )
    assert Notification.objects.filter(user=staff, case=case).exists()
    case_assign_and_notify(
        case=case,
        lawyer=counsel,
        acting_user=staff,
        expected_assignment_id=case.assignments.get(ended_at=None).id,
    )
    deadline.refresh_from_db()
    assert deadline.state == "met"


def test_escalation_refusals(case, duty, other_lawyer):
    with pytest.raises(DomainError):
        case_escalate(
            case=case, user=other_lawyer.user, reason="disputed_law", text="理由足够长的文字说明"
        )
    with pytest.raises(DomainError) as excinfo:
        case_escalate(case=case, user=duty.user, reason="disputed_law", text="短")
    assert excinfo.value.items[0].field == "text"
    case.refresh_from_db()
    assert case.tier == "duty_lawyer"


def test_lawyer_who_acted_against_the_accused_is_never_suggested(office, procuratorate):
    from tests.factories import valid_id_number
    from triage.assignment import adverse_interest_add
    from triage.models import AdverseInterest

    a = LawyerFactory(office=office, user__full_name="甲律师")
    LawyerFactory(office=office, user__full_name="乙律师")
    number = valid_id_number()
    adverse_interest_add(lawyer=a, id_number=number, note="曾代理被害人")
    assert number not in str(list(AdverseInterest.objects.values()))  # only a hash is kept
    case = make_case(procuratorate=procuratorate)  # the accused has this ID number
    assert names(assignment_candidates(case=case)) == ["乙律师"]
    with pytest.raises(DomainError):
        adverse_interest_add(lawyer=a, id_number="12345")
