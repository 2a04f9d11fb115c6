"""Writes to the operations data: who may write, what is refused, and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.audit.services import audit_verify
from kaoping.operations import services
from kaoping.operations.models import Complaint, FeeCollection, Incident, WorkPointEntry
from kaoping.org.tests.factories import World, build_world

from .conftest import Shared
from .records import DAY, KINDS, MONTH, RECORD_TYPES, at, record_create

pytestmark = pytest.mark.django_db

WRITERS = {"sup1", "head1", "manager1", "quality"}  # over t1
NOT_WRITERS = {"emp1", "emp2", "manager2", "hr", "finance", "admin"}


def operations_events(after: int = 0) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type__startswith="operations.", id__gt=after))


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def count(kind: str) -> int:
    return RECORD_TYPES[kind].model._default_manager.count()


# --- the audit trail -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_write_leaves_exactly_its_audit_event(world: World, kind: str) -> None:
    record_type = RECORD_TYPES[kind]
    actor = world.users["sup1"]
    label = record_type.model._meta.label_lower
    mark = last_event_id()

    # when sup1 creates, changes and deletes a record of this kind
    record = record_create(kind, world, "t1", actor=actor, n=1, reason="月度录入")
    record = record_type.update(
        actor=actor, record=record, reason="核实后更正", **record_type.change
    )
    pk = record.pk
    record_type.delete(actor=actor, record=record, reason="重复录入")

    # then three events, in order, each with its values and reason, and the chain holds
    events = operations_events(after=mark)
    assert [(e.action, e.object_type, e.object_id, e.actor_id, e.reason) for e in events] == [
        (f"{kind}.create", label, str(pk), actor.pk, "月度录入"),
        (f"{kind}.update", label, str(pk), actor.pk, "核实后更正"),
        (f"{kind}.delete", label, str(pk), actor.pk, "重复录入"),
    ]
    created, updated, deleted = events
    assert created.before is None
    assert created.after is not None and created.after["unit_id"] == world.units["t1"].pk
    assert created.after["created_by_id"] == actor.pk
    assert created.company_id == world.company.pk
    assert set(updated.before or {}) == set(updated.after or {}) == set(record_type.change)
    assert deleted.before == {**created.after, **(updated.after or {})}
    assert deleted.after is None
    assert not record_type.model._default_manager.filter(pk=pk).exists()
    assert audit_verify().ok


def test_an_update_records_only_the_fields_it_changed(world: World) -> None:
    complaint = record_create("complaint", world, "t1")
    resolved = at(DAY, 16, 45)

    complaint = services.complaint_update(
        actor=world.users["quality"],
        complaint=complaint,
        valid=True,
        resolved_at=resolved,
        category="cleaning",  # unchanged
        reason="质管部认定有效",
    )

    event = operations_events()[-1]
    assert event.before == {"valid": False, "resolved_at": None}
    assert event.after == {"valid": True, "resolved_at": "2026-10-12T08:45:00+00:00"}
    assert complaint.handling_minutes == 435
    assert Complaint.objects.get(pk=complaint.pk).valid is True


def test_an_update_that_changes_nothing_records_nothing(world: World) -> None:
    visit = record_create("owner_visit", world, "t1", n=1)
    mark = last_event_id()

    services.owner_visit_update(actor=None, owner_visit=visit, household="3栋1单元502")

    assert last_event_id() == mark


def test_an_unknown_field_is_a_programming_error(world: World) -> None:
    visit = record_create("owner_visit", world, "t1")

    with pytest.raises(TypeError, match="company"):
        services.owner_visit_update(actor=None, owner_visit=visit, company=None)


# --- who may write -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_supervisors_heads_managers_and_quality_write_employees_and_staff_functions_do_not(
    world: World, kind: str
) -> None:
    rows, mark = count(kind), last_event_id()

    # when every role tries to create a record of this kind in team t1
    allowed, refused = set(), set()
    for n, user in enumerate(sorted(WRITERS | NOT_WRITERS), start=1):
        try:
            record_create(kind, world, "t1", actor=world.users[user], n=n)
        except PermissionDenied as exc:
            assert str(exc) == "您没有权限执行此操作。"
            refused.add(user)
        else:
            allowed.add(user)

    # then the line managers over t1 and quality may; nothing was written for the others
    assert (allowed, refused) == (WRITERS, NOT_WRITERS)
    assert count(kind) == rows + len(WRITERS)
    assert len(operations_events(after=mark)) == len(WRITERS)


def test_a_supervisor_may_neither_change_another_team_nor_move_a_record_there(
    shared: Shared, world: World
) -> None:
    sup1 = world.users["sup1"]
    theirs = Incident.objects.get(pk=shared.ids["incident"]["t2"])
    ours = Incident.objects.get(pk=shared.ids["incident"]["t1"])
    mark = last_event_id()

    with pytest.raises(PermissionDenied):
        services.incident_update(actor=sup1, incident=theirs, place="大堂")
    with pytest.raises(PermissionDenied):
        services.incident_update(actor=sup1, incident=ours, unit=world.units["t2"])
    with pytest.raises(PermissionDenied):
        services.incident_delete(actor=sup1, incident=theirs)

    assert last_event_id() == mark
    assert sorted((i.unit.code, i.place) for i in Incident.objects.select_related("unit")) == [
        ("GZ-P1-T1", ""),
        ("GZ-P1-T2", ""),
        ("GZ-P2-T3", ""),
    ]


# --- refused input changes nothing ---------------------------------------------------------------


REFUSED: list[tuple[str, dict[str, Any], dict[str, list[str]]]] = [
    ("complaint", {"category": "lift"}, {"category": ["值 'lift' 不是有效选项。"]}),
    ("complaint", {"description": ""}, {"description": ["此字段不能为空。"]}),
    ("complaint", {"major": True}, {"major": ["重大投诉必须同时认定为有效投诉。"]}),
    (
        "complaint",
        {"resolved_at": at(DAY, 8, 0)},
        {"resolved_at": ["处理完成时间不能早于受理时间。"]},
    ),
    (
        "complaint",
        {"callback_satisfaction": "satisfied"},
        {"callback_satisfaction": ["填写回访满意度时须同时填写回访时间。"]},
    ),
    (
        "complaint",
        {"received_at": dt.datetime(2026, 10, 12, 9, 30)},
        {"received_at": ["时间须带时区(按所在地时间录入)。"]},
    ),
    (
        "complaint",
        {"received_at": at(dt.date(2025, 12, 31))},
        {"employee": ["员工“张三(GZ001)”在 2025-12-31 未在“服务一组”或其下属单位任职。"]},
    ),
    ("incident", {"kind": "burglary"}, {"kind": ["值 'burglary' 不是有效选项。"]}),
    ("call_statistic", {"answered": 121}, {"answered": ["接听量不能大于呼入量。"]}),
    (
        "work_order",
        {"completed_at": at(DAY, 9, 0)},
        {"completed_at": ["完成时间不能早于派单时间。"]},
    ),
    (
        "fee_collection",
        {"households_paid": 201},
        {"households_paid": ["已缴户数不能大于应缴户数。"]},
    ),
    (
        "fee_collection",
        {"month": dt.date(2026, 10, 15)},
        {"month": ["月份须填写该月的第一天(如 2026-10-01)。"]},
    ),
    (
        "fee_collection",
        {"amount_paid": Decimal("-1.00")},
        {"amount_paid": ["确保该值大于或等于0。"]},
    ),
    ("owner_visit", {"household": ""}, {"household": ["此字段不能为空。"]}),
    ("survey_response", {"level": "angry"}, {"level": ["值 'angry' 不是有效选项。"]}),
    (
        "work_point_entry",
        {"kind": "slack_service", "points": Decimal("20")},
        {"points": ["扣分处罚的积分必须为负数。"]},
    ),
    ("work_point_entry", {"points": Decimal("0")}, {"points": ["工作积分不能为 0。"]}),
    ("work_point_entry", {"points": None}, {"points": ["请填写工作积分。"]}),
    ("work_point_entry", {"points": Decimal("1.255")}, {"points": ["确认小数不超过 2 位."]}),
]


@pytest.mark.parametrize(
    ("kind", "overrides", "errors"), REFUSED, ids=[f"{k}-{next(iter(e))}" for k, _, e in REFUSED]
)
def test_refused_input_names_the_field_and_changes_nothing(
    world: World, kind: str, overrides: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    rows, mark = count(kind), last_event_id()

    with pytest.raises(ValidationError) as refused:
        record_create(kind, world, "t1", actor=world.users["sup1"], n=1, **overrides)

    assert refused.value.message_dict == errors
    assert (count(kind), last_event_id()) == (rows, mark)


def test_the_employee_must_work_in_the_units_subtree_on_the_day(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        record_create("survey_response", world, "t1", employee=world.employees["e2"])

    assert refused.value.message_dict == {
        "employee": ["员工“王五(GZ003)”在 2026-10-12 未在“服务一组”或其下属单位任职。"]
    }
    # a record of the department may name anyone placed below it
    response = record_create(
        "survey_response", world, "t1", unit=world.units["cs1"], employee=world.employees["e2"]
    )
    assert response.unit == world.units["cs1"]


def test_the_employee_must_belong_to_the_units_company(world: World) -> None:
    other = build_world("SZ")

    with pytest.raises(ValidationError) as refused:
        record_create("owner_visit", world, "t1", employee=other.employees["e1"])

    assert refused.value.message_dict == {
        "employee": ["员工“张三(SZ001)”不属于“服务一组”所在的公司。"]
    }


def test_a_refused_update_leaves_the_record_and_the_log_as_they_were(world: World) -> None:
    complaint = record_create("complaint", world, "t1", n=1)
    mark = last_event_id()

    with pytest.raises(ValidationError) as refused:
        services.complaint_update(actor=world.users["sup1"], complaint=complaint, major=True)

    assert refused.value.message_dict == {"major": ["重大投诉必须同时认定为有效投诉。"]}
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.valid, stored.major) == (False, False)
    assert last_event_id() == mark


def test_a_record_cannot_move_to_another_companys_unit(world: World) -> None:
    other = build_world("SZ")
    incident = record_create("incident", world, "t1")

    with pytest.raises(ValidationError) as refused:
        services.incident_update(actor=None, incident=incident, unit=other.units["t1"])

    assert refused.value.message_dict == {"unit": ["不能把记录移到其他公司的单位“服务一组”。"]}


# --- external ids and one row per day or month ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_external_id_is_imported_once_per_company(world: World, kind: str) -> None:
    rows = count(kind)
    first = record_create(kind, world, "t1", n=1, external_id="EXT-0001")

    # when an integration retries, and when two records come without an external id
    with pytest.raises(ValidationError) as refused:
        record_create(kind, world, "t1", n=2, external_id="EXT-0001")
    record_create(kind, world, "t1", n=3)
    record_create(kind, world, "t1", n=4)

    assert refused.value.message_dict == {
        "external_id": ["外部编号(external_id)在本公司已存在,该记录已导入。"]
    }
    assert RECORD_TYPES[kind].model._default_manager.filter(external_id="EXT-0001").get() == first
    assert count(kind) == rows + 3


def test_another_company_may_use_the_same_external_id(world: World) -> None:
    other = build_world("SZ")
    record_create("work_order", world, "t1", external_id="WO-20261012-001")

    order = record_create("work_order", other, "t1", external_id="WO-20261012-001")

    assert order.company == other.company


def test_one_call_statistic_per_unit_and_day(world: World) -> None:
    # the shared record of t1 is that day's
    with pytest.raises(ValidationError) as refused:
        record_create("call_statistic", world, "t1")

    assert refused.value.message_dict == {"date": ["该单位当天的电话统计已存在,请修改原记录。"]}


def test_one_fee_collection_per_building_and_month(world: World) -> None:
    # the shared record of t1 is building 1栋's for October
    with pytest.raises(ValidationError) as refused:
        record_create("fee_collection", world, "t1", building=" 1栋 ")
    record_create("fee_collection", world, "t1", building="2栋")

    assert refused.value.message_dict == {
        "building": ["该单位(楼栋)当月的收缴记录已存在,请修改原记录。"]
    }
    assert sorted(
        FeeCollection.objects.filter(unit=world.units["t1"]).values_list("building", flat=True)
    ) == ["1栋", "2栋"]


def test_a_fee_month_is_recorded_for_the_whole_unit_or_by_building_not_both(
    world: World,
) -> None:
    # given t1's October by building (shared), and t2's November for the whole team
    record_create("fee_collection", world, "t2", month=dt.date(2026, 11, 1), building="")

    with pytest.raises(ValidationError) as whole:
        record_create("fee_collection", world, "t1", building="")
    with pytest.raises(ValidationError) as by_building:
        record_create("fee_collection", world, "t2", month=dt.date(2026, 11, 1), building="5栋")

    assert whole.value.message_dict == {
        "building": ["该单位当月已按楼栋录入,不能再录入整个单位的数据(会重复计算)。"]
    }
    assert by_building.value.message_dict == {
        "building": ["该单位当月已录入整个单位的数据,不能再按楼栋录入(会重复计算)。"]
    }


# --- the records' own arithmetic ----------------------------------------------------------------


def test_fee_rates_are_exact_decimals(world: World) -> None:
    fee = record_create(
        "fee_collection",
        world,
        "t1",
        n=1,
        households_due=300,
        households_paid=287,
        amount_paid=Decimal("95000.00"),
        task_amount=Decimal("98000.00"),
    )

    assert fee.fee_collection_rate == Decimal("0.9566666666666666666666666667")
    assert fee.fee_task_completion == Decimal("0.9693877551020408163265306122")
    nothing_due = FeeCollection(
        month=MONTH, households_due=0, households_paid=0, task_amount=Decimal(0)
    )
    assert nothing_due.fee_collection_rate is None
    assert nothing_due.fee_task_completion is None


def test_call_answer_rate_and_handling_minutes(world: World) -> None:
    calls = record_create("call_statistic", world, "t1", n=1, offered=120, answered=114)
    order = record_create("work_order", world, "t1", completed_at=at(DAY + dt.timedelta(days=1)))

    assert calls.answer_rate == Decimal("0.95")
    assert order.handling_minutes == 24 * 60


def test_a_penalty_without_points_deducts_the_seeds_amount(world: World) -> None:
    quarrel = record_create(
        "work_point_entry", world, "t1", kind="customer_quarrel", points=None, note="与业主争吵"
    )
    slack = record_create("work_point_entry", world, "t1", kind="slack_service", points=None)

    assert (quarrel.points, slack.points) == (Decimal(-50), Decimal(-20))
    assert WorkPointEntry.objects.exclude(kind="work").count() == 2
