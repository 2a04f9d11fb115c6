"""Deciding an appeal: the right holder, a reason, corrections, and closed results re-scored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.appraisals.models import OutcomeItem, Result
from kaoping.appraisals.selectors import payroll_rows
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import Finding
from kaoping.org.tests.factories import World
from kaoping.periods.guard import ensure_open
from kaoping.periods.models import Period

from ..models import Appeal, AppealStep, FindingCorrection
from ..selectors import evaluator_overturns, open_appeal_employee_ids
from ..services import (
    Correction,
    appeal_decide,
    appeal_escalate_request,
    appeal_file,
    appeal_withdraw,
)
from .conftest import at, audit_since, last_audit_id, record

pytestmark = pytest.mark.django_db


def october(world: World) -> Period:
    return period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )


def two_findings(world: World) -> tuple[Finding, Finding]:
    """张三 on 5 October: 岗位工作质量 严重违规 4 (uniform) and 服务质量 一般违规 1.5."""
    serious = record(
        world,
        when=at(10, 5),
        section="post_quality",
        severity="serious",
        points="4",
        item="uniform",
    )
    general = record(world, when=at(10, 5))
    return serious, general


def state(*findings: Finding) -> tuple[object, ...]:
    rows = Finding.objects.filter(pk__in=[f.pk for f in findings]).order_by("pk")
    return (
        tuple(rows.values_list("status", "points")),
        Appeal.objects.filter(status="open").count(),
        FindingCorrection.objects.count(),
        AppealStep.objects.count(),
        Result.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_decision_needs_the_current_levels_holder_and_a_reason(
    world: World, policies: None
) -> None:
    finding = record(world)
    appeal = appeal_file(actor=world.users["emp1"], finding=finding, reason="不服", now=at(10, 16))
    before = state(finding)

    # the appellant, the inspector, the level above and others are not the supervisor level
    for user in ("emp1", "quality", "head1", "manager1", "hr", "manager2"):
        with pytest.raises(PermissionDenied) as denied:
            appeal_decide(
                actor=world.users[user], appeal=appeal, outcome="rejected", reason="事实清楚"
            )
        assert str(denied.value) == "您不是该申诉当前级别(主管/组长)的处理人。"
    sup1 = world.users["sup1"]
    for outcome, reason, corrections, expected in [
        ("rejected", " ", [], {"reason": ["请填写处理意见(决定理由)。"]}),
        ("dismissed", "事实清楚", [], {"outcome": ["处理结果须为:申诉成立、部分成立或驳回。"]}),
        (
            "upheld",
            "确有误判",
            [],
            {"corrections": ["申诉成立(含部分成立)时,须至少更正一条违规记录(撤销或改变扣分)。"]},
        ),
        (
            "rejected",
            "事实清楚",
            [Correction.void(finding)],
            {"corrections": ["驳回申诉时不能更正违规记录。"]},
        ),
    ]:
        with pytest.raises(ValidationError) as raised:
            appeal_decide(
                actor=sup1, appeal=appeal, outcome=outcome, reason=reason, corrections=corrections
            )
        assert raised.value.message_dict == expected
    assert state(finding) == before


def test_upheld_in_an_open_period_voids_the_finding_and_it_no_longer_counts(
    world: World, policies: None
) -> None:
    # given October is open and 张三 appealed her 1.5-point finding
    period = october(world)
    serious, general = two_findings(world)
    appeal = appeal_file(actor=world.users["emp1"], finding=general, reason="不服", now=at(10, 8))
    mark = last_audit_id()

    # when her supervisor upholds it
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeal,
        outcome="upheld",
        reason="当时正在处理业主报修",
        corrections=[Correction.void(general)],
        now=at(10, 9),
    )

    # then the finding is voided through a correction record, and the appeal is closed
    general.refresh_from_db()
    appeal.refresh_from_db()
    assert (general.status, general.points) == ("voided", Decimal("1.5"))
    correction = FindingCorrection.objects.get()
    assert (correction.finding, correction.appeal, correction.action) == (general, appeal, "void")
    assert (correction.old_points, correction.new_points, correction.by, correction.at) == (
        Decimal("1.5"),
        None,
        world.users["sup1"],
        at(10, 9),
    )
    assert (appeal.status, appeal.closed_at) == ("upheld", at(10, 9))
    step = AppealStep.objects.get(appeal=appeal)
    assert (step.level, step.kind, step.outcome, step.reason, step.actor) == (
        "supervisor",
        "decision",
        "upheld",
        "当时正在处理业主报修",
        world.users["sup1"],
    )
    assert audit_since(mark) == [
        ("finding.correct", "inspections.finding"),
        ("appeal.decide", "appeals.appeal"),
    ]
    assert Result.objects.count() == 0  # nothing closed, nothing re-scored
    # and the month's score counts only the serious finding: 100 − 4
    period_close(actor=world.users["quality"], period=period)
    result = Result.objects.get(period=period, employee=world.employees["e1"])
    assert (result.revision, result.total, result.penalty_points, result.fine) == (
        1,
        Decimal("96.0"),
        Decimal("4.0"),
        Decimal("20.00"),
    )


def test_upheld_in_a_closed_period_supersedes_the_result_with_revision_2(
    world: World, policies: None
) -> None:
    # given 张三 appealed on 8 October, and October was closed while it was pending
    period = october(world)
    serious, general = two_findings(world)
    appeal = appeal_file(actor=world.users["emp1"], finding=general, reason="不服", now=at(10, 8))
    period_close(actor=world.users["quality"], period=period)
    first = Result.objects.get(period=period, employee=world.employees["e1"])
    assert (first.total, first.fine, first.penalty_points) == (
        Decimal("94.5"),
        Decimal("47.50"),
        Decimal("5.5"),
    )
    # the payroll sheet flags her row while the appeal is open
    assert open_appeal_employee_ids(period=period) == frozenset({world.employees["e1"].pk})
    rows = payroll_rows(
        viewer=world.users["finance"],
        period=period,
        open_appeals=open_appeal_employee_ids(period=period),
    )
    assert {r.number: r.open_appeal for r in rows} == {
        "GZ001": True,
        "GZ002": False,
        "GZ003": False,
        "GZ004": False,
    }
    mark = last_audit_id()

    # when the supervisor upholds it
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeal,
        outcome="upheld",
        reason="当时正在处理业主报修",
        corrections=[Correction.void(general)],
    )

    # then revision 2 supersedes revision 1, which stays as it was
    first.refresh_from_db()
    second = Result.objects.get(appraisal=first.appraisal, revision=2)
    assert first.superseded_by == second and second.superseded_by is None
    assert (first.total, first.fine) == (Decimal("94.5"), Decimal("47.50"))
    assert (second.total, second.penalty_points, second.fine, second.grade) == (
        Decimal("96.0"),
        Decimal("4.0"),
        Decimal("20.00"),
        first.grade,
    )
    assert second.correction_reason == f"申诉 #{appeal.pk}(申诉成立):当时正在处理业主报修"
    # the publication item of revision 1 is cancelled; 4 points are not published
    assert list(OutcomeItem.objects.filter(result=first).values_list("action", "status")) == [
        ("publish", "cancelled")
    ]
    assert not OutcomeItem.objects.filter(result=second).exists()
    assert audit_since(mark) == [
        ("finding.correct", "inspections.finding"),
        ("result.correct", "appraisals.result"),
        ("appeal.decide", "appeals.appeal"),
    ]
    # the flag is gone, the payroll sheet reads revision 2
    assert open_appeal_employee_ids(period=period) == frozenset()
    row = next(
        r for r in payroll_rows(viewer=world.users["finance"], period=period) if r.number == "GZ001"
    )
    assert (row.revision, row.own_deduction) == (2, Decimal("20.00"))
    # and the closed-period lock still refuses ordinary edits
    with pytest.raises(ValidationError) as raised:
        record(world, when=at(10, 20))
    assert "已关账" in str(raised.value)
    with pytest.raises(ValidationError):
        ensure_open(company_id=world.company.pk, day=dt.date(2026, 10, 5))


def test_an_appeal_on_a_result_corrects_the_periods_findings_partly(
    world: World, policies: None
) -> None:
    # given October is closed with 张三's two findings and 王五's one
    period = october(world)
    serious, general = two_findings(world)
    other = record(world, "e2", when=at(10, 6))
    period_close(actor=world.users["quality"], period=period)
    result = Result.objects.get(period=period, employee=world.employees["e1"])
    appeal = appeal_file(actor=world.users["emp1"], result=result, reason="考核结果偏低")
    assert (appeal.result, appeal.level, appeal.supervisor) == (
        result,
        "supervisor",
        world.employees["sup1"],
    )
    before = state(serious, general, other)

    # then a finding of another employee, or points outside the range, are refused
    refusals = [
        ([Correction.void(other)], f"违规记录 #{other.pk} 不在本申诉的范围内。"),
        (
            [Correction.change_points(serious, "2")],
            f"违规记录 #{serious.pk}:2 分超出岗位工作质量严重违规的扣分范围 3–5 分",
        ),
        (
            [Correction.change_points(serious, "5")],
            f"申诉更正只能减少扣分:违规记录 #{serious.pk} 原扣 4.0 分,新扣分须低于此数。",
        ),
        (
            [Correction.void(serious), Correction.void(serious)],
            f"违规记录 #{serious.pk} 重复更正。",
        ),
    ]
    for corrections, message in refusals:
        with pytest.raises(ValidationError) as raised:
            appeal_decide(
                actor=world.users["sup1"],
                appeal=appeal,
                outcome="partly_upheld",
                reason="扣分偏重",
                corrections=corrections,
            )
        assert raised.value.message_dict == {"corrections": [message]}
    assert state(serious, general, other) == before

    # when the supervisor lowers the serious finding from 4 to 3 points
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeal,
        outcome="partly_upheld",
        reason="扣分偏重",
        corrections=[Correction.change_points(serious, "3")],
    )

    # then the finding keeps its row with 3 points, the correction holds 4 → 3
    serious.refresh_from_db()
    assert (serious.status, serious.points) == ("active", Decimal("3.0"))
    correction = FindingCorrection.objects.get(finding=serious)
    assert (correction.action, correction.old_points, correction.new_points) == (
        "change_points",
        Decimal("4.0"),
        Decimal("3.0"),
    )
    second = Result.objects.get(appraisal=result.appraisal, superseded_by__isnull=True)
    assert (second.revision, second.total, second.penalty_points, second.fine) == (
        2,
        Decimal("95.5"),
        Decimal("4.5"),
        Decimal("22.50"),
    )
    # and the superseded revision can no longer be appealed
    with pytest.raises(ValidationError) as raised:
        appeal_file(actor=world.users["emp1"], result=result, reason="再次申诉")
    assert raised.value.message_dict == {
        "result": ["该考核结果已被更正为第 2 版,请对最新结果申诉。"]
    }


def test_a_rejection_is_taken_up_the_chain_until_the_final_level(
    world: World, policies: None
) -> None:
    finding = record(world)
    emp1 = world.users["emp1"]
    appeal = appeal_file(actor=emp1, finding=finding, reason="不服", now=at(10, 16))
    with pytest.raises(ValidationError) as raised:  # not before a decision
        appeal_escalate_request(actor=emp1, appeal=appeal, reason="太慢", now=at(10, 16))
    assert raised.value.message_dict == {
        "status": ["只有被驳回或部分成立的申诉可以申请上一级复核。"]
    }
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeal,
        outcome="rejected",
        reason="事实清楚",
        now=at(10, 19),
    )

    # nobody but the appellant asks for the next level, and only with a reason
    with pytest.raises(PermissionDenied):
        appeal_escalate_request(
            actor=world.users["sup1"], appeal=appeal, reason="复核", now=at(10, 20)
        )
    with pytest.raises(ValidationError) as raised:
        appeal_escalate_request(actor=emp1, appeal=appeal, reason="", now=at(10, 20))
    assert raised.value.message_dict == {"reason": ["请说明申请上一级复核的理由。"]}
    # after five working days it is too late (Monday 19 + 5 = Monday 26)
    with pytest.raises(ValidationError) as raised:
        appeal_escalate_request(actor=emp1, appeal=appeal, reason="组长偏袒", now=at(10, 27))
    assert raised.value.message_dict == {
        "status": ["已超过申请复核的期限:须在处理决定后 5 个工作日内(至 2026-10-26)提出。"]
    }

    # when she asks in time, the department head has it, due in five working days
    appeal_escalate_request(actor=emp1, appeal=appeal, reason="组长偏袒", now=at(10, 20))
    appeal.refresh_from_db()
    assert (appeal.status, appeal.level, appeal.level_due, appeal.closed_at) == (
        "open",
        "department_head",
        dt.date(2026, 10, 27),
        None,
    )
    with pytest.raises(PermissionDenied):  # the supervisor's turn is over
        appeal_decide(
            actor=world.users["sup1"], appeal=appeal, outcome="rejected", reason="事实清楚"
        )
    appeal_decide(
        actor=world.users["head1"],
        appeal=appeal,
        outcome="rejected",
        reason="维持原判",
        now=at(10, 21),
    )
    appeal_escalate_request(actor=emp1, appeal=appeal, reason="仍然不服", now=at(10, 22))
    appeal.refresh_from_db()
    assert appeal.level == "project_manager"
    appeal_decide(
        actor=world.users["manager1"],
        appeal=appeal,
        outcome="rejected",
        reason="终审维持",
        now=at(10, 23),
    )

    # then the project manager's decision stands for good
    with pytest.raises(ValidationError) as raised:
        appeal_escalate_request(actor=emp1, appeal=appeal, reason="还是不服", now=at(10, 23))
    assert raised.value.message_dict == {"level": ["该申诉已由最终级别(项目经理)处理,不能再升级。"]}
    steps = list(
        AppealStep.objects.filter(appeal=appeal).values_list("level", "kind", "outcome", "actor")
    )
    sup1, head1, manager1 = (world.users[n].pk for n in ("sup1", "head1", "manager1"))
    assert steps == [
        ("supervisor", "decision", "rejected", sup1),
        ("supervisor", "escalation", "", emp1.pk),
        ("department_head", "decision", "rejected", head1),
        ("department_head", "escalation", "", emp1.pk),
        ("project_manager", "decision", "rejected", manager1),
    ]


def test_only_the_appellant_withdraws_an_open_appeal(world: World, policies: None) -> None:
    finding = record(world)
    appeal = appeal_file(actor=world.users["emp1"], finding=finding, reason="不服", now=at(10, 16))
    mark = last_audit_id()

    with pytest.raises(PermissionDenied):
        appeal_withdraw(actor=world.users["sup1"], appeal=appeal)
    appeal_withdraw(actor=world.users["emp1"], appeal=appeal, reason="已沟通解决", now=at(10, 19))

    appeal.refresh_from_db()
    assert (appeal.status, appeal.closed_at) == ("withdrawn", at(10, 19))
    assert list(AppealStep.objects.values_list("kind", "reason")) == [("withdrawal", "已沟通解决")]
    assert audit_since(mark) == [("appeal.withdraw", "appeals.appeal")]
    with pytest.raises(ValidationError) as raised:
        appeal_decide(actor=world.users["sup1"], appeal=appeal, outcome="rejected", reason="x")
    assert raised.value.message_dict == {"status": ["该申诉当前为“已撤回”,不能处理。"]}


def test_the_evaluators_record_counts_the_overturns(world: World, policies: None) -> None:
    # given quality recorded three findings on 张三 and 李四 one
    serious, general = two_findings(world)
    third = record(world, when=at(10, 6), section="training", points="1")
    by_sup1 = record(world, by="sup1", when=at(10, 6), section="handover", points="1")
    emp1 = world.users["emp1"]
    appeals = [
        appeal_file(actor=emp1, finding=f, reason="不服", now=at(10, 8))
        for f in (serious, general, third, by_sup1)
    ]

    # when two are upheld (one voided, one lowered), one rejected, and 李四's is voided
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeals[0],
        outcome="partly_upheld",
        reason="偏重",
        corrections=[Correction.change_points(serious, "3")],
    )
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeals[1],
        outcome="upheld",
        reason="误判",
        corrections=[Correction.void(general)],
    )
    appeal_decide(actor=world.users["sup1"], appeal=appeals[2], outcome="rejected", reason="属实")
    appeal_decide(
        actor=world.users["head1"],
        appeal=appeals[3],
        outcome="upheld",
        reason="误判",
        corrections=[Correction.void(by_sup1)],
    )
    # and the lowered one is voided at the next level: still one finding overturned
    appeal_escalate_request(actor=emp1, appeal=appeals[0], reason="应当撤销")
    appeal_decide(
        actor=world.users["head1"],
        appeal=appeals[0],
        outcome="upheld",
        reason="撤销",
        corrections=[Correction.void(serious)],
    )

    # then
    assert evaluator_overturns(inspector=world.users["quality"]) == 2
    assert evaluator_overturns(inspector=world.users["sup1"]) == 1
    assert evaluator_overturns(inspector=world.users["head1"]) == 0


def test_voiding_a_serious_finding_cancels_its_corrective_action(
    world: World, policies: None
) -> None:
    from kaoping.inspections.models import CorrectiveAction
    from kaoping.inspections.services import corrective_action_start

    # given 张三's serious finding opened a corrective action, and she appealed it
    october(world)
    serious, _ = two_findings(world)
    [action] = CorrectiveAction.objects.filter(finding=serious)
    assert action.status == "open"
    appeal = appeal_file(actor=world.users["emp1"], finding=serious, reason="不服", now=at(10, 8))

    # when her supervisor upholds the appeal and voids the finding
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeal,
        outcome="upheld",
        reason="工装已按规定更换",
        corrections=[Correction.void(serious)],
        now=at(10, 9),
    )

    # then nothing is left to correct: the action is cancelled, audited, and cannot be started
    action.refresh_from_db()
    assert (action.status, action.verification_note) == (
        "cancelled",
        f"违规记录经申诉 #{appeal.pk} 撤销,无需整改。",
    )
    event = AuditEvent.objects.get(action="corrective_action.cancel")
    assert (event.before["status"], event.after["status"]) == ("open", "cancelled")
    with pytest.raises(ValidationError):
        corrective_action_start(actor=world.users["sup1"], action=action)
