"""Reads for triage pages."""

from __future__ import annotations

from django.db.models import F, Min, Prefetch, Q, QuerySet

from cases.models import OPEN_STATUSES, Case, CaseStatus
from cases.selectors import cases_visible_to, without_lawyer
from lawyers.models import User
from triage.models import DeadlineState, TriageDecision, TriagePolicy


def assignment_board(*, user: User) -> QuerySet[Case]:
    """Open cases without a lawyer, least time left first (the next open
    deadline, then the time the procuratorate needs a lawyer by)."""
    return (
        without_lawyer(cases_visible_to(user).filter(status__in=OPEN_STATUSES))
        .annotate(next_due=Min("deadlines__due_at", filter=Q(deadlines__state=DeadlineState.OPEN)))
        .select_related("procuratorate", "accused")
        .order_by(F("next_due").asc(nulls_last=True), F("needed_by").asc(nulls_last=True))
    )


def intake_queue(*, user: User, filters: dict) -> QuerySet[Case]:
    """New and triaged cases without a lawyer, most urgent (or newest) first."""
    decisions = TriageDecision.objects.order_by("-decided_at", "-id")
    cases = (
        without_lawyer(
            cases_visible_to(user).filter(
                status__in=(CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.ESCALATED)
            )
        )
        .select_related("procuratorate", "accused")
        .prefetch_related(Prefetch("triage_decisions", decisions, to_attr="decisions"))
    )
    if filters.get("tier"):
        cases = cases.filter(tier=filters["tier"])
    if filters.get("procuratorate"):
        cases = cases.filter(procuratorate=filters["procuratorate"])
    if filters.get("mandatory"):
        cases = cases.filter(mandatory_defence=True)
    if filters.get("short_notice"):
        cases = cases.filter(notice_sufficient=False)
    if filters.get("sort") == "newest":
        return cases.order_by("-created_at")
    return cases.order_by(F("needed_by").asc(nulls_last=True), "-created_at")


def policy_versions(*, office_id: int) -> QuerySet[TriagePolicy]:
    return TriagePolicy.objects.filter(office_id=office_id).select_related("created_by")


def case_decisions(*, case: Case) -> list[TriageDecision]:
    return list(case.triage_decisions.select_related("policy", "decided_by"))
