"""The dashboards of department heads, project managers and quality: grade distribution of the
last closed period, the Pareto of findings, overdue corrective actions, appeals by age; scoped,
and with the same queries for 1 and for 20 rows."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.inspections.models import CorrectiveAction
from kaoping.org.tests.factories import build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _json(html: str, element_id: str) -> object:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found is not None, element_id
    return json.loads(found.group(1))


def test_the_manager_dashboard_shows_their_project(scenario: Scenario) -> None:
    closed = scenario.history("e1", 1)[0]  # 张三 −1.5 (服务质量) last month
    current = scenario.current_month()
    scenario.notice("e1")  # 岗位工作质量 −4 this month
    scenario.notice("e3")  # 赵六 交接班质量 −1, 翠苑管理处: not manager1's
    scenario.appeal("emp1", scenario.notice("e1"))  # 工作效率 −2, appealed today

    html = signed_in(scenario.world, "manager1").get("/").content.decode()
    text = _text(html)

    assert f"{closed.key} 等级分布" in text
    assert _json(html, "grade-data") == {"labels": ["未评等级"], "counts": [3]}
    assert _json(html, "pareto-data") == {
        "labels": ["岗位工作质量", "工作效率", "服务质量"],  # ties by title
        "counts": [1, 1, 1],
        "cumulative": [33.3, 66.7, 100.0],
    }
    assert "处理中的申诉(按时长) 1 已提出 件数 0–3 天 1 4–7 天 0 8–14 天 0 15 天以上 0" in text
    assert "逾期的纠正措施 0 没有逾期的纠正措施。" in text
    assert f'href="/periods/{current.pk}/"' in html

    # time passes: the serious finding's corrective action (岗位工作质量) is now past its due date
    CorrectiveAction.objects.update(due=scenario.today - dt.timedelta(days=1))
    text = _text(signed_in(scenario.world, "manager1").get("/").content.decode())
    assert "逾期的纠正措施 1 未按《报修工作规程》登记报修 期限 " in text

    quality = _json(signed_in(scenario.world, "quality").get("/").content.decode(), "pareto-data")
    assert isinstance(quality, dict) and sum(quality["counts"]) == 4  # the whole company


def _queries(code: str, rows: int) -> int:
    scenario = Scenario(build_world(code))
    scenario.policies()
    scenario.history("e1", 1)
    scenario.current_month()
    for _ in range(rows):
        scenario.appeal("emp1", scenario.notice("e1"))
    client = signed_in(scenario.world, "head1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert "处理中的申诉(按时长)" in response.content.decode()
    return len(queries)


def test_the_dashboard_makes_the_same_queries_for_1_and_20_findings() -> None:
    one = _queries("GZ", 1)
    assert _queries("SZ", 20) == one
    assert one <= 20


def test_the_grade_distribution_names_grades_as_their_policy_does(scenario: Scenario) -> None:
    from kaoping.appraisals.models import Result
    from kaoping.appraisals.selectors import grade_distribution
    from kaoping.policies.models import PolicyVersion

    # given last month's results, two of them graded by unit-satisfaction (优秀 ≥ 95, 合格 ≥ 90)
    closed = scenario.history("e1", 1)[0]
    satisfaction = PolicyVersion.objects.get(
        document__company=scenario.world.company, document__code="unit-satisfaction"
    )
    first, second, *others = Result.objects.filter(period=closed).order_by("id")
    Result.objects.filter(pk=first.pk).update(policy_version=satisfaction, grade="pass")
    Result.objects.filter(pk=second.pk).update(policy_version=satisfaction, grade="excellent")

    # then the distribution counts each grade under its title, in the policy's order
    assert grade_distribution(viewer=scenario.world.users["quality"], period=closed) == [
        ("", len(others)),
        ("优秀", 1),
        ("合格", 1),
    ]
