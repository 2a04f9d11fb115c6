"""Test data for the web pages, made through the services as people would (no ORM shortcuts).

On top of build_world (kaoping/org/tests/factories.py): the built-in policies, closed months
with results, the current month open, findings with their fault notices, appeals. Everything is
relative to today, as the pages are: "this month" is the month the test runs in.

    scenario = Scenario(world)
    scenario.policies()
    scenario.history("e1", months=3)        # three closed months before this one
    scenario.current_month()
    notice = scenario.notice("e1")          # a finding now, by quality, with its notice
    scenario.appeal("e1", notice)           # 张三 appeals it
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from kaoping.appeals.models import Appeal
from kaoping.appeals.services import appeal_file
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.inspections.models import FaultNotice
from kaoping.inspections.services import (
    fault_notice_acknowledge,
    finding_record,
    inspection_create,
)
from kaoping.org.models import Employee, Role
from kaoping.org.services import employee_create, placement_create, position_create, role_assign
from kaoping.org.tests.factories import World
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign

PASSWORD = "kaoping-test-pw"
# Policies apply, and the veteran works, from long before any month a test looks at.
SINCE = dt.date(2020, 1, 1)
# (section, severity, points, description): findings a receptionist might get.
FINDINGS = (
    ("service", "general", "1.5", "接待台无人值守"),
    ("post_quality", "serious", "4", "未按《报修工作规程》登记报修"),
    ("handover", "general", "1", "交接班记录未签名"),
    ("efficiency", "general", "2", "工单未按时回复业主"),
    ("other_sop", "general", "0.5", "未按规定佩戴工牌"),
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_before(day: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` months before `day`'s month, oldest first."""
    firsts = []
    first = month_start(day)
    for _ in range(count):
        first = month_start(first - dt.timedelta(days=1))
        firsts.append(first)
    return list(reversed(firsts))


class Scenario:
    def __init__(self, world: World) -> None:
        self.world = world
        self.today = timezone.localdate()
        self._findings = itertools.cycle(FINDINGS)
        self.documents: dict[str, PolicyDocument] = {}

    # --- setup ---------------------------------------------------------------------------

    def policies(self) -> None:
        """cs-group-inspection with the penalty ledger for every employee, since SINCE."""
        company = self.world.company
        self.documents = {d.code: d for d in builtin_policies_install(actor=None, company=company)}
        policy_assign(
            actor=None,
            document=self.documents["cs-group-inspection"],
            unit=self.world.units["root"],
            consequences=self.documents["cs-violation-penalties"],
            start=SINCE,
        )

    def login(self, name: str) -> User:
        """The world's user `name` with a known password (build_world's are "pw")."""
        user = self.world.users[name]
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    def veteran(self) -> Employee:
        """老员工 e9 in 服务一组 since SINCE (build_world's staff start in 2026), user `emp9`."""
        world, code = self.world, self.world.company.code
        user = User.objects.create_user(username=f"{code.lower()}-emp9", password=PASSWORD)
        world.users["emp9"] = user
        employee = employee_create(
            actor=None, company=world.company, number=f"{code}009", name="钱七", user=user
        )
        placement_create(
            actor=None,
            employee=employee,
            unit=world.units["t1"],
            position=world.positions["reception"],
            start=SINCE,
            supervisor=world.employees["sup1"],
        )
        role_assign(actor=None, user=user, role=Role.EMPLOYEE, unit=world.units["t1"], start=SINCE)
        world.employees["e9"] = employee
        return employee

    def clerk(self) -> Employee:
        """孙八 e8, 管理员 in 服务二组 since SINCE, user `emp8`, appraised by cs-admin-monthly
        (a self-assessment weighted 30 %, the supervisor's rating 70 %)."""
        world, code = self.world, self.world.company.code
        position = position_create(
            actor=None,
            company=world.company,
            code="admin",
            name="管理员",
            floating_pay=Decimal("1000.00"),
            base_pay=Decimal("4000.00"),
        )
        policy_assign(
            actor=None,
            document=self.documents["cs-admin-monthly"],
            position=position,
            start=SINCE,
        )
        user = User.objects.create_user(username=f"{code.lower()}-emp8", password=PASSWORD)
        world.users["emp8"] = user
        employee = employee_create(
            actor=None, company=world.company, number=f"{code}008", name="孙八", user=user
        )
        placement_create(
            actor=None,
            employee=employee,
            unit=world.units["t2"],
            position=position,
            start=SINCE,
            supervisor=world.employees["sup1"],
        )
        role_assign(actor=None, user=user, role=Role.EMPLOYEE, unit=world.units["t2"], start=SINCE)
        world.employees["e8"] = employee
        return employee

    # --- periods ---------------------------------------------------------------------------

    def history(self, employee: str, months: int) -> list[Period]:
        """`months` closed months before this one, each with one finding on `employee`, whose
        notice they signed for (when they have a login)."""
        periods = []
        for first in months_before(self.today, months):
            period = period_open(
                actor=None, company=self.world.company, kind="month", key=f"{first:%Y-%m}"
            )
            when = dt.datetime.combine(
                first.replace(day=15), dt.time(10), tzinfo=timezone.get_current_timezone()
            )
            notice = self.finding(employee, when=when)
            person = self.world.employees[employee]
            if person.user is not None:
                fault_notice_acknowledge(actor=person.user, notice=notice)
            period_close(actor=None, period=period)
            periods.append(period)
        return periods

    def current_month(self, *, self_deadline: dt.date | None = None) -> Period:
        """This month, open, with an appraisal for everyone a policy covers."""
        first = month_start(self.today)
        return period_open(
            actor=None,
            company=self.world.company,
            kind="month",
            key=f"{first:%Y-%m}",
            self_deadline=self_deadline,
        )

    # --- records ---------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """A moment just past, inside this month."""
        now = timezone.now()
        start = dt.datetime.combine(
            month_start(self.today), dt.time(0), tzinfo=timezone.get_current_timezone()
        )
        return max(start, now - dt.timedelta(minutes=1))

    def finding(self, employee: str, *, when: dt.datetime | None = None) -> FaultNotice:
        """A finding on `employee` by quality (company-wide inspector); returns its notice."""
        world = self.world
        when = when or self.now()
        section, severity, points, description = next(self._findings)
        inspection = inspection_create(
            actor=world.users["quality"], unit=world.units["root"], kind="spot", at=when
        )
        finding = finding_record(
            actor=world.users["quality"],
            inspection=inspection,
            employee=world.employees[employee],
            section=section,
            severity=severity,
            points=Decimal(points),
            description=description,
            occurred_at=when,
        )
        return FaultNotice.objects.select_related("finding").get(finding=finding)

    def notice(self, employee: str) -> FaultNotice:
        return self.finding(employee)

    def appeal(
        self, user: str, notice: FaultNotice, reason: str = "当时正在处理业主报修"
    ) -> Appeal:
        """`user` appeals the finding behind `notice` (its notice stays unanswered)."""
        return appeal_file(actor=self.world.users[user], finding=notice.finding, reason=reason)
