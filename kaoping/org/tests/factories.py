"""A small company to test against: two projects, teams, staff, and a user for every role.

    广州物业 (company, GZ)
      华南区域 (region)
        御景湾管理处 P1 (project)
          客户服务中心 P1-CS (department)
            服务一组 P1-T1 (team): 张三 e1 (employee), 组长 李四 sup1 (supervisor of T1)
            服务二组 P1-T2 (team): 王五 e2
        翠苑管理处 P2 (project)
          客户服务中心 P2-CS (department)
            服务三组 P2-T3 (team): 赵六 e3

Users: emp1 (employee e1), emp2 (employee e2), sup1 (supervisor over P1-T1), head1 (department
head over P1-CS), manager1 (project manager over P1), manager2 (project manager over P2),
quality, hr, finance, admin (each over the company root).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User

from kaoping.org.models import Company, Employee, OrgUnit, Position, Role
from kaoping.org.services import (
    company_create,
    company_root,
    employee_create,
    placement_create,
    position_create,
    role_assign,
    unit_create,
)

START = dt.date(2026, 1, 1)


@dataclass
class World:
    company: Company
    units: dict[str, OrgUnit] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    employees: dict[str, Employee] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def build_world(code: str = "GZ") -> World:
    """Create the company above through the services (as the system); return its handles."""
    company = company_create(
        actor=None, code=code, name="广州物业", minimum_wage=Decimal("2300.00")
    )
    world = World(company=company)
    root = company_root(company)
    region = unit_create(actor=None, parent=root, kind="region", code=f"{code}-R1", name="华南区域")
    p1 = unit_create(
        actor=None, parent=region, kind="project", code=f"{code}-P1", name="御景湾管理处"
    )
    p2 = unit_create(
        actor=None, parent=region, kind="project", code=f"{code}-P2", name="翠苑管理处"
    )
    cs1 = unit_create(
        actor=None, parent=p1, kind="department", code=f"{code}-P1-CS", name="客户服务中心"
    )
    cs2 = unit_create(
        actor=None, parent=p2, kind="department", code=f"{code}-P2-CS", name="客户服务中心"
    )
    t1 = unit_create(actor=None, parent=cs1, kind="team", code=f"{code}-P1-T1", name="服务一组")
    t2 = unit_create(actor=None, parent=cs1, kind="team", code=f"{code}-P1-T2", name="服务二组")
    t3 = unit_create(actor=None, parent=cs2, kind="team", code=f"{code}-P2-T3", name="服务三组")
    world.units = {
        "root": root,
        "region": region,
        "p1": p1,
        "p2": p2,
        "cs1": cs1,
        "cs2": cs2,
        "t1": t1,
        "t2": t2,
        "t3": t3,
    }
    reception = position_create(
        actor=None,
        company=company,
        code="reception",
        name="接待员",
        floating_pay=Decimal("800.00"),
        base_pay=Decimal("3000.00"),
    )
    lead = position_create(
        actor=None,
        company=company,
        code="lead",
        name="主管",
        floating_pay=Decimal("1200.00"),
        base_pay=Decimal("4000.00"),
    )
    world.positions = {"reception": reception, "lead": lead}

    def user(name: str) -> User:
        created = User.objects.create_user(username=f"{code.lower()}-{name}", password="pw")
        world.users[name] = created
        return created

    sup1 = employee_create(
        actor=None, company=company, number=f"{code}002", name="李四", user=user("sup1")
    )
    placement_create(actor=None, employee=sup1, unit=t1, position=lead, start=START)
    e1 = employee_create(
        actor=None, company=company, number=f"{code}001", name="张三", user=user("emp1")
    )
    placement_create(
        actor=None, employee=e1, unit=t1, position=reception, start=START, supervisor=sup1
    )
    e2 = employee_create(
        actor=None, company=company, number=f"{code}003", name="王五", user=user("emp2")
    )
    placement_create(actor=None, employee=e2, unit=t2, position=reception, start=START)
    e3 = employee_create(actor=None, company=company, number=f"{code}004", name="赵六")
    placement_create(actor=None, employee=e3, unit=t3, position=reception, start=START)
    world.employees = {"e1": e1, "e2": e2, "e3": e3, "sup1": sup1}

    role_assign(actor=None, user=world.users["emp1"], role=Role.EMPLOYEE, unit=t1, start=START)
    role_assign(actor=None, user=world.users["emp2"], role=Role.EMPLOYEE, unit=t2, start=START)
    role_assign(actor=None, user=world.users["sup1"], role=Role.SUPERVISOR, unit=t1, start=START)
    for name, role, unit in [
        ("head1", Role.DEPARTMENT_HEAD, cs1),
        ("manager1", Role.PROJECT_MANAGER, p1),
        ("manager2", Role.PROJECT_MANAGER, p2),
        ("quality", Role.QUALITY, root),
        ("hr", Role.HR, root),
        ("finance", Role.FINANCE, root),
        ("admin", Role.ADMIN, root),
    ]:
        role_assign(actor=None, user=user(name), role=role, unit=unit, start=START)
    return world
