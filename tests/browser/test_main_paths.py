"""Main paths in a real browser: staff log in to the Chinese home page, switch
to English, reveal an identity; a lawyer sees only their own cases."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_to_chinese_home_and_switches_to_english(
    page, staff, password, procuratorate
):
    from tests.factories import make_case

    waiting = make_case(procuratorate=procuratorate)
    login(page, "alice", password)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="需要处理的案件").is_visible()
    assert page.get_by_text(waiting.external_ref).is_visible()
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Cases needing action").is_visible()


def test_lawyer_sees_only_their_cases(page, duty, case, other_case, complex_case, password):
    login(page, "dora", password)
    page.goto("/cases/")
    assert page.get_by_text(case.external_ref).is_visible()
    assert page.get_by_text(complex_case.external_ref).count() == 0
    assert page.get_by_text(other_case.external_ref).count() == 0
    response = page.goto(f"/cases/{other_case.pk}/")
    assert response.status == 404


def test_staff_reveals_identity_with_reason(page, staff, case, password):
    login(page, "alice", password)
    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_test_id("accused-name").inner_text() == "张**"
    page.click("text=显示身份信息")
    # The browser's own required-field check stops an empty reason.
    assert page.get_by_test_id("accused-name").inner_text() == "张**"
    page.fill("input[name=reason]", "核对会见申请")
    page.click("text=显示身份信息")
    page.get_by_text("本次查看身份信息已连同理由记录在案").wait_for()
    assert page.get_by_test_id("accused-name").inner_text() == "张三丰"


def test_phone_navigation_menu(phone_page, duty, case, password):
    login(phone_page, "dora", password)
    nav = phone_page.locator("#site-nav")
    assert not nav.is_visible()
    phone_page.click("[data-nav-toggle]")
    assert nav.is_visible()
    phone_page.get_by_role("link", name="我的案件").click()
    assert phone_page.get_by_text(case.external_ref).is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
