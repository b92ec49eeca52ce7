"""The shifted-clock guard itself: the moments it names, that the suite really
runs at them, and that the product never asks the database for the time."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests import clock

SH = ZoneInfo("Asia/Shanghai")
# 2 December 2026 at 05:00 in Shanghai: still 1 December in UTC.
NOW = datetime(2026, 12, 2, 5, 0, tzinfo=SH)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("+400d", NOW + timedelta(days=400)),
        ("+400d@00:30", datetime(2028, 1, 6, 0, 30, tzinfo=SH)),
        ("+1d@7:05:09", datetime(2026, 12, 3, 7, 5, 9, tzinfo=SH)),
        ("month-end+14@23:58", datetime(2028, 2, 29, 23, 58, tzinfo=SH)),  # a leap day
        ("month-end+1@23:58", datetime(2027, 1, 31, 23, 58, tzinfo=SH)),
        ("year-end+2@23:58", datetime(2028, 12, 31, 23, 58, tzinfo=SH)),
        ("2030-06-30T23:30:00+08:00", datetime(2030, 6, 30, 23, 30, tzinfo=SH)),
    ],
)
def test_the_moments_the_guard_names(spec, expected):
    assert clock.destination(spec, NOW) == expected


def test_relative_days_count_from_the_local_date():
    # 23:30 UTC on 1 December is 07:30 on 2 December in Shanghai.
    late_utc = datetime(2026, 12, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert clock.destination("+1d@00:30", late_utc) == datetime(2026, 12, 3, 0, 30, tzinfo=SH)


@pytest.mark.parametrize("spec", ["400d", "+400d@25:00", "month-end@23:58", "2030-06-30", "soon"])
def test_a_value_the_guard_cannot_read_is_refused(spec):
    with pytest.raises(ValueError, match="DUTYLAW_TEST_CLOCK"):
        clock.destination(spec, NOW)


def test_the_suite_runs_at_the_moment_asked():
    if not os.environ.get(clock.ENV):
        assert not time_machine.escape_hatch.is_travelling()
        return
    real = datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=SH)
    # Moved once at the start, by the distance to the destination, and ticking since.
    assert clock._destination is not None and clock._left_at is not None
    moved_by = clock._destination - clock._left_at
    assert abs((timezone.now() - real) - moved_by) < timedelta(seconds=1)


DATABASE_CLOCK = re.compile(
    r"\bNow\(\)|\bnow\(\)|CURRENT_TIMESTAMP|CURRENT_DATE|LOCALTIMESTAMP|"
    r"statement_timestamp|clock_timestamp|transaction_timestamp",
    re.IGNORECASE,
)


def test_the_product_never_asks_the_database_for_the_time():
    """Every moment the product stores or compares comes from Python's clock,
    which tests move; PostgreSQL's now() would disagree with it. (pghistory's
    triggers stamp audit rows with now(); those times are shown, never compared.)"""
    offenders = []
    for app in ("cases", "triage", "lawyers", "supervision", "dutylaw"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if DATABASE_CLOCK.search(code.replace("timezone.now()", "")):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
