"""Access decorators for page views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from lawyers.models import Role


def person_required(view):
    """Logged in, and a person: API clients' service users never use pages."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role == Role.API_CLIENT:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
