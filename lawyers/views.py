"""Roster, shift, calendar and subsidy pages."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dutylaw.decorators import office_for_request, person_required
from dutylaw.errors import DomainError
from dutylaw.web import add_domain_errors, domain_errors_to_messages
from lawyers.calendar_feed import calendar_token_reset, lawyer_calendar
from lawyers.forms import (
    AvailabilityForm,
    ClosureForm,
    LeaveForm,
    MonthQueryForm,
    RatesForm,
    RosterCreateForm,
    ShiftEditForm,
    VersionForm,
)
from lawyers.models import (
    Lawyer,
    Leave,
    Role,
    Roster,
    RosterStatus,
    Shift,
    ShiftSwap,
    SubsidyRates,
    SwapStatus,
    Workstation,
    WorkstationClosure,
)
from lawyers.rosters import (
    month_days,
    on_duty_now,
    roster_create,
    roster_publish,
    roster_request_generation,
    shift_claim,
    shift_set_lawyer,
    shift_sign_in,
    shift_sign_out,
    swap_decide,
    swap_offer,
    swap_take,
)
from lawyers.selectors import lawyer_shifts, open_shifts, roster_grid
from lawyers.settings_services import availability_update, closure_add, leave_add, rates_add
from lawyers.subsidies import office_statements, statements_csv, statements_xlsx


def _lawyer(request: HttpRequest) -> Lawyer:
    lawyer = getattr(request.user, "lawyer", None)
    if request.user.role != Role.LAWYER or lawyer is None:
        raise PermissionDenied
    return lawyer


def _month(request: HttpRequest) -> date:
    form = MonthQueryForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("month"):
        return form.cleaned_data["month"].replace(day=1)
    return timezone.localdate().replace(day=1)


# --- Rosters (staff) -------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def roster_list_view(request: HttpRequest) -> HttpResponse:
    office = office_for_request(request)
    form = RosterCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                roster = roster_create(
                    office=office, month=form.cleaned_data["month"], acting_user=request.user
                )
            except DomainError as error:
                form.add_error("month", error.items[0].message)
            else:
                return redirect("lawyers:roster", roster_id=roster.pk)
        status = 400
    rosters = Roster.objects.filter(office=office).select_related("published_by")
    pending = ShiftSwap.objects.filter(
        shift__workstation__office=office, status=SwapStatus.TAKEN
    ).select_related("shift__workstation", "offered_by__user", "taken_by__user")
    context = {
        "office": office,
        "form": form,
        "rosters": rosters,
        "pending_swaps": pending,
        "open_shifts": open_shifts(office_id=office.id, after=timezone.localdate())[:20],
    }
    return render(request, "lawyers/roster_list.html", context, status=status)


def _grid_days(request: HttpRequest, roster: Roster) -> tuple[list[date], date | None]:
    days = month_days(roster.month)
    raw = request.GET.get("week")
    if not raw:
        return days, None
    try:
        start = date.fromisoformat(raw)
    except ValueError:
        return days, None
    start -= timedelta(days=start.weekday())
    week = [start + timedelta(n) for n in range(7)]
    week = [d for d in week if d.month == roster.month.month]
    return (week or days), start


@person_required
@require_GET
def roster_detail_view(request: HttpRequest, roster_id: int) -> HttpResponse:
    office = office_for_request(request)
    roster = get_object_or_404(Roster, pk=roster_id, office=office)
    days, week = _grid_days(request, roster)
    try:
        ws_id = int(request.GET.get("ws", "") or 0) or None
    except ValueError:
        ws_id = None
    weeks = sorted({d - timedelta(days=d.weekday()) for d in month_days(roster.month)})
    workstations = {w.id: w for w in Workstation.objects.filter(office=office)}
    uncovered = [
        {**u, "workstation_name": getattr(workstations.get(u["workstation"]), "name", "")}
        for u in roster.uncovered
    ]
    context = {
        "roster": roster,
        "rows": roster_grid(roster=roster, days=days, workstation_id=ws_id),
        "days": days,
        "week": week,
        "weeks": weeks,
        "ws_id": ws_id,
        "workstations": workstations.values(),
        "uncovered": uncovered,
        "version_form": VersionForm(initial={"version": roster.version}),
        "today": timezone.localdate(),
    }
    return render(request, "lawyers/roster_detail.html", context)


@person_required
@require_GET
def roster_status_view(request: HttpRequest, roster_id: int) -> HttpResponse:
    """Polled by htmx while the solver runs; asks the page to reload when done."""
    office = office_for_request(request)
    roster = get_object_or_404(Roster, pk=roster_id, office=office)
    response = render(request, "lawyers/_roster_status.html", {"roster": roster})
    if roster.status != RosterStatus.GENERATING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@person_required
@require_POST
def roster_action_view(request: HttpRequest, roster_id: int, action: str) -> HttpResponse:
    office = office_for_request(request)
    roster = get_object_or_404(Roster, pk=roster_id, office=office)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("lawyers:roster", roster_id=roster.pk)
    version = form.cleaned_data["version"]
    try:
        if action == "generate":
            roster_request_generation(roster=roster, expected_version=version)
            messages.info(request, _("The solver is working on the roster."))
        elif action == "publish":
            roster_publish(roster=roster, acting_user=request.user, expected_version=version)
            messages.success(request, _("The roster is published."))
        else:
            raise Http404
    except DomainError as error:
        domain_errors_to_messages(request, error)
    return redirect("lawyers:roster", roster_id=roster.pk)


@person_required
@require_http_methods(["GET", "POST"])
def shift_edit_view(request: HttpRequest, shift_id: int) -> HttpResponse:
    office = office_for_request(request)
    shift = get_object_or_404(
        Shift.objects.select_related("roster", "workstation", "lawyer__user"),
        pk=shift_id,
        workstation__office=office,
    )
    version = shift.roster.version if shift.roster else 0
    form = ShiftEditForm(
        request.POST or None,
        office_id=office.id,
        initial={"lawyer": shift.lawyer_id, "version": version},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                shift_set_lawyer(
                    shift=shift,
                    lawyer=form.cleaned_data["lawyer"],
                    acting_user=request.user,
                    expected_version=form.cleaned_data["version"] if shift.roster else None,
                )
            except DomainError as error:
                for item in error.items:
                    form.add_error("lawyer" if item.field == "lawyer" else None, item.message)
            else:
                if form.cleaned_data["lawyer"] is None:
                    messages.warning(request, _("The shift is open: no lawyer covers it yet."))
                else:
                    messages.success(request, _("Shift saved and pinned."))
                if shift.roster:
                    return redirect("lawyers:roster", roster_id=shift.roster_id)
                return redirect("lawyers:rosters")
        status = 400
    return render(request, "lawyers/shift_edit.html", {"shift": shift, "form": form}, status=status)


@person_required
@require_POST
def swap_decide_view(request: HttpRequest, swap_id: int, decision: str) -> HttpResponse:
    office = office_for_request(request)
    swap = get_object_or_404(ShiftSwap, pk=swap_id, shift__workstation__office=office)
    if decision not in ("approve", "reject"):
        raise Http404
    try:
        swap_decide(swap=swap, approve=decision == "approve", acting_user=request.user)
    except DomainError as error:
        domain_errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Swap approved.") if decision == "approve" else _("Swap rejected.")
        )
    return redirect("lawyers:rosters")


@person_required
@require_GET
def duty_now_view(request: HttpRequest) -> HttpResponse:
    office = office_for_request(request)
    now = timezone.now()
    stations = [
        (ws, on_duty_now(workstation=ws, at=now))
        for ws in Workstation.objects.filter(office=office, active=True).order_by("code")
    ]
    return render(request, "lawyers/duty_now.html", {"stations": stations, "now": now})


# --- A lawyer's shifts -------------------------------------------------------------------


@person_required
@require_GET
def my_shifts_view(request: HttpRequest) -> HttpResponse:
    lawyer = _lawyer(request)
    owner = lawyer.mentor if lawyer.is_student else lawyer
    month = _month(request)
    days = month_days(month)
    today = timezone.localdate()
    shifts = list(lawyer_shifts(lawyer=owner, first=days[0], last=days[-1]))
    my_offers = {
        s.shift_id: s
        for s in ShiftSwap.objects.filter(
            offered_by=owner, status__in=[SwapStatus.OFFERED, SwapStatus.TAKEN]
        )
    }
    offers = (
        ShiftSwap.objects.filter(
            shift__workstation__office_id=owner.office_id,
            status=SwapStatus.OFFERED,
            shift__date__gte=today,
        )
        .exclude(offered_by=owner)
        .select_related("shift__workstation", "offered_by__user")
    )
    feed = request.build_absolute_uri(reverse("lawyers:calendar_feed", args=[owner.calendar_token]))
    context = {
        "lawyer": owner,
        "is_student": lawyer.is_student,
        "month": month,
        "previous": (month - timedelta(days=1)).replace(day=1),
        "next": (days[-1] + timedelta(days=1)),
        "shifts": shifts,
        "my_offers": my_offers,
        "offers": offers,
        "open": open_shifts(office_id=owner.office_id, after=today)[:20],
        "feed_url": feed,
        "today": today,
    }
    return render(request, "lawyers/my_shifts.html", context)


@person_required
@require_POST
def shift_lawyer_action_view(request: HttpRequest, shift_id: int, action: str) -> HttpResponse:
    lawyer = _lawyer(request)
    if lawyer.is_student:
        raise PermissionDenied
    shift = get_object_or_404(
        Shift.objects.select_related("workstation"),
        pk=shift_id,
        workstation__office_id=lawyer.office_id,
    )
    done = {
        "offer": (
            lambda: swap_offer(shift=shift, lawyer=lawyer, note=request.POST.get("note", "")),
            _("Your shift is on offer to other lawyers."),
        ),
        "claim": (lambda: shift_claim(shift=shift, lawyer=lawyer), _("The shift is yours.")),
        "sign-in": (lambda: shift_sign_in(shift=shift, lawyer=lawyer), _("Signed in.")),
        "sign-out": (lambda: shift_sign_out(shift=shift, lawyer=lawyer), _("Signed out.")),
    }
    if action not in done:
        raise Http404
    call, message = done[action]
    try:
        call()
    except DomainError as error:
        domain_errors_to_messages(request, error)
    else:
        messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or reverse("lawyers:my_shifts"))


@person_required
@require_POST
def swap_take_view(request: HttpRequest, swap_id: int) -> HttpResponse:
    lawyer = _lawyer(request)
    if lawyer.is_student:
        raise PermissionDenied
    swap = get_object_or_404(ShiftSwap, pk=swap_id, shift__workstation__office_id=lawyer.office_id)
    try:
        swap_take(swap=swap, lawyer=lawyer)
    except DomainError as error:
        domain_errors_to_messages(request, error)
    else:
        messages.success(request, _("You took the shift; the office will confirm."))
    return redirect("lawyers:my_shifts")


@person_required
@require_POST
def calendar_reset_view(request: HttpRequest) -> HttpResponse:
    lawyer = _lawyer(request)
    calendar_token_reset(lawyer=lawyer)
    messages.success(request, _("New calendar link made; the old one no longer works."))
    return redirect("lawyers:my_shifts")


def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the secret in the URL is the only key (calendar apps
    cannot log in). 404 for an unknown or reset secret."""
    lawyer = Lawyer.objects.filter(calendar_token=token, active=True).first()
    if lawyer is None or len(token) < 20:
        raise Http404
    response = HttpResponse(lawyer_calendar(lawyer=lawyer), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    return response


# --- Subsidies -------------------------------------------------------------------------------


@person_required
@require_GET
def subsidies_view(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    if request.user.role == Role.LAWYER:
        lawyer = _lawyer(request)
        if lawyer.is_student:
            raise PermissionDenied
        statements = office_statements(office=lawyer.office, month=month, lawyer=lawyer)
        office = lawyer.office
    else:
        office = office_for_request(request)
        statements = office_statements(office=office, month=month)
    export = request.GET.get("export")
    stem = f"subsidies-{month:%Y-%m}"
    if export == "csv":
        response = HttpResponse(statements_csv(statements), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            statements_xlsx(statements, title=f"{month:%Y-%m}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    context = {
        "office": office,
        "month": month,
        "statements": statements,
        "rates": statements[0].rates if statements else None,
        "grand_total": sum((s.total for s in statements), 0),
        "print": request.GET.get("print") == "1",
        "form": MonthQueryForm(initial={"month": month}),
    }
    return render(request, "lawyers/subsidies.html", context)


# --- Roster settings: leave, closures, availability, rates ---------------------------------

SETTINGS_FORMS = {"leave": LeaveForm, "closure": ClosureForm, "rates": RatesForm}


@person_required
@require_http_methods(["GET", "POST"])
def roster_settings_view(request: HttpRequest) -> HttpResponse:
    office = office_for_request(request)
    forms_ = {
        "leave": LeaveForm(office_id=office.id, prefix="leave"),
        "closure": ClosureForm(office_id=office.id, prefix="closure"),
        "rates": RatesForm(prefix="rates"),
    }
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which not in SETTINGS_FORMS:
            raise Http404
        kwargs = {} if which == "rates" else {"office_id": office.id}
        form = SETTINGS_FORMS[which](request.POST, prefix=which, **kwargs)
        forms_[which] = form
        if form.is_valid():
            service = {"leave": leave_add, "closure": closure_add, "rates": rates_add}[which]
            try:
                service(office=office, acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("lawyers:settings")
        status = 400
    today = timezone.localdate()
    context = {
        "office": office,
        "forms": forms_,
        "leaves": Leave.objects.filter(lawyer__office=office, date_to__gte=today).select_related(
            "lawyer__user"
        )[:50],
        "closures": WorkstationClosure.objects.filter(
            workstation__office=office, date_to__gte=today
        ).select_related("workstation"),
        "rates": SubsidyRates.objects.filter(office=office)[:10],
        "lawyers": Lawyer.objects.filter(office=office)
        .exclude(kind="student")
        .select_related("user")
        .prefetch_related("preferred_workstations")
        .order_by("user__full_name"),
        "workstations": Workstation.objects.filter(office=office).order_by("code"),
    }
    return render(request, "lawyers/settings.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def availability_view(request: HttpRequest, lawyer_id: int) -> HttpResponse:
    office = office_for_request(request)
    lawyer = get_object_or_404(Lawyer.objects.select_related("user"), pk=lawyer_id, office=office)
    initial = {
        "available_weekdays": lawyer.available_weekdays,
        "max_shifts_per_week": lawyer.max_shifts_per_week,
        "max_shifts_per_month": lawyer.max_shifts_per_month,
        "preferred": list(lawyer.preferred_workstations.all()),
    }
    form = AvailabilityForm(request.POST or None, office_id=office.id, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                availability_update(
                    office=office,
                    lawyer=lawyer,
                    acting_user=request.user,
                    preferred=data.pop("preferred"),
                    **data,
                )
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("lawyers:settings")
        status = 400
    return render(
        request, "lawyers/availability.html", {"lawyer": lawyer, "form": form}, status=status
    )
