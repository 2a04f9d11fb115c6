"""Corrective actions (纠正措施): open → in_progress → done → verified, and overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.org.tests.factories import World

from ..models import CorrectiveAction
from ..selectors import corrective_action_list
from ..services import (
    corrective_action_assign,
    corrective_action_complete,
    corrective_action_start,
    corrective_action_verify,
)
from .conftest import Records, audit_since, last_audit_id

pytestmark = pytest.mark.django_db


def state(action: CorrectiveAction) -> tuple[str, str, str, object]:
    action.refresh_from_db()
    return (action.status, action.description, action.verification_note, action.verified_by)


def test_the_owner_corrects_and_quality_verifies(world: World, records: Records) -> None:
    action = records.actions["A1"]  # owner 李四 (sup1)
    mark = last_audit_id()

    started = corrective_action_start(actor=world.users["sup1"], action=action)
    done = corrective_action_complete(
        actor=world.users["sup1"], action=action, description="重新培训《报修工作规程》并抽查"
    )
    verified = corrective_action_verify(
        actor=world.users["quality"], action=action, note="抽查 10 单,均已按规程登记"
    )

    assert (started.status, started.started_at is not None) == ("in_progress", True)
    assert (done.status, done.completed_at is not None) == ("done", True)
    assert state(action) == (
        "verified",
        "重新培训《报修工作规程》并抽查",
        "抽查 10 单,均已按规程登记",
        world.users["quality"],
    )
    assert verified.verified_at is not None
    assert audit_since(mark) == [
        ("corrective_action.start", "inspections.correctiveaction"),
        ("corrective_action.complete", "inspections.correctiveaction"),
        ("corrective_action.verify", "inspections.correctiveaction"),
    ]


def test_only_the_allowed_transitions_are_taken(world: World, records: Records) -> None:
    action = records.actions["A1"]
    sup1, quality = world.users["sup1"], world.users["quality"]
    mark = last_audit_id()

    with pytest.raises(ValidationError) as complete_open:
        corrective_action_complete(actor=sup1, action=action, description="已整改")
    with pytest.raises(ValidationError) as verify_open:
        corrective_action_verify(actor=quality, action=action, note="好")
    corrective_action_start(actor=sup1, action=action)
    with pytest.raises(ValidationError) as start_twice:
        corrective_action_start(actor=sup1, action=action)
    with pytest.raises(ValidationError) as complete_without_measures:
        corrective_action_complete(actor=sup1, action=action)

    assert complete_open.value.message_dict == {"status": ["纠正措施当前为“待处理”,不能完成。"]}
    assert verify_open.value.message_dict == {"status": ["纠正措施当前为“待处理”,不能验证。"]}
    assert start_twice.value.message_dict == {"status": ["纠正措施当前为“整改中”,不能开始整改。"]}
    assert complete_without_measures.value.message_dict == {
        "description": ["请填写所采取的纠正措施。"]
    }
    assert state(action) == ("in_progress", "", "", None)
    assert [name for name, _ in audit_since(mark)] == ["corrective_action.start"]


def test_the_owner_never_verifies_their_own_correction(world: World, records: Records) -> None:
    action = records.actions["A1"]
    corrective_action_start(actor=world.users["sup1"], action=action, description="班前会通报")
    corrective_action_complete(actor=world.users["sup1"], action=action)
    mark = last_audit_id()

    with pytest.raises(PermissionDenied):
        corrective_action_verify(actor=world.users["sup1"], action=action, note="已完成")
    with pytest.raises(ValidationError) as without_note:
        corrective_action_verify(actor=world.users["manager1"], action=action, note=" ")

    assert without_note.value.message_dict == {"verification_note": ["请填写验证意见。"]}
    assert state(action) == ("done", "班前会通报", "", None)
    assert audit_since(mark) == []
    verified = corrective_action_verify(actor=world.users["head1"], action=action, note="已核实")
    assert verified.status == "verified"


def test_people_outside_the_action_may_not_work_on_it(world: World, records: Records) -> None:
    action = records.actions["A1"]
    mark = last_audit_id()

    for user in ["emp1", "emp2", "manager2", "hr", "admin"]:
        with pytest.raises(PermissionDenied):
            corrective_action_start(actor=world.users[user], action=action)
        with pytest.raises(PermissionDenied):
            corrective_action_assign(
                actor=world.users[user], action=action, owner=world.employees["e1"]
            )

    assert state(action) == ("open", "", "", None)
    assert audit_since(mark) == []


def test_an_unowned_action_is_assigned_by_the_units_manager(world: World, records: Records) -> None:
    action = records.actions["A3"]  # 赵六 has no supervisor, manager2 no employee record
    mark = last_audit_id()

    assigned = corrective_action_assign(
        actor=world.users["manager2"], action=action, owner=world.employees["e3"]
    )

    assert assigned.owner == world.employees["e3"]
    assert audit_since(mark) == [("corrective_action.assign", "inspections.correctiveaction")]


def test_an_action_goes_overdue_after_its_due_date_until_done(
    world: World, records: Records
) -> None:
    action = records.actions["A1"]
    due = timezone.localdate() + dt.timedelta(days=7)
    quality = world.users["quality"]

    def overdue_on(day: dt.date) -> set[int]:
        return set(
            corrective_action_list(viewer=quality, overdue=True, today=day).values_list(
                "pk", flat=True
            )
        )

    assert action.due == due
    assert (action.is_overdue(due), action.is_overdue(due + dt.timedelta(days=1))) == (False, True)
    assert overdue_on(due) == set()
    assert overdue_on(due + dt.timedelta(days=1)) == {action.pk, records.actions["A3"].pk}
    assert not corrective_action_list(viewer=quality, overdue=True).exists()  # today

    corrective_action_start(actor=world.users["sup1"], action=action)
    assert overdue_on(due + dt.timedelta(days=1)) == {action.pk, records.actions["A3"].pk}
    corrective_action_complete(actor=world.users["sup1"], action=action, description="已整改")
    action.refresh_from_db()

    assert action.is_overdue(due + dt.timedelta(days=1)) is False
    assert overdue_on(due + dt.timedelta(days=1)) == {records.actions["A3"].pk}
    # manager2's list shows only the overdue work of 翠苑管理处
    late = corrective_action_list(
        viewer=world.users["manager2"], overdue=True, today=due + dt.timedelta(days=1)
    )
    assert list(late) == [records.actions["A3"]]
