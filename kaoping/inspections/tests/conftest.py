"""Fixtures of the inspection tests: the world's policies, and a small set of records.

`records` (in March 2026, all through the services):

    I1 daily    at 服务一组 P1-T1 by sup1:     F1 张三 e1 post_quality serious 4 → N1, A1 (owner 李四)
    I2 weekly   at 客户服务中心 P1-CS by quality: F2 王五 e2 service general 1 → N2
                                                 F4 unit P1-CS cleaning general 2 (no notice)
    I3 spot     at 翠苑管理处 P2 by manager2:     F3 赵六 e3 handover consequence 6 → N3, A3 (no owner)
    plans: t1 巡视 2/日, p1 走访 2/月, root 问卷 1/季度, p2 巡视 2/日
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.org.models import Role
from kaoping.org.tests.factories import START, World
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign

from ..models import CorrectiveAction, FaultNotice, Finding, Inspection, InspectionPlan
from ..services import finding_record, inspection_create, inspection_plan_create

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> dt.datetime:
    """An aware time in the company's zone."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def audit_since(mark: int) -> list[tuple[str, str]]:
    """(action, object type) of the audit events appended after `mark`, in order."""
    return list(
        AuditEvent.objects.filter(id__gt=mark).order_by("id").values_list("action", "object_type")
    )


def install_policies(world: World) -> dict[str, PolicyDocument]:
    """The built-ins; cs-group-inspection for every employee, cs-center-monthly for departments."""
    documents = {d.code: d for d in builtin_policies_install(actor=None, company=world.company)}
    root = world.units["root"]
    policy_assign(actor=None, document=documents["cs-group-inspection"], unit=root, start=START)
    policy_assign(
        actor=None,
        document=documents["cs-center-monthly"],
        unit=root,
        unit_kind="department",
        start=START,
    )
    return documents


@pytest.fixture
def policies(world: World) -> dict[str, PolicyDocument]:
    return install_policies(world)


@dataclass
class Records:
    plans: dict[str, InspectionPlan] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    notices: dict[str, FaultNotice] = field(default_factory=dict)
    actions: dict[str, CorrectiveAction] = field(default_factory=dict)


@pytest.fixture
def records(world: World, policies: dict[str, PolicyDocument]) -> Records:
    u, e, users = world.units, world.employees, world.users
    r = Records()
    for key, unit, kind, times, period in [
        ("t1-patrol", u["t1"], "patrol", 2, "day"),
        ("p1-visit", u["p1"], "visit", 2, "month"),
        ("root-survey", u["root"], "survey", 1, "quarter"),
        ("p2-patrol", u["p2"], "patrol", 2, "day"),
    ]:
        r.plans[key] = inspection_plan_create(
            actor=users["quality"],
            unit=unit,
            kind=kind,
            times=times,
            period=period,
            responsible_role=Role.SUPERVISOR,
        )
    r.inspections["I1"] = inspection_create(
        actor=users["sup1"], unit=u["t1"], kind="daily", at=at(3, 10, 9), place="前台"
    )
    r.inspections["I2"] = inspection_create(
        actor=users["quality"], unit=u["cs1"], kind="weekly", at=at(3, 11, 9), place="客服中心"
    )
    r.inspections["I3"] = inspection_create(
        actor=users["manager2"], unit=u["p2"], kind="spot", at=at(3, 12, 9), place="大堂"
    )
    r.findings["F1"] = finding_record(
        actor=users["sup1"],
        inspection=r.inspections["I1"],
        employee=e["e1"],
        section="post_quality",
        severity="serious",
        points=Decimal(4),
        description="未按《报修工作规程》登记报修",
        occurred_at=at(3, 10, 9),
    )
    r.findings["F2"] = finding_record(
        actor=users["quality"],
        inspection=r.inspections["I2"],
        employee=e["e2"],
        section="service",
        severity="general",
        points=Decimal(1),
        description="未佩戴工牌",
        occurred_at=at(3, 11, 9),
    )
    r.findings["F3"] = finding_record(
        actor=users["manager2"],
        inspection=r.inspections["I3"],
        employee=e["e3"],
        section="handover",
        severity="consequence",
        points=Decimal(6),
        description="交接班未交代业主投诉,导致投诉升级",
        occurred_at=at(3, 12, 9),
    )
    r.findings["F4"] = finding_record(
        actor=users["quality"],
        inspection=r.inspections["I2"],
        subject_unit=u["cs1"],
        section="cleaning",
        severity="general",
        points=Decimal(2),
        description="大堂地面有积水",
        occurred_at=at(3, 11, 10),
    )
    for key in ("F1", "F2", "F3"):
        r.notices["N" + key[1]] = FaultNotice.objects.get(finding=r.findings[key])
    for key in ("F1", "F3"):
        r.actions["A" + key[1]] = CorrectiveAction.objects.get(finding=r.findings[key])
    return r
