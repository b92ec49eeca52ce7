"""Case pages for people: the list, the case page, the identity reveal and the
mentor's grants to students."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.forms import CaseFilterForm, IdentityRevealForm, StudentGrantForm
from cases.models import CaseUserObjectPermission, RecordKind, RecordStatus
from cases.records import case_help_warnings, case_records, record_authorship
from cases.selectors import (
    VIEW_CASE,
    case_current_assignment,
    case_get,
    case_list,
    case_timeline,
    user_can_change_case,
    user_is_assigned_mentor,
)
from cases.services import accused_identity_reveal, case_grant_student, case_revoke_student
from dutylaw.decorators import person_required
from dutylaw.errors import DomainError
from dutylaw.web import add_domain_errors, domain_errors_to_messages
from lawyers.models import Lawyer, Role
from supervision.selectors import case_events
from triage.forms import OverrideForm
from triage.models import EscalationReason
from triage.selectors import case_decisions
from triage.services import decision_reasons


@person_required
@require_GET
def case_list_view(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list(user=request.user, filters=filters)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _students_for(request: HttpRequest, case) -> list[Lawyer]:
    """The mentor's active students, each marked with whether they have this case."""
    if not user_is_assigned_mentor(request.user, case):
        return []
    granted = set(
        CaseUserObjectPermission.objects.filter(
            content_object=case, permission__codename=VIEW_CASE
        ).values_list("user_id", flat=True)
    )
    students = list(request.user.lawyer.students.filter(active=True).select_related("user"))
    for student in students:
        student.has_access = student.user_id in granted
    return students


def case_detail_context(request: HttpRequest, case) -> dict:
    """Everything the case page shows; also used to re-render it with form errors."""
    user = request.user
    sees_history = user.role in (Role.STAFF, Role.REVIEWER, Role.ADMIN) or user.is_superuser
    can_change = user_can_change_case(user, case)
    decisions = case_decisions(case=case)
    current_decision = decisions[0] if decisions else None
    language = get_language() or "zh-hans"
    return {
        "case": case,
        "accused": getattr(case, "accused", None),
        "current": case_current_assignment(case),
        "can_change": can_change,
        "reveal_form": IdentityRevealForm(),
        "events": case_events(case=case)[:50] if sees_history else None,
        "students": _students_for(request, case),
        "decision": current_decision,
        "decision_reasons": decision_reasons(current_decision, language),
        "decisions": [(d, decision_reasons(d, language)) for d in decisions[1:]],
        "override_form": OverrideForm(
            initial={"expected_decision": current_decision.id if current_decision else None}
        )
        if can_change and case.is_open
        else None,
        "timeline": case_timeline(case=case),
        "deadlines": list(case.deadlines.order_by("state", "due_at")[:20]),
        "escalation_reasons": EscalationReason.choices,
        "can_escalate": _can_escalate(request.user, case),
        **_help_context(request, case),
    }


def _can_escalate(user, case) -> bool:
    current = case_current_assignment(case)
    lawyer = getattr(user, "lawyer", None)
    return (
        case.is_open
        and case.tier == "duty_lawyer"
        and current is not None
        and lawyer is not None
        and current.lawyer_id == lawyer.id
    )


def _help_context(request: HttpRequest, case) -> dict:
    """Records, warnings, handover notes and what the user may log."""
    records = case_records(user=request.user, case=case)
    try:
        authorship = record_authorship(user=request.user, case=case)
    except DomainError:
        authorship = None
    # Warnings speak of the whole case, from every signed record, not only the
    # user's own: a reviewer, staff and the next lawyer all need them.
    all_signed = list(case.records.filter(status=RecordStatus.SIGNED))
    return {
        "records": records,
        "warnings": case_help_warnings(case=case, records=all_signed),
        "handovers": list(case.handovers.select_related("from_lawyer__user")),
        "can_log": authorship is not None and case.is_open,
        "can_handover": authorship is not None and authorship.drafted_by is None,
        "log_kinds": RecordKind.choices,
        "can_documents": user_can_change_case(request.user, case)
        or (authorship is not None and authorship.drafted_by is None),
    }


@person_required
@require_GET
def case_detail_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    return render(request, "cases/case_detail.html", case_detail_context(request, case))


@person_required
@require_POST
def identity_reveal_view(request: HttpRequest, case_id) -> HttpResponse:
    """Show the accused's identity after recording who asked and why.

    Answers htmx with the identity fragment; without htmx, renders the case page.
    """
    case = case_get(user=request.user, case_id=case_id)
    form = IdentityRevealForm(request.POST)
    accused = None
    if form.is_valid():
        try:
            accused = accused_identity_reveal(
                user=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_errors(form, error)
    template = "cases/_identity.html"
    status = 200 if accused is not None else 400
    context = {"case": case, "accused": accused or case.accused, "revealed": accused is not None}
    context["reveal_form"] = form
    if not request.htmx:
        template = "cases/identity_page.html"
    return render(request, template, context, status=status)


@person_required
@require_POST
def student_access_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    students = _students_for(request, case)
    if not students:
        messages.error(request, _("Only the mentor assigned to this case can do this."))
        return redirect("cases:detail", case_id=case.pk)
    form = StudentGrantForm(request.POST, students=students)
    if form.is_valid():
        student = next(s for s in students if s.id == form.cleaned_data["student"])
        grant = form.cleaned_data["action"] == "grant"
        service = case_grant_student if grant else case_revoke_student
        if grant:
            done = _("%(name)s can now work on this case.")
        else:
            done = _("%(name)s no longer has access.")
        try:
            service(case=case, student=student, acting_user=request.user)
            messages.success(request, done % {"name": student.user.display_name})
        except DomainError as error:
            domain_errors_to_messages(request, error)
    else:
        messages.error(request, _("Choose one of your students."))
    return redirect("cases:detail", case_id=case.pk)
