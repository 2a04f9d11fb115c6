"""Reads of the organisation, each scoped to what the viewer may see."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from .access import Family, scope_filter, scope_of, scoped
from .models import Employee, OrgUnit, Placement

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
