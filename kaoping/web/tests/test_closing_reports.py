"""The reports page (报表): the month's violation summary, the Pareto and the monthly trend,
each downloadable as .xlsx; scoped to the viewer's records."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kaoping.appraisals.services.periods import period_open
from kaoping.org.tests.factories import build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_reports_show_and_export_the_month(scenario: Scenario) -> None:
    period = scenario.current_month()
    for _ in range(3):
        scenario.notice("e1")  # 服务质量 −1.5, 岗位工作质量 −4, 交接班质量 −1
    scenario.notice("e3")  # 翠苑管理处: not manager1's
    client = signed_in(scenario.world, "manager1")

    html = client.get("/reports/").content.decode()
    text = _text(html)

    assert f"{period.key} 违规处理情况汇总 导出 Excel" in text
    assert "张三 GZ001 服务一组 3 6.5 52.50" in text  # findings, points, the deduction
    assert "赵六" not in text
    assert html.count('class="kp-pareto"') == 3
    assert html.count('class="kp-trend"') == 12

    violations = client.get(f"/reports/{period.pk}/violations.xlsx")
    assert violations.status_code == 200
    assert violations["Content-Disposition"] == (
        f'attachment; filename="violations-GZ-{period.key}.xlsx"'
    )
    book = load_workbook(io.BytesIO(violations.content))
    assert "违规处理情况汇总" in book.sheetnames
    names = {cell for row in book["违规处理情况汇总"].iter_rows(values_only=True) for cell in row}
    assert "张三" in names and "赵六" not in names

    pareto = load_workbook(io.BytesIO(client.get(f"/reports/{period.pk}/pareto.xlsx").content))
    rows = list(pareto.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == (f"{period.key} 违规帕累托", None, None)
    assert rows[1] == ("考评项目", "次数", "扣分")
    assert sorted(r[0] for r in rows[2:]) == ["交接班质量", "岗位工作质量", "服务质量"]

    trend = load_workbook(io.BytesIO(client.get("/reports/trend.xlsx").content))
    trend_rows = list(trend.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert trend_rows[-1] == (period.key, 3, 6.5)

    assert client.get(f"/reports/{period.pk}/nothing.xlsx").status_code == 404
    elsewhere = build_world("SZ")
    theirs = period_open(actor=None, company=elsewhere.company, kind="month", key=period.key)
    assert client.get(f"/reports/?period={theirs.pk}").status_code == 404
    assert client.get(f"/reports/{theirs.pk}/violations.xlsx").status_code == 404


def _queries(code: str, rows: int) -> int:
    scenario = Scenario(build_world(code))
    scenario.policies()
    scenario.current_month()
    for _ in range(rows):
        scenario.notice("e1")
    client = signed_in(scenario.world, "quality")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/")
    assert response.status_code == 200
    return len(queries)


def test_the_reports_page_makes_the_same_queries_for_1_and_20_findings() -> None:
    one = _queries("GZ", 1)
    assert _queries("SZ", 20) == one
    assert one <= 40
