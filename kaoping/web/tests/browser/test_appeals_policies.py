"""In the browser: an employee appeals a fault notice and their supervisor upholds it; quality
edits a policy draft, sees its lint as they type and simulates it against a closed month.
On a phone and a desktop."""

from __future__ import annotations

import pytest

from kaoping.appeals.models import Appeal
from kaoping.inspections.models import Finding
from kaoping.policies.models import PolicyVersion

from ..scenario import PASSWORD, Scenario
from .conftest import DESKTOP, PHONE, BrowserPage


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_employee_appeals_and_the_supervisor_upholds(
    browser_page: BrowserPage, scenario: Scenario, viewport: dict[str, int]
) -> None:
    # given 张三 with a fault notice this month
    scenario.current_month()
    notice = scenario.notice("e1")
    employee = scenario.login("emp1")
    supervisor = scenario.login("sup1")

    # when 张三 opens the notice and files an appeal, first without a reason
    page = browser_page.open(f"/notices/{notice.pk}/", viewport=viewport)
    _sign_in(page, employee.username)
    page.get_by_role("link", name="提出申诉").click()
    page.get_by_role("button", name="提交申诉").click()
    page.get_by_text("请填写申诉理由。").wait_for()
    browser_page.shot("reason-required")
    page.fill("#id_reason", "当时正在处理业主报修,监控可查")
    page.get_by_role("button", name="提交申诉").click()

    # then the appeal's page says it waits for the supervisor
    page.get_by_text("请等待主管/组长处理").wait_for()
    appeal = Appeal.objects.get()
    assert appeal.status == "open"
    assert appeal.fault_notice_id == notice.pk
    browser_page.shot("filed")
    page.goto(f"{browser_page.base_url}/appeals/")
    assert page.locator(".kp-appeal").count() == 1
    browser_page.shot("my-appeals")

    # when the supervisor opens the inbox and upholds it, voiding the finding
    page = browser_page.open("/appeals/inbox/", viewport=viewport)
    _sign_in(page, supervisor.username)
    page.locator("#appeals-inbox").get_by_role("link").first.click()
    browser_page.shot("inbox-appeal")
    page.get_by_label("申诉成立").check()
    page.fill("#id_reason", "监控显示当时在处理报修")
    page.select_option(f"#id_action_{notice.finding_id}", "void")
    page.get_by_role("button", name="提交处理结果").click()

    # then the appeal is upheld and the finding voided, shown on the appeal's page
    page.get_by_text(f"申诉 #{appeal.pk} 已处理:申诉成立。").wait_for()
    assert page.locator(".kp-correction").inner_text().endswith("撤销(−1.5)")
    assert Finding.objects.get(pk=notice.finding_id).status == Finding.Status.VOIDED
    browser_page.shot("decided")


GRADES = """grades:
  - {id: pass, title: 合格, min: 90}
  - {id: fail, title: 不合格}
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_quality_edits_a_draft_sees_lint_and_simulates(
    browser_page: BrowserPage, scenario: Scenario, viewport: dict[str, int]
) -> None:
    # given a closed month scored by the group inspection policy
    scenario.history("e1", 1)
    quality = scenario.login("quality")

    # when quality starts a draft of the policy
    page = browser_page.open("/policy-documents/cs-group-inspection/", viewport=viewport)
    _sign_in(page, quality.username)
    page.get_by_role("button", name="编辑草稿").click()
    page.get_by_text("已从第 1 版新建草稿。").wait_for()
    page.locator(".kp-lint-ok").wait_for()

    # when they type a section's maximum below its consequence range, the lint says so at once
    editor = page.locator("#id_source")
    source = editor.input_value()
    editor.fill(source.replace("max: 20", "max: 15", 1))
    page.locator(".kp-lint-failed").wait_for()
    assert "扣分上限 20 超过该项满分 15" in page.locator("#policy-lint").inner_text()
    browser_page.shot("lint-error")

    # when they add grades instead and save
    editor.fill(source.replace("bonus:\n", GRADES + "bonus:\n", 1))
    page.locator(".kp-lint-ok").wait_for()
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存(第 2 版)。").wait_for()
    assert "合格" in PolicyVersion.objects.get(status="draft").source

    # then simulating the closed month shows everyone gaining a grade
    page.get_by_role("button", name="模拟", exact=True).click()
    page.locator(".kp-simulation-summary").wait_for()
    assert "4 人等级变化" in page.locator(".kp-simulation-summary").inner_text()
    assert page.locator("tr.kp-simulated").count() == 4
    browser_page.shot("simulation")

    # and the Excel upload page offers the import templates
    page.goto(f"{browser_page.base_url}/sheets/upload/")
    page.get_by_role("link", name="投诉").first.wait_for()
    browser_page.shot("sheet-upload")
