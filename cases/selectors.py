"""Reads of cases, always restricted to what the user may see.

Structure decides most access (a lawyer sees the cases assigned to them, staff
see their office's); django-guardian holds the explicit one-off grants. Every
list is one query with ``id__in`` subqueries, never a per-object check.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime

from cases.models import (
    OPEN_STATUSES,
    Assignment,
    Case,
    CaseCharge,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Stage,
    Tier,
    TimelineEntry,
)
from lawyers.models import LawyerKind, Role, Shift, User

VIEW_CASE = "view_case"


def _granted_case_ids(user: User) -> QuerySet:
    """Ids of cases granted to the user directly or through a group."""
    direct = CaseUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_CASE
    ).values("content_object_id")
    via_group = CaseGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=VIEW_CASE
    ).values("content_object_id")
    return direct.union(via_group)


def _open_assignment_case_ids(lawyer_id: int) -> QuerySet:
    return Assignment.objects.filter(lawyer_id=lawyer_id, ended_at__isnull=True).values("case_id")


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases ``user`` may read; an empty queryset by default.

    - administrators and bar reviewers: every case (reviewers read only);
    - office staff: their office's cases;
    - procuratorate API clients: their procuratorate's cases, while not revoked;
    - lawyers and mentors: cases currently assigned to them, plus one-off grants;
    - student assistants: cases granted to them while their mentor is assigned.
    """
    cases = Case.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.is_superuser or user.role in (Role.ADMIN, Role.REVIEWER):
        return cases
    if user.role == Role.STAFF:
        return cases.filter(office_id=user.office_id)
    if user.role == Role.API_CLIENT:
        client = getattr(user, "api_client", None)
        if client is None or client.revoked_at is not None:
            return cases.none()
        return cases.filter(procuratorate_id=client.procuratorate_id)
    if user.role == Role.LAWYER:
        lawyer = getattr(user, "lawyer", None)
        if lawyer is None or not lawyer.active:
            return cases.none()
        granted = Q(id__in=_granted_case_ids(user))
        if lawyer.kind == LawyerKind.STUDENT:
            return cases.filter(granted, id__in=_open_assignment_case_ids(lawyer.mentor_id))
        return cases.filter(Q(id__in=_open_assignment_case_ids(lawyer.id)) | granted)
    return cases.none()


def case_list(*, user: User, filters: dict | None = None) -> QuerySet[Case]:
    """Cases for list pages, with what a row shows fetched up front."""
    filters = filters or {}
    cases = cases_visible_to(user).select_related("procuratorate", "accused")
    for field in ("status", "tier", "stage", "procedure"):
        if filters.get(field):
            cases = cases.filter(**{field: filters[field]})
    if filters.get("q"):
        cases = cases.filter(external_ref__icontains=filters["q"])
    return with_current_assignment(cases, to_attr="current_assignments")


def without_lawyer(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases that have no open assignment (nobody is acting on them now)."""
    open_assignment = Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True)
    return cases.exclude(Exists(open_assignment))


def with_current_assignment(cases: QuerySet[Case], *, to_attr: str) -> QuerySet[Case]:
    """Each case's open assignment, with its lawyer, prefetched as a list in
    ``to_attr`` (empty or one item)."""
    current = Assignment.objects.filter(ended_at__isnull=True).select_related("lawyer__user")
    return cases.prefetch_related(Prefetch("assignments", current, to_attr=to_attr))


def case_get(*, user: User, case_id) -> Case:
    """One case the user may read, with its details; 404 when out of scope."""
    charges = CaseCharge.objects.select_related("offence_tier__offence")
    history = Assignment.objects.select_related("lawyer__user", "assigned_by", "ended_by")
    queryset = (
        cases_visible_to(user)
        .select_related("procuratorate", "office", "detention_centre", "accused")
        .prefetch_related(
            Prefetch("charges", charges), Prefetch("assignments", history, to_attr="history")
        )
    )
    return get_object_or_404(queryset, pk=case_id)


def case_current_assignment(case: Case) -> Assignment | None:
    """The open assignment, from the prefetched history when there is one."""
    history = getattr(case, "history", None)
    if history is not None:
        return next((a for a in history if a.ended_at is None), None)
    return case.assignments.filter(ended_at__isnull=True).select_related("lawyer__user").first()


def user_can_change_case(user: User, case: Case) -> bool:
    """Write access: staff of the case's office, administrators. Reviewers never."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role == Role.STAFF and user.office_id == case.office_id


def user_is_assigned_mentor(user: User, case: Case) -> bool:
    lawyer = getattr(user, "lawyer", None)
    if lawyer is None or lawyer.kind != LawyerKind.MENTOR:
        return False
    current = case_current_assignment(case)
    return current is not None and current.lawyer_id == lawyer.id


def cases_needing_action(*, user: User, now, horizon_hours: int = 72) -> dict:
    """What office staff act on first: open cases without a lawyer, soonest needed
    first, and the counts for the summary tiles."""

    visible = cases_visible_to(user)
    unassigned = (
        without_lawyer(visible.filter(status__in=OPEN_STATUSES))
        .select_related("procuratorate", "accused")
        .order_by("needed_by", "created_at")
    )
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        new=Count("pk", filter=Q(status="new")),
        insufficient_notice=Count(
            "pk", filter=Q(status__in=OPEN_STATUSES, notice_sufficient=False)
        ),
        mandatory=Count("pk", filter=Q(status__in=OPEN_STATUSES, mandatory_defence=True)),
        due_soon=Count(
            "pk",
            filter=Q(
                status__in=OPEN_STATUSES,
                needed_by__gte=now,
                needed_by__lte=now + timedelta(hours=horizon_hours),
            ),
        ),
    )
    counts["unassigned"] = unassigned.count()
    counts["open_shifts"] = _open_shift_count(user, now)
    return {"unassigned": unassigned[:20], "counts": counts}


def _open_shift_count(user: User, now) -> int:
    """Shifts in the coming week nobody covers, for the staff home page."""
    today = timezone.localdate(now)
    shifts = Shift.objects.filter(
        lawyer__isnull=True, date__gte=today, date__lte=today + timedelta(days=7)
    )
    if user.role == Role.STAFF:
        shifts = shifts.filter(workstation__office_id=user.office_id)
    return shifts.count()


def _timeline_detail(entry: TimelineEntry) -> str:
    data = entry.data or {}
    if entry.kind == "stage_changed":
        labels = dict(Stage.choices)
        return f"{labels.get(data.get('from'), '')} → {labels.get(data.get('to'), '')}"
    if entry.kind in ("hearing_scheduled", "plea_signing_scheduled") and data.get("at"):
        moment = parse_datetime(data["at"])
        text = date_format(localtime(moment), "Y-m-d H:i") if moment else ""
        return f"{text} {data.get('court', '')}".strip()
    if entry.kind == "triage_overridden":
        return f"{dict(Tier.choices).get(data.get('tier'), '')}: {data.get('reason', '')}"
    if entry.kind == "triaged":
        return str(dict(Tier.choices).get(data.get("tier"), ""))
    return data.get("text", "")


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """The case's timeline, newest first, each entry with a readable ``detail``."""
    entries = list(TimelineEntry.objects.filter(case=case).select_related("actor")[:100])
    for entry in entries:
        entry.detail = _timeline_detail(entry)
    return entries
