"""Reads of the audit trail: database-trigger change events and identity views.

Accused persons' identity fields never leave these selectors unmasked: the
event data and diffs are masked with ``Accused.PII_FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
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
    task: str | None
    changes: list[tuple[str, Any, Any]]
    case_id: str | None = None

    @property
    def model_label(self) -> str:
        return str(AUDITED_MODELS.get(self.model, self.model))

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.label, self.label))


# Bookkeeping columns that say nothing to a reader of the trail.
HIDDEN_FIELDS = {"id", "updated_at", "password", "last_login"}


def _model_field(obj_model: str, field: str):
    """The model field behind an event column (event data uses ``office_id``)."""
    try:
        meta = apps.get_model(obj_model)._meta
    except (LookupError, ValueError):
        return None
    return next((f for f in meta.concrete_fields if field in (f.name, f.attname)), None)


def _display(model_field, value: Any) -> Any:
    """A stored value as a person reads it: choice labels, local times, yes/no."""
    if value is None or model_field is None:
        return value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    base = getattr(model_field, "base_field", None)  # ArrayField of choices
    choices = dict(model_field.flatchoices or (base.flatchoices if base else []))
    if choices:
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, v)) for v in value)
        return choices.get(value, value)
    if isinstance(value, str) and model_field.get_internal_type() == "DateTimeField":
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(timezone.localtime(moment), "Y-m-d H:i")
    return value


def _masked(model: str, field: str, value: Any) -> Any:
    if model == ACCUSED_EVENT_MODEL and field in Accused.PII_FIELDS and value:
        return MASK
    return value


def _changes(event) -> list[tuple[str, Any, Any]]:
    """Field, before, after. Updates show their diff; creations and deletions
    show the row's non-empty values."""
    model = event.pgh_model
    if event.pgh_diff:
        items = [
            (field, *(values if isinstance(values, list | tuple) else (None, values)))
            for field, values in event.pgh_diff.items()
        ]
    else:
        data = event.pgh_data or {}
        items = [(f, None, v) for f, v in data.items() if v not in (None, "", [], False)]
        if event.pgh_label == "delete":
            items = [(f, v, None) for f, _none, v in items]
    changes = []
    for field, before, after in sorted(items):
        if field in HIDDEN_FIELDS:
            continue
        model_field = _model_field(event.pgh_obj_model, field)
        label = str(model_field.verbose_name) if model_field else field
        changes.append(
            (
                label,
                _masked(model, field, _display(model_field, before)),
                _masked(model, field, _display(model_field, after)),
            )
        )
    return changes


def _case_id(event) -> str | None:
    if event.pgh_model == "cases.CaseEvent":
        return event.pgh_obj_id
    case = (event.pgh_data or {}).get("case")
    return str(case) if case else None


def _to_audit(event) -> AuditEvent:
    context = event.pgh_context or {}
    return AuditEvent(
        at=event.pgh_created_at,
        model=event.pgh_model,
        label=event.pgh_label,
        object_id=event.pgh_obj_id or "",
        user_id=context.get("user"),
        url=context.get("url"),
        task=context.get("task"),
        changes=_changes(event),
        case_id=_case_id(event),
    )


def _with_users(events: list[AuditEvent]) -> list[tuple[AuditEvent, User | None]]:
    ids = {e.user_id for e in events if e.user_id}
    users = User.objects.in_bulk(ids)
    return [(e, users.get(e.user_id)) for e in events]


def case_events(*, case: Case) -> list[tuple[AuditEvent, User | None]]:
    """Every recorded change to the case and the rows that reference it."""
    events = MiddlewareEvents.objects.references(case).order_by("-pgh_created_at", "-pgh_id")[:200]
    return _with_users([_to_audit(e) for e in events])


def audit_events(
    *, model: str | None = None, user_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[tuple[AuditEvent, User | None]]:
    """The product-wide change log for reviewers, newest first."""
    events: QuerySet = MiddlewareEvents.objects.all().order_by("-pgh_created_at", "-pgh_id")
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
