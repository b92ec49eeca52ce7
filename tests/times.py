"""Moments for tests, relative to the (possibly moved) clock.

Record forms take one date and two clock times, so a window that crosses
midnight cannot be entered: ``form_window`` keeps the window within one local
day, on the day before when it would cross midnight.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone


def form_window(minutes: int = 40, ago: int = 5) -> tuple[datetime, datetime]:
    """A local (start, end) of ``minutes`` ending at least ``ago`` minutes ago,
    both on one calendar day."""
    end = (timezone.localtime() - timedelta(minutes=ago)).replace(second=0, microsecond=0)
    start = end - timedelta(minutes=minutes)
    if start.date() != end.date():
        end = end.replace(hour=0, minute=0) - timedelta(minutes=1)  # 23:59 the day before
        start = end - timedelta(minutes=minutes)
    return start, end


def form_times(minutes: int = 40, ago: int = 5) -> dict[str, str]:
    """``form_window`` as the record form's fields."""
    start, end = form_window(minutes, ago)
    return {
        "date": end.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }
