"""Who should take a case, and why: ranked candidates with their reasons;
assigning (with notice to the lawyer, deadlines closed and the procuratorate
called back); and a duty lawyer's escalation of a case to appointed counsel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cases.models import Assignment, AssignmentRole, Case, CaseStatus, Tier
from cases.services import case_assign
from dutylaw.errors import DomainError
from lawyers.models import Lawyer, LawyerKind, Role, Shift, User, Workstation
from triage.callbacks import callbacks_enqueue
from triage.deadlines import deadline_close, deadline_open
from triage.inbox import in_language_of, notification_send
from triage.models import AdverseInterest, DeadlineKind, Escalation
from triage.services import policy_current


@dataclass
class Candidate:
    lawyer: Lawyer
    reasons: list[str] = field(default_factory=list)
    on_duty: bool = False
    continuity: bool = False
    language: bool = False
    month_count: int = 0
    today_count: int = 0

    @property
    def rank_key(self) -> tuple:
        # Continuity first, then on duty, then language, then the fairest share,
        # then a deterministic tie-break by id: every ranking can be explained.
        return (
            not self.continuity,
            not self.on_duty,
            not self.language,
            self.month_count,
            self.today_count,
            self.lawyer.id,
        )


def id_number_hash(id_number: str) -> str:
    """The key the conflict register stores instead of the ID number: an HMAC
    with the secret key, since a plain hash of so small a number space could be
    reversed by trying every number. (Rotating SECRET_KEY means re-entering
    the register.)"""
    return salted_hmac("dutylaw.adverse-interest", id_number.strip().upper()).hexdigest()


def adverse_interest_add(*, lawyer: Lawyer, id_number: str, note: str = "") -> AdverseInterest:
    """Record that ``lawyer`` must never help the person with this ID number."""
    from stdnum.cn import ric

    if not ric.is_valid(id_number.strip().upper()):
        raise DomainError.single("id_number", "invalid", _("Enter a valid resident ID number."))
    interest, _created = AdverseInterest.objects.get_or_create(
        lawyer=lawyer, id_number_hash=id_number_hash(id_number), defaults={"note": note}
    )
    return interest


def _conflicted_lawyers(case: Case) -> set[int]:
    """Lawyers who helped a co-accused of this case (never the same lawyer for
    two co-accused), and lawyers registered as having acted against the accused."""
    accused = getattr(case, "accused", None)
    adverse = set()
    if accused is not None and accused.id_number:
        adverse = set(
            AdverseInterest.objects.filter(
                id_number_hash=id_number_hash(accused.id_number)
            ).values_list("lawyer_id", flat=True)
        )
    refs = set(case.co_accused_refs)
    related = (
        Case.objects.filter(procuratorate_id=case.procuratorate_id)
        .filter(Q(external_ref__in=refs) | Q(co_accused_refs__contains=[case.external_ref]))
        .exclude(pk=case.pk)
    )
    co_accused = Assignment.objects.filter(case__in=related).values_list("lawyer_id", flat=True)
    return adverse | set(co_accused)


def _workstations_for(case: Case) -> list[int]:
    stations = Workstation.objects.filter(office_id=case.office_id, active=True).filter(
        Q(detention_centre_id=case.detention_centre_id) | Q(procuratorate_id=case.procuratorate_id)
    )
    return list(stations.values_list("id", flat=True))


def assignment_candidates(
    *, case: Case, at: datetime | None = None, limit: int = 5
) -> list[Candidate]:
    """Ranked lawyers for the case, each with the reasons for their place."""
    at = at or timezone.now()
    policy = policy_current(office_id=case.office_id)
    day = timezone.localtime(case.needed_by or at).date()
    today = timezone.localdate(at)
    month_start = today.replace(day=1)
    complex_case = case.tier == Tier.APPOINTED_COUNSEL
    lawyers = Lawyer.objects.filter(office_id=case.office_id, active=True).exclude(
        kind=LawyerKind.STUDENT
    )
    if complex_case:
        lawyers = lawyers.filter(takes_complex_cases=True)
    conflicted = _conflicted_lawyers(case)
    lawyers = (
        lawyers.exclude(pk__in=conflicted)
        .select_related("user")
        .annotate(
            month_count=Count(
                "assignments",
                filter=Q(assignments__started_at__date__gte=month_start),
                distinct=True,
            ),
            today_count=Count(
                "assignments", filter=Q(assignments__started_at__date=today), distinct=True
            ),
        )
    )
    stations = _workstations_for(case)
    on_duty = set(
        Shift.objects.filter(
            workstation_id__in=stations, date=day, lawyer__isnull=False
        ).values_list("lawyer_id", flat=True)
    )
    helped_before = set(case.assignments.values_list("lawyer_id", flat=True))
    accused = getattr(case, "accused", None)
    language = accused.language if accused and accused.language not in ("", "zh") else None
    needs_sign = bool(accused and "hearing" in accused.disabilities)
    ranked = []
    for lawyer in lawyers:
        if lawyer.today_count >= policy.daily_case_cap:
            continue
        candidate = Candidate(
            lawyer=lawyer, month_count=lawyer.month_count, today_count=lawyer.today_count
        )
        if lawyer.id in helped_before:
            candidate.continuity = True
            candidate.reasons.append(_("Helped at an earlier stage (continuity)"))
        if lawyer.id in on_duty:
            candidate.on_duty = True
            candidate.reasons.append(_("On duty at the case's workstation that day"))
        if language and language in lawyer.languages:
            candidate.language = True
            candidate.reasons.append(_("Speaks the accused's language"))
        if needs_sign and lawyer.sign_language:
            candidate.language = True
            candidate.reasons.append(_("Uses sign language"))
        if complex_case:
            candidate.reasons.append(_("Takes complex cases"))
        if lawyer.kind == LawyerKind.MENTOR:
            candidate.reasons.append(_("Mentor: serves with a student assistant"))
        candidate.reasons.append(
            ngettext(
                "%(m)s case this month, %(t)s today (cap %(cap)s)",
                "%(m)s cases this month, %(t)s today (cap %(cap)s)",
                lawyer.month_count,
            )
            % {"m": lawyer.month_count, "t": lawyer.today_count, "cap": policy.daily_case_cap}
        )
        ranked.append(candidate)
    ranked.sort(key=lambda c: c.rank_key)
    return ranked[:limit]


def role_for(case: Case) -> str:
    if case.tier == Tier.APPOINTED_COUNSEL:
        return AssignmentRole.APPOINTED_COUNSEL
    return AssignmentRole.DUTY_LAWYER


@transaction.atomic
def case_assign_and_notify(
    *,
    case: Case,
    lawyer: Lawyer,
    acting_user: User | None,
    reason: str = "",
    expected_assignment_id: int | bool | None = False,
    now: datetime | None = None,
) -> Assignment:
    """Assign, then in the same transaction: tell the lawyer, close what the
    assignment satisfies, and queue the procuratorate's callback."""
    assignment = case_assign(
        case=case,
        lawyer=lawyer,
        role=role_for(case),
        acting_user=acting_user,
        reason=reason,
        expected_assignment_id=expected_assignment_id,
    )
    with in_language_of(lawyer.user):
        notification_send(
            user=lawyer.user,
            title=_("New case: %(ref)s") % {"ref": case.external_ref},
            body=_("You are assigned as %(role)s.") % {"role": assignment.get_role_display()},
            case=case,
        )
    for kind in (DeadlineKind.ASSIGNMENT, DeadlineKind.MANDATORY_APPOINTMENT):
        deadline_close(case=case, kind=kind, now=now)
    if assignment.role == AssignmentRole.APPOINTED_COUNSEL:
        deadline_close(case=case, kind=DeadlineKind.DIVERSION, now=now)
    event = "transferred" if case.assignments.count() > 1 else "assigned"
    callbacks_enqueue(case=case, event=event)
    return assignment


def case_auto_assign(*, case_id) -> Assignment | None:
    """With the office's automatic assignment on: give an unassigned case to
    the best candidate. Idempotent: an assigned case is left alone."""
    case = Case.objects.filter(pk=case_id).select_related("accused").first()
    if case is None or not case.is_open or case.assignments.filter(ended_at__isnull=True).exists():
        return None
    if not policy_current(office_id=case.office_id).auto_assign:
        return None
    candidates = assignment_candidates(case=case)
    if not candidates:
        return None
    best = candidates[0]
    try:
        return case_assign_and_notify(
            case=case,
            lawyer=best.lawyer,
            acting_user=None,
            reason=_("Automatic: %(why)s") % {"why": "; ".join(best.reasons)},
            expected_assignment_id=None,
        )
    except DomainError:
        return None  # someone assigned it meanwhile


@transaction.atomic
def case_escalate(
    *, case: Case, user: User, reason: str, text: str, now: datetime | None = None
) -> Escalation:
    """A duty lawyer finds the case complex: it moves to the appointed-counsel
    tier, and appointed counsel must take over within the policy's hours."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    lawyer = getattr(user, "lawyer", None)
    current = case.assignments.filter(ended_at__isnull=True).first()
    if lawyer is None or current is None or current.lawyer_id != lawyer.id:
        raise DomainError.single(
            "case", "not_assigned", _("Only the duty lawyer on the case can escalate it.")
        )
    if case.tier == Tier.APPOINTED_COUNSEL:
        raise DomainError.single(
            "case", "already_counsel", _("The case is already with appointed counsel.")
        )
    if reason not in {"contradictory_evidence", "disputed_law", "other"}:
        raise DomainError.single("reason", "invalid_choice", _("Choose a reason."))
    text = (text or "").strip()
    if len(text) < 10:
        raise DomainError.single(
            "text", "too_short", _("Explain what you found in at least 10 characters.")
        )
    now = now or timezone.now()
    escalation = Escalation.objects.create(
        case=case, lawyer=lawyer, reason=reason, text=text, created_at=now
    )
    case.tier = Tier.APPOINTED_COUNSEL
    case.status = CaseStatus.ESCALATED
    case.save(update_fields=["tier", "status", "updated_at"])
    hours = policy_current(office_id=case.office_id).diversion_hours
    deadline_open(
        case=case,
        kind=DeadlineKind.DIVERSION,
        due_at=now + timedelta(hours=hours),
        starts_at=now,
        basis=(gettext_noop("Escalated by the duty lawyer: %(h)s hours"), {"h": hours}),
        now=now,
    )
    for staff in User.objects.filter(role=Role.STAFF, office_id=case.office_id, is_active=True):
        with in_language_of(staff):
            notification_send(
                user=staff,
                title=_("Escalated: %(ref)s needs appointed counsel") % {"ref": case.external_ref},
                body=text,
                case=case,
            )
    return escalation
