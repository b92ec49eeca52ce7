"""Role-aware navigation for the page shell."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lawyers.models import Role
from triage.models import Notification


def _role_label(user) -> str:
    lawyer = getattr(user, "lawyer", None) if user.role == Role.LAWYER else None
    if lawyer is not None:
        return lawyer.get_kind_display()
    return Role(user.role).label if user.role in Role.values else ""


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("home", _("Home"))]
    unread = 0
    if user.role in (Role.STAFF, Role.ADMIN) or user.is_superuser:
        items.append(("triage:queue", _("Intake queue")))
        items.append(("triage:board", _("Assignment")))
    if user.role in (Role.STAFF, Role.ADMIN, Role.REVIEWER) or user.is_superuser:
        items.append(("triage:sla", _("Deadlines")))
    if user.role in (Role.STAFF, Role.ADMIN, Role.REVIEWER) or user.is_superuser:
        items.append(("cases:list", _("Cases")))
    if user.role in (Role.STAFF, Role.ADMIN) or user.is_superuser:
        items.append(("lawyers:rosters", _("Rosters")))
        items.append(("lawyers:duty_now", _("On duty now")))
        items.append(("lawyers:subsidies", _("Subsidies")))
    if user.role == Role.LAWYER:
        items.append(("cases:list", _("My cases")))
        items.append(("lawyers:my_shifts", _("My shifts")))
        if getattr(getattr(user, "lawyer", None), "kind", "") != "student":
            items.append(("lawyers:subsidies", _("My subsidies")))
    if user.role in (Role.REVIEWER, Role.ADMIN) or user.is_superuser:
        items.append(("supervision:audit", _("Audit trail")))
        items.append(("supervision:identity_views", _("Identity views")))
    if user.role in (Role.STAFF, Role.LAWYER, Role.ADMIN) or user.is_superuser:
        items.append(("triage:inbox", _("Inbox")))
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    path = request.path
    nav = []
    urls = [(name, label, reverse(name)) for name, label in items]
    # The one item whose address is the longest prefix of the page's is active.
    matches = [u for _n, _l, u in urls if (path == u if u == "/" else path.startswith(u))]
    current = max(matches, key=len) if matches else None
    for name, label, url in urls:
        count = unread if name == "triage:inbox" else 0
        nav.append({"url": url, "label": label, "active": url == current, "count": count})
    return {
        "nav_items": nav,
        "show_admin_link": user.is_staff,
        "role_label": _role_label(user),
    }
