"""The supervisor's pages (主管/组长): the dashboard (team scores, findings, ratings due,
appeals) and recording a finding (search, section, points checked as typed, photos, notice)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import FaultNotice, Finding, FindingPhoto, Inspection
from kaoping.org.models import Employee
from kaoping.org.services import employee_create, placement_create, position_create
from kaoping.org.tests.factories import build_world
from kaoping.policies.services import policy_assign

from .conftest import signed_in
from .scenario import SINCE, Scenario

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rated_clerk(scenario: Scenario, number: str = "GZ010", name: str = "周九") -> Employee:
    """A 管理员 in 服务一组 under 李四, appraised by cs-admin-monthly (自评 30 %, 上级评 70 %)."""
    world = scenario.world
    position = world.positions.get("admin")
    if position is None:
        position = position_create(
            actor=None,
            company=world.company,
            code="admin",
            name="管理员",
            floating_pay=Decimal("1000.00"),
            base_pay=Decimal("4000.00"),
        )
        policy_assign(
            actor=None,
            document=scenario.documents["cs-admin-monthly"],
            position=position,
            start=SINCE,
        )
        world.positions["admin"] = position
    employee = employee_create(actor=None, company=world.company, number=number, name=name)
    placement_create(
        actor=None,
        employee=employee,
        unit=world.units["t1"],
        position=position,
        start=SINCE,
        supervisor=world.employees["sup1"],
    )
    return employee


@pytest.fixture
def team(scenario: Scenario) -> dict[str, object]:
    """This month: 张三 with a finding (−1.5, appealed to 李四), 周九 rated by 李四 (not yet),
    王五 (another team) with a finding of his own."""
    clerk = rated_clerk(scenario)
    scenario.current_month()
    notice = scenario.notice("e1")
    appeal = scenario.appeal("emp1", notice)
    other = scenario.notice("e2")
    return {"clerk": clerk, "notice": notice, "appeal": appeal, "other": other}


# --- the dashboard ----------------------------------------------------------------------------


def test_the_supervisor_dashboard_shows_the_team(scenario: Scenario, team: dict) -> None:
    response = signed_in(scenario.world, "sup1").get("/")

    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert "主管工作台" in text
    assert 'data-testid="record-finding"' in html
    # Scores: 张三 98.5; 周九 waits for 李四's rating, with the engine's message.
    assert re.search(r"张三 GZ001 · 服务一组 98\.5", text)
    assert "周九 GZ010 · 服务一组 待评分 缺少自评" in text
    assert "李四 GZ002" not in text  # the supervisor's own appraisal is on 我的考评
    # Findings of the team only; 王五's is another team's.
    assert "张三 · 服务质量" in text and "接待台无人值守" in text
    assert "王五" not in text
    # Ratings due: 周九, every item of cs-admin-monthly.
    assert re.search(r"待评分 1 周九 \d{4}-\d{2} 未评项目:爱岗敬业、沟通协调", text)
    # The appeal waits for 李四 (the direct supervisor), with its due date.
    appeal = team["appeal"]
    assert f'href="/appeals/{appeal.pk}/"' in html
    assert "当时正在处理业主报修" in text
    assert (
        f"答复期限 {appeal.level_due.year}年{appeal.level_due.month}月{appeal.level_due.day}日"
        in text
    )


def test_the_scores_card_refreshes_alone(scenario: Scenario, team: dict) -> None:
    response = signed_in(scenario.world, "sup1").get(
        "/dashboard/supervisor/", headers={**HTMX, "HX-Target": "sup-scores"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") and 'id="sup-scores"' in html
    assert "<html" not in html


def test_the_dashboard_is_only_for_supervisors(scenario: Scenario, team: dict) -> None:
    assert signed_in(scenario.world, "emp1").get("/dashboard/supervisor/").status_code == 404
    assert signed_in(scenario.world, "manager2").get("/dashboard/supervisor/").status_code == 404


def _dashboard_queries(code: str, size: int) -> int:
    world = build_world(code)
    scenario = Scenario(world)
    scenario.policies()
    for index in range(size):
        rated_clerk(scenario, number=f"{code}1{index:02d}", name=f"员工{index}")
    scenario.current_month()
    for _ in range(size):
        scenario.notice("e1")
    client = signed_in(world, "sup1")
    client.get("/")  # warm the policy cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("kp-rating-due") == size
    return len(queries)


def test_the_dashboard_makes_the_same_queries_for_1_and_20_rows() -> None:
    one = _dashboard_queries("GZ", 1)
    twenty = _dashboard_queries("SZ", 20)
    assert one == twenty, (one, twenty)
    assert one <= 32, one


# --- recording a finding ----------------------------------------------------------------------


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("scene.png", buffer.getvalue(), content_type="image/png")


def _when() -> str:
    return timezone.localtime(timezone.now() - timezone.timedelta(minutes=5)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_the_search_lists_only_people_the_supervisor_may_inspect(
    scenario: Scenario, team: dict
) -> None:
    client = signed_in(scenario.world, "sup1")

    by_number = _text(client.get("/findings/new/people/?q=GZ001", headers=HTMX).content.decode())
    by_name = _text(client.get("/findings/new/people/?q=王", headers=HTMX).content.decode())
    own = _text(client.get("/findings/new/people/?q=李四", headers=HTMX).content.decode())

    assert "张三 GZ001 服务一组 · 接待员" in by_number
    assert "没有找到“王”,或您无权检查此人。" in by_name  # 王五 is in 服务二组
    assert "没有找到“李四”" in own
    # Without JavaScript the search is a GET of the page itself.
    page = _text(client.get("/findings/new/?q=周").content.decode())
    assert "周九 GZ010" in page


def test_picking_a_person_outside_the_scope_is_404(scenario: Scenario, team: dict) -> None:
    client = signed_in(scenario.world, "sup1")
    other = scenario.world.employees["e2"]

    assert client.get(f"/findings/new/?employee={other.pk}").status_code == 404
    response = client.post(
        "/findings/new/",
        {
            "employee": other.pk,
            "kind": "patrol",
            "section": "service",
            "severity": "general",
            "points": "1",
            "description": "x",
            "occurred_at": _when(),
        },
    )
    assert response.status_code == 404
    assert Finding.objects.filter(employee=other).count() == 1  # only the scenario's


def test_the_form_shows_the_policy_of_the_person(scenario: Scenario, team: dict) -> None:
    employee = scenario.world.employees["e1"]
    response = signed_in(scenario.world, "sup1").get(
        f"/findings/new/?employee={employee.pk}&section=service&points=1.5",
        headers={**HTMX, "HX-Target": "finding-form"},
    )

    html = response.content.decode()
    text = _text(html)
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "张三 GZ001" in text and "项目客户服务组检查与考评办法" in text
    assert "一般违规 扣 1–2 分 严重违规 扣 3–4 分 引起不良后果 扣 5–20 分" in text
    assert '<option value="service" selected>服务质量</option>' in html
    assert 'value="1.5"' in html
    assert 'accept="image/*" capture="environment" multiple' in html
    assert "invalid-feedback" not in html  # a refresh shows no errors


def test_the_points_are_checked_as_typed(scenario: Scenario, team: dict) -> None:
    employee = scenario.world.employees["e1"]
    client = signed_in(scenario.world, "sup1")
    base = f"/findings/new/check/?employee={employee.pk}&section=service&severity=general"

    wrong = client.get(base + "&points=5", headers=HTMX).content.decode()
    right = client.get(base + "&points=1.5", headers=HTMX).content.decode()

    assert "5 分超出服务质量一般违规的扣分范围 1–2 分" in wrong
    assert 'data-testid="points-ok"' in right and "符合考评办法" in right


def test_recording_a_finding_issues_the_notice(scenario: Scenario, team: dict) -> None:
    employee = scenario.world.employees["e1"]
    client = signed_in(scenario.world, "sup1")

    response = client.post(
        "/findings/new/",
        {
            "employee": employee.pk,
            "kind": "patrol",
            "section": "post_quality",
            "severity": "serious",
            "points": "3.5",
            "description": "未按《报修工作规程》登记报修",
            "occurred_at": _when(),
            "photos": [_png(), _png()],
        },
    )

    finding = Finding.objects.get(employee=employee, section="post_quality")
    notice = FaultNotice.objects.get(finding=finding)
    assert response.status_code == 302
    assert response["Location"] == f"/findings/notices/{notice.pk}/"
    sup1: User = scenario.world.users["sup1"]
    assert finding.points == Decimal("3.5") and finding.severity == "serious"
    assert finding.inspection.inspector == sup1 and finding.inspection.kind == "patrol"
    assert FindingPhoto.objects.filter(finding=finding).count() == 2
    assert AuditEvent.objects.filter(action="finding.record", actor=sup1).count() == 1

    sheet = client.get(response["Location"])
    text = _text(sheet.content.decode())
    assert sheet.status_code == 200
    assert f"已记录违规,过失通知单 {notice.number} 已发出。" in text
    assert "客服部员工过失通知单" in text
    assert f"编号:{notice.number}" in text
    assert "姓名 张三 工号 GZ001" in text
    assert "违规项目 岗位工作质量" in text
    assert "违规程度 严重违规 扣分 3.5" in text
    assert "检查类型 巡视 检查人 李四" in text
    # Another team's supervisor-less viewer cannot read it.
    assert signed_in(scenario.world, "manager2").get(response["Location"]).status_code == 404


def test_a_refused_finding_writes_nothing_and_says_why(scenario: Scenario, team: dict) -> None:
    employee = scenario.world.employees["e1"]
    before = (Finding.objects.count(), Inspection.objects.count(), AuditEvent.objects.count())

    response = signed_in(scenario.world, "sup1").post(
        "/findings/new/",
        {
            "employee": employee.pk,
            "kind": "patrol",
            "section": "service",
            "severity": "general",
            "points": "5",
            "description": "接待台无人值守",
            "occurred_at": _when(),
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'name="points" id="id_points"[^>]*is-invalid[^>]*>\s*'
        r'<div class="invalid-feedback d-block">5 分超出服务质量一般违规的扣分范围 1–2 分</div>',
        html,
    )
    after = (Finding.objects.count(), Inspection.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_missing_fields_are_named(scenario: Scenario, team: dict) -> None:
    employee = scenario.world.employees["e1"]
    response = signed_in(scenario.world, "sup1").post(
        "/findings/new/", {"employee": employee.pk, "kind": "patrol", "occurred_at": ""}
    )

    text = _text(response.content.decode())
    assert response.status_code == 400
    assert "请选择考评项目。" in text
    assert "请填写违规描述。" in text
    assert "请填写发生时间。" in text


def test_a_bad_photo_is_refused_next_to_the_file_input(scenario: Scenario, team: dict) -> None:
    employee = scenario.world.employees["e1"]
    response = signed_in(scenario.world, "sup1").post(
        "/findings/new/",
        {
            "employee": employee.pk,
            "kind": "patrol",
            "section": "service",
            "severity": "general",
            "points": "1",
            "description": "接待台无人值守",
            "occurred_at": _when(),
            "photos": [SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")],
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'name="photos"[^>]*>\s*<div class="invalid-feedback d-block">照片须为 JPEG、PNG 或 WebP',
        html,
    )
    assert Finding.objects.filter(employee=employee).count() == 1  # the scenario's only


def test_the_menu_offers_recording_to_inspectors(scenario: Scenario, team: dict) -> None:
    assert 'href="/findings/new/"' in signed_in(scenario.world, "sup1").get("/").content.decode()
    employee_page = signed_in(scenario.world, "emp1").get("/").content.decode()
    assert 'href="/findings/new/"' not in employee_page
