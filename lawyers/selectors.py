"""Reads about lawyers and their shifts."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from lawyers.models import Lawyer, Shift, Workstation
from lawyers.rosters import closed_days, slots_of, workstation_open


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


def roster_grid(*, roster, days: list[date], workstation_id: int | None = None) -> list[dict]:
    """Rows of the roster calendar: one per workstation, a cell per day with its
    shifts, whether the station is open, and how many seats are empty."""
    workstations = list(
        Workstation.objects.filter(office_id=roster.office_id, active=True).order_by("code")
    )
    if workstation_id:
        workstations = [w for w in workstations if w.id == workstation_id]
    closed = closed_days(workstations, days) if workstations and days else set()
    cells = {}
    shifts = (
        roster.shifts.filter(date__gte=days[0], date__lte=days[-1])
        .select_related("lawyer__user")
        .order_by("slot", "seat")
    )
    for shift in shifts:
        cells.setdefault((shift.workstation_id, shift.date), []).append(shift)
    rows = []
    for ws in workstations:
        row = []
        for day in days:
            is_open = workstation_open(ws, day, closed)
            day_shifts = cells.get((ws.id, day), [])
            expected = len(slots_of(ws)) * ws.lawyers_per_slot if is_open else 0
            filled = sum(1 for s in day_shifts if s.lawyer_id)
            row.append(
                {
                    "day": day,
                    "open": is_open,
                    "shifts": day_shifts,
                    "gaps": max(0, expected - filled),
                }
            )
        rows.append({"workstation": ws, "cells": row})
    return rows


def lawyer_shifts(*, lawyer, first: date, last: date):
    return (
        lawyer.shifts.filter(date__gte=first, date__lte=last)
        .select_related("workstation")
        .order_by("date", "slot")
    )


def open_shifts(*, office_id: int, after: date):
    return (
        Shift.objects.filter(workstation__office_id=office_id, lawyer__isnull=True, date__gte=after)
        .select_related("workstation")
        .order_by("-urgent", "date", "slot")
    )
