"""Period close pages (关账): the periods, the preview of an open period, the close and its
report, the refusal while a subject cannot be scored, the scope."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.appraisals.models import Appraisal, Result
from kaoping.appraisals.services.periods import period_open
from kaoping.audit.models import AuditEvent
from kaoping.org.tests.factories import build_world
from kaoping.periods.models import Period

from .conftest import signed_in
from .scenario import Scenario, month_start

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    """The page's text, tags dropped and spaces squeezed, for reading assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def month(scenario: Scenario) -> Period:
    """Last month closed (张三 98.5); this month open, 张三 with three notices (−6.5: 93.0)."""
    scenario.history("e1", 1)
    period = scenario.current_month()
    for _ in range(3):
        scenario.notice("e1")
    return period


def test_a_project_manager_previews_and_closes_their_project(
    scenario: Scenario, month: Period
) -> None:
    world = scenario.world
    client = signed_in(world, "manager1")

    periods = _text(client.get("/periods/").content.decode())
    assert f"{month.key} 月度" in periods
    assert "进行中" in periods and "已关账" in periods

    page = _text(client.get(f"/periods/{month.pk}/").content.decode())
    assert "张三 GZ001 服务一组 93.0 — -5.5 计分说明" in page
    assert "公布张贴:累计扣分 7 分 ≥ 5 分" in page
    assert "王五 GZ003 服务二组 100.0 — 0.0 计分说明" in page
    assert "赵六" not in page  # 翠苑管理处 is manager2's
    assert "关账范围 御景湾管理处 关账" in page

    response = client.post(f"/periods/{month.pk}/close/", {"unit": world.units["p1"].pk})

    assert response.status_code == 302
    assert response["Location"] == f"/periods/{month.pk}/"
    shown = _text(client.get(response["Location"]).content.decode())
    assert f"{month.key} 已关账(御景湾管理处):写入 3 份考评结果,生成 1 项处理事项。" in shown
    assert "您的范围内没有待关账的考核。" in shown
    assert Result.objects.filter(period=month).count() == 3
    month.refresh_from_db()
    assert month.status == Period.Status.OPEN  # 翠苑管理处 is still open
    assert Appraisal.objects.get(period=month, employee=world.employees["e3"]).status == "open"
    assert AuditEvent.objects.filter(action="period.close", actor=world.users["manager1"]).exists()

    again = client.post(f"/periods/{month.pk}/close/", {"unit": world.units["p1"].pk}, follow=True)
    assert f"{month.key} 已经关账(御景湾管理处),未做任何更改。" in _text(again.content.decode())
    assert Result.objects.filter(period=month).count() == 3


def test_the_whole_company_closed_lists_its_outcome_items(
    scenario: Scenario, month: Period
) -> None:
    client = signed_in(scenario.world, "quality")
    page = _text(client.get(f"/periods/{month.pk}/").content.decode())
    assert "关账范围 广州物业 关账" in page or "关账范围" in page

    response = client.post(
        f"/periods/{month.pk}/close/", {"unit": scenario.world.units["root"].pk}, follow=True
    )

    text = _text(response.content.decode())
    assert f"{month.key} 已关账(" in text and "写入 4 份考评结果,生成 1 项处理事项。" in text
    assert "处理事项 对象 处理 状态 备注 张三 GZ001 服务一组 公布张贴 待处理" in text
    month.refresh_from_db()
    assert month.status == Period.Status.CLOSED


def test_the_close_is_refused_while_a_subject_cannot_be_scored(scenario: Scenario) -> None:
    scenario.clerk()  # 孙八's appraisal needs 李四's rating, not given yet
    month = scenario.current_month()
    client = signed_in(scenario.world, "quality")

    page = _text(client.get(f"/periods/{month.pk}/").content.decode())
    assert "1 份考核还无法计分" in page
    assert re.search(r"孙八 GZ008 服务二组 — — — 原因:\S+", page)

    response = client.post(f"/periods/{month.pk}/close/", {"unit": scenario.world.units["root"].pk})

    assert response.status_code == 400
    text = _text(response.content.decode())
    assert "1 份考核无法计分,请先补齐:" in text and "GZ008" in text
    assert not Result.objects.filter(period=month).exists()
    month.refresh_from_db()
    assert month.status == Period.Status.OPEN


def test_only_users_allowed_may_close_and_other_companies_are_out_of_reach(
    scenario: Scenario, month: Period
) -> None:
    world = scenario.world
    head = signed_in(world, "head1")  # 部门主任: may preview, may not close
    page = _text(head.get(f"/periods/{month.pk}/").content.decode())
    assert "关账由项目经理或质管部办理。" in page

    refused = head.post(f"/periods/{month.pk}/close/", {"unit": world.units["cs1"].pk})
    assert refused.status_code == 400
    assert "您不能为该范围关账。" in _text(refused.content.decode())

    manager = signed_in(world, "manager1")  # over 御景湾管理处, not 翠苑管理处
    other_unit = manager.post(f"/periods/{month.pk}/close/", {"unit": world.units["p2"].pk})
    assert other_unit.status_code == 400
    assert 'class="invalid-feedback d-block">您不能为该范围关账。' in other_unit.content.decode()
    assert not Result.objects.filter(period=month).exists()

    elsewhere = build_world("SZ")
    theirs = period_open(actor=None, company=elsewhere.company, kind="month", key=month.key)
    assert manager.get(f"/periods/{theirs.pk}/").status_code == 404
    assert manager.post(f"/periods/{theirs.pk}/close/", {"unit": 1}).status_code == 404
    assert str(theirs.key) not in _text(manager.get("/periods/").content.decode()).replace(
        f"{month.key} 月度", ""
    )


def _preview_queries(code: str, extra: int) -> tuple[int, int, int, int]:
    """Queries of the preview, the closed period's outcome list, the periods list and HR's
    dashboard, with
    `extra` more people in 服务一组 each with four notices (and so one outcome item)."""
    from kaoping.org.services import employee_create, placement_create

    scenario = Scenario(build_world(code))
    scenario.policies()
    world = scenario.world
    for n in range(extra):
        employee = employee_create(
            actor=None, company=world.company, number=f"{code}1{n:02d}", name=f"员工{n}"
        )
        placement_create(
            actor=None,
            employee=employee,
            unit=world.units["t1"],
            position=world.positions["reception"],
            start=month_start(scenario.today),
            supervisor=world.employees["sup1"],
        )
        world.employees[f"x{n}"] = employee
    period = scenario.current_month()
    for n in range(extra):
        for _ in range(4):  # any four findings in a row add up to 5 points or more: 公布张贴
            scenario.finding(f"x{n}")
    client = signed_in(world, "quality")
    client.get("/periods/")  # warm the user's scope caches alike
    with CaptureQueriesContext(connection) as preview:
        response = client.get(f"/periods/{period.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="kp-preview') == min(4 + extra, 25)
    client.post(f"/periods/{period.pk}/close/", {"unit": world.units["root"].pk})
    with CaptureQueriesContext(connection) as outcomes:
        response = client.get(f"/periods/{period.pk}/")
    assert response.content.decode().count('class="kp-outcome"') == extra
    with CaptureQueriesContext(connection) as periods:
        client.get("/periods/")
    hr = signed_in(world, "hr")  # HR's dashboard lists the outcome items (the first ten)
    with CaptureQueriesContext(connection) as dashboard:
        response = hr.get("/")
    assert response.content.decode().count('class="card mb-2 kp-outcome-item"') == min(extra, 10)
    return len(preview), len(outcomes), len(periods), len(dashboard)


def test_the_pages_make_the_same_queries_for_1_and_20_people() -> None:
    one = _preview_queries("GZ", 1)
    twenty = _preview_queries("SZ", 20)

    assert twenty == one
    assert one[0] <= 40 and one[1] <= 20 and one[2] <= 12 and one[3] <= 15


def test_the_preview_is_paginated_on_the_server(
    scenario: Scenario, month: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaoping.web.views import closing

    monkeypatch.setattr(closing, "PREVIEW_ROWS", 2)
    client = signed_in(scenario.world, "manager1")

    first = client.get(f"/periods/{month.pk}/").content.decode()
    second = client.get(f"/periods/{month.pk}/?page=2").content.decode()

    assert first.count('class="kp-preview') == 2 and second.count('class="kp-preview') == 1
    assert "第 1/2 页,共 3 条 下一页" in _text(first)
    assert "第 2/2 页,共 3 条 上一页" in _text(second)
