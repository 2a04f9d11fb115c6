"""Deadlines: each level answers within five working days or the appeal moves up by itself."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.org.access import SYSTEM
from kaoping.org.tests.factories import World

from ..models import Appeal, AppealStep, Holiday
from ..selectors import appeal_overdue_list
from ..services import appeal_file, appeals_escalate
from ..workdays import add_working_days
from .conftest import at, audit_since, last_audit_id, record

pytestmark = pytest.mark.django_db


def levels(appeal: Appeal) -> tuple[str, dt.date, str]:
    appeal.refresh_from_db()
    return appeal.level, appeal.level_due, appeal.status


def test_each_level_is_due_in_five_working_days_then_escalates_once_per_run(
    world: World, policies: None, calendar_: Holiday
) -> None:
    # given 张三 appealed on Friday 16 October; Monday 19 is a holiday
    appeal = appeal_file(
        actor=world.users["emp1"], finding=record(world), reason="不服", now=at(10, 16)
    )
    assert levels(appeal) == ("supervisor", dt.date(2026, 10, 26), "open")

    # on its due day nothing moves
    assert appeals_escalate(now=at(10, 26, 23)) == 0
    mark = last_audit_id()

    # the day after, it moves to the department head, due five working days later; twice changes
    # nothing more
    assert appeals_escalate(now=at(10, 27, 1)) == 1
    assert levels(appeal) == ("department_head", dt.date(2026, 11, 3), "open")
    events = AuditEvent.objects.count()
    assert appeals_escalate(now=at(10, 27, 2)) == 0
    assert AuditEvent.objects.count() == events
    assert audit_since(mark) == [("appeal.escalate", "appeals.appeal")]
    event = AuditEvent.objects.get(id__gt=mark)
    assert (event.actor_id, event.actor_name) == (None, "system")

    # then the project manager
    assert appeals_escalate(now=at(11, 4)) == 1
    assert levels(appeal) == ("project_manager", dt.date(2026, 11, 11), "open")

    # the final level cannot escalate: the appeal stays and is reported overdue
    assert appeals_escalate(now=at(11, 12)) == 0
    assert levels(appeal) == ("project_manager", dt.date(2026, 11, 11), "open")
    assert list(appeal_overdue_list(viewer=SYSTEM, today=dt.date(2026, 11, 12))) == [appeal]
    assert list(appeal_overdue_list(viewer=SYSTEM, today=dt.date(2026, 11, 11))) == []
    steps = list(
        AppealStep.objects.filter(appeal=appeal).values_list("level", "kind", "actor", "reason")
    )
    assert steps == [
        (
            "supervisor",
            "escalation",
            None,
            "主管/组长逾期未答复(期限 2026-10-26),自动升级至部门主任。",
        ),
        (
            "department_head",
            "escalation",
            None,
            "部门主任逾期未答复(期限 2026-11-03),自动升级至项目经理。",
        ),
    ]


def test_escalation_skips_a_level_nobody_holds_and_hr_is_final(
    world: World, policies: None
) -> None:
    # 王五 has no supervisor: the department head, then the project manager
    to_head = appeal_file(
        actor=world.users["emp2"], finding=record(world, "e2"), reason="不服", now=at(10, 16)
    )
    to_hr = appeal_file(
        actor=world.users["emp1"],
        finding=record(world),
        reason="检查人员打击报复",
        to_hr=True,
        now=at(10, 16),
    )

    assert appeals_escalate(now=at(10, 26)) == 1

    assert levels(to_head) == ("project_manager", dt.date(2026, 11, 2), "open")
    assert levels(to_hr) == ("hr", dt.date(2026, 10, 23), "open")
    assert set(appeal_overdue_list(viewer=SYSTEM, today=dt.date(2026, 10, 26))) == {to_hr}


def test_the_command_escalates_and_reports_and_is_safe_to_repeat(
    world: World, policies: None
) -> None:
    # given two appeals filed in October, long overdue now, one of them at HR
    moving = appeal_file(
        actor=world.users["emp1"], finding=record(world), reason="不服", now=at(10, 16)
    )
    stuck = appeal_file(
        actor=world.users["emp2"],
        finding=record(world, "e2"),
        reason="检查人员打击报复",
        to_hr=True,
        now=at(10, 16),
    )

    out = StringIO()
    call_command("appeals", "escalate", stdout=out)

    due = add_working_days(world.company.pk, timezone.localdate(), 5)
    assert levels(moving) == ("department_head", due, "open")
    assert out.getvalue().splitlines() == [
        "已升级 1 件逾期申诉 / escalated 1 overdue appeal(s)",
        f"#{moving.pk} 张三:主管/组长 → 部门主任,新期限 {due}",
        "最终级别逾期 1 件 / 1 overdue at the final level",
        f"#{stuck.pk} 王五:人力资源部,期限 2026-10-23",
    ]

    again = StringIO()
    call_command("appeals", "escalate", stdout=again)
    assert again.getvalue().splitlines()[0] == "已升级 0 件逾期申诉 / escalated 0 overdue appeal(s)"
    assert AppealStep.objects.count() == 1
