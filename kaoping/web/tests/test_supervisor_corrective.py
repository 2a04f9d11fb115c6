"""Corrective actions (纠正措施): the list and its filters, and 开始整改 → 完成 → 验证."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import CorrectiveAction
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.org.tests.factories import build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def serious(scenario: Scenario, employee: str = "e1") -> CorrectiveAction:
    """A serious finding (岗位工作质量, 严重违规) on `employee` by quality: its corrective action,
    owned by their direct supervisor (李四 for 张三)."""
    world = scenario.world
    when = scenario.now()
    inspection = inspection_create(
        actor=world.users["quality"], unit=world.units["root"], kind="spot", at=when
    )
    finding = finding_record(
        actor=world.users["quality"],
        inspection=inspection,
        employee=world.employees[employee],
        section="post_quality",
        severity="serious",
        points=Decimal("4"),
        description="未按《报修工作规程》登记报修",
        occurred_at=when,
    )
    return CorrectiveAction.objects.get(finding=finding)


@pytest.fixture
def action(scenario: Scenario) -> CorrectiveAction:
    scenario.current_month()
    return serious(scenario)


def _htmx(pk: int) -> dict[str, str]:
    return {**HTMX, "HX-Target": f"action-{pk}"}


def test_the_list_shows_the_action_and_the_next_step(
    scenario: Scenario, action: CorrectiveAction
) -> None:
    response = signed_in(scenario.world, "sup1").get("/corrective-actions/")

    html = response.content.decode()
    text = _text(html)
    assert response.status_code == 200
    assert "张三 · 岗位工作质量 待处理" in text
    assert "责任人:李四" in text
    assert f'action="/corrective-actions/{action.pk}/start/"' in html


def test_start_complete_verify(scenario: Scenario, action: CorrectiveAction) -> None:
    sup1 = signed_in(scenario.world, "sup1")
    base = f"/corrective-actions/{action.pk}"

    started = sup1.post(f"{base}/start/", {"text": ""}, headers=_htmx(action.pk))
    assert started.status_code == 200
    assert "纠正措施已开始整改。" in started.content.decode()
    assert "整改中" in _text(started.content.decode())

    refused = sup1.post(f"{base}/complete/", {"text": " "}, headers=_htmx(action.pk))
    assert refused.status_code == 400
    assert re.search(
        r'is-invalid"[^>]*name="text"[^>]*>\s*</textarea>\s*'
        r'<div class="invalid-feedback d-block">请填写所采取的纠正措施。</div>',
        refused.content.decode(),
    )
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.IN_PROGRESS

    completed = sup1.post(f"{base}/complete/", {"text": "重新培训报修登记流程"})  # no htmx
    assert completed.status_code == 302 and completed["Location"] == "/corrective-actions/"
    listing = _text(sup1.get("/corrective-actions/").content.decode())
    assert "纠正措施已完成,等待验证。" in listing
    assert "已完成" in listing and "纠正措施: 重新培训报修登记流程" in listing
    # The owner never verifies their own correction: no step for 李四.
    assert f"{base}/verify/" not in sup1.get("/corrective-actions/").content.decode()
    assert sup1.post(f"{base}/verify/", {"text": "ok"}).status_code == 403

    head = signed_in(scenario.world, "head1")
    verified = head.post(f"{base}/verify/", {"text": "已抽查,登记完整"}, headers=_htmx(action.pk))
    assert verified.status_code == 200
    assert "已验证" in _text(verified.content.decode())
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.VERIFIED
    assert action.verification_note == "已抽查,登记完整"
    assert list(
        AuditEvent.objects.filter(action__startswith="corrective_action.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "corrective_action.open",
        "corrective_action.start",
        "corrective_action.complete",
        "corrective_action.verify",
    ]


def test_the_filters(scenario: Scenario, action: CorrectiveAction) -> None:
    client = signed_in(scenario.world, "sup1")
    none = "没有符合条件的纠正措施。"

    assert none in client.get("/corrective-actions/?status=done").content.decode()
    assert none not in client.get("/corrective-actions/?status=open").content.decode()
    assert none in client.get("/corrective-actions/?overdue=on").content.decode()
    # Past its due date (moved back: the service sets it seven days ahead).
    CorrectiveAction.objects.filter(pk=action.pk).update(
        due=timezone.localdate() - dt.timedelta(days=1)
    )
    overdue = client.get(
        "/corrective-actions/?overdue=on", headers={**HTMX, "HX-Target": "actions-list"}
    )
    html = overdue.content.decode()
    assert html.lstrip().startswith('<div id="actions-list">')
    assert "(已逾期)" in _text(html)


def test_out_of_scope_is_404(scenario: Scenario, action: CorrectiveAction) -> None:
    other = signed_in(scenario.world, "manager2")

    assert "没有符合条件的纠正措施。" in other.get("/corrective-actions/").content.decode()
    assert other.post(f"/corrective-actions/{action.pk}/start/", {"text": ""}).status_code == 404
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


def _list_queries(code: str, size: int) -> int:
    world = build_world(code)
    scenario = Scenario(world)
    scenario.policies()
    scenario.current_month()
    for _ in range(size):
        serious(scenario)
    client = signed_in(world, "sup1")
    client.get("/corrective-actions/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/corrective-actions/")
    assert response.content.decode().count('class="card mb-2 kp-action') == size
    return len(queries)


def test_the_list_makes_the_same_queries_for_1_and_20_rows() -> None:
    one = _list_queries("GZ", 1)
    twenty = _list_queries("SZ", 20)
    assert one == twenty, (one, twenty)
    assert one <= 12, one
