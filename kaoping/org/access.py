"""Who may see what (访问范围): one scope per user, applied by every selector.

A role assignment gives a user a role over a unit's subtree; each role reads some families of
records there. An employee reads only their own records. Selectors filter with `scoped()`; an
object outside the viewer's scope is never listed and answers 404 when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import Employee, Role, RoleAssignment

_M = TypeVar("_M", bound=Model)


class Family(StrEnum):
    """Families of records that roles are granted to read."""

    RECORDS = "records"  # inspections, findings, fault notices, corrective actions, operations
    PEOPLE = "people"  # org units, employees, placements
    RESULTS = "results"  # appraisals, results, outcomes
    APPEALS = "appeals"
    POLICIES = "policies"
    CONFIG = "config"  # role assignments, company settings


_SUPERVISING = frozenset(
    {Family.RECORDS, Family.PEOPLE, Family.RESULTS, Family.APPEALS, Family.POLICIES}
)
ROLE_READS: Mapping[str, frozenset[Family]] = {
    Role.EMPLOYEE: frozenset(),
    Role.SUPERVISOR: _SUPERVISING,
    Role.DEPARTMENT_HEAD: _SUPERVISING,
    Role.PROJECT_MANAGER: _SUPERVISING,
    Role.QUALITY: _SUPERVISING,
    Role.HR: frozenset({Family.PEOPLE, Family.RESULTS, Family.APPEALS, Family.POLICIES}),
    Role.FINANCE: frozenset({Family.PEOPLE, Family.RESULTS}),
    Role.ADMIN: frozenset({Family.PEOPLE, Family.CONFIG, Family.POLICIES}),
}
# What an employee sees of their own: their findings and notices, results, appeals, themselves.
OWN_READS = frozenset({Family.RECORDS, Family.PEOPLE, Family.RESULTS, Family.APPEALS})


@dataclass(frozen=True)
class Scope:
    """A user's reach: unit-path prefixes per family, their own employee id, their roles."""

    user_id: int | None
    employee_id: int | None = None
    company_ids: frozenset[int] = frozenset()
    paths: Mapping[Family, tuple[str, ...]] = field(default_factory=dict)
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def has_role(self, role: str, path: str | None = None) -> bool:
        """The user holds `role` (over a subtree containing `path`, when given)."""
        prefixes = self.roles.get(role, ())
        if path is None:
            return bool(prefixes)
        return any(path.startswith(prefix) for prefix in prefixes)

    def reaches(self, family: Family, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.paths.get(family, ()))


NOBODY = Scope(user_id=None)


class SystemViewer:
    """The server itself (command line, scheduled jobs): it sees every record of every company.

    Never derived from a request; only code that runs outside the web and the API passes it.
    """

    is_authenticated = True
    is_active = True
    pk = None


SYSTEM = SystemViewer()
_EVERYTHING = Scope(user_id=None, paths={family: ("/",) for family in Family})


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths inside other paths: /1/ covers /1/4/."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(sorted(kept))


def scope_of(
    user: AbstractBaseUser | AnonymousUser | SystemViewer | None, *, on: dt.date | None = None
) -> Scope:
    """The scope of `user` on a day (today by default), computed once per user object."""
    if isinstance(user, SystemViewer):
        return _EVERYTHING
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    day = on or timezone.localdate()
    cache_key = f"_kaoping_scope_{day.isoformat()}"
    cached = getattr(user, cache_key, None)
    if isinstance(cached, Scope):
        return cached
    assignments = (
        RoleAssignment.objects.filter(user_id=user.pk, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("unit")
    )
    by_family: dict[Family, set[str]] = {}
    by_role: dict[str, set[str]] = {}
    companies: set[int] = set()
    for assignment in assignments:
        if not assignment.unit.active:
            continue
        companies.add(assignment.unit.company_id)
        by_role.setdefault(assignment.role, set()).add(assignment.unit.path)
        for family in ROLE_READS.get(assignment.role, frozenset()):
            by_family.setdefault(family, set()).add(assignment.unit.path)
    employee = (
        Employee.objects.filter(user_id=user.pk, active=True).values("id", "company_id").first()
    )
    if employee is not None:
        companies.add(employee["company_id"])
    scope = Scope(
        user_id=user.pk,
        employee_id=employee["id"] if employee else None,
        company_ids=frozenset(companies),
        paths={family: _minimal(paths) for family, paths in by_family.items()},
        roles={role: _minimal(paths) for role, paths in by_role.items()},
    )
    setattr(user, cache_key, scope)
    return scope


def scope_filter(
    scope: Scope,
    family: Family,
    *,
    unit_path: str | None = "unit__path",
    employee: str | None = "employee",
) -> Q:
    """The condition that keeps exactly the rows `scope` may read in `family`.

    `unit_path` names the lookup to the row's unit path; `employee` the lookup to the employee
    the row is about (its owner sees it). Either may be None when a record type has no such link.
    """
    condition = Q(pk__in=[])
    if unit_path is not None:
        for prefix in scope.paths.get(family, ()):
            condition |= Q(**{f"{unit_path}__startswith": prefix})
    if employee is not None and scope.employee_id is not None and family in OWN_READS:
        condition |= Q(**{employee: scope.employee_id})
    return condition


def scoped(
    queryset: QuerySet[_M],
    viewer: AbstractBaseUser | AnonymousUser | SystemViewer | None,
    family: Family,
    *,
    unit_path: str | None = "unit__path",
    employee: str | None = "employee",
) -> QuerySet[_M]:
    """`queryset` reduced to what `viewer` may read in `family`."""
    return queryset.filter(
        scope_filter(scope_of(viewer), family, unit_path=unit_path, employee=employee)
    )
