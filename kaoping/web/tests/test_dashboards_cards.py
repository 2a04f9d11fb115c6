"""The managers' dashboard cards added for issue #5: the team ranking (with its printable
publication page and .xlsx), unit satisfaction and inspection coverage against plan; each
scoped to the viewer (head: own department, manager: own project, quality: the company; never
another company), and with the same queries for 1 and for 20 rows."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kaoping.appraisals.models import RankingItem
from kaoping.appraisals.report_selectors import planned_in_month, ranking_board, ranking_card
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.appraisals.services.ranking import ranking_items_set, ranking_value_set
from kaoping.inspections.services import inspection_create, inspection_plan_create
from kaoping.operations.services import survey_response_create
from kaoping.org.tests.factories import build_world
from kaoping.periods.models import Period
from kaoping.policies.services import policy_assign

from .conftest import signed_in
from .scenario import SINCE, Scenario, months_before

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _json(html: str, element_id: str) -> object:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found is not None, element_id
    return json.loads(found.group(1))


def _ranked_month(scenario: Scenario, key: str, start: dt.date) -> Period:
    """A month with 御景湾's 客户服务中心 (cs1)'s ranking items and both its teams' values:
    服务一组 visits 30, complaints 1; 服务二组 visits 20, complaints 3; 翠苑's 服务三组 alone
    under its centre (cs2)."""
    world = scenario.world
    period = period_open(actor=None, company=world.company, kind="month", key=key)
    ranking_items_set(
        actor=world.users["head1"],
        period=period,
        unit=world.units["cs1"],
        items=[("visits", "业主走访户数", 1, "higher"), ("complaints", "有效投诉件数", 2, "lower")],
        today=start - dt.timedelta(days=1),
    )
    values = {"visits": (Decimal(30), Decimal(20)), "complaints": (Decimal(1), Decimal(3))}
    for item in RankingItem.objects.filter(period=period):
        for team, value in zip(("t1", "t2"), values[item.code], strict=True):
            ranking_value_set(
                actor=world.users["head1"], item=item, team=world.units[team], value=value
            )
    # 翠苑's centre ranks its one team on its own item (every team needs items to close)
    ranking_items_set(
        actor=world.users["quality"],
        period=period,
        unit=world.units["cs2"],
        items=[("visits", "业主走访户数", 1, "higher")],
        today=start - dt.timedelta(days=1),
    )
    ranking_value_set(
        actor=world.users["quality"],
        item=RankingItem.objects.get(period=period, unit=world.units["cs2"]),
        team=world.units["t3"],
        value=Decimal(12),
    )
    return period


def _ranking_scenario(scenario: Scenario) -> tuple[Period, Period]:
    policy_assign(
        actor=None,
        document=scenario.documents["service-group-ranking"],
        unit=scenario.world.units["root"],
        unit_kind="team",
        start=SINCE,
    )
    first = months_before(scenario.today, 1)[0]
    closed = _ranked_month(scenario, f"{first:%Y-%m}", first)
    period_close(actor=None, period=closed)
    this = scenario.today.replace(day=1)
    return closed, _ranked_month(scenario, f"{this:%Y-%m}", this)


def test_the_team_ranking_card_and_its_publication_page(scenario: Scenario) -> None:
    closed, current = _ranking_scenario(scenario)
    head = signed_in(scenario.world, "head1")

    html = head.get("/").content.decode()
    text = _text(html)
    assert (
        f"{closed.key} 服务小组评比 {current.key} 实时排名 公布页 御景湾管理处 客户服务中心" in text
    )
    assert _json(html, "ranking-data-1") == {
        "labels": ["服务一组", "服务二组"],
        "counts": [6.0, 3.0],
    }
    assert "数据表 名次 小组 总分 等级 1 服务一组 6.0 A 级 2 服务二组 3.0 B 级" in text
    assert f'href="/periods/{current.pk}/ranking/"' in html

    page = _text(head.get(f"/periods/{closed.pk}/ranking/").content.decode())
    assert "实时" not in page
    assert f"御景湾管理处 客户服务中心 服务小组评比({closed.key})" in page
    assert (
        "名次 小组 业主走访户数 1 级 · 数值/得分 "
        "有效投诉件数 2 级 · 数值/得分 总分 等级 "
        "1 服务一组 GZ-P1-T1 30 / 2 1 / 4 6.0 A 级 2 服务二组 GZ-P1-T2 20 / 1 3 / 2 3.0 B 级"
    ) in page
    live = _text(head.get(f"/periods/{current.pk}/ranking/").content.decode())
    assert f"{current.key} 服务小组评比 实时" in live
    assert "1 服务一组 GZ-P1-T1 30 / 2 1 / 4 6.0 A 级" in live

    # the card reads the results' columns, the page the whole results: they agree
    for user in ("head1", "manager2", "quality"):
        viewer = scenario.world.users[user]
        card = ranking_card(viewer=viewer, period=closed)
        board = ranking_board(viewer=viewer, period=closed)
        assert [
            (t.unit, [(r.rank, r.code, r.name, r.total, r.grade) for r in t.teams], t.chart)
            for t in card
        ] == [
            (t.unit, [(r.rank, r.code, r.name, r.total, r.grade) for r in t.teams], chart)
            for t, chart, _rows in board.pairs
        ]

    download = head.get(f"/periods/{closed.pk}/ranking.xlsx")
    assert download["Content-Disposition"] == (
        f'attachment; filename="ranking-GZ-{closed.key}.xlsx"'
    )
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["御景湾管理处 客户服务中心"]

    # 翠苑管理处's manager sees only 服务三组, quality both centres
    manager2 = signed_in(scenario.world, "manager2")
    theirs_text = _text(manager2.get("/").content.decode())
    assert "翠苑管理处 客户服务中心" in theirs_text and "服务一组" not in theirs_text
    assert "1 服务三组 GZ-P2-T3 12 / " in _text(
        manager2.get(f"/periods/{closed.pk}/ranking/").content.decode()
    )
    quality = _text(
        signed_in(scenario.world, "quality").get(f"/periods/{closed.pk}/ranking/").content.decode()
    )
    assert "服务一组" in quality and "服务三组" in quality
    emp1 = signed_in(scenario.world, "emp1")
    assert "本期没有小组评比结果。" in _text(
        emp1.get(f"/periods/{closed.pk}/ranking/").content.decode()
    )
    elsewhere = build_world("SZ")
    theirs = period_open(actor=None, company=elsewhere.company, kind="month", key=closed.key)
    assert head.get(f"/periods/{theirs.pk}/ranking/").status_code == 404
    assert head.get(f"/periods/{theirs.pk}/ranking.xlsx").status_code == 404


def _survey_scenario(scenario: Scenario) -> tuple[Period, Period]:
    world = scenario.world
    first = months_before(scenario.today, 1)[0]
    last = period_open(actor=None, company=world.company, kind="month", key=f"{first:%Y-%m}")
    current = scenario.current_month()
    for unit, level, day in [
        ("cs1", "very_satisfied", scenario.today),
        ("t1", "satisfied", scenario.today),  # a team's response counts for the team
        ("cs1", "dissatisfied", scenario.today),
        ("cs1", "neutral", first),
        ("cs2", "very_satisfied", scenario.today),
    ]:
        survey_response_create(actor=None, unit=world.units[unit], level=level, answered_on=day)
    other = build_world("SZ")
    survey_response_create(
        actor=None, unit=other.units["cs1"], level="very_dissatisfied", answered_on=scenario.today
    )
    return last, current


def test_unit_satisfaction_per_unit_and_month(scenario: Scenario) -> None:
    last, current = _survey_scenario(scenario)

    html = signed_in(scenario.world, "head1").get("/").content.decode()
    text = _text(html)
    assert (
        f"单元 {last.key} {current.key} 客户服务中心 0.0% (1) 50.0% (2) 服务一组 — 100.0% (1) "
        "满意率 = (很满意 + 基本满意) ÷ 调查份数;括号内为份数。"
    ) in text
    assert "翠苑" not in text
    assert _json(html, "satisfaction-data") == {
        "labels": ["客户服务中心", "服务一组"],
        "counts": [50.0, 100.0],
    }
    quality = _json(
        signed_in(scenario.world, "quality").get("/").content.decode(), "satisfaction-data"
    )
    assert quality == {
        "labels": ["客户服务中心", "服务一组", "客户服务中心"],
        "counts": [50.0, 100.0, 100.0],
    }  # 御景湾 and 翠苑's centres: never the other company's response
    manager2 = _text(signed_in(scenario.world, "manager2").get("/").content.decode())
    assert f"单元 {last.key} {current.key} 客户服务中心 — 100.0% (1) 满意率" in manager2


def test_inspection_coverage_against_plan(scenario: Scenario) -> None:
    world = scenario.world
    current = scenario.current_month()
    quality = world.users["quality"]
    patrol = inspection_plan_create(
        actor=quality, unit=world.units["cs1"], kind="patrol", times=2, period="day",
        responsible_role="supervisor",
    )  # fmt: skip
    visit = inspection_plan_create(
        actor=quality, unit=world.units["cs1"], kind="visit", times=2, period="month",
        responsible_role="supervisor",
    )  # fmt: skip
    inspection_plan_create(
        actor=quality, unit=world.units["cs2"], kind="visit", times=2, period="month",
        responsible_role="supervisor",
    )  # fmt: skip
    now = scenario.now()
    for _ in range(3):  # patrols of a team, without naming the plan: the centre's plan counts them
        inspection_create(actor=world.users["sup1"], unit=world.units["t1"], kind="patrol", at=now)
    inspection_create(actor=quality, unit=world.units["cs1"], kind="visit", at=now, plan=visit)
    inspection_create(actor=quality, unit=world.units["t3"], kind="patrol", at=now)  # no plan
    before = now - dt.timedelta(days=40)
    inspection_create(actor=quality, unit=world.units["t1"], kind="patrol", at=before)

    patrols = planned_in_month(2, "day", current, scenario.today)
    visits = planned_in_month(2, "month", current, scenario.today)
    html = signed_in(world, "head1").get("/").content.decode()
    text = _text(html)
    assert (f"{current.key} 检查计划完成情况 已检查 4 / 计划 {patrols + visits} ") in text
    assert (
        f"单元 检查类型 频次 计划(至今) 已检查 完成率 客户服务中心 巡视 2 次/每日 {patrols} 3 "
    ) in text
    assert f"客户服务中心 走访 2 次/每月 {visits} 1 " in text
    assert text.count("客户服务中心 走访") == 1  # not 翠苑's plan
    assert patrol.pk and "kp-coverage" in html

    manager2 = _text(signed_in(world, "manager2").get("/").content.decode())
    assert f"已检查 0 / 计划 {visits}" in manager2
    assert "巡视 2 次/每日" not in manager2


def test_a_plan_asks_for_its_share_of_the_month() -> None:
    october = Period(key="2026-10", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    assert planned_in_month(2, "day", october) == Decimal("62.0")
    assert planned_in_month(2, "week", october) == Decimal("8.9")
    assert planned_in_month(2, "month", october) == Decimal("2.0")
    assert planned_in_month(1, "quarter", october) == Decimal("0.3")
    # while the month runs, up to today (the 10th: 10 of 31 days)
    today = dt.date(2026, 10, 10)
    assert planned_in_month(2, "day", october, today) == Decimal("20.0")
    assert planned_in_month(2, "month", october, today) == Decimal("0.6")
    assert planned_in_month(2, "month", october, dt.date(2026, 11, 2)) == Decimal("2.0")


def _queries(code: str, rows: int) -> int:
    scenario = Scenario(build_world(code))
    scenario.policies()
    scenario.history("e1", 1)
    scenario.current_month()
    world = scenario.world
    plan = inspection_plan_create(
        actor=world.users["quality"], unit=world.units["cs1"], kind="patrol", times=2,
        period="day", responsible_role="supervisor",
    )  # fmt: skip
    for _ in range(rows):
        scenario.appeal("emp1", scenario.notice("e1"))
        survey_response_create(
            actor=None, unit=world.units["t1"], level="satisfied", answered_on=scenario.today
        )
        inspection_create(
            actor=world.users["sup1"], unit=world.units["t1"], kind="patrol",
            at=timezone.now(), plan=plan,
        )  # fmt: skip
    client = signed_in(world, "head1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert "检查计划完成情况" in response.content.decode()
    return len(queries)


def test_the_dashboard_cards_make_the_same_queries_for_1_and_20_rows() -> None:
    one = _queries("GZ", 1)
    assert _queries("SZ", 20) == one
    assert one <= 30
