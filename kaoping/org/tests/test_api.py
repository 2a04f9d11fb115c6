"""The organisation over the API, role by role: units, positions, employees, placements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ROLES, ApiWorld
from kaoping.audit.models import AuditEvent
from kaoping.org.models import Employee, OrgUnit, Placement

Client = Callable[[str | None], APIClient]
ALL_UNITS = {
    "GZ",
    "GZ-R1",
    "GZ-P1",
    "GZ-P2",
    "GZ-P1-CS",
    "GZ-P2-CS",
    "GZ-P1-T1",
    "GZ-P1-T2",
    "GZ-P2-T3",
}
EVERYONE = {"GZ001", "GZ002", "GZ003", "GZ004"}
P1 = {"GZ001", "GZ002", "GZ003"}
UNITS = {
    "emp1": {"GZ-P1-T1"},
    "emp2": {"GZ-P1-T2"},
    "sup1": {"GZ-P1-T1"},
    "head1": {"GZ-P1-CS", "GZ-P1-T1", "GZ-P1-T2"},
    "manager1": {"GZ-P1", "GZ-P1-CS", "GZ-P1-T1", "GZ-P1-T2"},
    "manager2": {"GZ-P2", "GZ-P2-CS", "GZ-P2-T3"},
}
EMPLOYEES = {
    "emp1": {"GZ001"},
    "emp2": {"GZ003"},
    "sup1": {"GZ001", "GZ002"},
    "head1": P1,
    "manager1": P1,
    "manager2": {"GZ004"},
}


def values(client: APIClient, url: str, key: str) -> set[str]:
    response = client.get(f"{url}?page_size=500")
    assert response.status_code == 200
    return {row[key] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_people_and_units_of_its_scope(
    api_world: ApiWorld, api_client: Client, role: str
) -> None:
    user = api_client(role)
    units = UNITS.get(role, ALL_UNITS)
    employees = EMPLOYEES.get(role, EVERYONE)

    assert values(user, "/api/units/", "code") == units
    assert values(user, "/api/employees/", "number") == employees
    assert values(user, "/api/placements/", "employee") == employees
    assert values(user, "/api/positions/", "code") == (
        {"reception"} if role in {"emp1", "emp2"} else {"reception", "lead"}
    )
    for code in ("GZ-P1-T2", "GZ-P2-T3"):
        pk = OrgUnit.objects.get(code=code).pk
        assert user.get(f"/api/units/{pk}/").status_code == (200 if code in units else 404)
    for number in ("GZ001", "GZ004"):
        pk = Employee.objects.get(number=number).pk
        assert user.get(f"/api/employees/{pk}/").status_code == (
            200 if number in employees else 404
        )


def test_units_and_employees_filter_by_subtree_and_read_their_parents(
    api_world: ApiWorld, api_client: Client
) -> None:
    quality = api_client("quality")

    assert values(quality, "/api/units/?unit=GZ-P2", "code") == {"GZ-P2", "GZ-P2-CS", "GZ-P2-T3"}
    assert values(quality, "/api/employees/?unit=GZ-P1-T1", "number") == {"GZ001", "GZ002"}
    assert values(quality, "/api/placements/?employee=GZ001", "unit") == {"GZ-P1-T1"}
    team = quality.get(f"/api/units/{OrgUnit.objects.get(code='GZ-P1-T1').pk}/").json()
    assert team == {
        "id": team["id"],
        "code": "GZ-P1-T1",
        "name": "服务一组",
        "kind": "team",
        "parent": "GZ-P1-CS",
        "active": True,
    }


@pytest.mark.parametrize(
    ("role", "code"), [("admin", 201), ("hr", 403), ("quality", 403), ("head1", 403), ("sup1", 400)]
)
def test_only_admins_add_units(
    api_world: ApiWorld, api_client: Client, role: str, code: int
) -> None:
    # (the supervisor does not see the department: to them it is an unknown parent)
    response = api_client(role).post(
        "/api/units/",
        {"parent": "GZ-P1-CS", "kind": "team", "code": "GZ-P1-T9", "name": "服务九组"},
        format="json",
    )

    assert response.status_code == code, response.json()
    assert OrgUnit.objects.filter(code="GZ-P1-T9").exists() == (code == 201)


def test_a_unit_may_not_rank_above_its_parent(api_world: ApiWorld, api_client: Client) -> None:
    response = api_client("admin").post(
        "/api/units/",
        {"parent": "GZ-P1-T1", "kind": "project", "code": "X", "name": "错误"},
        format="json",
    )

    assert response.json() == {"kind": ["“服务一组”下不能建立此类型的单元。"]}


@pytest.mark.parametrize(
    ("role", "code"), [("hr", 201), ("admin", 201), ("quality", 403), ("sup1", 403), ("emp1", 403)]
)
def test_hr_and_admins_add_employees_and_place_them(
    api_world: ApiWorld, api_client: Client, role: str, code: int
) -> None:
    user = api_client(role)

    created = user.post(
        "/api/employees/",
        {"number": "GZ010", "name": "钱七", "hire_date": "2026-10-01"},
        format="json",
    )

    assert created.status_code == code, created.json()
    if code != 201:
        return
    # HR sees the new employee before placing them, then places them in team t1
    assert "GZ010" in values(user, "/api/employees/", "number")
    placed = user.post(
        "/api/placements/",
        {
            "employee": "GZ010",
            "unit": "GZ-P1-T1",
            "position": "reception",
            "supervisor": "GZ002",
            "start": "2026-10-01",
        },
        format="json",
    )
    assert placed.status_code == 201, placed.json()
    assert placed.json()["supervisor"] == "GZ002"
    overlapping = user.post(
        "/api/placements/",
        {"employee": "GZ010", "unit": "GZ-P1-T2", "position": "reception", "start": "2026-10-15"},
        format="json",
    )
    assert overlapping.json() == {
        "start": ["该员工在 2026-10-01 起已有任职(服务一组),任职期间不能重叠。"]
    }
    assert list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2]) == [
        "placement.create",
        "employee.create",
    ]


def test_a_transfer_ends_the_open_placement(api_world: ApiWorld, api_client: Client) -> None:
    moved = api_client("hr").post(
        "/api/placements/transfer/",
        {"employee": "GZ003", "unit": "GZ-P1-T1", "position": "reception", "start": "2026-11-01"},
        format="json",
    )

    assert moved.status_code == 201
    assert list(
        Placement.objects.filter(employee__number="GZ003")
        .order_by("start")
        .values_list("unit__code", "end")
    ) == [("GZ-P1-T2", dt.date(2026, 10, 31)), ("GZ-P1-T1", None)]
    refused = api_client("sup1").post(
        "/api/placements/transfer/",
        {"employee": "GZ001", "unit": "GZ-P1-T1", "position": "lead", "start": "2026-11-01"},
        format="json",
    )
    assert refused.status_code == 403
