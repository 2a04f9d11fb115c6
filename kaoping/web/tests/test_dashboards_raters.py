"""The reports page's rater consistency (评分一致性) of a closed month, with its .xlsx; the
violation summary aggregated per person and paginated; scoped to the viewer, and with the same
queries for 1 and for 20 rows."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kaoping.appeals.services import appeal_file
from kaoping.appeals.services.decisions import Correction, appeal_decide
from kaoping.appraisals.report_selectors import violation_people, violation_people_queryset
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.org.tests.factories import build_world
from kaoping.periods.models import Period
from kaoping.sheets.selectors import violation_summary

from .conftest import signed_in
from .scenario import Scenario, months_before

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _closed_month_with_an_overturn(scenario: Scenario) -> Period:
    """Last month: 李四 (sup1) records 交接班质量 −1 on 张三, quality 服务质量 −1.5; 张三
    appeals 李四's finding and the department head voids it; then the month is closed."""
    world = scenario.world
    first = months_before(scenario.today, 1)[0]
    period = period_open(actor=None, company=world.company, kind="month", key=f"{first:%Y-%m}")
    when = dt.datetime.combine(
        first.replace(day=15), dt.time(10), tzinfo=timezone.get_current_timezone()
    )
    inspection = inspection_create(
        actor=world.users["sup1"], unit=world.units["t1"], kind="daily", at=when
    )
    own = finding_record(
        actor=world.users["sup1"],
        inspection=inspection,
        employee=world.employees["e1"],
        section="handover",
        severity="general",
        points=Decimal("1"),
        description="交接班记录未签名",
        occurred_at=when,
    )
    scenario.finding("e1", when=when)  # 服务质量 −1.5 by quality
    appeal = appeal_file(
        actor=world.users["emp1"],
        finding=own,
        reason="当时正在交接",
        now=when + dt.timedelta(hours=1),
    )
    appeal_decide(
        actor=world.users["head1"],
        appeal=appeal,
        outcome="upheld",
        reason="确属误判",
        corrections=[Correction.void(own)],
        now=when + dt.timedelta(hours=2),
    )
    period_close(actor=None, period=period)
    return period


def test_rater_consistency_of_a_closed_month(scenario: Scenario) -> None:
    period = _closed_month_with_an_overturn(scenario)
    current = scenario.current_month()
    head = signed_in(scenario.world, "head1")

    text = _text(head.get(f"/reports/?period={period.pk}").content.decode())

    # 李四 rated 张三 (98.5); the department 客户服务中心 has 张三, 李四 and 王五 (98.5, 100, 100)
    assert (
        "评分一致性 导出 Excel 考核人 考核人数 平均分 标准差 部门平均分 差值 最高等级占比 被申诉推翻 "
        "李四 GZ002 客户服务中心 1 98.5 0.00 99.5 -1.0 — 1/1 (100.0%)"
    ) in text
    book = load_workbook(io.BytesIO(head.get(f"/reports/{period.pk}/raters.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == f"{period.key} 评分一致性"
    assert rows[1] == (
        "考核人", "工号", "部门", "考核人数", "平均分", "标准差", "部门平均分", "差值",
        "最高等级占比", "记录违规", "被申诉推翻", "推翻占比",
    )  # fmt: skip
    assert rows[2] == ("李四", "GZ002", "客户服务中心", 1, 98.5, 0, 99.5, -1, None, 1, 1, 1)
    # shares are numbers, shown as percentages
    assert book.active.cell(3, 12).number_format == "0.0%"  # type: ignore[union-attr]

    # manager2 (翠苑管理处) has no rater; an open month has none yet; others' months are 404
    other = _text(
        signed_in(scenario.world, "manager2").get(f"/reports/?period={period.pk}").content.decode()
    )
    assert "本月没有可比较的考核结果。" in other and "李四" not in other
    assert "关账后才有评分一致性。" in _text(
        head.get(f"/reports/?period={current.pk}").content.decode()
    )
    assert head.get(f"/reports/{current.pk}/raters.xlsx").status_code == 404
    elsewhere = build_world("SZ")
    theirs = period_open(actor=None, company=elsewhere.company, kind="month", key=period.key)
    assert head.get(f"/reports/{theirs.pk}/raters.xlsx").status_code == 404


def test_the_violation_summary_is_paginated_per_person(scenario: Scenario) -> None:
    period = scenario.current_month()
    for _ in range(2):
        scenario.notice("e1")  # 服务质量 −1.5, 岗位工作质量 −4
    scenario.notice("e2")  # 王五 交接班质量 −1
    client = signed_in(scenario.world, "quality")

    text = _text(client.get("/reports/").content.decode())
    assert "张三 GZ001 服务一组 2 5.5" in text
    assert "王五 GZ003 服务二组 1 1" in text

    from kaoping.web.views import reports

    reports.PEOPLE_ROWS, before = 1, reports.PEOPLE_ROWS
    try:
        first = _text(client.get(f"/reports/?period={period.pk}").content.decode())
        second = _text(client.get(f"/reports/?period={period.pk}&page=2").content.decode())
    finally:
        reports.PEOPLE_ROWS = before
    assert "张三 GZ001" in first and "王五 GZ003" not in first and "第 1/2 页,共 2 条" in first
    assert "王五 GZ003" in second and "张三 GZ001" not in second


def _queries(code: str, rows: int) -> int:
    scenario = Scenario(build_world(code))
    scenario.policies()
    first = months_before(scenario.today, 1)[0]
    period = period_open(
        actor=None, company=scenario.world.company, kind="month", key=f"{first:%Y-%m}"
    )
    when = dt.datetime.combine(
        first.replace(day=10), dt.time(10), tzinfo=timezone.get_current_timezone()
    )
    for _ in range(rows):
        scenario.finding("e1", when=when)
        scenario.finding("e2", when=when)
    period_close(actor=None, period=period)
    client = signed_in(scenario.world, "quality")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/reports/?period={period.pk}")
    assert response.status_code == 200
    assert "评分一致性" in response.content.decode()
    return len(queries)


def test_the_closed_month_report_makes_the_same_queries_for_1_and_20_findings() -> None:
    one = _queries("GZ", 1)
    assert _queries("SZ", 20) == one
    assert one <= 25


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_the_page_lines_match_the_exported_summary(scenario: Scenario, closed: bool) -> None:
    """The page aggregates per person in the database and scores only the page's people; its
    lines say what `kaoping export violations` says (count, points, deduction, what follows)."""
    first = months_before(scenario.today, 1)[0]
    world = scenario.world
    period = period_open(actor=None, company=world.company, kind="month", key=f"{first:%Y-%m}")
    when = dt.datetime.combine(
        first.replace(day=12), dt.time(9), tzinfo=timezone.get_current_timezone()
    )
    for employee in ("e1", "e1", "e1", "e2", "e3", "e1"):
        scenario.finding(employee, when=when)
    if closed:
        period_close(actor=None, period=period)
    quality = world.users["quality"]

    summary = violation_summary(viewer=quality, period=period)
    people = violation_people(
        viewer=quality,
        period=period,
        people=list(violation_people_queryset(viewer=quality, period=period)),
    )

    assert [(p.number, p.name, p.unit, p.count, p.points, p.fine, p.actions) for p in people] == [
        (p.number, p.name, p.unit, p.count, p.points, p.fine, p.actions) for p in summary.people
    ]
    assert any(p.actions for p in people) and people[0].fine
