"""Writes to the organisation: placements, transfers, permissions, the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from kaoping.audit.models import AuditEvent
from kaoping.org.models import Placement
from kaoping.org.selectors import placement_on
from kaoping.org.services import placement_create, placement_transfer, unit_create
from kaoping.org.tests.factories import World

pytestmark = pytest.mark.django_db


def test_who_was_the_supervisor_in_october_has_one_answer(world: World) -> None:
    # given e1 moves to team 2 under a new supervisor from 2026-11-01
    e1, e2 = world.employees["e1"], world.employees["e2"]
    placement_transfer(
        actor=world.users["hr"],
        employee=e1,
        unit=world.units["t2"],
        position=world.positions["reception"],
        supervisor=e2,
        start=dt.date(2026, 11, 1),
    )

    # then October answers 李四 and November 王五
    october = placement_on(employee=e1, day=dt.date(2026, 10, 31))
    november = placement_on(employee=e1, day=dt.date(2026, 11, 1))
    assert october is not None and october.supervisor == world.employees["sup1"]
    assert october.end == dt.date(2026, 10, 31)
    assert november is not None and november.supervisor == e2 and november.unit == world.units["t2"]


def test_overlapping_placements_are_refused_and_nothing_changes(world: World) -> None:
    count, events = Placement.objects.count(), AuditEvent.objects.count()

    with pytest.raises(ValidationError) as raised:
        placement_create(
            actor=world.users["hr"],
            employee=world.employees["e1"],
            unit=world.units["t2"],
            position=world.positions["reception"],
            start=dt.date(2026, 6, 1),
        )

    assert "start" in raised.value.message_dict
    assert "已有任职" in raised.value.message_dict["start"][0]
    assert (Placement.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_a_supervisor_cannot_supervise_themselves(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        placement_transfer(
            actor=world.users["hr"],
            employee=world.employees["e1"],
            unit=world.units["t1"],
            position=world.positions["reception"],
            supervisor=world.employees["e1"],
            start=dt.date(2026, 11, 1),
        )
    assert raised.value.message_dict == {"supervisor": ["员工不能是自己的直接上级。"]}
    assert placement_on(employee=world.employees["e1"], day=dt.date(2026, 11, 2)).end is None


@pytest.mark.parametrize("user", ["emp1", "sup1", "manager1", "quality", "finance"])
def test_only_hr_and_admin_change_people(world: World, user: str) -> None:
    with pytest.raises(PermissionDenied):
        placement_transfer(
            actor=world.users[user],
            employee=world.employees["e1"],
            unit=world.units["t2"],
            position=world.positions["reception"],
            start=dt.date(2026, 11, 1),
        )


def test_unit_kinds_nest_in_order(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        unit_create(
            actor=world.users["admin"],
            parent=world.units["t1"],
            kind="project",
            code="X",
            name="错位",
        )
    assert "kind" in raised.value.message_dict
    unit = unit_create(
        actor=world.users["admin"],
        parent=world.units["cs1"],
        kind="team",
        code="GZ-P1-T9",
        name="服务九组",
    )
    assert unit.path == f"{world.units['cs1'].path}{unit.pk}/"
    with pytest.raises(PermissionDenied):
        unit_create(
            actor=world.users["manager1"],
            parent=world.units["cs1"],
            kind="team",
            code="Y",
            name="越权",
        )


def test_the_admin_is_for_configuration_admins_only(world: World) -> None:
    admin_user, manager = world.users["admin"], world.users["manager1"]
    for user in (admin_user, manager):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()

    client.force_login(manager)
    assert client.get("/admin/org/employee/").status_code == 302  # sent to the login page

    client.force_login(admin_user)
    assert client.get("/admin/org/employee/").status_code == 200
    events = AuditEvent.objects.count()
    response = client.post(
        f"/admin/org/position/{world.positions['reception'].pk}/change/",
        {
            "company": world.company.pk,
            "code": "reception",
            "name": "接待员",
            "floating_pay": "900.00",
            "base_pay": "3000.00",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == events + 1
    assert (event.action, event.before["floating_pay"], event.after["floating_pay"]) == (
        "position.change",
        "800.00",
        "900.00",
    )
