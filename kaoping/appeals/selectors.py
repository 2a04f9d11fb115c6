"""Reads of appeals, each scoped to what the viewer may see (Family.APPEALS).

The appellant sees their own appeals; supervisors, department heads, project managers and
quality those of their subtree; HR all of its subtree; finance and admin none. A complaint
against an inspector's conduct (route `hr`) is for HR and the appellant only: the line managers
and quality who may be the subject of the complaint do not see it. The direct supervisor named on
a chain appeal sees it, since they may have to decide it. Outside the scope an appeal is 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaoping.org.access import Family, SystemViewer, scope_filter, scope_of
from kaoping.org.models import Role
from kaoping.periods.models import Period

from .models import Appeal, FindingCorrection, Level, Route

Viewer = AbstractBaseUser | AnonymousUser | SystemViewer | None
_RELATED = ("unit", "employee", "supervisor", "finding", "fault_notice__finding", "result")


def period_window(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as an aware [start, end) interval in the company's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _visible(viewer: Viewer) -> Q:
    if isinstance(viewer, SystemViewer):
        return Q()
    scope = scope_of(viewer)
    condition = scope_filter(scope, Family.APPEALS, unit_path="unit__path", employee="employee")
    hr_route = Q(employee_id=scope.employee_id) if scope.employee_id is not None else Q(pk__in=[])
    for prefix in scope.roles.get(Role.HR, ()):
        hr_route |= Q(unit__path__startswith=prefix)
    condition &= Q(route=Route.CHAIN) | hr_route
    if scope.user_id is not None:
        condition |= Q(route=Route.CHAIN, supervisor__user_id=scope.user_id)
    return condition


def appeal_list(
    *, viewer: Viewer, status: str | None = None, level: str | None = None
) -> QuerySet[Appeal]:
    """Appeals the viewer may see, the latest filed first."""
    appeals = Appeal.objects.filter(_visible(viewer)).select_related(*_RELATED)
    if status is not None:
        appeals = appeals.filter(status=status)
    if level is not None:
        appeals = appeals.filter(level=level)
    return appeals.order_by("-filed_at", "-id")


def appeal_get(*, viewer: Viewer, pk: int) -> Appeal:
    return get_object_or_404(appeal_list(viewer=viewer), pk=pk)


def appeal_inbox(*, viewer: Viewer) -> QuerySet[Appeal]:
    """Open appeals waiting for the viewer's decision (待处理申诉), the earliest due first.

    Those whose current level the viewer holds over the appeal's unit (or, at the supervisor
    level, where the viewer is the appellant's direct supervisor), except the viewer's own
    appeals and appeals against findings the viewer recorded.
    """
    scope = scope_of(viewer)
    condition = Q(pk__in=[])
    for level in Level:
        for prefix in scope.roles.get(level.value, ()):
            condition |= Q(level=level, unit__path__startswith=prefix)
    if scope.user_id is not None:
        condition |= Q(level=Level.SUPERVISOR, supervisor__user_id=scope.user_id)
    appeals = Appeal.objects.filter(condition, status=Appeal.Status.OPEN)
    if scope.employee_id is not None:
        appeals = appeals.exclude(employee_id=scope.employee_id)
    if scope.user_id is not None:
        appeals = appeals.exclude(finding__created_by_id=scope.user_id).exclude(
            fault_notice__finding__created_by_id=scope.user_id
        )
    return appeals.select_related(*_RELATED).order_by("level_due", "id")


def appeal_overdue_list(*, viewer: Viewer, today: dt.date | None = None) -> QuerySet[Appeal]:
    """Open appeals past their level's due date (逾期未答复), the most overdue first."""
    today = today or timezone.localdate()
    return (
        appeal_list(viewer=viewer, status=Appeal.Status.OPEN)
        .filter(level_due__lt=today)
        .order_by("level_due", "id")
    )


def open_appeal_employee_ids(*, period: Period) -> frozenset[int]:
    """Employees with an open appeal on a finding or notice dated in the period, or on one of
    the period's results: the payroll sheet flags their rows (申诉处理中)."""
    start, end = period_window(period)
    in_period = (
        Q(finding__occurred_at__gte=start, finding__occurred_at__lt=end)
        | Q(
            fault_notice__finding__occurred_at__gte=start,
            fault_notice__finding__occurred_at__lt=end,
        )
        | Q(result__period_id=period.pk)
    )
    return frozenset(
        Appeal.objects.filter(in_period, company_id=period.company_id, status=Appeal.Status.OPEN)
        .values_list("employee_id", flat=True)
        .distinct()
    )


def evaluator_overturns(*, inspector: AbstractBaseUser) -> int:
    """How many of an inspector's findings upheld appeals voided or changed (被申诉推翻)."""
    return (
        FindingCorrection.objects.filter(finding__created_by_id=inspector.pk)
        .values("finding_id")
        .distinct()
        .count()
    )
