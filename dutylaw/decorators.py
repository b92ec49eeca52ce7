"""Access decorators for page views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lawyers.models import LegalAidOffice, Role


def person_required(view):
    """Logged in, and a person: API clients' service users never use pages."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role == Role.API_CLIENT:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def require_office_worker(request) -> None:
    """Office staff and administrators only."""
    user = request.user
    if not (user.is_superuser or user.role in (Role.STAFF, Role.ADMIN)):
        raise PermissionDenied


def office_for_request(request):
    """The office a page works on: staff their own; administrators the one
    named by ``office`` (query or form), else the first. 404 when none exists."""
    require_office_worker(request)
    user = request.user
    if user.role == Role.STAFF:
        return user.office
    code = request.GET.get("office") or request.POST.get("office")
    offices = LegalAidOffice.objects.order_by("code")
    office = offices.filter(code=code).first() if code else offices.first()
    if office is None:
        raise Http404
    return office
