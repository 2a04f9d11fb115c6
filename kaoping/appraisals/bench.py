"""The close benchmark: a month of a large company written to the database, then closed.

`kaoping bench close --employees 100000 --findings 2000000` creates a fresh company in the
configured database (bulk inserts: generating the data is not what is measured), opens the
month, closes it, and reports the seconds of each phase of the close.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from kaoping.inspections.models import Inspection
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.services import company_create, company_root, position_create
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign

from .models import Result
from .services.close import period_close
from .services.periods import period_open

TEAM_SIZE = 25
TEAMS_PER_PROJECT = 10
MONTH = "2026-10"


def _executemany(sql: str, rows: list[tuple[object, ...]]) -> None:
    with connection.cursor() as cursor:
        for low in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[low : low + 10_000])  # type: ignore[arg-type]


@dataclass
class CloseBench:
    """Seconds of each phase, and what was built."""

    employees: int
    findings: int
    company_code: str
    seconds: dict[str, float] = field(default_factory=dict)
    results: int = 0


def _units(
    company_id: int, parent: OrgUnit, kind: str, codes: list[tuple[str, str]]
) -> list[OrgUnit]:
    """Bulk-create units under `parent` and give them their paths."""
    units = OrgUnit.objects.bulk_create(
        [
            OrgUnit(company_id=company_id, parent=parent, kind=kind, code=c, name=n, path="/")
            for c, n in codes
        ],
        batch_size=2000,
    )
    if units and units[0].pk is None:  # backends that do not return ids from bulk inserts
        units = list(OrgUnit.objects.filter(company_id=company_id, parent=parent).order_by("id"))
    for unit in units:
        unit.path = f"{parent.path}{unit.pk}/"
    OrgUnit.objects.bulk_update(units, ["path"], batch_size=2000)
    return units


def build_month(
    *, employees: int, findings: int, seed: int, say: Callable[[str], None]
) -> tuple[str, object]:
    """A company with `employees` receptionists in teams of 25 and `findings` findings in October."""
    rng = random.Random(seed)
    code = f"B{timezone.now():%m%d%H%M%S}"
    with transaction.atomic():
        company = company_create(actor=None, code=code, name=f"基准测试物业 {code}")
        root = company_root(company)
        position = position_create(
            actor=None,
            company=company,
            code="reception",
            name="接待员",
            floating_pay=Decimal("800"),
            base_pay=Decimal("3000"),
        )
        builtin_policies_install(actor=None, company=company)
        docs = {d.code: d for d in PolicyDocument.objects.filter(company=company)}
        policy_assign(
            actor=None,
            document=docs["cs-group-inspection"],
            unit=root,
            consequences=docs["cs-violation-penalties"],
            start=dt.date(2026, 1, 1),
        )
        teams_needed = -(-employees // TEAM_SIZE)
        projects_needed = -(-teams_needed // TEAMS_PER_PROJECT)
        projects = _units(
            company.pk,
            root,
            "project",
            [(f"{code}-P{i}", f"第{i}管理处") for i in range(projects_needed)],
        )
        departments: list[OrgUnit] = []
        for project in projects:
            departments += _units(
                company.pk, project, "department", [(f"{project.code}-CS", "客户服务中心")]
            )
        teams: list[OrgUnit] = []
        for department in departments:
            left = teams_needed - len(teams)
            count = min(TEAMS_PER_PROJECT, left)
            if count <= 0:
                break
            teams += _units(
                company.pk,
                department,
                "team",
                [(f"{department.code}-T{i}", f"服务{i + 1}组") for i in range(count)],
            )
        say(f"单元 units: {len(projects)} projects, {len(teams)} teams")
        _executemany(
            "INSERT INTO org_employee (company_id, number, name, phone, active) VALUES (%s, %s, %s, %s, %s)",
            [(company.pk, f"{code}{n:06d}", f"员工{n}", "", True) for n in range(employees)],
        )
        staff_ids = list(
            Employee.objects.filter(company=company).order_by("id").values_list("id", flat=True)
        )
        team_of = [teams[i // TEAM_SIZE] for i in range(employees)]
        _executemany(
            "INSERT INTO org_placement (employee_id, unit_id, position_id, start) VALUES (%s, %s, %s, %s)",
            [(e, team_of[i].pk, position.pk, dt.date(2026, 1, 1)) for i, e in enumerate(staff_ids)],
        )
        say(f"员工 employees: {len(staff_ids)}")
        inspector = User.objects.create_user(username=f"bench-{code}")
        zone = timezone.get_current_timezone()
        inspections = Inspection.objects.bulk_create(
            [
                Inspection(
                    company=company,
                    unit=team,
                    kind="monthly",
                    inspector=inspector,
                    at=dt.datetime(2026, 10, 15, 9, tzinfo=zone),
                )
                for team in teams
            ],
            batch_size=5000,
        )
        if inspections and inspections[0].pk is None:
            inspections = list(Inspection.objects.filter(company=company).order_by("id"))
        version = docs["cs-group-inspection"].versions.get(number=1)
        from kaoping.policies.selectors import engine_policy

        shapes = []
        for policy_section in engine_policy(version).sections:
            for severity, bounds in policy_section.severities.items():
                points = bounds.low
                while points <= bounds.high:
                    shapes.append((policy_section.id, severity, points))
                    points += Decimal("0.5")
        items = [f"item{n:02d}" for n in range(40)]
        adapt = connection.ops.adapt_datetimefield_value
        days = [adapt(dt.datetime(2026, 10, 1 + d, 10, tzinfo=zone)) for d in range(28)]
        created = adapt(timezone.now())
        sql = (
            "INSERT INTO inspections_finding (inspection_id, company_id, unit_id, employee_id, "
            "policy_version_id, section, item, severity, points, description, occurred_at, "
            "mandatory_penalty, supervisor_liable, status, created_by_id, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        batch: list[tuple[object, ...]] = []
        for n in range(findings):
            index = rng.randrange(employees)
            section, severity, points = shapes[rng.randrange(len(shapes))]
            team = index // TEAM_SIZE
            batch.append(
                (
                    inspections[team].pk,
                    company.pk,
                    teams[team].pk,
                    staff_ids[index],
                    version.pk,
                    section,
                    items[rng.randrange(len(items))],
                    severity,
                    points,
                    "基准测试",
                    days[n * 28 // findings],  # recorded day by day, as inspections happen
                    False,
                    rng.randrange(50) == 0,
                    "active",
                    inspector.pk,
                    created,
                )
            )
            if len(batch) == 50_000:
                _executemany(sql, batch)
                batch = []
                if (n + 1) % 200_000 == 0:
                    say(f"违规 findings: {n + 1}")
        _executemany(sql, batch)
        say(f"违规 findings: {findings}")
    return code, company


def run_close_bench(
    *,
    employees: int,
    findings: int,
    seed: int = 2026,
    progress: Callable[[str], None] = lambda _: None,
) -> CloseBench:
    """Build the month, open it, close it; time each phase."""
    started = time.perf_counter()
    code, company = build_month(employees=employees, findings=findings, seed=seed, say=progress)
    report = CloseBench(employees=employees, findings=findings, company_code=code)
    report.seconds["generate (not the close)"] = time.perf_counter() - started
    clock = time.perf_counter()
    period = period_open(actor=None, company=company, kind="month", key=MONTH)  # type: ignore[arg-type]
    report.seconds["open"] = time.perf_counter() - clock
    progress(f"开期 opened in {report.seconds['open']:.1f} s")
    # What autovacuum (PostgreSQL) or `ANALYZE` after an import (SQLite) does to a database
    # that has just grown by millions of rows: the planner's statistics are brought up to date,
    # and PostgreSQL's new rows are vacuumed (else the close's first reads would do it).
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.seconds["vacuum, analyze (not the close)"] = time.perf_counter() - clock
    clock = time.perf_counter()
    close = period_close(actor=None, period=period, progress=progress)
    report.seconds["close"] = time.perf_counter() - clock
    for phase, seconds in close.seconds.items():
        report.seconds[f"  close: {phase}"] = seconds
    report.results = Result.objects.filter(period=period).count()
    return report
