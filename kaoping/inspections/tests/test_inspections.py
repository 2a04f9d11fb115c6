"""Inspection plans (检查计划) and inspections (检查)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.org.models import Role
from kaoping.org.tests.factories import World

from ..models import Inspection, InspectionPlan
from ..services import inspection_create, inspection_plan_set_active, inspection_plans_seed
from .conftest import at, audit_since, last_audit_id

pytestmark = pytest.mark.django_db


def test_the_seed_plans_of_a_customer_service_supervisor(world: World) -> None:
    mark = last_audit_id()

    created = inspection_plans_seed(actor=world.users["manager1"], unit=world.units["p1"])
    again = inspection_plans_seed(actor=world.users["manager1"], unit=world.units["p1"])

    assert [(p.kind, p.times, p.period, p.responsible_role, p.active) for p in created] == [
        ("patrol", 2, "day", Role.SUPERVISOR, True),
        ("visit", 2, "month", Role.SUPERVISOR, True),
        ("survey", 1, "quarter", Role.SUPERVISOR, True),
    ]
    assert [str(p) for p in created] == [
        "御景湾管理处 巡视 2次/每日",
        "御景湾管理处 走访 2次/每月",
        "御景湾管理处 问卷 1次/每季度",
    ]
    assert again == []
    assert {p.company for p in created} == {world.company}
    assert audit_since(mark) == [("inspection_plan.create", "inspections.inspectionplan")] * 3


def test_only_quality_and_the_project_manager_plan_inspections(world: World) -> None:
    for user in ["sup1", "head1", "manager2", "hr", "admin", "emp1"]:
        with pytest.raises(PermissionDenied):
            inspection_plans_seed(actor=world.users[user], unit=world.units["p1"])

    assert not InspectionPlan.objects.exists()


def test_a_plan_is_stopped_once(world: World) -> None:
    [patrol, *_] = inspection_plans_seed(actor=world.users["quality"], unit=world.units["t1"])
    mark = last_audit_id()

    inspection_plan_set_active(actor=world.users["manager1"], plan=patrol, active=False)
    inspection_plan_set_active(actor=world.users["manager1"], plan=patrol, active=False)

    patrol.refresh_from_db()
    assert patrol.active is False
    assert audit_since(mark) == [("inspection_plan.deactivate", "inspections.inspectionplan")]
    with pytest.raises(ValidationError) as refused:
        inspection_create(
            actor=world.users["sup1"],
            unit=world.units["t1"],
            kind="patrol",
            at=at(3, 2),
            plan=patrol,
        )
    assert refused.value.message_dict == {"plan": ["检查计划“服务一组 巡视 2次/每日”已停用。"]}


def test_an_inspection_under_a_plan(world: World) -> None:
    [patrol, visit, _] = inspection_plans_seed(actor=world.users["quality"], unit=world.units["p1"])
    mark = last_audit_id()

    inspection = inspection_create(
        actor=world.users["sup1"],
        unit=world.units["t1"],
        kind="patrol",
        at=at(3, 2, 9, 30),
        place=" 1 栋大堂 ",
        plan=patrol,
    )

    inspection.refresh_from_db()
    assert (inspection.company, inspection.unit, inspection.kind, inspection.plan) == (
        world.company,
        world.units["t1"],
        "patrol",
        patrol,
    )
    assert (inspection.inspector, inspection.at, inspection.place) == (
        world.users["sup1"],
        dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC),
        "1 栋大堂",
    )
    assert str(inspection) == "服务一组 巡视 2026-03-02 09:30"
    assert audit_since(mark) == [("inspection.create", "inspections.inspection")]
    with pytest.raises(ValidationError) as wrong_kind:
        inspection_create(
            actor=world.users["sup1"],
            unit=world.units["t1"],
            kind="patrol",
            at=at(3, 2),
            plan=visit,
        )
    assert wrong_kind.value.message_dict == {
        "plan": ["检查计划“御景湾管理处 走访 2次/每月”与本次检查的类型或单元不符。"]
    }


def test_only_an_inspector_over_the_unit_creates_its_inspections(world: World) -> None:
    mark = last_audit_id()

    for user, unit in [
        ("emp1", "t1"),
        ("sup1", "t2"),
        ("head1", "p1"),
        ("manager2", "t1"),
        ("hr", "t1"),
    ]:
        with pytest.raises(PermissionDenied):
            inspection_create(
                actor=world.users[user], unit=world.units[unit], kind="daily", at=at(3, 2)
            )

    assert not Inspection.objects.exists()
    assert audit_since(mark) == []


def test_an_inspection_recorded_on_behalf_of_an_inspector(world: World) -> None:
    inspection = inspection_create(
        actor=None,
        unit=world.units["t1"],
        kind="internal_audit",
        at=at(3, 2),
        inspector=world.users["quality"],
    )
    assert inspection.inspector == world.users["quality"]

    with pytest.raises(ValidationError) as not_an_inspector:
        inspection_create(
            actor=None,
            unit=world.units["t1"],
            kind="daily",
            at=at(3, 2),
            inspector=world.users["hr"],
        )
    with pytest.raises(ValidationError) as nobody:
        inspection_create(actor=None, unit=world.units["t1"], kind="daily", at=at(3, 2))

    assert not_an_inspector.value.message_dict == {
        "inspector": ["该用户对“服务一组”没有检查权限。"]
    }
    assert nobody.value.message_dict == {"inspector": ["请指定检查人。"]}
    assert Inspection.objects.count() == 1
