"""HR's and finance's dashboard: outcome items to settle (已处理 / 撤销 with the reason, htmx and
plain posts), closed periods with the payroll sheet as an .xlsx download, in scope."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from kaoping.appraisals.models import OutcomeItem
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.audit.models import AuditEvent
from kaoping.org.tests.factories import build_world
from kaoping.periods.models import Period

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def closed(scenario: Scenario) -> Period:
    """This month closed for the company: 张三 with three notices (6.5 points: 公布张贴)."""
    period = scenario.current_month()
    for _ in range(3):
        scenario.notice("e1")
    period_close(actor=None, period=period)
    return period


def test_hr_marks_an_outcome_item_done(scenario: Scenario, closed: Period) -> None:
    item = OutcomeItem.objects.get(result__period=closed)
    client = signed_in(scenario.world, "hr")

    home = _text(client.get("/").content.decode())
    assert "待处理事项 1 公布张贴 待处理 张三 GZ001 · 服务一组 · " + closed.key in home
    assert f"已关账的期间 全部期间 {closed.key} 月度 工资扣减表 .xlsx" in home

    response = client.post(
        f"/outcomes/{item.pk}/handle/",
        {"status": "done", "next": "/"},
        headers={"HX-Request": "true", "HX-Target": f"outcome-{item.pk}"},
    )

    assert response.status_code == 200
    fragment = _text(response.content.decode())
    assert fragment.strip().startswith("处理事项已标记为“已处理”:张三 · 公布张贴。 公布张贴 已处理")
    assert "确认撤销" not in fragment
    assert (
        '<span id="hr-outcomes-count" hx-swap-oob="true" class="badge bg-secondary-lt">0</span>'
        in response.content.decode()
    )
    item.refresh_from_db()
    assert (item.status, item.handled_by) == ("done", scenario.world.users["hr"])
    assert AuditEvent.objects.filter(action="outcome_item.handle", object_id=str(item.pk)).exists()

    again = client.post(f"/outcomes/{item.pk}/handle/", {"status": "cancelled", "note": "重复"})
    assert again.status_code == 400
    assert "该处理事项已是“已处理”,不能再次处理。" in _text(again.content.decode())
    item.refresh_from_db()
    assert item.note == ""


def test_a_cancellation_needs_its_reason(scenario: Scenario, closed: Period) -> None:
    item = OutcomeItem.objects.get(result__period=closed)
    client = signed_in(scenario.world, "hr")

    refused = client.post(
        f"/outcomes/{item.pk}/handle/",
        {"status": "cancelled", "note": "  "},
        headers={"HX-Request": "true", "HX-Target": f"outcome-{item.pk}"},
    )

    assert refused.status_code == 400
    html = refused.content.decode()
    assert '<div class="invalid-feedback d-block">撤销处理事项须写明原因。</div>' in html
    assert '<details class="flex-grow-1" open>' in html
    item.refresh_from_db()
    assert item.status == "open"

    plain = client.post(
        f"/outcomes/{item.pk}/handle/", {"status": "cancelled", "note": "已调岗", "next": "/"}
    )
    assert plain.status_code == 302 and plain["Location"] == "/"
    shown = _text(client.get("/").content.decode())
    assert "处理事项已标记为“已撤销”:张三 · 公布张贴。" in shown
    assert "没有待处理的事项。" in shown
    item.refresh_from_db()
    assert (item.status, item.note) == ("cancelled", "已调岗")


def test_only_hr_settles_items_in_its_scope(scenario: Scenario, closed: Period) -> None:
    item = OutcomeItem.objects.get(result__period=closed)
    finance = signed_in(scenario.world, "finance")
    page = _text(finance.get("/").content.decode())
    assert "财务部工作台" in page and "公布张贴 待处理" in page and "确认撤销" not in page

    assert finance.post(f"/outcomes/{item.pk}/handle/", {"status": "done"}).status_code == 403
    other = signed_in(scenario.world, "emp2")  # 王五 cannot see 张三's item
    assert other.post(f"/outcomes/{item.pk}/handle/", {"status": "done"}).status_code == 404
    bad = signed_in(scenario.world, "hr").post(f"/outcomes/{item.pk}/handle/", {"status": "x"})
    assert bad.status_code == 400
    assert "处理结果只能是“已处理”或“已撤销”。" in _text(bad.content.decode())
    item.refresh_from_db()
    assert item.status == "open"


def test_payroll_sheet_download(scenario: Scenario, closed: Period) -> None:
    response = signed_in(scenario.world, "finance").get(f"/periods/{closed.pk}/payroll.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="payroll-GZ-{closed.key}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("GZ001", "张三", 93.5),
        ("GZ002", "李四", 100),
        ("GZ003", "王五", 100),
        ("GZ004", "赵六", 100),
    ]
    assert rows[0][12] == 52.5  # 6.5 points × 5 元 + 20 元 加罚


def test_payroll_sheet_is_for_hr_and_finance_of_closed_periods_only(
    scenario: Scenario, closed: Period
) -> None:
    world = scenario.world
    for name in ("emp1", "manager1", "quality"):
        assert signed_in(world, name).get(f"/periods/{closed.pk}/payroll.xlsx").status_code == 404
    next_key = "2099-01"
    still_open = period_open(actor=None, company=world.company, kind="month", key=next_key)
    hr = signed_in(world, "hr")
    assert hr.get(f"/periods/{still_open.pk}/payroll.xlsx").status_code == 404
    elsewhere = build_world("SZ")
    theirs = period_open(actor=None, company=elsewhere.company, kind="month", key=closed.key)
    period_close(actor=None, period=theirs)
    assert hr.get(f"/periods/{theirs.pk}/payroll.xlsx").status_code == 404
