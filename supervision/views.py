"""Audit pages for bar-association reviewers and administrators (read only)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dutylaw.decorators import person_required
from lawyers.models import Role
from supervision.selectors import AUDITED_MODELS, audit_events, identity_views

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(
        label=_("Records"), required=False, choices=[("", _("Everything")), *AUDITED_MODELS.items()]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


class IdentityFilterForm(forms.Form):
    case = forms.UUIDField(label=_("Case id"), required=False)


def _require_auditor(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.role in (Role.REVIEWER, Role.ADMIN)):
        raise PermissionDenied


@person_required
@require_GET
def audit_view(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = data.get("page") or 1
    rows = audit_events(
        model=data.get("model") or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    context = {
        "form": form,
        "rows": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "model": data.get("model") or "",
    }
    return render(request, "supervision/audit.html", context)


@person_required
@require_GET
def identity_views_view(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = IdentityFilterForm(request.GET or None)
    case_id = form.cleaned_data.get("case") if form.is_valid() else None
    page = Paginator(identity_views(case_id=case_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/identity_views.html", {"form": form, "page": page})
