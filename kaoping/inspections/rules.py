"""Permission predicates for inspections (django-rules), one condition per predicate.

Unit-level permissions take the unit concerned (the inspected unit, the finding subject's unit);
the others take the record itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.contrib.auth.base_user import AbstractBaseUser

from kaoping.org.access import scope_of
from kaoping.org.rules import (
    is_department_head_over,
    is_inspector_over,
    is_line_manager_over,
    is_project_manager_over,
    is_quality_over,
)

if TYPE_CHECKING:
    from .models import CorrectiveAction, FaultNotice, Finding


def _employee_id(user: AbstractBaseUser | None) -> int | None:
    return scope_of(user).employee_id


@rules.predicate
def is_inspector_of_finding(user: AbstractBaseUser | None, finding: Finding) -> bool:
    return bool(is_inspector_over(user, finding.unit))


@rules.predicate
def is_notice_subject(user: AbstractBaseUser | None, notice: FaultNotice) -> bool:
    employee_id = _employee_id(user)
    return employee_id is not None and employee_id == notice.finding.employee_id


@rules.predicate
def is_action_owner(user: AbstractBaseUser | None, action: CorrectiveAction) -> bool:
    employee_id = _employee_id(user)
    return employee_id is not None and employee_id == action.owner_id


@rules.predicate
def is_line_manager_of_action(user: AbstractBaseUser | None, action: CorrectiveAction) -> bool:
    return bool(is_line_manager_over(user, action.unit))


@rules.predicate
def is_quality_of_action(user: AbstractBaseUser | None, action: CorrectiveAction) -> bool:
    return bool(is_quality_over(user, action.unit))


@rules.predicate
def is_manager_of_action(user: AbstractBaseUser | None, action: CorrectiveAction) -> bool:
    return bool(
        is_project_manager_over(user, action.unit) or is_department_head_over(user, action.unit)
    )


# Unit-level: the object is an OrgUnit.
rules.add_perm("inspections.manage_plan", is_quality_over | is_project_manager_over)
rules.add_perm("inspections.create_inspection", is_inspector_over)
rules.add_perm("inspections.record_finding", is_inspector_over)
# Record-level.
rules.add_perm("inspections.add_photo", is_inspector_of_finding)
rules.add_perm("inspections.answer_fault_notice", is_notice_subject)
rules.add_perm(
    "inspections.assign_corrective_action", is_line_manager_of_action | is_quality_of_action
)
rules.add_perm("inspections.work_corrective_action", is_action_owner | is_line_manager_of_action)
# The owner never verifies their own correction.
rules.add_perm(
    "inspections.verify_corrective_action",
    (is_quality_of_action | is_manager_of_action) & ~is_action_owner,
)
