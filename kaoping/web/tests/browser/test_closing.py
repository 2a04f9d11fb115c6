"""A project manager sees their dashboard, previews this month and closes their project; HR settles the outcome item
and downloads the payroll sheet. On a phone and a desktop."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kaoping.appraisals.models import OutcomeItem, Result
from kaoping.appraisals.services.close import period_close

from ..scenario import PASSWORD, Scenario
from .conftest import DESKTOP, PHONE, BrowserPage


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_manager_previews_and_closes_a_period(
    browser_page: BrowserPage, scenario: Scenario, viewport: dict[str, int]
) -> None:
    # given last month closed and this month open, 张三 with three notices
    scenario.history("e1", 1)
    period = scenario.current_month()
    for _ in range(3):
        scenario.notice("e1")
    user = scenario.login("manager1")

    # when 御景湾管理处's manager signs in: their dashboard, then this month's preview from it
    page = browser_page.open("/", viewport=viewport)
    _sign_in(page, user.username)
    page.wait_for_selector("#mgr-pareto .kp-chart svg")
    assert page.locator("#mgr-grades .kp-chart svg").count() == 1
    browser_page.shot("dashboard")
    page.get_by_role("link", name=f"{period.key} 关账预览").click()
    page.wait_for_selector("#period-rows")
    rows = page.locator("tr.kp-preview")
    assert rows.count() == 3
    first = rows.filter(has_text="张三")
    assert "93.0" in first.inner_text() and "-5.5" in first.inner_text()
    explain = first.locator("xpath=following-sibling::tr[1]")
    explain.get_by_text("计分说明").click()
    assert explain.get_by_text("公布张贴:累计扣分 7 分 ≥ 5 分").is_visible()
    browser_page.shot("preview")

    # and closes it
    page.get_by_role("button", name="关账").click()

    # then the report says what was written, and nothing is left to close in their project
    page.wait_for_selector("#kp-messages .alert")
    assert (
        page.locator("#kp-messages .alert").inner_text().strip()
        == f"{period.key} 已关账(御景湾管理处):写入 3 份考评结果,生成 1 项处理事项。"
    )
    assert page.get_by_text("您的范围内没有待关账的考核。").is_visible()
    assert Result.objects.filter(period=period).count() == 3
    browser_page.shot("closed")

    # and the reports page shows the month's violations with its charts
    page.goto(browser_page.base_url + "/reports/")
    page.wait_for_selector("#report-trend .kp-chart svg")
    assert page.locator("tr.kp-violation-person").count() == 1
    browser_page.shot("reports")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_hr_settles_an_outcome_and_downloads_the_payroll_sheet(
    browser_page: BrowserPage, scenario: Scenario, viewport: dict[str, int]
) -> None:
    # given this month closed, 张三 with 公布张贴 to do
    period = scenario.current_month()
    for _ in range(3):
        scenario.notice("e1")
    period_close(actor=None, period=period)
    user = scenario.login("hr")

    page = browser_page.open("/", viewport=viewport)
    _sign_in(page, user.username)
    page.wait_for_selector("#hr-outcomes")
    browser_page.shot("dashboard")

    # when HR marks the item done (htmx: the card changes in place)
    card = page.locator("article.kp-outcome-item")
    card.get_by_role("button", name="已处理").click()
    page.wait_for_selector("article.kp-outcome-item .alert-success")
    assert OutcomeItem.objects.get(result__period=period).status == "done"
    browser_page.shot("handled")

    # and downloads the payroll sheet
    with page.expect_download() as download:
        page.get_by_role("link", name="工资扣减表 .xlsx").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"payroll-GZ-{period.key}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(path).read_bytes())).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        "张三",
        "李四",
        "王五",
        "赵六",
    ]
