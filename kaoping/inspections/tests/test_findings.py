"""Recording findings: validation against the policy in force, notices, corrective actions, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.org.services import employee_create
from kaoping.org.tests.factories import World, build_world
from kaoping.policies.models import PolicyDocument, PolicyVersion
from kaoping.policies.services import policy_draft_save, policy_publish

from ..models import CorrectiveAction, FaultNotice, FaultNoticeCounter, Finding, Inspection
from ..services import finding_record, inspection_create
from .conftest import at, audit_since, install_policies, last_audit_id

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        Finding.objects.count(),
        FaultNotice.objects.count(),
        CorrectiveAction.objects.count(),
        FaultNoticeCounter.objects.count(),
        AuditEvent.objects.count(),
    )


def inspection_of(world: World, unit: str = "cs1", by: str = "quality") -> Inspection:
    return inspection_create(
        actor=world.users[by], unit=world.units[unit], kind="spot", at=at(3, 1, 9), place="前台"
    )


def record(world: World, inspection: Inspection, **changes: Any) -> Finding:
    """A finding on 张三 by quality: post_quality serious 4, unless changed."""
    arguments: dict[str, Any] = {
        "actor": world.users["quality"],
        "inspection": inspection,
        "employee": world.employees["e1"],
        "section": "post_quality",
        "severity": "serious",
        "points": Decimal(4),
        "description": "未按规程登记报修",
        "occurred_at": at(3, 10),
    }
    arguments.update(changes)
    return finding_record(**arguments)


def test_a_finding_on_a_person_is_stored_with_its_policy_version_notice_and_corrective_action(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    inspection = inspection_of(world)
    mark = last_audit_id()

    finding = record(world, inspection, points=Decimal(5), mandatory_penalty=True)

    finding.refresh_from_db()
    version = PolicyVersion.objects.get(document=policies["cs-group-inspection"], number=1)
    assert (finding.unit, finding.policy_version, finding.section, finding.severity) == (
        world.units["t1"],
        version,
        "post_quality",
        "serious",
    )
    assert (finding.points, finding.item, finding.mandatory_penalty, finding.status) == (
        Decimal("5.0"),
        "",
        True,
        "active",
    )
    assert (finding.company, finding.created_by) == (world.company, world.users["quality"])
    assert finding.fault_notice.number == "GZ-202603-0001"
    action = CorrectiveAction.objects.get(finding=finding)
    assert (action.owner, action.unit, action.status, action.due) == (
        world.employees["sup1"],  # 张三's direct supervisor on the day
        world.units["t1"],
        "open",
        timezone.localdate() + dt.timedelta(days=7),
    )
    assert audit_since(mark) == [
        ("finding.record", "inspections.finding"),
        ("fault_notice.issue", "inspections.faultnotice"),
        ("corrective_action.open", "inspections.correctiveaction"),
    ]
    event = AuditEvent.objects.get(action="finding.record")
    assert (event.object_id, event.company_id, event.actor_name, event.before) == (
        str(finding.pk),
        world.company.pk,
        "gz-quality",
        None,
    )
    assert event.after is not None and event.after["points"] == "5.0"


def test_a_general_finding_takes_the_single_fixed_points_and_opens_no_corrective_action(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    inspection = inspection_of(world)
    mark = last_audit_id()

    finding = record(
        world, inspection, section="training", severity="general", points=Decimal("0.5")
    )

    assert (finding.points, finding.severity) == (Decimal("0.5"), "general")
    assert not CorrectiveAction.objects.exists()
    assert [action for action, _ in audit_since(mark)] == ["finding.record", "fault_notice.issue"]


def test_a_finding_on_a_unit_is_checked_against_the_units_policy_and_issues_no_notice(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    inspection = inspection_of(world)
    mark = last_audit_id()

    finding = record(
        world,
        inspection,
        employee=None,
        subject_unit=world.units["cs1"],
        section="cleaning",
        severity="",
        points=Decimal(2),
    )

    assert (finding.unit, finding.subject_unit, finding.employee) == (
        world.units["cs1"],
        world.units["cs1"],
        None,
    )
    assert finding.policy_version.document.code == "cs-center-monthly"
    assert finding.severity == "general"  # the section's only severity
    assert not FaultNotice.objects.exists()
    assert [action for action, _ in audit_since(mark)] == ["finding.record"]


INVALID: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
    (
        {"severity": "general", "points": Decimal(5)},
        {"points": ["5 分超出岗位工作质量一般违规的扣分范围 1–2 分"]},
    ),
    (
        {"points": Decimal(6)},
        {"points": ["6 分超出岗位工作质量严重违规的扣分范围 3–5 分"]},
    ),
    ({"points": None}, {"points": ["缺少必填项"]}),
    ({"points": Decimal("3.3")}, {"points": ["扣分应为 0.5 的正整数倍,而不是 3.3"]}),
    (
        {"section": "nope"},
        {
            "section": [
                "未知的考评项目 'nope'(可选:post_quality, handover, training, efficiency, "
                "service, other_sop, other)"
            ]
        },
    ),
    (
        {"severity": "minor"},
        {"severity": ["未知的违规程度 'minor'(可选:general, serious, consequence)"]},
    ),
    (
        {"severity": ""},
        {"severity": ["岗位工作质量须指明违规程度(可选:general, serious, consequence)"]},
    ),
    (
        {"subject_unit": "cs1"},
        {"__all__": ["请指定被考评的员工或单元(二者只能选一)。"]},
    ),
    ({"employee": None}, {"__all__": ["请指定被考评的员工或单元(二者只能选一)。"]}),
    ({"description": "  "}, {"description": ["此字段不能为空。"]}),
    ({"occurred_at": dt.datetime(2026, 3, 10, 10)}, {"occurred_at": ["时间须带时区。"]}),
    (
        {"occurred_at": "future"},
        {"occurred_at": ["时间不能晚于现在。"]},
    ),
    (
        {"occurred_at": at(12, 31, year=2025)},
        {"employee": ["张三 在 2025-12-31 没有任职记录。"]},
    ),
    (
        {"employee": "e3"},
        {"employee": ["“赵六”不在本次检查的单元“客户服务中心”范围内。"]},
    ),
]


def test_an_invalid_finding_is_refused_and_nothing_changes(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    inspection = inspection_of(world)
    named = {
        "cs1": world.units["cs1"],
        "e3": world.employees["e3"],
        "future": timezone.now() + dt.timedelta(hours=1),
    }
    before = counts()

    refusals = []
    for changes, _ in INVALID:
        with pytest.raises(ValidationError) as refused:
            record(world, inspection, **{k: named.get(v, v) for k, v in changes.items()})
        refusals.append(refused.value.message_dict)

    assert refusals == [errors for _, errors in INVALID]
    assert counts() == before


def test_a_subject_without_a_policy_in_force_is_refused_by_name(world: World) -> None:
    # given no policy is assigned to anybody
    inspection = inspection_of(world)
    before = counts()

    with pytest.raises(ValidationError) as refused:
        record(world, inspection)

    assert refused.value.message_dict == {
        "employee": ["2026-03-10 没有适用于“张三”的考评办法,请质管部先指定办法。"]
    }
    assert counts() == before


def test_only_an_inspector_over_the_subjects_unit_may_record(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    inspection = inspection_of(world)
    before = counts()

    for user, subject in [
        ("emp1", "e1"),
        ("sup1", "e2"),  # 李四 supervises 服务一组, not 王五's 服务二组
        ("manager2", "e1"),
        ("hr", "e1"),
        ("admin", "e1"),
        ("finance", "e2"),
    ]:
        with pytest.raises(PermissionDenied):
            record(world, inspection, actor=world.users[user], employee=world.employees[subject])

    assert counts() == before
    recorded = [
        record(world, inspection, actor=world.users[user]).created_by.username
        for user in ["sup1", "head1", "manager1", "quality"]
    ]
    assert recorded == ["gz-sup1", "gz-head1", "gz-manager1", "gz-quality"]


def test_a_newer_published_version_applies_from_its_effective_date(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    # given version 2 widens 岗位工作质量 serious to 3–6 points from April 2026
    document = policies["cs-group-inspection"]
    source = document.versions.get(number=1).source.replace(
        "serious: [3, 5], consequence: [6, 20]}", "serious: [3, 6], consequence: [7, 20]}", 1
    )
    v2 = policy_publish(
        actor=None,
        version=policy_draft_save(actor=None, document=document, source=source),
        effective_period="2026-04",
    )
    inspection = inspection_of(world)

    # when 6 points are recorded on the last day of March (local time) they are refused
    with pytest.raises(ValidationError) as refused:
        record(world, inspection, points=Decimal(6), occurred_at=at(3, 31, 23, 30))
    # and on 1 April, 00:30 in Shanghai (still 31 March in UTC), they are accepted under v2
    april = record(world, inspection, points=Decimal(6), occurred_at=at(4, 1, 0, 30))
    march = record(world, inspection, points=Decimal(5), occurred_at=at(3, 31, 23, 30))

    assert refused.value.message_dict == {
        "points": ["6 分超出岗位工作质量严重违规的扣分范围 3–5 分"]
    }
    assert (april.policy_version, april.points) == (v2, Decimal(6))
    assert march.policy_version.number == 1
    assert april.fault_notice.number == "GZ-202604-0001"
    assert march.fault_notice.number == "GZ-202603-0001"


def test_notice_numbers_run_per_company_and_month_of_the_finding(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    other = build_world("SZ")
    install_policies(other)
    inspection = inspection_of(world)
    other_inspection = inspection_of(other)

    numbers = [
        record(world, inspection, occurred_at=at(3, 10)).fault_notice.number,
        record(world, inspection, occurred_at=at(4, 2)).fault_notice.number,
        record(world, inspection, occurred_at=at(3, 20)).fault_notice.number,
        record(other, other_inspection, occurred_at=at(3, 5)).fault_notice.number,
        record(world, inspection, occurred_at=at(3, 1)).fault_notice.number,
        record(world, inspection, occurred_at=at(4, 30, 23)).fault_notice.number,
    ]

    assert numbers == [
        "GZ-202603-0001",
        "GZ-202604-0001",
        "GZ-202603-0002",
        "SZ-202603-0001",
        "GZ-202603-0003",
        "GZ-202604-0002",
    ]
    assert sorted(FaultNoticeCounter.objects.values_list("company__code", "month", "last")) == [
        ("GZ", dt.date(2026, 3, 1), 3),
        ("GZ", dt.date(2026, 4, 1), 2),
        ("SZ", dt.date(2026, 3, 1), 1),
    ]


def test_the_corrective_action_owner_falls_back_to_the_inspector_then_to_nobody(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    # given 王五 has no direct supervisor, and manager1 is also staff (孙七)
    manager_staff = employee_create(
        actor=None,
        company=world.company,
        number="GZ005",
        name="孙七",
        user=world.users["manager1"],
    )
    inspection = inspection_of(world)

    by_staff = record(
        world, inspection, actor=world.users["manager1"], employee=world.employees["e2"]
    )
    by_quality = record(world, inspection, employee=world.employees["e2"])

    assert CorrectiveAction.objects.get(finding=by_staff).owner == manager_staff
    # quality has no employee record: the unit's line managers assign the owner later
    assert CorrectiveAction.objects.get(finding=by_quality).owner is None


def test_a_consequence_finding_opens_a_corrective_action_for_the_subjects_team(
    world: World, policies: dict[str, PolicyDocument]
) -> None:
    inspection = inspection_of(world, unit="t1", by="sup1")

    finding = record(
        world,
        inspection,
        actor=world.users["sup1"],
        section="handover",
        severity="consequence",
        points=Decimal(10),
    )

    action = CorrectiveAction.objects.get(finding=finding)
    assert (finding.points, action.unit, action.owner) == (
        Decimal(10),
        world.units["t1"],
        world.employees["sup1"],  # 张三's supervisor
    )
