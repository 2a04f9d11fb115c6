"""Appeals over the API, role by role: who sees them, files, decides, escalates, withdraws.

The API test company (kaoping/api/tests/fixtures.py): quality found against 张三 e1 an hour
ago, and 张三 appealed; the appeal waits at the supervisor level (李四, his direct supervisor).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ROLES, ApiWorld, listed
from kaoping.appraisals.models import Result
from kaoping.inspections.models import FaultNotice, Finding

from ..models import Appeal

Client = Callable[[str | None], APIClient]
SEES_THE_APPEAL = {"emp1", "sup1", "head1", "manager1", "quality", "hr"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_appeal_only_within_its_scope(
    api_world: ApiWorld, api_client: Client, role: str
) -> None:
    assert api_world.appeal is not None
    user = api_client(role)
    seen = role in SEES_THE_APPEAL

    assert listed(user, "/api/appeals/") == ({api_world.appeal.pk} if seen else set())
    assert user.get(f"/api/appeals/{api_world.appeal.pk}/").status_code == (200 if seen else 404)
    assert listed(user, "/api/appeals/inbox/") == (
        {api_world.appeal.pk} if role == "sup1" else set()
    )


def test_an_appeal_reads_with_its_target_level_and_due_date(
    api_world: ApiWorld, api_client: Client
) -> None:
    assert api_world.appeal is not None
    body = api_client("emp1").get(f"/api/appeals/{api_world.appeal.pk}/").json()

    assert {
        k: body[k]
        for k in ("employee", "unit", "supervisor", "finding", "route", "level", "status")
    } == {
        "employee": "GZ001",
        "unit": "GZ-P1-T1",
        "supervisor": "GZ002",
        "finding": api_world.findings["recent"].pk,
        "route": "chain",
        "level": "supervisor",
        "status": "open",
    }
    assert (body["steps"], body["corrections"], body["overdue"]) == ([], [], False)


def test_a_rejected_appeal_is_escalated_and_upheld_with_a_correction(
    api_world: ApiWorld, api_client: Client
) -> None:
    assert api_world.appeal is not None
    url = f"/api/appeals/{api_world.appeal.pk}"
    finding = api_world.findings["recent"]

    not_the_level = api_client("head1").post(
        f"{url}/decide/", {"outcome": "rejected", "reason": "证据充分"}, format="json"
    )
    rejected = api_client("sup1").post(
        f"{url}/decide/", {"outcome": "rejected", "reason": "有录像为证"}, format="json"
    )
    escalated = api_client("emp1").post(
        f"{url}/escalate/", {"reason": "录像时间不对"}, format="json"
    )
    upheld = api_client("head1").post(
        f"{url}/decide/",
        {
            "outcome": "upheld",
            "reason": "录像时间与违规时间不符",
            "corrections": [{"finding": finding.pk, "action": "void"}],
        },
        format="json",
    )

    assert (not_the_level.status_code, not_the_level.json()) == (
        403,
        {"detail": "您不是该申诉当前级别(主管/组长)的处理人。"},
    )
    assert rejected.json()["status"] == "rejected"
    assert (escalated.json()["status"], escalated.json()["level"]) == ("open", "department_head")
    body = upheld.json()
    assert body["status"] == "upheld"
    assert [(s["kind"], s["outcome"], s["actor"]) for s in body["steps"]] == [
        ("decision", "rejected", "gz-sup1"),
        ("escalation", "", "gz-emp1"),
        ("decision", "upheld", "gz-head1"),
    ]
    assert [(c["finding"], c["action"]) for c in body["corrections"]] == [(finding.pk, "void")]
    assert Finding.objects.get(pk=finding.pk).status == "voided"


def test_upholding_needs_a_correction_and_rejecting_allows_none(
    api_world: ApiWorld, api_client: Client
) -> None:
    assert api_world.appeal is not None
    url = f"/api/appeals/{api_world.appeal.pk}/decide/"
    other = api_world.findings["t2"].pk

    without = api_client("sup1").post(url, {"outcome": "upheld", "reason": "成立"}, format="json")
    unknown = api_client("sup1").post(
        url,
        {
            "outcome": "upheld",
            "reason": "成立",
            "corrections": [{"finding": other, "action": "void"}],
        },
        format="json",
    )

    assert without.json() == {
        "corrections": ["申诉成立(含部分成立)时,须至少更正一条违规记录(撤销或改变扣分)。"]
    }
    # 王五's finding is outside 李四's scope: unknown to him
    assert unknown.json() == {
        "corrections": {"0": {"finding": [f"没有编号为 {other} 的违规记录(或您无权查看)。"]}}
    }
    own = api_world.findings["recent"].pk
    rejecting = api_client("sup1").post(
        url,
        {
            "outcome": "rejected",
            "reason": "驳回",
            "corrections": [{"finding": own, "action": "void"}],
        },
        format="json",
    )
    assert rejecting.json() == {"corrections": ["驳回申诉时不能更正违规记录。"]}
    assert Appeal.objects.get(pk=api_world.appeal.pk).status == "open"


def test_only_the_employee_files_and_withdraws_within_the_window(
    api_world: ApiWorld, api_client: Client
) -> None:
    notice = FaultNotice.objects.get(finding=api_world.findings["recent"])
    result = Result.objects.get(appraisal__employee__number="GZ001")

    same_matter = api_client("emp1").post(
        "/api/appeals/", {"fault_notice": notice.pk, "reason": "同一件事"}, format="json"
    )
    by_supervisor = api_client("sup1").post(
        "/api/appeals/", {"result": result.pk, "reason": "替他申诉"}, format="json"
    )
    late = api_client("emp2").post(
        "/api/appeals/",
        {"finding": api_world.findings["t2"].pk, "reason": "迟到的申诉"},
        format="json",
    )
    filed = api_client("emp1").post(
        "/api/appeals/", {"result": result.pk, "reason": "扣分有误", "to_hr": True}, format="json"
    )

    assert same_matter.json() == {
        "fault_notice": [f"该过失通知单已有处理中的申诉(#{api_world.appeal.pk})。"]
    }
    assert (by_supervisor.status_code, by_supervisor.json()) == (
        403,
        {"detail": "只有当事员工本人可以提出申诉。"},
    )
    assert late.status_code == 400 and list(late.json()) == ["finding"]
    assert late.json()["finding"][0].startswith("已超过申诉期限")
    assert filed.status_code == 201
    assert (filed.json()["route"], filed.json()["level"]) == ("hr", "hr")
    # a complaint to HR is for HR and the appellant: the line managers do not see it
    assert filed.json()["id"] not in listed(api_client("sup1"), "/api/appeals/")
    assert filed.json()["id"] in listed(api_client("hr"), "/api/appeals/inbox/")
    withdrawn = api_client("emp1").post(
        f"/api/appeals/{filed.json()['id']}/withdraw/", {}, format="json"
    )
    assert withdrawn.json()["status"] == "withdrawn"
