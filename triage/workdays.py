"""Counting days for deadlines: calendar days, or working days that respect
China's public holidays and adjusted working weekends (调休).

chinese-calendar publishes each year once the State Council announces it; for
a year it does not know yet, Monday to Friday is used and a warning is logged.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

logger = logging.getLogger(__name__)


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("No holiday data for %s; counting Monday to Friday", day.year)
        return day.weekday() < 5


def days_between(start: date, end: date, *, working: bool) -> int:
    """Days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    if not working:
        return (end - start).days
    return sum(1 for n in range(1, (end - start).days + 1) if is_workday(start + timedelta(n)))


def add_days(start: date, days: int, *, working: bool) -> date:
    """The day ``days`` calendar or working days after ``start``."""
    if not working:
        return start + timedelta(days)
    day, left = start, days
    while left > 0:
        day += timedelta(1)
        if is_workday(day):
            left -= 1
    return day
