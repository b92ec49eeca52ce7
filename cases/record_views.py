"""Pages where lawyers log their work, mentors sign their students' drafts,
and documents are generated."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.documents import help_letter_pdf, opinion_draft, opinion_pdf, receipt_pdf
from cases.forms import AnnotationForm, HandoverForm, RecordForm
from cases.models import RecordKind, RecordStatus
from cases.records import (
    KIND_FIELDS,
    case_records,
    handover_create,
    record_annotate,
    record_authorship,
    record_create,
    record_get,
    record_sign,
    record_update,
    records_summary,
)
from cases.selectors import case_current_assignment, case_get, user_can_change_case
from cases.services import accused_identity_reveal
from dutylaw.decorators import person_required
from dutylaw.errors import DomainError
from dutylaw.web import add_domain_errors, domain_errors_to_messages

# Service field names shown under another form field.
FIELD_ALIASES = {"started_at": "start", "ended_at": "end", "record": None, "case": None}


def _display(record, name: str):
    """A record field as a person reads it."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return getattr(record, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


def _kind_or_404(kind: str) -> str:
    if kind not in RecordKind.values:
        raise Http404
    return kind


def _initial_times(now: datetime | None = None) -> dict:
    """The last half hour, as the form's date and clock times. Just after
    midnight it starts at 00:00: the form's times are of one day, and the
    half hour would otherwise start late "today", in the future."""
    now = timezone.localtime(now).replace(second=0, microsecond=0)
    start = max(now - timedelta(minutes=30), now.replace(hour=0, minute=0))
    return {"date": now.date(), "start": start.time(), "end": now.time()}


@person_required
@require_http_methods(["GET", "POST"])
def record_new_view(request: HttpRequest, case_id, kind: str) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    kind = _kind_or_404(kind)
    try:
        record_authorship(user=request.user, case=case)
    except DomainError:
        raise PermissionDenied from None
    status = 200
    if request.method == "POST":
        form = RecordForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                record = record_create(
                    case=case, user=request.user, kind=kind, values=form.record_values()
                )
            except DomainError as error:
                add_domain_errors(form, error, FIELD_ALIASES)
            else:
                if record.status == RecordStatus.DRAFT:
                    messages.success(request, _("Saved as a draft for your mentor to sign."))
                else:
                    messages.success(request, _("Saved and signed."))
                return redirect(f"{case.get_absolute_url()}#records")
        status = 400
    else:
        initial = _initial_times()
        if kind == RecordKind.WRITTEN_OPINION:
            initial["summary"] = opinion_draft(
                case=case, records=case_records(user=request.user, case=case)
            )
        form = RecordForm(initial=initial, kind=kind)
    context = {"case": case, "form": form, "kind_label": RecordKind(kind).label, "kind": kind}
    return render(request, "cases/record_form.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def record_detail_view(request: HttpRequest, case_id, record_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    record = record_get(user=request.user, case=case, record_id=record_id)
    form = AnnotationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record_annotate(record=record, user=request.user, text=form.cleaned_data["text"])
            except DomainError as error:
                add_domain_errors(form, error, FIELD_ALIASES)
            else:
                messages.success(request, _("Annotation added."))
                return redirect(request.path)
        status = 400
    lawyer = getattr(request.user, "lawyer", None)
    fields = [
        (
            record._meta.get_field(name).verbose_name,
            (
                getattr(record, f"get_{name}_display", None)
                and getattr(record, f"get_{name}_display")()
            )
            or getattr(record, name),
        )
        for name in KIND_FIELDS[record.kind]
    ]
    context = {
        "case": case,
        "record": record,
        "fields": fields,
        "form": form,
        "can_edit": not record.is_signed
        and lawyer is not None
        and lawyer.id in (record.lawyer_id, record.drafted_by_id),
        "can_sign": not record.is_signed and lawyer is not None and lawyer.id == record.lawyer_id,
    }
    return render(request, "cases/record_detail.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def record_edit_view(request: HttpRequest, case_id, record_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    record = record_get(user=request.user, case=case, record_id=record_id)
    if record.is_signed:
        messages.error(request, _("Signed records cannot be changed; add an annotation."))
        return redirect("cases:record", case_id=case.pk, record_id=record.pk)
    status = 200
    if request.method == "POST":
        form = RecordForm(request.POST, kind=record.kind)
        if form.is_valid():
            try:
                record_update(
                    record=record,
                    user=request.user,
                    values=form.record_values(),
                    expected_version=form.cleaned_data.get("version") or 0,
                )
            except DomainError as error:
                add_domain_errors(form, error, FIELD_ALIASES)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("cases:record", case_id=case.pk, record_id=record.pk)
        status = 400
    else:
        start, end = timezone.localtime(record.started_at), timezone.localtime(record.ended_at)
        initial = {name: getattr(record, name) for name in (*KIND_FIELDS[record.kind], "summary")}
        for name, value in list(initial.items()):
            if isinstance(value, bool):
                initial[name] = "true" if value else "false"
        initial.update(
            date=start.date(), start=start.time(), end=end.time(), version=record.version
        )
        form = RecordForm(initial=initial, kind=record.kind)
    context = {
        "case": case,
        "form": form,
        "record": record,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
    }
    return render(request, "cases/record_form.html", context, status=status)


@person_required
@require_POST
def record_sign_view(request: HttpRequest, case_id, record_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    record = record_get(user=request.user, case=case, record_id=record_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        record_sign(record=record, user=request.user, expected_version=version)
    except DomainError as error:
        domain_errors_to_messages(request, error)
    else:
        messages.success(request, _("Signed. The record now counts."))
    return redirect("cases:record", case_id=case.pk, record_id=record.pk)


@person_required
@require_http_methods(["GET", "POST"])
def handover_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    try:
        authorship = record_authorship(user=request.user, case=case)
    except DomainError:
        raise PermissionDenied from None
    if authorship.drafted_by is not None:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = HandoverForm(request.POST)
        if form.is_valid():
            try:
                handover_create(case=case, user=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error, FIELD_ALIASES)
            else:
                messages.success(request, _("Handover note saved for the next lawyer."))
                return redirect(f"{case.get_absolute_url()}#handover")
        status = 400
    else:
        own = [
            r
            for r in case_records(user=request.user, case=case)
            if r.lawyer_id == authorship.lawyer.id
        ]
        form = HandoverForm(initial={"reviewed": records_summary(own)})
    return render(request, "cases/handover_form.html", {"case": case, "form": form}, status=status)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # ASCII file names only: case references carry Chinese and stay out of headers.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _document_lawyer(request: HttpRequest, case):
    current = case_current_assignment(case)
    lawyer = getattr(request.user, "lawyer", None)
    allowed = user_can_change_case(request.user, case) or (
        lawyer is not None and current is not None and current.lawyer_id == lawyer.id
    )
    if not allowed:
        raise PermissionDenied
    if current is None:
        raise Http404
    return current.lawyer


@person_required
@require_POST
def document_view(request: HttpRequest, case_id, document: str) -> HttpResponse:
    """The letter and the receipt name the accused: generating them is an
    identity view and is logged like one."""
    case = case_get(user=request.user, case_id=case_id)
    lawyer = _document_lawyer(request, case)
    makers = {
        "help-letter": (help_letter_pdf, _("Legal-help letter")),
        "receipt": (receipt_pdf, _("Receipt")),
    }
    if document not in makers:
        raise Http404
    make, label = makers[document]
    accused = accused_identity_reveal(
        user=request.user,
        case=case,
        reason=_("Generated: %(doc)s") % {"doc": label},
        channel="document",
    )
    return _pdf_response(
        make(case=case, lawyer=lawyer, accused_name=accused.name), f"{document}.pdf"
    )


@person_required
def opinion_pdf_view(request: HttpRequest, case_id, record_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    record = record_get(user=request.user, case=case, record_id=record_id)
    if record.kind != RecordKind.WRITTEN_OPINION or not record.is_signed:
        raise Http404
    return _pdf_response(opinion_pdf(record=record), f"opinion-{record.pk}.pdf")
