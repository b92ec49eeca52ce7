"""Pages for office staff: the intake queue, the tier override and the policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.selectors import case_get, user_can_change_case
from cases.views import case_detail_context
from dutylaw.decorators import office_for_request, person_required, require_office_worker
from dutylaw.errors import DomainError
from dutylaw.web import add_domain_errors
from triage.forms import OverrideForm, PolicyForm, QueueFilterForm
from triage.selectors import intake_queue, policy_versions
from triage.services import (
    POLICY_FIELDS,
    case_current_decision,
    case_triage_override,
    decision_reasons,
    policy_current,
    policy_update,
)


@person_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    require_office_worker(request)
    form = QueueFilterForm(request.GET or None, office_id=request.user.office_id)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(intake_queue(user=request.user, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    language = get_language() or "zh-hans"
    for case in page.object_list:
        case.reasons = decision_reasons(case_current_decision(case), language)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "triage/queue.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@person_required
@require_POST
def override_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    if not user_can_change_case(request.user, case):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            case_triage_override(
                case=case,
                tier=form.cleaned_data["tier"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                expected_decision_id=form.cleaned_data["expected_decision"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The tier was changed and your reason recorded."))
            return redirect("cases:detail", case_id=case.pk)
    context = case_detail_context(request, case)
    context["override_form"] = form
    return render(request, "cases/case_detail.html", context, status=400)


@person_required
@require_http_methods(["GET", "POST"])
def policy_view(request: HttpRequest) -> HttpResponse:
    office = office_for_request(request)
    current = policy_current(office=office)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                policy_update(
                    office=office,
                    acting_user=request.user,
                    expected_version=form.cleaned_data["version"],
                    values={name: form.cleaned_data[name] for name in POLICY_FIELDS},
                )
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Saved as a new policy version."))
                return redirect(request.get_full_path())
        status = 400
    else:
        form = PolicyForm(instance=current, initial={"version": current.version})
    context = {
        "form": form,
        "office": office,
        "current": current,
        "versions": policy_versions(office_id=office.id)[:20],
    }
    return render(request, "triage/policy.html", context, status=status)
