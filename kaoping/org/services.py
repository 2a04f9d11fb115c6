"""Writes to the organisation: each inside a transaction, with its audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot

from .models import Company, Employee, OrgUnit, Placement, Position, Role, RoleAssignment

Actor = User | None  # None: the system itself (setup, migrations, the demo)

# Messages are lazy: translated into the user's language when shown. Those passed where a
# str is expected are typed as one, which a lazy string behaves as.
NO_PERMISSION = cast(str, _("您没有权限执行此操作。"))
UNIT_KIND_ORDER = ["company", "region", "project", "department", "team"]
PLACEMENT_OVERLAP = _("该员工在 {start} 起已有任职({other}),任职期间不能重叠。")
OTHER_COMPANY = cast(str, _("不属于该员工所在公司。"))
SELF_SUPERVISOR = cast(str, _("员工不能是自己的直接上级。"))


def _require(actor: Actor, perm: str, unit: OrgUnit) -> None:
    if actor is not None and not actor.has_perm(perm, unit):
        raise PermissionDenied(NO_PERMISSION)


@transaction.atomic
def company_create(
    *, actor: Actor, code: str, name: str, minimum_wage: Decimal = Decimal(0)
) -> Company:
    """Create a company (公司) and the root unit of its org tree."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(NO_PERMISSION)
    company = Company(code=code, name=name, minimum_wage=minimum_wage)
    company.full_clean()
    company.save()
    audit_record(
        actor=actor,
        action="company.create",
        obj=company,
        company_id=company.pk,
        after=snapshot(company),
    )
    root = OrgUnit(company=company, kind=OrgUnit.Kind.COMPANY, code=code, name=name, path="/")
    root.full_clean(exclude=["path"])
    root.save()
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    audit_record(actor=actor, action="org_unit.create", obj=root, after=snapshot(root))
    return company


def company_root(company: Company) -> OrgUnit:
    return OrgUnit.objects.get(company=company, parent__isnull=True)


@transaction.atomic
def unit_create(*, actor: Actor, parent: OrgUnit, kind: str, code: str, name: str) -> OrgUnit:
    """Add a unit under `parent`; a unit's kind never ranks above its parent's."""
    _require(actor, "org.change_structure", parent)
    if kind not in UNIT_KIND_ORDER or UNIT_KIND_ORDER.index(kind) <= UNIT_KIND_ORDER.index(
        parent.kind
    ):
        raise ValidationError({"kind": f"“{parent.name}”下不能建立此类型的单元。"})
    unit = OrgUnit(
        company_id=parent.company_id, parent=parent, kind=kind, code=code, name=name, path="/"
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit_record(actor=actor, action="org_unit.create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def position_create(
    *,
    actor: Actor,
    company: Company,
    code: str,
    name: str,
    floating_pay: Decimal = Decimal(0),
    base_pay: Decimal = Decimal(0),
) -> Position:
    """Create a position (岗位) with its monthly base and floating performance pay."""
    _require(actor, "org.change_people", company_root(company))
    position = Position(
        company=company, code=code, name=name, floating_pay=floating_pay, base_pay=base_pay
    )
    position.full_clean()
    position.save()
    audit_record(actor=actor, action="position.create", obj=position, after=snapshot(position))
    return position


@transaction.atomic
def employee_create(
    *,
    actor: Actor,
    company: Company,
    number: str,
    name: str,
    phone: str = "",
    hire_date: dt.date | None = None,
    user: User | None = None,
) -> Employee:
    """Create an employee (员工) record, optionally linked to a login."""
    _require(actor, "org.change_people", company_root(company))
    employee = Employee(
        company=company,
        number=number.strip(),
        name=name.strip(),
        phone=phone,
        hire_date=hire_date,
        user=user,
    )
    employee.full_clean()
    employee.save()
    audit_record(actor=actor, action="employee.create", obj=employee, after=snapshot(employee))
    return employee


def _check_placement(placement: Placement) -> None:
    employee = placement.employee
    errors: dict[str, str] = {}
    if placement.unit.company_id != employee.company_id:
        errors["unit"] = OTHER_COMPANY
    if placement.position.company_id != employee.company_id:
        errors["position"] = OTHER_COMPANY
    if placement.supervisor is not None:
        if placement.supervisor.company_id != employee.company_id:
            errors["supervisor"] = OTHER_COMPANY
        elif placement.supervisor.pk == employee.pk:
            errors["supervisor"] = SELF_SUPERVISOR
    if errors:
        raise ValidationError(errors)
    end = placement.end or dt.date.max
    overlapping = (
        Placement.objects.filter(employee=employee, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=placement.start))
        .exclude(pk=placement.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start": PLACEMENT_OVERLAP.format(
                    start=overlapping.start, other=overlapping.unit.name
                )
            }
        )


@transaction.atomic
def placement_create(
    *,
    actor: Actor,
    employee: Employee,
    unit: OrgUnit,
    position: Position,
    start: dt.date,
    supervisor: Employee | None = None,
    end: dt.date | None = None,
) -> Placement:
    """Place an employee in a unit and position, with a direct supervisor, from `start`."""
    _require(actor, "org.change_people", unit)
    Employee.objects.select_for_update().filter(
        pk=employee.pk
    ).first()  # one placement write at a time
    placement = Placement(
        employee=employee, unit=unit, position=position, supervisor=supervisor, start=start, end=end
    )
    placement.full_clean()
    _check_placement(placement)
    placement.save()
    audit_record(
        actor=actor,
        action="placement.create",
        obj=placement,
        company_id=employee.company_id,
        after=snapshot(placement),
    )
    return placement


@transaction.atomic
def placement_transfer(
    *,
    actor: Actor,
    employee: Employee,
    unit: OrgUnit,
    position: Position,
    start: dt.date,
    supervisor: Employee | None = None,
) -> Placement:
    """Move an employee (调岗): the open placement ends the day before `start`, a new one begins."""
    _require(actor, "org.change_people", unit)
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    current = Placement.objects.filter(employee=employee, end__isnull=True, start__lt=start).first()
    if current is not None:
        _require(actor, "org.change_people", current.unit)
        before = snapshot(current)
        current.end = start - dt.timedelta(days=1)
        current.save(update_fields=["end"])
        audit_record(
            actor=actor,
            action="placement.end",
            obj=current,
            company_id=employee.company_id,
            before=before,
            after=snapshot(current),
        )
    return placement_create(
        actor=actor,
        employee=employee,
        unit=unit,
        position=position,
        start=start,
        supervisor=supervisor,
    )


@transaction.atomic
def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    unit: OrgUnit,
    start: dt.date,
    end: dt.date | None = None,
) -> RoleAssignment:
    """Give `user` a role over the subtree of `unit`."""
    _require(actor, "org.assign_roles", unit)
    if role not in Role.values:
        raise ValidationError({"role": f"未知的角色 '{role}'。"})
    assignment = RoleAssignment(user=user, role=role, unit=unit, start=start, end=end)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="role.assign",
        obj=assignment,
        company_id=unit.company_id,
        after=snapshot(assignment),
    )
    return assignment
