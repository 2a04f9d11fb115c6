"""Permission predicates for appeals (django-rules), one condition per predicate.

`appeals.file` takes the employee concerned; `appeals.manage_holidays` the company's root unit;
the others take the appeal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.contrib.auth.base_user import AbstractBaseUser

from kaoping.org.access import scope_of
from kaoping.org.rules import is_admin_over, is_hr_over

from .models import Level

if TYPE_CHECKING:
    from kaoping.org.models import Employee

    from .models import Appeal


def _employee_id(user: AbstractBaseUser | None) -> int | None:
    return scope_of(user).employee_id


@rules.predicate
def is_the_employee(user: AbstractBaseUser | None, employee: Employee) -> bool:
    employee_id = _employee_id(user)
    return employee_id is not None and employee_id == employee.pk


@rules.predicate
def is_appellant(user: AbstractBaseUser | None, appeal: Appeal) -> bool:
    employee_id = _employee_id(user)
    return employee_id is not None and employee_id == appeal.employee_id


@rules.predicate
def recorded_the_finding(user: AbstractBaseUser | None, appeal: Appeal) -> bool:
    """The user recorded the finding appealed against (the evaluator whose work is judged)."""
    finding = appeal.target_finding
    return user is not None and finding is not None and finding.created_by_id == user.pk


@rules.predicate
def holds_the_level_role(user: AbstractBaseUser | None, appeal: Appeal) -> bool:
    """The user holds the current level's role over the appeal's unit."""
    return scope_of(user).has_role(appeal.level, appeal.unit.path)


@rules.predicate
def is_direct_supervisor_at_first_level(user: AbstractBaseUser | None, appeal: Appeal) -> bool:
    """At the supervisor level, the appellant's direct supervisor (直接上级) holds it too."""
    return (
        user is not None
        and appeal.level == Level.SUPERVISOR
        and appeal.supervisor is not None
        and appeal.supervisor.user_id == user.pk
    )


# Nobody judges their own case: neither the appellant nor the evaluator appealed against.
is_party = is_appellant | recorded_the_finding
holds_the_level = holds_the_level_role | is_direct_supervisor_at_first_level

rules.add_perm("appeals.file", is_the_employee)
rules.add_perm("appeals.decide", holds_the_level & ~is_party)
rules.add_perm("appeals.withdraw", is_appellant)
rules.add_perm("appeals.escalate", is_appellant)
rules.add_perm("appeals.manage_holidays", is_admin_over | is_hr_over)
