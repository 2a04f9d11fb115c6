"""Inspections, findings, fault notices and corrective actions over the API, role by role.

The API test company (kaoping/api/tests/fixtures.py): quality inspected the company root and
found against 张三 e1 (September, October and today), 王五 e2 and 赵六 e3 (October).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import RECORDS_SEEN, ROLES, ApiWorld, listed
from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import CorrectiveAction, FaultNotice, Finding, Inspection

Client = Callable[[str | None], APIClient]
FINDING = {
    "employee": "GZ001",
    "section": "service",
    "severity": "general",
    "points": "1.5",
    "description": "接待台无人值守",
    "occurred_at": "2026-10-13T10:00:00+08:00",
}


def team_of(finding: Finding, api: ApiWorld) -> str:
    return next(key for key, unit in api.world.units.items() if unit.pk == finding.unit_id)


def seen_findings(api: ApiWorld, role: str) -> set[int]:
    teams, own = RECORDS_SEEN[role]
    own_id = api.world.employees[own].pk if own else None
    return {
        f.pk
        for f in api.findings.values()
        if team_of(f, api) in teams or (own_id is not None and f.employee_id == own_id)
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_findings_and_notices_of_its_scope(
    api_world: ApiWorld, api_client: Client, role: str
) -> None:
    user = api_client(role)
    expected = seen_findings(api_world, role)
    notices = dict(FaultNotice.objects.values_list("finding_id", "pk"))
    inspections = (
        {f.inspection_id for f in Finding.objects.filter(pk__in=expected)}
        if role in {"emp1", "emp2"}
        else ({i.pk for i in Inspection.objects.all()} if role == "quality" else set())
    )

    assert listed(user, "/api/findings/") == expected
    assert listed(user, "/api/fault-notices/") == {notices[pk] for pk in expected}
    assert listed(user, "/api/inspections/") == inspections
    for finding in api_world.findings.values():
        code = user.get(f"/api/findings/{finding.pk}/").status_code
        notice = user.get(f"/api/fault-notices/{notices[finding.pk]}/").status_code
        assert (code, notice) == ((200, 200) if finding.pk in expected else (404, 404))


def test_lists_filter_by_period_unit_and_employee(api_world: ApiWorld, api_client: Client) -> None:
    quality = api_client("quality")
    f = api_world.findings

    assert listed(quality, "/api/findings/?period=2026-10") == {f["t1"].pk, f["t2"].pk, f["t3"].pk}
    assert listed(quality, "/api/findings/?unit=GZ-P1") == {
        f["sep"].pk,
        f["t1"].pk,
        f["t2"].pk,
        f["recent"].pk,
    }
    assert listed(quality, "/api/findings/?employee=GZ001&period=2026-09") == {f["sep"].pk}
    assert listed(quality, "/api/findings/?date_from=2026-10-12&date_to=2026-10-12") == {
        f["t1"].pk,
        f["t2"].pk,
        f["t3"].pk,
    }
    assert listed(quality, "/api/fault-notices/?unit=GZ-P2&period=2026-10") == {
        FaultNotice.objects.get(finding=f["t3"]).pk
    }
    assert quality.get("/api/findings/?period=2026-13").json() == {
        "period": ["'2026-13' 不是有效的考评期间,应如 2026-10、2026-Q4、2026-H2 或 2026"]
    }
    # a unit outside the viewer's scope is unknown to them, like one that does not exist
    assert api_client("sup1").get("/api/findings/?unit=GZ-P2").json() == {
        "unit": ["没有编码为“GZ-P2”的单元(或您无权查看)。"]
    }
    ordered = quality.get("/api/findings/?ordering=occurred_at").json()["results"]
    assert [row["id"] for row in ordered][:2] == [f["sep"].pk, f["sep-e3-0"].pk]


@pytest.fixture
def team_inspection(api_world: ApiWorld, api_client: Client) -> int:
    created = api_client("sup1").post(
        "/api/inspections/",
        {"unit": "GZ-P1-T1", "kind": "daily", "at": "2026-10-13T09:00:00+08:00", "place": "前台"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["unit"], body["inspector"], body["plan"]) == ("GZ-P1-T1", "gz-sup1", None)
    return int(body["id"])


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("sup1", 201),
        ("head1", 201),
        ("manager1", 201),
        ("quality", 201),
        ("manager2", 400),  # the team's inspection is outside their scope: unknown to them
        ("hr", 400),
        ("emp1", 400),
    ],
)
def test_who_records_a_finding_in_a_team_inspection(
    api_world: ApiWorld, api_client: Client, team_inspection: int, role: str, code: int
) -> None:
    before = (Finding.objects.count(), AuditEvent.objects.count())

    response = api_client(role).post(
        "/api/findings/", {**FINDING, "inspection": team_inspection}, format="json"
    )

    assert response.status_code == code, response.json()
    if code == 201:
        body = response.json()
        assert (body["unit"], body["employee"], body["points"], body["status"]) == (
            "GZ-P1-T1",
            "GZ001",
            "1.5",
            "active",
        )
        assert (body["policy"], body["policy_version"]) == ("cs-group-inspection", 1)
        assert body["fault_notice"] == FaultNotice.objects.get(finding_id=body["id"]).number
        actions = list(
            AuditEvent.objects.filter(id__gt=0).order_by("-id").values_list("action", flat=True)[:2]
        )
        assert actions == ["fault_notice.issue", "finding.record"]
    else:
        assert response.json()["inspection"] == [
            f"没有编号为 {team_inspection} 的检查(或您无权查看)。"
        ]
        assert (Finding.objects.count(), AuditEvent.objects.count()) == before


def test_an_employee_may_not_record_findings_even_in_an_inspection_they_see(
    api_world: ApiWorld, api_client: Client
) -> None:
    # 张三 sees the inspection that found against him, but is no inspector
    inspection = api_world.findings["t1"].inspection_id

    refused = api_client("emp1").post(
        "/api/findings/", {**FINDING, "inspection": inspection}, format="json"
    )

    assert (refused.status_code, refused.json()) == (403, {"detail": "您没有权限执行此操作。"})


def test_a_finding_the_policy_refuses_answers_its_field_errors(
    api_world: ApiWorld, api_client: Client, team_inspection: int
) -> None:
    body = {
        **FINDING,
        "inspection": team_inspection,
        "points": "9",
        "occurred_at": "2026-09-20T10:00:00+08:00",
    }

    closed = api_client("sup1").post("/api/findings/", body, format="json")
    both = api_client("sup1").post(
        "/api/findings/", {**body, "subject_unit": "GZ-P1-T1"}, format="json"
    )

    assert closed.status_code == 400
    assert list(closed.json()) == ["occurred_at"]
    assert both.json() == {"non_field_errors": ["请指定被考评的员工或单元(二者只能选一)。"]}


def test_the_employee_answers_their_fault_notice_and_nobody_else_may(
    api_world: ApiWorld, api_client: Client
) -> None:
    notice = FaultNotice.objects.get(finding=api_world.findings["t1"])
    url = f"/api/fault-notices/{notice.pk}"

    by_supervisor = api_client("sup1").post(f"{url}/acknowledge/")
    by_colleague = api_client("emp2").post(f"{url}/acknowledge/")
    signed = api_client("emp1").post(f"{url}/acknowledge/")
    disputed_after = api_client("emp1").post(f"{url}/dispute/", {"reason": "不同意"}, format="json")

    assert (by_supervisor.status_code, by_supervisor.json()) == (
        403,
        {"detail": "只有通知单上的员工本人可以签收或提出异议。"},
    )
    assert by_colleague.status_code == 404
    assert signed.status_code == 200 and signed.json()["acknowledged_at"] is not None
    assert disputed_after.json() == {"disputed_at": ["该通知单已签收,如有异议请提出申诉。"]}
    other = FaultNotice.objects.get(finding=api_world.findings["t2"])
    disputed = api_client("emp2").post(
        f"/api/fault-notices/{other.pk}/dispute/", {"reason": "当时不在岗位"}, format="json"
    )
    assert disputed.json()["dispute_reason"] == "当时不在岗位"
    assert listed(api_client("emp2"), "/api/fault-notices/?unanswered=true") == set()


def test_a_corrective_action_is_assigned_worked_and_verified_by_the_right_people(
    api_world: ApiWorld, api_client: Client, team_inspection: int
) -> None:
    serious = api_client("sup1").post(
        "/api/findings/",
        {
            **FINDING,
            "inspection": team_inspection,
            "section": "post_quality",
            "severity": "serious",
            "points": "4",
        },
        format="json",
    )
    action = CorrectiveAction.objects.get(finding_id=serious.json()["id"])
    url = f"/api/corrective-actions/{action.pk}"
    # the owner is 李四, 张三's direct supervisor
    assert api_client("quality").get(f"{url}/").json()["owner"] == "GZ002"

    assert api_client("emp1").get(f"{url}/").status_code == 404
    assert api_client("manager2").post(f"{url}/start/", {}, format="json").status_code == 404
    assert (
        api_client("sup1")
        .post(f"{url}/start/", {"description": "重新培训"}, format="json")
        .json()["status"]
        == "in_progress"
    )
    assert api_client("sup1").post(f"{url}/complete/", {}, format="json").json()["status"] == "done"
    refused = api_client("sup1").post(f"{url}/verify/", {"note": "已整改"}, format="json")
    assert refused.status_code == 403
    verified = api_client("quality").post(f"{url}/verify/", {"note": "已整改"}, format="json")
    assert (verified.json()["status"], verified.json()["verified_by"]) == ("verified", "gz-quality")
    again = api_client("quality").post(f"{url}/assign/", {"owner": "GZ001"}, format="json")
    assert again.json() == {"status": ["纠正措施当前为“已验证”,不能更换责任人。"]}
    assert listed(api_client("sup1"), "/api/corrective-actions/?status=verified") == {action.pk}


@pytest.mark.parametrize(
    ("role", "code"), [("sup1", 201), ("emp1", 403), ("hr", 403), ("manager2", 400)]
)
def test_who_records_an_inspection_of_team_t1(
    api_world: ApiWorld, api_client: Client, role: str, code: int
) -> None:
    response = api_client(role).post(
        "/api/inspections/",
        {"unit": "GZ-P1-T1", "kind": "spot", "at": "2026-10-14T09:00:00+08:00"},
        format="json",
    )

    assert response.status_code == code, response.json()


def test_quality_plans_inspections_and_a_supervisor_may_not(
    api_world: ApiWorld, api_client: Client
) -> None:
    plan = {
        "unit": "GZ-P1-T1",
        "kind": "patrol",
        "times": 2,
        "period": "day",
        "responsible_role": "supervisor",
    }

    refused = api_client("sup1").post("/api/inspection-plans/", plan, format="json")
    created = api_client("quality").post("/api/inspection-plans/", plan, format="json")

    assert refused.status_code == 403
    assert created.status_code == 201
    pk = created.json()["id"]
    stopped = api_client("manager1").post(
        f"/api/inspection-plans/{pk}/set-active/", {"active": False}, format="json"
    )
    assert stopped.json()["active"] is False
    assert listed(api_client("sup1"), "/api/inspection-plans/") == {pk}
    assert listed(api_client("manager2"), "/api/inspection-plans/") == set()


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(data, format="PNG")
    data.seek(0)
    data.name = "evidence.png"
    return data


def test_the_inspector_attaches_a_photo_judged_by_its_content(
    api_world: ApiWorld, api_client: Client, team_inspection: int, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    finding = (
        api_client("sup1")
        .post("/api/findings/", {**FINDING, "inspection": team_inspection}, format="json")
        .json()["id"]
    )
    url = f"/api/findings/{finding}/photos/"

    added = api_client("sup1").post(url, {"photo": png()}, format="multipart")
    fake = io.BytesIO(b"not an image")
    fake.name = "photo.png"
    refused = api_client("sup1").post(url, {"photo": fake}, format="multipart")
    by_employee = api_client("emp1").post(url, {"photo": png()}, format="multipart")

    assert added.status_code == 201
    assert (added.json()["content_type"], added.json()["finding"]) == ("image/png", finding)
    assert refused.json() == {
        "photo": ["照片须为 JPEG、PNG 或 WebP 图片(按文件内容判断,不看文件名)。"]
    }
    assert by_employee.status_code == 403
