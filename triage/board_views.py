"""The assignment board, the SLA board, the inbox and the escalation form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.selectors import case_get, cases_visible_to, user_can_change_case
from dutylaw.decorators import person_required, require_office_worker
from dutylaw.errors import DomainError
from dutylaw.web import domain_errors_to_messages
from lawyers.models import Lawyer, LawyerKind, Role
from triage.assignment import assignment_candidates, case_assign_and_notify, case_escalate
from triage.callbacks import delivery_retry
from triage.inbox import inbox, inbox_mark_read
from triage.models import CallbackDelivery, Deadline, DeadlineState, DeliveryStatus
from triage.selectors import assignment_board

BOARD_PAGE = 15


@person_required
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    """Unassigned and at-risk cases, least time left first."""
    require_office_worker(request)
    now = timezone.now()
    cases = assignment_board(user=request.user)
    page = Paginator(cases, BOARD_PAGE).get_page(request.GET.get("page"))
    return render(request, "triage/board.html", {"page": page, "now": now})


@person_required
@require_GET
def suggestions_view(request: HttpRequest, case_id) -> HttpResponse:
    """The ranked candidates of one case (loaded into the board by htmx). A
    case outside the user's scope is 404, as everywhere; one they may read
    but not assign is 403."""
    case = case_get(user=request.user, case_id=case_id)
    require_office_worker(request)
    lawyers = (
        Lawyer.objects.filter(office_id=case.office_id, active=True)
        .exclude(kind=LawyerKind.STUDENT)
        .select_related("user")
        .order_by("user__full_name")
    )
    context = {
        "case": case,
        "candidates": assignment_candidates(case=case, limit=3),
        "lawyers": lawyers,
    }
    return render(request, "triage/_suggestions.html", context)


@person_required
@require_POST
def assign_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    if not user_can_change_case(request.user, case):
        raise PermissionDenied
    lawyer = get_object_or_404(Lawyer, pk=request.POST.get("lawyer") or 0, office_id=case.office_id)
    reason = (request.POST.get("reason") or "").strip()
    suggested = request.POST.get("suggested") == "1"
    if not suggested and len(reason) < 4:
        messages.error(
            request, _("Give a reason when you choose a lawyer the board did not suggest.")
        )
        return redirect("triage:board")
    expected = request.POST.get("expected_assignment") or None
    try:
        case_assign_and_notify(
            case=case,
            lawyer=lawyer,
            acting_user=request.user,
            reason=reason or _("Suggested by the assignment board"),
            expected_assignment_id=int(expected) if expected else None,
        )
    except (DomainError, ValueError) as error:
        for item in getattr(error, "items", []):
            messages.error(request, item.message)
    else:
        messages.success(
            request, _("%(ref)s assigned to %(name)s.") % {"ref": case.external_ref, "name": lawyer}
        )
    if request.POST.get("back") == "case":
        return redirect(case.get_absolute_url())
    return redirect("triage:board")


@person_required
@require_GET
def sla_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_superuser or user.role in (Role.STAFF, Role.ADMIN, Role.REVIEWER)):
        raise PermissionDenied
    state = request.GET.get("state") or DeadlineState.OPEN
    if state not in DeadlineState.values:
        state = DeadlineState.OPEN
    deadlines = (
        Deadline.objects.filter(case__in=cases_visible_to(user).values("pk"), state=state)
        .select_related("case")
        .order_by("due_at" if state == DeadlineState.OPEN else "-closed_at")
    )
    page = Paginator(deadlines, 50).get_page(request.GET.get("page"))
    failed = CallbackDelivery.objects.filter(
        status=DeliveryStatus.FAILED, case__in=cases_visible_to(user).values("pk")
    ).select_related("client", "case")[:20]
    context = {
        "page": page,
        "state": state,
        "states": DeadlineState.choices,
        "failed": failed,
        "now": timezone.now(),
        "query": f"state={state}",
        "can_retry": user.role != Role.REVIEWER,
    }
    return render(request, "triage/sla.html", context)


@person_required
@require_POST
def redeliver_view(request: HttpRequest, delivery_id: int) -> HttpResponse:
    require_office_worker(request)
    delivery = get_object_or_404(
        CallbackDelivery,
        pk=delivery_id,
        case__in=cases_visible_to(request.user).values("pk"),
    )
    delivery_retry(delivery=delivery)
    messages.success(request, _("The callback will be delivered again."))
    return redirect("triage:sla")


@person_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "triage/inbox.html", {"page": page})


@person_required
@require_POST
def inbox_read_view(request: HttpRequest) -> HttpResponse:
    inbox_mark_read(user=request.user)
    return redirect("triage:inbox")


@person_required
@require_POST
def escalate_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    try:
        case_escalate(
            case=case,
            user=request.user,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
    except DomainError as error:
        domain_errors_to_messages(request, error)
    else:
        messages.success(request, _("Escalated: the office must appoint counsel in time."))
    return redirect(case.get_absolute_url())
