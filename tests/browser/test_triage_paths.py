"""Office staff work the intake queue: see why a case got its tier, change the
tier with a reason, and edit the policy."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_overrides_tier_from_the_queue(page, staff, procuratorate, password):
    case = make_case(procuratorate=procuratorate)
    login(page, "alice", password)
    page.get_by_role("link", name="待分配案件").click()
    item = page.locator(".queue__item", has_text=case.external_ref)
    assert item.get_by_text("简单案件").is_visible()
    item.get_by_role("link", name=case.external_ref).click()
    page.select_option("select[name=tier]", "appointed_counsel")
    page.click("#triage button[type=submit]")
    # An empty reason is refused with a message next to the field.
    page.locator(".field-error").first.wait_for()
    page.fill("textarea[name=reason]", "证据之间存在明显矛盾，需要全面辩护")
    page.click("#triage button[type=submit]")
    page.get_by_text("层级已更改，调整理由已记录。").wait_for()
    assert page.locator("#triage").get_by_text("证据之间存在明显矛盾").is_visible()


def test_staff_edits_policy_on_a_phone(phone_page, staff, office, password):
    login(phone_page, "alice", password)
    phone_page.goto("/triage/policy/")
    phone_page.fill("input[name=sentence_threshold_months]", "48")
    phone_page.get_by_role("button", name="保存为新版本").click()
    phone_page.get_by_text("已保存为新的规则版本。").wait_for()
    assert phone_page.get_by_text("v2").first.is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
