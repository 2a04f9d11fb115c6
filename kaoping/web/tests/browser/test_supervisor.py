"""A supervisor (李四) in the browser: the dashboard, recording a finding on a patrol (person
found as typed, points checked as typed, a photo from the camera, the fault notice), rating the
team on the appraisal form, starting a corrective action. On a 360x740 phone and a desktop."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kaoping.appraisals.models import Appraisal, Rating
from kaoping.inspections.models import FaultNotice, FindingPhoto

from ..scenario import PASSWORD, Scenario
from ..test_supervisor import rated_clerk
from ..test_supervisor_rating import GOOD
from .conftest import DESKTOP, PHONE, BrowserPage


def _photo() -> dict[str, object]:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(buffer, format="JPEG")
    return {"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_supervisor_records_a_finding_and_rates_the_team(
    browser_page: BrowserPage, scenario: Scenario, viewport: dict[str, int]
) -> None:
    # given 李四's team this month: 张三 with a finding by quality, 周九 waiting for a rating
    clerk = rated_clerk(scenario)
    scenario.current_month()
    scenario.notice("e1")
    scenario.notice("e1")  # serious: a corrective action for 李四
    user = scenario.login("sup1")

    # when 李四 signs in, the supervisor's dashboard shows the team
    page = browser_page.open("/", viewport=viewport)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#sup-scores")
    scores = page.locator("#sup-scores")
    assert "94.5" in scores.locator("[data-testid=score-GZ001]").inner_text()
    assert "待评分" in scores.locator("[data-testid=score-GZ010]").inner_text()
    assert "周九" in page.locator("#sup-ratings").inner_text()
    browser_page.shot("dashboard")

    # when they record a finding: the person is found as they type
    page.locator("[data-testid=record-finding]").click()
    page.locator("#person-q").fill("张")
    page.locator("[data-testid=people-results]").get_by_text("张三").click()
    page.wait_for_selector("[data-testid=chosen-person]")
    page.select_option("#id_section", "service")
    page.wait_for_selector("[data-testid=section-rule]")
    page.select_option("#id_severity", "general")
    page.locator("#id_points").fill("5")
    message = page.locator("[data-testid=points-message]", has_text="超出")
    message.wait_for()
    assert message.inner_text() == "5 分超出服务质量一般违规的扣分范围 1–2 分"
    browser_page.shot("points-checked")
    page.locator("#id_points").fill("1.5")
    page.locator("[data-testid=points-ok]").wait_for()
    page.fill("#id_description", "接待台无人值守约十分钟")
    page.set_input_files("#id_photos", [_photo()])
    browser_page.shot("finding-form")
    page.locator("[data-testid=submit-finding]").click()

    # then the fault notice is issued, ready to print
    page.wait_for_selector(".kp-sheet")
    assert "客服部员工过失通知单" in page.locator(".kp-sheet").inner_text()
    assert page.locator("[data-testid=notice-points]").inner_text() == "1.5"
    notice = FaultNotice.objects.select_related("finding").latest("id")
    assert notice.finding.description == "接待台无人值守约十分钟"
    assert notice.finding.inspection.inspector == user
    assert FindingPhoto.objects.filter(finding=notice.finding).count() == 1
    browser_page.shot("notice")
    page.emulate_media(media="print")  # as it goes on A4: no menus, no buttons
    assert not page.locator("[data-testid=record-finding]").count()
    assert not page.get_by_role("button", name="打印").is_visible()
    browser_page.shot("notice-print")
    page.emulate_media(media="screen")

    # when they rate 周九 on the appraisal form
    page.goto(browser_page.base_url + "/")
    page.locator("#sup-ratings").get_by_text("周九").click()
    page.wait_for_selector("#appraisal-sheet")
    for item, value in GOOD.items():
        page.fill(f"#id_value_{item}", value)
    page.locator("[data-testid=save-ratings]").click()
    page.get_by_text("已保存上级评分。").wait_for()
    page.locator("#appraisal-sheet").get_by_role("button", name="签字").click()
    page.locator("[data-testid=rater-signed]").wait_for()
    browser_page.shot("rated")

    # then the ratings are recorded and the dashboard no longer asks for them
    appraisal = Appraisal.objects.get(employee=clerk)
    assert Rating.objects.filter(appraisal=appraisal, rater_role="supervisor").count() == 11
    page.goto(browser_page.base_url + "/")
    assert "没有待评分的考核。" in page.locator("#sup-ratings").inner_text()
    browser_page.shot("dashboard-after")

    # when they start the corrective action of the serious finding
    page.goto(browser_page.base_url + "/corrective-actions/")
    page.get_by_role("button", name="开始整改").click()
    page.get_by_text("纠正措施已开始整改。").wait_for()

    # then it is in progress
    assert page.locator("[data-testid=action-status]").inner_text() == "整改中"
    browser_page.shot("corrective-actions")
