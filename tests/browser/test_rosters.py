"""A lawyer claims an urgent open shift and signs in to today's shift."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from lawyers.models import DetentionCentre, Shift, Workstation
from lawyers.rosters import SLOT_HOURS
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lawyer_claims_open_shift_and_signs_in(phone_page, duty, office, password, monkeypatch):
    # The live server runs in this process: open today's full-day shift all day,
    # so the sign-in path is tested whatever time the suite runs.
    monkeypatch.setitem(SLOT_HOURS, "day", (time(0, 0), time(23, 59)))
    centre = DetentionCentre.objects.create(code="KSS-B", name="浏览器看守所")
    station = Workstation.objects.create(
        office=office,
        code="WS-B",
        name="浏览器工作站",
        kind="detention_centre",
        detention_centre=centre,
    )
    today = timezone.localdate()
    Shift.objects.create(workstation=station, lawyer=duty, date=today, slot="day")
    open_shift = Shift.objects.create(
        workstation=station, date=today + timedelta(days=4), slot="am", urgent=True
    )
    page = phone_page
    login(page, "dora", password)
    page.click("[data-nav-toggle]")
    page.get_by_role("link", name="我的值班").click()
    page.get_by_role("button", name="接下此班").click()
    page.get_by_text("该班次已归您。").wait_for()
    open_shift.refresh_from_db()
    assert open_shift.lawyer == duty
    page.goto("/")
    page.get_by_role("button", name="签到").click()
    page.get_by_text("已签到").first.wait_for()
    assert Shift.objects.get(lawyer=duty, date=today).signed_in_at is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
