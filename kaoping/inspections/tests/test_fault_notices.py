"""Fault notices (过失通知单): only the employee concerned acknowledges or disputes, once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.org.tests.factories import World

from ..models import FaultNotice
from ..services import fault_notice_acknowledge, fault_notice_dispute
from .conftest import Records, audit_since, last_audit_id

pytestmark = pytest.mark.django_db


def answers(notice: FaultNotice) -> tuple[object, object, str]:
    notice.refresh_from_db()
    return (notice.acknowledged_at, notice.disputed_at, notice.dispute_reason)


def test_the_employee_acknowledges_once_and_again_changes_nothing(
    world: World, records: Records
) -> None:
    notice = records.notices["N1"]
    mark = last_audit_id()

    first = fault_notice_acknowledge(actor=world.users["emp1"], notice=notice)
    again = fault_notice_acknowledge(actor=world.users["emp1"], notice=notice)

    assert first.acknowledged_at is not None
    assert answers(notice) == (first.acknowledged_at, None, "")
    assert again.acknowledged_at == first.acknowledged_at
    assert audit_since(mark) == [("fault_notice.acknowledge", "inspections.faultnotice")]
    event = AuditEvent.objects.get(action="fault_notice.acknowledge")
    assert event.before is not None and event.before["acknowledged_at"] is None
    assert event.after is not None and event.after["acknowledged_at"] is not None
    assert event.actor_name == "gz-emp1"


def test_the_employee_disputes_with_a_reason(world: World, records: Records) -> None:
    notice = records.notices["N2"]
    mark = last_audit_id()

    with pytest.raises(ValidationError) as without_reason:
        fault_notice_dispute(actor=world.users["emp2"], notice=notice, reason="   ")
    disputed = fault_notice_dispute(
        actor=world.users["emp2"], notice=notice, reason="  当时工牌在维修,已报备主管。 "
    )

    assert without_reason.value.message_dict == {"dispute_reason": ["请填写异议理由。"]}
    assert disputed.disputed_at is not None
    assert answers(notice) == (None, disputed.disputed_at, "当时工牌在维修,已报备主管。")
    assert audit_since(mark) == [("fault_notice.dispute", "inspections.faultnotice")]
    assert (
        AuditEvent.objects.get(action="fault_notice.dispute").reason
        == "当时工牌在维修,已报备主管。"
    )


def test_nobody_else_answers_an_employees_notice(world: World, records: Records) -> None:
    # 李四 is 张三's supervisor and quality wrote the rules: neither signs for 张三
    notice = records.notices["N1"]
    mark = last_audit_id()

    for actor in [*(world.users[u] for u in ["emp2", "sup1", "manager1", "quality"]), None]:
        with pytest.raises(PermissionDenied) as acknowledge_refused:
            fault_notice_acknowledge(actor=actor, notice=notice)
        with pytest.raises(PermissionDenied):
            fault_notice_dispute(actor=actor, notice=notice, reason="不服")
        assert str(acknowledge_refused.value) == "只有通知单上的员工本人可以签收或提出异议。"

    assert answers(notice) == (None, None, "")
    assert audit_since(mark) == []


def test_the_first_answer_is_final(world: World, records: Records) -> None:
    acknowledged, disputed = records.notices["N1"], records.notices["N2"]
    fault_notice_acknowledge(actor=world.users["emp1"], notice=acknowledged)
    fault_notice_dispute(actor=world.users["emp2"], notice=disputed, reason="不属实")
    before = (answers(acknowledged), answers(disputed))
    mark = last_audit_id()

    with pytest.raises(ValidationError) as dispute_after_acknowledge:
        fault_notice_dispute(actor=world.users["emp1"], notice=acknowledged, reason="不服")
    with pytest.raises(ValidationError) as acknowledge_after_dispute:
        fault_notice_acknowledge(actor=world.users["emp2"], notice=disputed)
    with pytest.raises(ValidationError) as dispute_twice:
        fault_notice_dispute(actor=world.users["emp2"], notice=disputed, reason="再次")

    assert dispute_after_acknowledge.value.message_dict == {
        "disputed_at": ["该通知单已签收,如有异议请提出申诉。"]
    }
    assert acknowledge_after_dispute.value.message_dict == {
        "acknowledged_at": ["该通知单已提出异议。"]
    }
    assert dispute_twice.value.message_dict == {"disputed_at": ["该通知单已提出异议。"]}
    assert (answers(acknowledged), answers(disputed)) == before
    assert audit_since(mark) == []
