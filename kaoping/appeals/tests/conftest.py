"""Fixtures of the appeal tests: the world's policies, findings in October 2026, a holiday.

October 2026 as the tests use it (Mon 5, Thu 15, Fri 16; Mon 19 is the company's holiday
`公司庆典日` in `calendar_`):

    Mo Tu We Th Fr Sa Su
              1  2  3  4
     5  6  7  8  9 10 11
    12 13 14 15 16 17 18
    19 20 21 22 23 24 25
    26 27 28 29 30 31
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import Finding
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.org.tests.factories import START, World
from kaoping.policies.services import builtin_policies_install, policy_assign

from ..models import Holiday
from ..services import holiday_set

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    """An aware time in the company's zone."""
    return dt.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def audit_since(mark: int) -> list[tuple[str, str]]:
    """(action, object type) of the audit events appended after `mark`, in order."""
    return list(
        AuditEvent.objects.filter(id__gt=mark).order_by("id").values_list("action", "object_type")
    )


def install_policies(world: World) -> None:
    """cs-group-inspection with its penalty ledger for every employee (as test_close does)."""
    docs = {d.code: d for d in builtin_policies_install(actor=None, company=world.company)}
    policy_assign(
        actor=None,
        document=docs["cs-group-inspection"],
        unit=world.units["root"],
        consequences=docs["cs-violation-penalties"],
        start=START,
    )


@pytest.fixture
def policies(world: World) -> None:
    install_policies(world)


@pytest.fixture
def calendar_(world: World) -> Holiday:
    """Monday 19 October 2026 is a company holiday."""
    return holiday_set(
        actor=None, company=world.company, date=dt.date(2026, 10, 19), name="公司庆典日"
    )


def record(
    world: World,
    employee: str = "e1",
    *,
    when: dt.datetime | None = None,
    section: str = "service",
    severity: str = "general",
    points: str = "1.5",
    item: str = "",
    by: str = "quality",
) -> Finding:
    """A finding on `employee` (张三 by default) by quality, 服务质量 一般违规 1.5 on 15 October."""
    when = when or at(10, 15)
    inspection = inspection_create(
        actor=world.users[by],
        unit=world.units["t1" if by == "sup1" else "root"],
        kind="spot",
        at=when,
    )
    return finding_record(
        actor=world.users[by],
        inspection=inspection,
        employee=world.employees[employee],
        section=section,
        severity=severity,
        points=Decimal(points),
        item=item,
        description="接待台无人值守",
        occurred_at=when,
    )
