"""case_assign: one open assignment, history kept, stale views refused."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from cases.models import Assignment, CaseStatus
from cases.services import case_assign
from dutylaw.errors import DomainError, StateHasChanged
from tests.factories import LawyerFactory, make_case

pytestmark = pytest.mark.django_db


def test_assign_sets_status_and_records_who(procuratorate, duty, staff):
    case = make_case(procuratorate=procuratorate)
    assignment = case_assign(
        case=case, lawyer=duty, role="duty_lawyer", acting_user=staff, reason="排班"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED
    assert assignment.assigned_by == staff
    assert assignment.ended_at is None


def test_reassign_ends_previous_and_keeps_history(case, duty, other_lawyer, staff):
    first = case.assignments.get()
    case_assign(
        case=case,
        lawyer=other_lawyer,
        role="duty_lawyer",
        acting_user=staff,
        reason="原律师请假",
        expected_assignment_id=first.id,
    )
    first.refresh_from_db()
    assert first.ended_at is not None and first.ended_by == staff
    assert first.end_reason == "原律师请假"
    assert case.assignments.filter(ended_at__isnull=True).get().lawyer == other_lawyer
    assert case.assignments.count() == 2


def test_stale_view_is_refused_and_changes_nothing(case, other_lawyer, counsel, staff):
    seen = case.assignments.get().id
    case_assign(
        case=case,
        lawyer=other_lawyer,
        role="duty_lawyer",
        acting_user=staff,
        expected_assignment_id=seen,
    )
    with pytest.raises(StateHasChanged):
        case_assign(
            case=case,
            lawyer=counsel,
            role="duty_lawyer",
            acting_user=staff,
            expected_assignment_id=seen,
        )
    assert case.assignments.get(ended_at__isnull=True).lawyer == other_lawyer


@pytest.mark.parametrize(
    ("make_lawyer", "role", "code"),
    [
        (
            lambda office, mentor: LawyerFactory(office=office, active=False),
            "duty_lawyer",
            "inactive",
        ),
        (lambda office, mentor: LawyerFactory(), "duty_lawyer", "other_office"),
        (lambda office, mentor: LawyerFactory(office=office), "appointed_counsel", "not_qualified"),
        (
            lambda office, mentor: LawyerFactory(
                office=office, kind="student", licence_no=None, mentor=mentor
            ),
            "duty_lawyer",
            "student",
        ),
    ],
)
def test_unassignable_lawyers_are_refused(
    procuratorate, office, mentor, staff, make_lawyer, role, code
):
    case = make_case(procuratorate=procuratorate)
    lawyer = make_lawyer(office, mentor)
    with pytest.raises(DomainError) as excinfo:
        case_assign(case=case, lawyer=lawyer, role=role, acting_user=staff)
    assert code in [item.code for item in excinfo.value.items]
    assert not Assignment.objects.filter(case=case).exists()


def test_appointed_tier_needs_appointed_role(procuratorate, counsel, staff):
    case = make_case(procuratorate=procuratorate, code="CL264", tier_no=2)
    assert case.tier == "appointed_counsel"
    with pytest.raises(DomainError) as excinfo:
        case_assign(case=case, lawyer=counsel, role="duty_lawyer", acting_user=staff)
    assert excinfo.value.items[0].code == "tier_mismatch"


def test_database_allows_one_open_assignment_per_case(case, other_lawyer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            case=case, lawyer=other_lawyer, role="duty_lawyer", started_at=case.created_at
        )
