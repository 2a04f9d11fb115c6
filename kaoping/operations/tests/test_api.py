"""Operations records over the API, role by role: who lists, reads, creates, changes, deletes.

The API test company (kaoping/api/tests/fixtures.py) has one record of every type in each team
t1, t2, t3, about the team's employee (张三 e1, 王五 e2, 赵六 e3) where the type names one.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import RECORDS_SEEN, ROLES, TEAM_OF, ApiWorld, listed
from kaoping.audit.models import AuditEvent
from kaoping.operations.models import Complaint

from .records import RECORD_TYPES

Client = Callable[[str | None], APIClient]
URLS = {
    "complaint": "complaints",
    "incident": "incidents",
    "call_statistic": "call-statistics",
    "work_order": "work-orders",
    "fee_collection": "fee-collections",
    "owner_visit": "owner-visits",
    "survey_response": "surveys",
    "work_point_entry": "work-points",
}
EMPLOYEE_OF = {team: employee for employee, team in TEAM_OF.items()}
COMPLAINT = {
    "unit": "GZ-P1-T1",
    "employee": "GZ001",
    "received_at": "2026-10-15T09:00:00+08:00",
    "category": "attitude",
    "description": "前台接待态度生硬",
}


def expected(api: ApiWorld, kind: str, role: str) -> set[int]:
    teams, own = RECORDS_SEEN[role]
    names_employee = RECORD_TYPES[kind].has_employee
    return {
        pk
        for team, pk in api.records[kind].items()
        if team in teams or (names_employee and own is not None and EMPLOYEE_OF[team] == own)
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_and_reads_exactly_the_records_of_its_scope(
    api_world: ApiWorld, api_client: Client, role: str
) -> None:
    user = api_client(role)
    for kind, url in URLS.items():
        seen = expected(api_world, kind, role)
        assert listed(user, f"/api/{url}/") == seen, kind
        hidden = set(api_world.records[kind].values()) - seen
        for pk in sorted(seen)[:1] + sorted(hidden)[:1]:
            code = user.get(f"/api/{url}/{pk}/").status_code
            assert code == (200 if pk in seen else 404), (kind, pk)


def test_records_read_with_codes_numbers_and_ratios(
    api_world: ApiWorld, api_client: Client
) -> None:
    quality = api_client("quality")
    calls = quality.get(f"/api/call-statistics/{api_world.records['call_statistic']['t1']}/").json()
    fees = quality.get(f"/api/fee-collections/{api_world.records['fee_collection']['t2']}/").json()

    assert {k: calls[k] for k in ("unit", "date", "offered", "answered", "answer_rate")} == {
        "unit": "GZ-P1-T1",
        "date": "2026-10-12",
        "offered": 120,
        "answered": 114,
        "answer_rate": "0.9500",
    }
    assert (fees["employee"], fees["amount_paid"], fees["fee_collection_rate"]) == (
        "GZ003",
        "95000.00",
        "0.9500",
    )
    assert fees["fee_task_completion"] == "0.9694"
    assert "reason" not in fees and fees["created_by"] is None


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("sup1", 201),
        ("head1", 201),
        ("manager1", 201),
        ("quality", 201),
        ("manager2", 400),  # team t1 and 张三 are outside their scope: unknown to them
        ("emp2", 400),
        ("emp1", 403),
        ("hr", 403),
        ("finance", 403),
        ("admin", 403),
    ],
)
def test_who_records_a_complaint_in_team_t1(
    api_world: ApiWorld, api_client: Client, role: str, code: int
) -> None:
    before = (Complaint.objects.count(), AuditEvent.objects.count())

    response = api_client(role).post("/api/complaints/", COMPLAINT, format="json")

    assert response.status_code == code, response.json()
    if code == 201:
        body = response.json()
        assert (body["unit"], body["employee"], body["valid"], body["created_by"]) == (
            "GZ-P1-T1",
            "GZ001",
            False,
            f"gz-{role}",
        )
        assert AuditEvent.objects.order_by("-id").first().action == "complaint.create"
    else:
        assert (Complaint.objects.count(), AuditEvent.objects.count()) == before
    if code == 403:
        assert response.json() == {"detail": "您没有权限执行此操作。"}


def test_a_record_is_changed_by_its_unit_s_managers_with_the_reason_audited(
    api_world: ApiWorld, api_client: Client
) -> None:
    t1 = api_world.records["complaint"]["t1"]
    t2 = api_world.records["complaint"]["t2"]

    changed = api_client("sup1").patch(
        f"/api/complaints/{t1}/", {"valid": True, "reason": "质管部认定"}, format="json"
    )
    outside = api_client("sup1").patch(f"/api/complaints/{t2}/", {"valid": True}, format="json")
    own = api_client("emp1").patch(f"/api/complaints/{t1}/", {"valid": False}, format="json")
    invalid = api_client("sup1").patch(
        f"/api/complaints/{t1}/", {"major": True, "valid": False}, format="json"
    )

    assert changed.status_code == 200 and changed.json()["valid"] is True
    event = AuditEvent.objects.filter(action="complaint.update").get()
    assert (event.before, event.after, event.reason) == (
        {"valid": False},
        {"valid": True},
        "质管部认定",
    )
    assert outside.status_code == 404
    assert own.status_code == 403  # 张三 reads the complaint about him, but may not change it
    assert invalid.json() == {"major": ["重大投诉必须同时认定为有效投诉。"]}
    assert Complaint.objects.get(pk=t1).valid is True


def test_a_record_is_deleted_by_its_unit_s_managers_and_the_audit_keeps_it(
    api_world: ApiWorld, api_client: Client
) -> None:
    pk = api_world.records["work_order"]["t3"]

    by_employee = api_client("emp1").delete(f"/api/work-orders/{pk}/")
    by_other_project = api_client("manager1").delete(f"/api/work-orders/{pk}/")
    deleted = api_client("manager2").delete(f"/api/work-orders/{pk}/?reason=重复录入")

    assert (by_employee.status_code, by_other_project.status_code) == (404, 404)
    assert deleted.status_code == 204
    assert api_client("manager2").get(f"/api/work-orders/{pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="work_order.delete").get()
    assert (event.object_id, event.reason, event.before["kind"]) == (str(pk), "重复录入", "repair")


def test_a_penalty_without_points_takes_the_seed_s_and_a_retry_sees_the_same(
    api_world: ApiWorld, api_client: Client
) -> None:
    penalty = {
        "unit": "GZ-P1-T1",
        "employee": "GZ001",
        "date": "2026-10-16",
        "kind": "customer_quarrel",
        "external_id": "WP-1",
    }

    first = api_client("sup1").post("/api/work-points/bulk/", [penalty], format="json")
    retry = api_client("sup1").post(
        "/api/work-points/bulk/", [{**penalty, "external_id": " WP-1 "}], format="json"
    )

    assert first.status_code == 201
    pk = first.json()["rows"][0]["id"]
    assert api_client("sup1").get(f"/api/work-points/{pk}/").json()["points"] == "-50.00"
    assert retry.status_code == 200 and retry.json()["rows"][0]["status"] == "unchanged"
