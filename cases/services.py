"""Writes to cases. Each service validates, saves in one transaction and raises
``DomainError`` (nothing saved) when a rule refuses the change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import (
    Accused,
    Assignment,
    AssignmentRole,
    Case,
    CaseCharge,
    CaseStatus,
    OffenceTier,
    PiiAccess,
    Tier,
)
from cases.selectors import VIEW_CASE, user_is_assigned_mentor
from dutylaw.errors import DomainError, ErrorItem, StateHasChanged
from lawyers.models import Lawyer, LawyerKind, Procuratorate, User

PII_REASON_MIN_LENGTH = 4


def case_build(
    *,
    procuratorate: Procuratorate,
    external_ref: str,
    procedure: str,
    stage: str,
    accused: dict[str, Any],
    charges: Sequence[OffenceTier],
    plea: bool | None = None,
    possible_sentence_max_months: int | None = None,
    file_volumes: int = 0,
    flags: Sequence[str] = (),
    co_accused_refs: Sequence[str] = (),
    custody_measure: str = "",
    detention_centre=None,
    needed_by: datetime | None = None,
    notice_sufficient: bool | None = None,
    tier: str = "",
    mandatory_defence: bool = False,
    intake_fingerprint: str = "",
) -> tuple[Case, list[list]]:
    """A notified case, unsaved, and the rows that go with it ([accused],
    [charges]), for ``case_notify`` to insert after the case.

    The office is the one that serves the procuratorate. A case given a tier is
    stored as triaged; without one it waits for triage as new.
    """
    if not charges:
        raise DomainError.single("charges", "required", _("At least one charge is required."))
    case = Case(
        office_id=procuratorate.office_id,
        procuratorate=procuratorate,
        external_ref=external_ref,
        procedure=procedure,
        stage=stage,
        plea=plea,
        possible_sentence_max_months=possible_sentence_max_months,
        file_volumes=file_volumes,
        flags=list(flags),
        co_accused_refs=list(co_accused_refs),
        custody_measure=custody_measure,
        detention_centre=detention_centre,
        needed_by=needed_by,
        notice_sufficient=notice_sufficient,
        tier=tier,
        mandatory_defence=mandatory_defence,
        status=CaseStatus.TRIAGED if tier else CaseStatus.NEW,
        intake_fingerprint=intake_fingerprint,
    )
    rows = [
        [Accused(case=case, **accused)],
        [CaseCharge(case=case, offence_tier=t, position=i) for i, t in enumerate(charges)],
    ]
    return case, rows


def _check_assignable(*, case: Case, lawyer: Lawyer, role: str) -> None:
    problems: list[ErrorItem] = []
    if not case.is_open:
        problems.append(ErrorItem("case", "case_closed", _("The case is no longer open.")))
    if not lawyer.active:
        problems.append(ErrorItem("lawyer", "inactive", _("This lawyer is not active.")))
    if lawyer.office_id != case.office_id:
        problems.append(
            ErrorItem("lawyer", "other_office", _("This lawyer is not on this office's list."))
        )
    if lawyer.kind == LawyerKind.STUDENT:
        problems.append(
            ErrorItem(
                "lawyer",
                "student",
                _("A student assistant cannot be assigned; assign the mentor instead."),
            )
        )
    if role == AssignmentRole.APPOINTED_COUNSEL and not lawyer.takes_complex_cases:
        problems.append(
            ErrorItem("lawyer", "not_qualified", _("This lawyer does not take complex cases."))
        )
    if case.tier == Tier.APPOINTED_COUNSEL and role == AssignmentRole.DUTY_LAWYER:
        problems.append(
            ErrorItem(
                "role",
                "tier_mismatch",
                _("This case needs appointed counsel, not a duty lawyer."),
            )
        )
    if problems:
        raise DomainError(*problems)


@transaction.atomic
def case_assign(
    *,
    case: Case,
    lawyer: Lawyer,
    role: str,
    acting_user: User | None,
    reason: str = "",
    expected_assignment_id: int | bool | None = False,
    at: datetime | None = None,
) -> Assignment:
    """Give the case to ``lawyer``, ending the current assignment if any.

    ``expected_assignment_id`` is the current assignment the user saw (``None``
    for "unassigned"); when it is no longer current, ``StateHasChanged`` is raised
    and nothing changes. Pass ``False`` to skip the check (system assignment).
    """
    now = at or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    current = case.assignments.filter(ended_at__isnull=True).first()
    current_id = current.id if current else None
    if expected_assignment_id is not False and expected_assignment_id != current_id:
        raise StateHasChanged(
            ErrorItem(
                "case",
                "state_changed",
                _("The case was reassigned by someone else meanwhile. Reload and try again."),
            )
        )
    _check_assignable(case=case, lawyer=lawyer, role=role)
    if current is not None:
        if current.lawyer_id == lawyer.id and current.role == role:
            raise DomainError.single(
                "lawyer", "already_assigned", _("This lawyer is already assigned to the case.")
            )
        current.ended_at = now
        current.ended_by = acting_user
        current.end_reason = reason
        current.save(update_fields=["ended_at", "ended_by", "end_reason", "updated_at"])
    assignment = Assignment.objects.create(
        case=case,
        lawyer=lawyer,
        role=role,
        started_at=now,
        reason=reason,
        assigned_by=acting_user,
    )
    if case.status in (CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.ESCALATED):
        case.status = CaseStatus.ASSIGNED
        case.save(update_fields=["status", "updated_at"])
    return assignment


def _check_student_grant(*, case: Case, student: Lawyer, acting_user: User) -> None:
    if not user_is_assigned_mentor(acting_user, case):
        raise DomainError.single(
            "case", "not_mentor", _("Only the mentor assigned to this case can do this.")
        )
    if student.kind != LawyerKind.STUDENT or student.mentor_id != acting_user.lawyer.id:
        raise DomainError.single("student", "not_your_student", _("This is not your student."))


@transaction.atomic
def case_grant_student(*, case: Case, student: Lawyer, acting_user: User) -> None:
    """The assigned mentor lets one of their students work on this case."""
    _check_student_grant(case=case, student=student, acting_user=acting_user)
    assign_perm(VIEW_CASE, student.user, case)


@transaction.atomic
def case_revoke_student(*, case: Case, student: Lawyer, acting_user: User) -> None:
    _check_student_grant(case=case, student=student, acting_user=acting_user)
    remove_perm(VIEW_CASE, student.user, case)


def accused_identity_reveal(
    *, user: User, case: Case, reason: str, channel: str = "web"
) -> Accused:
    """Return the accused with their identity, recording who looked and why.

    The caller has already scoped ``case`` to the user. The record is written
    before anything is shown; it cannot be changed or deleted afterwards.
    """
    reason = (reason or "").strip()
    if len(reason) < PII_REASON_MIN_LENGTH:
        raise DomainError.single(
            "reason",
            "required",
            _("Say why you need to see the identity (at least %(n)d characters).")
            % {"n": PII_REASON_MIN_LENGTH},
        )
    PiiAccess.objects.create(
        user=user, case=case, fields=list(Accused.PII_FIELDS), reason=reason, channel=channel
    )
    return case.accused
