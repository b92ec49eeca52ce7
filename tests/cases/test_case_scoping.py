"""cases_visible_to: the one place that decides who reads which case."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from cases.api_clients import api_client_revoke
from cases.selectors import case_list, cases_visible_to
from cases.services import case_assign, case_grant_student, case_revoke_student
from dutylaw.errors import DomainError

pytestmark = pytest.mark.django_db


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_default_deny_for_unknown_and_inactive(case, staff, django_user_model):
    staff.is_active = False
    staff.save()
    assert ids(cases_visible_to(staff)) == set()
    nobody = django_user_model.objects.create(username="nobody", role="")
    assert ids(cases_visible_to(nobody)) == set()


def test_lawyer_loses_case_on_reassignment(case, duty, other_lawyer, staff):
    assert case.pk in ids(cases_visible_to(duty.user))
    case_assign(case=case, lawyer=other_lawyer, role="duty_lawyer", acting_user=staff)
    assert case.pk not in ids(cases_visible_to(duty.user))
    assert case.pk in ids(cases_visible_to(other_lawyer.user))


def test_one_off_grant_through_guardian_user_and_group(case, other_lawyer):
    assign_perm("view_case", other_lawyer.user, case)
    assert case.pk in ids(cases_visible_to(other_lawyer.user))


def test_group_grant(case, other_lawyer):
    group = Group.objects.create(name="抽查组")
    other_lawyer.user.groups.add(group)
    assign_perm("view_case", group, case)
    assert case.pk in ids(cases_visible_to(other_lawyer.user))


def test_student_needs_grant_and_mentor_still_on_case(complex_case, student, counsel, staff):
    assert complex_case.pk in ids(cases_visible_to(student.user))
    case_assign(case=complex_case, lawyer=counsel, role="appointed_counsel", acting_user=staff)
    assert complex_case.pk not in ids(cases_visible_to(student.user))


def test_mentor_revokes_student(complex_case, student, mentor):
    case_revoke_student(case=complex_case, student=student, acting_user=mentor.user)
    assert complex_case.pk not in ids(cases_visible_to(student.user))


def test_only_assigned_mentor_grants_own_student(case, complex_case, mentor, other_student, duty):
    with pytest.raises(DomainError):
        case_grant_student(case=case, student=other_student, acting_user=mentor.user)
    with pytest.raises(DomainError):
        case_grant_student(case=complex_case, student=other_student, acting_user=duty.user)


def test_revoked_api_client_sees_nothing(case, api_client_pair):
    client, _token = api_client_pair
    assert ids(cases_visible_to(client.user)) == {case.pk}
    api_client_revoke(client=client)
    client.user.refresh_from_db()
    assert ids(cases_visible_to(client.user)) == set()


def test_list_is_constant_queries(django_assert_max_num_queries, staff, procuratorate, duty):
    from tests.factories import make_case

    for _ in range(15):
        c = make_case(procuratorate=procuratorate)
        case_assign(case=c, lawyer=duty, role="duty_lawyer", acting_user=staff)
    with django_assert_max_num_queries(2):
        rows = list(case_list(user=staff))
        assert all(r.accused.masked_name for r in rows)
        assert all(r.current_assignments[0].lawyer.user.full_name for r in rows)
