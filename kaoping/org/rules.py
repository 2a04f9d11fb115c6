"""Permission predicates (django-rules): who may change what, one condition per predicate."""

from __future__ import annotations

import rules
from django.contrib.auth.base_user import AbstractBaseUser

from .access import scope_of
from .models import OrgUnit, Role


def _holds(user: AbstractBaseUser | None, role: str, unit: OrgUnit) -> bool:
    return scope_of(user).has_role(role, unit.path)


@rules.predicate
def is_admin_over(user: AbstractBaseUser | None, unit: OrgUnit) -> bool:
    return _holds(user, Role.ADMIN, unit)


@rules.predicate
def is_hr_over(user: AbstractBaseUser | None, unit: OrgUnit) -> bool:
    return _holds(user, Role.HR, unit)


@rules.predicate
def is_quality_over(user: AbstractBaseUser | None, unit: OrgUnit) -> bool:
    return _holds(user, Role.QUALITY, unit)


@rules.predicate
def is_supervisor_over(user: AbstractBaseUser | None, unit: OrgUnit) -> bool:
    return _holds(user, Role.SUPERVISOR, unit)


@rules.predicate
def is_department_head_over(user: AbstractBaseUser | None, unit: OrgUnit) -> bool:
    return _holds(user, Role.DEPARTMENT_HEAD, unit)


@rules.predicate
def is_project_manager_over(user: AbstractBaseUser | None, unit: OrgUnit) -> bool:
    return _holds(user, Role.PROJECT_MANAGER, unit)


is_line_manager_over = is_supervisor_over | is_department_head_over | is_project_manager_over
is_inspector_over = is_line_manager_over | is_quality_over

rules.add_perm("org.change_structure", is_admin_over)
rules.add_perm("org.change_people", is_admin_over | is_hr_over)
rules.add_perm("org.assign_roles", is_admin_over)
