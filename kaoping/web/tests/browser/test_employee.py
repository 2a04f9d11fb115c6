"""An employee in the browser: signs in, sees this month's score, acknowledges a fault notice,
switches to English, and cannot open a colleague's notice (404). On a phone and a desktop."""

from __future__ import annotations

import pytest

from kaoping.inspections.models import FaultNotice

from ..scenario import PASSWORD, Scenario
from .conftest import DESKTOP, PHONE, BrowserPage


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_employee_signs_in_acknowledges_a_notice_and_switches_to_english(
    browser_page: BrowserPage, scenario: Scenario, viewport: dict[str, int]
) -> None:
    # given 张三 with two closed months, this month open, two notices waiting, one appeal filed
    scenario.history("e1", 2)
    scenario.current_month()
    first = scenario.notice("e1")
    second = scenario.notice("e1")
    scenario.appeal("emp1", second)
    colleagues = scenario.notice("e2")  # 王五, 服务二组
    user = scenario.login("emp1")

    # when 张三 opens the site, they are asked to sign in
    page = browser_page.open("/", viewport=viewport)
    assert "/login/" in page.url
    browser_page.shot("sign-in")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()

    # then the home page shows this month's live score and its explanation
    page.wait_for_selector("[data-testid=live-total]")
    assert page.locator("[data-testid=live-total]").inner_text() == "97.0"
    assert page.locator("#notices-open-count").inner_text() == "2"
    assert page.locator("#home-appeals").get_by_text("处理中").is_visible()
    browser_page.shot("home")

    if viewport is PHONE:  # the menu folds away behind a button on a phone
        menu = page.locator("#kp-menu")
        assert not menu.is_visible()
        page.locator(".navbar-toggler").click()
        menu.get_by_text("我的考评").wait_for()
        browser_page.shot("menu", full_page=False)
        page.locator(".navbar-toggler").click()
        menu.wait_for(state="hidden")

    # when they acknowledge the first notice (htmx swaps its card in place)
    card = page.locator(f"#notice-{first.pk}")
    card.get_by_role("button", name="签收").click()
    page.locator(f"#notice-{first.pk}").get_by_text("已签收过失通知单").wait_for()

    # then it is signed for, and the count of waiting notices went down
    assert page.locator("#notices-open-count").inner_text() == "1"
    first.refresh_from_db()
    assert first.acknowledged_at is not None
    browser_page.shot("acknowledged")

    # when they switch to English
    page.locator("#kp-language-toggle").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")

    # then the page is in English
    assert page.locator("h1.page-title").inner_text() == "My appraisal"
    assert page.locator("#home-live-title").inner_text() == "Live score this month"
    browser_page.shot("english")

    # when they type a colleague's notice address, it does not exist for them
    response = page.goto(f"{browser_page.base_url}/notices/{colleagues.pk}/")
    assert response is not None and response.status == 404
    assert FaultNotice.objects.get(pk=colleagues.pk).acknowledged_at is None
    browser_page.shot("colleague-404")
