"""Reads about lawyers and their shifts."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from lawyers.models import Lawyer, Shift


def shifts_for_lawyer(*, lawyer: Lawyer, day: date) -> QuerySet[Shift]:
    """The lawyer's shifts on ``day``; a student sees their mentor's (they serve together)."""
    owner_id = lawyer.mentor_id if lawyer.is_student else lawyer.id
    return (
        Shift.objects.filter(lawyer_id=owner_id, date=day)
        .select_related("workstation")
        .order_by("slot")
    )


def shifts_upcoming(*, lawyer: Lawyer, after: date, limit: int = 5) -> QuerySet[Shift]:
    owner_id = lawyer.mentor_id if lawyer.is_student else lawyer.id
    return (
        Shift.objects.filter(lawyer_id=owner_id, date__gt=after)
        .select_related("workstation")
        .order_by("date", "slot")[:limit]
    )
