"""Reads of the organisation, each scoped to what the viewer may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from .access import Family, SystemViewer, scope_filter, scope_of, scoped
from .models import Company, Employee, OrgUnit, Placement, Position, Role, RoleAssignment

Viewer = AbstractBaseUser | AnonymousUser | None


def unit_list(*, viewer: Viewer) -> QuerySet[OrgUnit]:
    """Units in the viewer's people scope (an employee sees the units they are placed in)."""
    scope = scope_of(viewer)
    condition = scope_filter(scope, Family.PEOPLE, unit_path="path", employee=None)
    if scope.employee_id is not None:
        condition |= Q(placements__employee_id=scope.employee_id)
    return OrgUnit.objects.filter(condition).distinct().order_by("path")


def unit_get(*, viewer: Viewer, pk: int) -> OrgUnit:
    return get_object_or_404(unit_list(viewer=viewer), pk=pk)


def employee_list(*, viewer: Viewer) -> QuerySet[Employee]:
    """Employees placed (at any time) in the viewer's people scope, and the viewer's own record."""
    scope = scope_of(viewer)
    placed = Placement.objects.filter(
        scope_filter(scope, Family.PEOPLE, unit_path="unit__path", employee=None),
        employee_id=OuterRef("pk"),
    )
    condition = Q(Exists(placed))
    if scope.employee_id is not None:
        condition |= Q(pk=scope.employee_id)
    return Employee.objects.filter(condition).order_by("number")


def employee_get(*, viewer: Viewer, pk: int) -> Employee:
    return get_object_or_404(employee_list(viewer=viewer), pk=pk)


def placement_list(*, viewer: Viewer) -> QuerySet[Placement]:
    return scoped(
        Placement.objects.select_related("employee", "unit", "position"), viewer, Family.PEOPLE
    )


def placement_on(*, employee: Employee, day: dt.date) -> Placement | None:
    """The employee's placement on `day` (unscoped: for services, which check access first)."""
    return (
        Placement.objects.filter(employee=employee, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("unit", "position", "supervisor")
        .first()
    )


def position_list(*, viewer: Viewer) -> QuerySet[Position]:
    """Positions (岗位) with their pay: all of the company for those who read people there; an
    employee, only the positions they hold or held."""
    scope = scope_of(viewer)
    if scope.paths.get(Family.PEOPLE):
        condition = Q(company_id__in=scope.company_ids)
    elif scope.employee_id is not None:
        condition = Q(
            Exists(
                Placement.objects.filter(position_id=OuterRef("pk"), employee_id=scope.employee_id)
            )
        )
    else:
        condition = Q(pk__in=[])
    return Position.objects.filter(condition).order_by("company_id", "code")


def position_get(*, viewer: Viewer, pk: int) -> Position:
    return get_object_or_404(position_list(viewer=viewer), pk=pk)


def employee_roster(*, viewer: Viewer) -> QuerySet[Employee]:
    """employee_list, plus the employees not placed anywhere (yet) of the companies whose whole
    tree the viewer reads people of (HR and admins over the company root): those who add
    people must see them before placing them."""
    scope = scope_of(viewer)
    whole = OrgUnit.objects.filter(
        parent__isnull=True, path__in=scope.paths.get(Family.PEOPLE, ())
    ).values("company_id")
    unplaced = Q(company_id__in=whole) & ~Q(
        Exists(Placement.objects.filter(employee_id=OuterRef("pk")))
    )
    return (employee_list(viewer=viewer) | Employee.objects.filter(unplaced)).order_by("number")


def viewer_company(*, viewer: Viewer) -> Company | None:
    """The company the viewer works in (the first of their companies), or None without roles."""
    ids = sorted(scope_of(viewer).company_ids)
    return Company.objects.filter(pk=ids[0]).first() if ids else None


ROLE_ASSIGNMENT_READERS = (Role.ADMIN, Role.HR)  # who reads role assignments


def role_assignment_list(*, viewer: Any) -> QuerySet[RoleAssignment]:
    """The assignments on units under the subtrees where the viewer is an admin or HR."""
    queryset = RoleAssignment.objects.select_related("user", "unit")
    if not isinstance(viewer, SystemViewer):
        scope = scope_of(viewer)
        condition = Q(pk__in=[])
        for role in ROLE_ASSIGNMENT_READERS:
            for prefix in scope.roles.get(role, ()):
                condition |= Q(unit__path__startswith=prefix)
        queryset = queryset.filter(condition)
    return queryset.order_by("unit__path", "role", "user__username", "id")
