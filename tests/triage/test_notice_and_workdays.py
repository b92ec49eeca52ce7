"""Notice sufficiency in calendar and working days (China's holidays and 调休)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from triage.models import TriagePolicy
from triage.workdays import add_days, days_between, is_workday

SH = ZoneInfo("Asia/Shanghai")


def test_national_day_week_is_not_working_and_adjusted_weekend_is():
    assert not is_workday(date(2026, 10, 1))
    assert not is_workday(date(2026, 10, 7))
    assert is_workday(date(2026, 9, 30))
    # 2026: Mid-Autumn runs into Sunday 27 September; Saturday 10 October is worked (调休).
    assert not is_workday(date(2026, 9, 27)) and is_workday(date(2026, 10, 10))


def test_days_between_counts_after_start_through_end():
    assert days_between(date(2026, 9, 30), date(2026, 10, 9), working=False) == 9
    assert days_between(date(2026, 9, 30), date(2026, 10, 9), working=True) == 2
    assert days_between(date(2026, 10, 9), date(2026, 9, 30), working=True) == 0


def test_add_working_days_skips_holidays():
    assert add_days(date(2026, 9, 30), 1, working=True) == date(2026, 10, 8)


def test_unknown_year_falls_back_to_weekdays(caplog):
    assert is_workday(date(2031, 1, 6))  # a Monday
    assert not is_workday(date(2031, 1, 5))  # a Sunday
    assert "No holiday data" in caplog.text


@pytest.mark.parametrize(
    ("procedure", "count", "needed", "sufficient"),
    [
        ("fast_track", "calendar", datetime(2026, 12, 4, 9, tzinfo=SH), True),  # 3 days
        ("fast_track", "calendar", datetime(2026, 12, 3, 9, tzinfo=SH), False),  # 2 days
        ("ordinary", "calendar", datetime(2026, 12, 11, 9, tzinfo=SH), True),  # 10 days
        ("summary", "calendar", datetime(2026, 12, 10, 9, tzinfo=SH), False),  # 9 days
        ("fast_track", "working", datetime(2026, 12, 4, 9, tzinfo=SH), True),  # Wed, Thu, Fri
        ("fast_track", "working", datetime(2026, 12, 3, 9, tzinfo=SH), False),
    ],
)
def test_notice_rule(procedure, count, needed, sufficient):
    from triage.services import notice_is_sufficient

    policy = TriagePolicy(notice_day_count=count)
    notified = datetime(2026, 12, 1, 23, 30, tzinfo=SH)  # late on Tuesday counts as that day
    assert (
        notice_is_sufficient(
            procedure=procedure, notified_at=notified, needed_by=needed, policy=policy
        )
        is sufficient
    )


@pytest.mark.parametrize(("count", "sufficient"), [("calendar", True), ("working", False)])
def test_weekend_counts_only_in_calendar_days(count, sufficient):
    from triage.services import notice_is_sufficient

    policy = TriagePolicy(notice_day_count=count)
    notified = datetime(2026, 12, 4, 10, tzinfo=SH)  # Friday
    needed = datetime(2026, 12, 7, 10, tzinfo=SH)  # Monday
    assert (
        notice_is_sufficient(
            procedure="fast_track", notified_at=notified, needed_by=needed, policy=policy
        )
        is sufficient
    )


def test_no_needed_by_means_no_verdict():
    from triage.services import notice_is_sufficient

    assert (
        notice_is_sufficient(
            procedure="ordinary",
            notified_at=datetime(2026, 12, 1, tzinfo=SH),
            needed_by=None,
            policy=TriagePolicy(),
        )
        is None
    )
