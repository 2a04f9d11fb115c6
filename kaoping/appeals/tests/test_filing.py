"""Filing an appeal: who may, until when, one open per matter, and where it goes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import FaultNotice
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.org.tests.factories import World

from ..models import Appeal, Holiday
from ..services import appeal_decide, appeal_file, appeal_withdraw, holiday_set
from .conftest import at, audit_since, last_audit_id, record

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int]:
    return Appeal.objects.count(), AuditEvent.objects.count()


def test_filed_on_the_fifth_working_day_past_a_weekend_and_a_holiday(
    world: World, policies: None, calendar_: Holiday
) -> None:
    # given a finding on Thursday 15 October; Saturday, Sunday and Monday 19 are off
    finding = record(world)
    mark = last_audit_id()

    # when 张三 appeals on Friday 23, the fifth working day after it
    appeal = appeal_file(
        actor=world.users["emp1"], finding=finding, reason="当时在处理报修,并非擅离", now=at(10, 23)
    )

    # then it is open at the supervisor level, due five working days later
    appeal.refresh_from_db()
    assert (appeal.employee, appeal.unit, appeal.route, appeal.level, appeal.status) == (
        world.employees["e1"],
        world.units["t1"],
        "chain",
        "supervisor",
        "open",
    )
    assert (appeal.supervisor, appeal.finding, appeal.fault_notice, appeal.result) == (
        world.employees["sup1"],
        finding,
        None,
        None,
    )
    assert (appeal.filed_at, appeal.level_due, appeal.closed_at) == (
        at(10, 23),
        dt.date(2026, 10, 30),
        None,
    )
    assert audit_since(mark) == [("appeal.file", "appeals.appeal")]
    event = AuditEvent.objects.get(id__gt=mark)
    assert (event.actor_id, event.company_id, event.reason) == (
        world.users["emp1"].pk,
        world.company.pk,
        "当时在处理报修,并非擅离",
    )


def test_refused_after_the_window_and_nothing_is_written(
    world: World, policies: None, calendar_: Holiday
) -> None:
    finding = record(world)
    before = counts()

    # Monday 26 is the sixth working day after Thursday 15 (Monday 19 being a holiday)
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=world.users["emp1"], finding=finding, reason="不服", now=at(10, 26))

    assert raised.value.message_dict == {
        "finding": ["已超过申诉期限:须在 2026-10-15 起 5 个工作日内(至 2026-10-23)提出。"]
    }
    assert counts() == before


def test_a_make_up_working_day_shortens_the_window(
    world: World, policies: None, calendar_: Holiday
) -> None:
    # given Saturday 17 is a make-up working day (调休上班)
    holiday_set(
        actor=None, company=world.company, date=dt.date(2026, 10, 17), name="调休", workday=True
    )
    finding = record(world)

    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=world.users["emp1"], finding=finding, reason="不服", now=at(10, 23))

    assert "(至 2026-10-22)" in raised.value.message_dict["finding"][0]
    appeal = appeal_file(actor=world.users["emp1"], finding=finding, reason="不服", now=at(10, 22))
    assert appeal.level_due == dt.date(2026, 10, 29)


def test_only_the_employee_concerned_may_file(world: World, policies: None) -> None:
    from kaoping.policies.models import PolicyDocument
    from kaoping.policies.services import policy_assign

    policy_assign(
        actor=None,
        document=PolicyDocument.objects.get(company=world.company, code="cs-center-monthly"),
        unit=world.units["root"],
        unit_kind="department",
        start=dt.date(2026, 1, 1),
    )
    finding = record(world)
    unit_inspection = inspection_create(
        actor=world.users["quality"], unit=world.units["cs1"], kind="spot", at=at(10, 15)
    )
    unit_finding = finding_record(
        actor=world.users["quality"],
        inspection=unit_inspection,
        subject_unit=world.units["cs1"],
        section="cleaning",
        severity="general",
        points=Decimal(2),
        description="大堂地面有积水",
        occurred_at=at(10, 15),
    )
    before = counts()

    for user in ("emp2", "sup1", "head1", "hr", "quality"):
        with pytest.raises(PermissionDenied) as denied:
            appeal_file(actor=world.users[user], finding=finding, reason="代为申诉", now=at(10, 16))
        assert str(denied.value) == "只有当事员工本人可以提出申诉。"
    with pytest.raises(PermissionDenied):
        appeal_file(actor=world.users["emp1"], finding=unit_finding, reason="不服", now=at(10, 16))
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=world.users["emp1"], finding=finding, reason="  ", now=at(10, 16))
    assert raised.value.message_dict == {"reason": ["请填写申诉理由。"]}
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=world.users["emp1"], reason="不服", now=at(10, 16))
    assert raised.value.message_dict == {
        "__all__": ["请指定申诉对象:违规记录、过失通知单或考核结果,三者只能选一。"]
    }
    assert counts() == before


def test_one_open_appeal_per_matter_and_a_decided_one_is_not_filed_again(
    world: World, policies: None
) -> None:
    # given an open appeal on 张三's finding
    finding = record(world)
    notice = FaultNotice.objects.get(finding=finding)
    emp1 = world.users["emp1"]
    first = appeal_file(actor=emp1, finding=finding, reason="不服", now=at(10, 16))

    # then neither the finding nor its fault notice takes a second one
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=emp1, finding=finding, reason="再次申诉", now=at(10, 16))
    assert raised.value.message_dict == {"finding": [f"该违规记录已有处理中的申诉(#{first.pk})。"]}
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=emp1, fault_notice=notice, reason="再次申诉")
    assert raised.value.message_dict == {
        "fault_notice": [f"该过失通知单已有处理中的申诉(#{first.pk})。"]
    }

    # when it is withdrawn, the notice (issued today) may be appealed instead
    appeal_withdraw(actor=emp1, appeal=first, now=at(10, 16, 11))
    second = appeal_file(actor=emp1, fault_notice=notice, reason="通知单所述与事实不符")
    assert (second.fault_notice, second.finding, second.level) == (notice, None, "supervisor")

    # and once decided, the same route is closed but HR still hears a complaint about conduct
    appeal_decide(actor=world.users["sup1"], appeal=second, outcome="rejected", reason="事实清楚")
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=emp1, finding=finding, reason="再次申诉", now=at(10, 19))
    assert raised.value.message_dict == {
        "finding": [f"该违规记录的申诉已有处理结果(#{second.pk}),如不服请申请上一级复核。"]
    }
    to_hr = appeal_file(
        actor=emp1, finding=finding, reason="检查人员打击报复", to_hr=True, now=at(10, 19)
    )
    assert (to_hr.route, to_hr.level) == ("hr", "hr")


def test_a_voided_finding_is_not_appealed(world: World, policies: None) -> None:
    from kaoping.inspections.models import Finding

    finding = record(world)
    Finding.objects.filter(pk=finding.pk).update(status="voided")

    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=world.users["emp1"], finding=finding, reason="不服", now=at(10, 16))

    assert raised.value.message_dict == {"finding": ["该违规记录已撤销,无需申诉。"]}


def test_routed_to_the_first_level_someone_holds(world: World, policies: None) -> None:
    from django.contrib.auth.models import User

    from kaoping.org.services import role_assign

    e2_user = User.objects.create_user(username="gz-emp2b", password="pw")
    world.employees["e3"].user = e2_user
    world.employees["e3"].save(update_fields=["user"])
    # 张三 (服务一组): 李四 supervises the team and is her direct supervisor
    to_sup = appeal_file(
        actor=world.users["emp1"], finding=record(world, "e1"), reason="不服", now=at(10, 16)
    )
    # 王五 (服务二组): no supervisor, so the head of 客户服务中心
    to_head = appeal_file(
        actor=world.users["emp2"], finding=record(world, "e2"), reason="不服", now=at(10, 16)
    )
    # 赵六 (翠苑 服务三组): neither supervisor nor department head, so the project manager
    to_manager = appeal_file(
        actor=e2_user, finding=record(world, "e3"), reason="不服", now=at(10, 16)
    )
    # a finding 李四 recorded himself: he does not judge it, the department head does
    own = record(world, "e1", by="sup1", section="handover", points="1")
    past_recorder = appeal_file(
        actor=world.users["emp1"], finding=own, reason="组长处理不公", now=at(10, 16)
    )
    # straight to HR
    to_hr = appeal_file(
        actor=world.users["emp1"],
        finding=record(world, "e1", section="training", points="0.5"),
        reason="检查人员打击报复",
        to_hr=True,
        now=at(10, 16),
    )

    assert [a.level for a in (to_sup, to_head, to_manager, past_recorder, to_hr)] == [
        "supervisor",
        "department_head",
        "project_manager",
        "department_head",
        "hr",
    ]
    assert (to_head.supervisor, to_manager.unit) == (None, world.units["t3"])

    # a supervisor role over 服务二组 puts the next appeal of 王五 there
    role_assign(
        actor=None,
        user=world.users["head1"],
        role="supervisor",
        unit=world.units["t2"],
        start=dt.date(2026, 1, 1),
    )
    again = appeal_file(
        actor=world.users["emp2"],
        finding=record(world, "e2", section="training", points="0.5"),
        reason="不服",
        now=at(10, 16),
    )
    assert again.level == "supervisor"
