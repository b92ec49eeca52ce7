"""Run the whole suite at another moment: the guard against time bombs.

``DUTYLAW_TEST_CLOCK`` moves the process clock (``time.time``, ``datetime.now``
and so ``django.utils.timezone.now``) before the first test, and the clock
keeps ticking from there. A test that passes today but would fail on a later
date, just after midnight in Asia/Shanghai or across a month end fails in a
shifted run first. ``make test`` runs the suite once at the real time and then
at the moments in ``scripts/test.sh``; ``make test-clock`` runs only those.

Forms of the value (local times are Asia/Shanghai):

- ``+400d``: 400 days from now, same time of day;
- ``+400d@00:30``: the local date 400 days from today, at 00:30;
- ``month-end+14@23:58``: the last day of the month 14 months from this one,
  at 23:58 (the day and the month change two minutes into the run);
- ``year-end+2@23:58``: 31 December two years from now, at 23:58;
- an ISO 8601 moment with its offset, e.g. ``2028-02-29T23:58:00+08:00``.

Relative forms keep the guard ahead of the real date whenever CI runs;
an absolute one reproduces a failure seen in a relative run (the header
prints the moment chosen).

PostgreSQL's ``now()`` is not moved. The product never compares the
database's clock with Python's: every timestamp it writes or compares is
computed in Python (pghistory's ``pgh_created_at`` is the database's, and is
only shown, never compared).
"""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

ENV = "DUTYLAW_TEST_CLOCK"
LOCAL = ZoneInfo("Asia/Shanghai")
_RELATIVE = re.compile(r"^\+(?P<days>\d+)d(?:@(?P<at>\d{1,2}:\d{2}(?::\d{2})?))?$")
_MONTH_END = re.compile(
    r"^(?P<unit>month|year)-end\+(?P<count>\d+)@(?P<at>\d{1,2}:\d{2}(?::\d{2})?)$"
)

_traveller: time_machine.travel | None = None
_destination: datetime | None = None
_left_at: datetime | None = None  # the real moment the clock was moved


def _local_time(text: str) -> time:
    return time(*(int(part) for part in text.split(":")))


def destination(spec: str, now: datetime) -> datetime:
    """The moment ``spec`` names, seen from ``now`` (an aware datetime)."""
    try:
        return _destination_of(spec.strip(), now)
    except ValueError as exc:
        raise ValueError(
            f"{ENV}={spec!r}: {exc}; expected +Nd, +Nd@HH:MM, month-end+N@HH:MM, "
            "year-end+N@HH:MM or an ISO 8601 moment with its UTC offset"
        ) from None


def _destination_of(spec: str, now: datetime) -> datetime:
    local_now = now.astimezone(LOCAL)
    if match := _RELATIVE.match(spec):
        days = int(match["days"])
        if match["at"] is None:
            return now + timedelta(days=days)
        day = local_now.date() + timedelta(days=days)
        return datetime.combine(day, _local_time(match["at"]), tzinfo=LOCAL)
    if match := _MONTH_END.match(spec):
        if match["unit"] == "year":
            last = date(local_now.year + int(match["count"]), 12, 31)
        else:
            months = local_now.year * 12 + local_now.month - 1 + int(match["count"])
            year, month = divmod(months, 12)
            last = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        return datetime.combine(last, _local_time(match["at"]), tzinfo=LOCAL)
    moment = datetime.fromisoformat(spec)
    if moment.tzinfo is None:
        raise ValueError("no UTC offset")
    return moment


def pytest_configure(config):
    global _traveller, _destination, _left_at
    spec = os.environ.get(ENV)
    if not spec or _traveller is not None:
        return
    _left_at = datetime.now(tz=LOCAL)
    try:
        _destination = destination(spec, _left_at)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    _traveller = time_machine.travel(_destination, tick=True)
    _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def _header() -> str:
    if _destination is None:
        return "clock: real time"
    local = _destination.astimezone(LOCAL)
    return f"clock: {ENV}={os.environ[ENV]} -> {local:%Y-%m-%d %H:%M:%S %Z} (ticking)"


def pytest_report_header(config):
    return _header()


def pytest_sessionstart(session):
    # -q leaves out the report header; a moved clock is still worth a line.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _destination is not None and reporter is not None and session.config.option.verbose < 0:
        reporter.write_line(_header())
