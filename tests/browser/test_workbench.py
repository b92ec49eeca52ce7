"""A duty lawyer on a 375 px phone logs a meeting and a plea signing."""

from __future__ import annotations

import pytest

from cases.models import HelpRecord
from tests.browser.conftest import login
from tests.times import form_times

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _times(page, minutes: int) -> None:
    for name, value in form_times(minutes, ago=2).items():
        page.fill(f"input[name={name}]", value)


def test_lawyer_logs_meeting_and_plea_signing_on_a_phone(phone_page, duty, case, password):
    page = phone_page
    login(page, "dora", password)
    item = page.locator(".queue__item", has_text=case.external_ref)
    item.get_by_role("link", name="会见").click()
    _times(page, 45)
    page.locator("label.yesno-option, select[name=approval]").first.wait_for()
    page.select_option("select[name=approval]", "approved")
    page.fill("input[name=place]", "朝阳区看守所第三会见室")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存并签署。").wait_for()

    page.locator(".log-buttons").get_by_role("link", name="认罪认罚具结书签署").click()
    _times(page, 20)
    for name in (
        "lawyer_present",
        "rights_explained",
        "consequences_explained",
        "procedure_explained",
        "accused_understood",
        "no_pressure_seen",
    ):
        page.locator(f"input[name={name}][value=true]").check()
    page.fill("textarea[name=objections]", "对量刑建议有异议，认为应适用缓刑。")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存并签署。").wait_for()

    assert HelpRecord.objects.filter(case=case).count() == 2
    warnings = page.locator(".warning")
    assert warnings.filter(has_text="阅卷").count() == 1  # no file review before the plea
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
