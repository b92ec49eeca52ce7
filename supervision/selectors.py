"""Reads of the audit trail: database-trigger change events and identity views.

Accused persons' identity fields never leave these selectors unmasked: the
event data and diffs are masked with ``Accused.PII_FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from cases.models import Accused, Case, PiiAccess
from lawyers.models import User

MASK = "••••"
ACCUSED_EVENT_MODEL = "cases.AccusedEvent"
AUDITED_MODELS = {
    "cases.CaseEvent": _("Case"),
    "cases.AccusedEvent": _("Accused person"),
    "cases.CaseChargeEvent": _("Charge"),
    "cases.AssignmentEvent": _("Assignment"),
    "lawyers.LawyerEvent": _("Lawyer"),
    "lawyers.UserEvent": _("User"),
}
EVENT_LABELS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


@dataclass(frozen=True)
class AuditEvent:
    """One change, ready to show: what, when, by whom, which fields changed."""

    at: datetime
    model: str
    label: str
    object_id: str
    user_id: int | None
    url: str | None
    changes: list[tuple[str, Any, Any]]

    @property
    def model_label(self) -> str:
        return str(AUDITED_MODELS.get(self.model, self.model))

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.label, self.label))


def _mask_diff(model: str, diff: dict | None) -> list[tuple[str, Any, Any]]:
    changes = []
    for field, values in sorted((diff or {}).items()):
        if field in ("updated_at", "created_at"):
            continue
        before, after = values if isinstance(values, list | tuple) else (None, values)
        if model == ACCUSED_EVENT_MODEL and field in Accused.PII_FIELDS:
            before, after = (MASK if before else before), (MASK if after else after)
        changes.append((field, before, after))
    return changes


def _to_audit(event) -> AuditEvent:
    context = event.pgh_context or {}
    return AuditEvent(
        at=event.pgh_created_at,
        model=event.pgh_model,
        label=event.pgh_label,
        object_id=event.pgh_obj_id or "",
        user_id=context.get("user"),
        url=context.get("url"),
        changes=_mask_diff(event.pgh_model, event.pgh_diff),
    )


def _with_users(events: list[AuditEvent]) -> list[tuple[AuditEvent, User | None]]:
    ids = {e.user_id for e in events if e.user_id}
    users = User.objects.in_bulk(ids)
    return [(e, users.get(e.user_id)) for e in events]


def case_events(*, case: Case) -> list[tuple[AuditEvent, User | None]]:
    """Every recorded change to the case and the rows that reference it."""
    events = MiddlewareEvents.objects.references(case).order_by("-pgh_created_at")[:200]
    return _with_users([_to_audit(e) for e in events])


def audit_events(
    *, model: str | None = None, user_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[tuple[AuditEvent, User | None]]:
    """The product-wide change log for reviewers, newest first."""
    events: QuerySet = MiddlewareEvents.objects.all().order_by("-pgh_created_at")
    if model:
        events = events.filter(pgh_model=model)
    if user_id:
        events = events.filter(user_id=user_id)
    return _with_users([_to_audit(e) for e in events[offset : offset + limit]])


def identity_views(*, case_id=None, user_id: int | None = None) -> QuerySet[PiiAccess]:
    views = PiiAccess.objects.select_related("user", "case").order_by("-accessed_at")
    if case_id:
        views = views.filter(case_id=case_id)
    if user_id:
        views = views.filter(user_id=user_id)
    return views
