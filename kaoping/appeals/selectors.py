"""Reads of appeals, each scoped to what the viewer may see (Family.APPEALS).

The appellant sees their own appeals; supervisors, department heads, project managers and
quality those of their subtree; HR all of its subtree; finance and admin none. A complaint
against an inspector's conduct (route `hr`) is for HR and the appellant only: the line managers
and quality who may be the subject of the complaint do not see it. The direct supervisor named on
a chain appeal sees it, since they may have to decide it. Outside the scope an appeal is 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaoping.appraisals.models import Result
from kaoping.inspections.models import Finding
from kaoping.org.access import Family, SystemViewer, scope_filter, scope_of
from kaoping.org.models import Role
from kaoping.periods.models import Period

from .models import Appeal, AppealStep, FindingCorrection, Holiday, Level, Route

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


# --- pages: an appeal with its history, and what a decision may correct -----------------------


@dataclass(frozen=True)
class AppealRecord:
    """An appeal with what its page shows: the steps, the corrections of findings, and the
    result revisions its decision produced (each new revision with the one it superseded)."""

    appeal: Appeal
    steps: list[AppealStep]
    corrections: list[FindingCorrection]
    revisions: list[Result]


def appeal_record(*, viewer: Viewer, pk: int) -> AppealRecord:
    """The appeal `pk` if the viewer may see it (else 404), with its steps, corrections and the
    re-scored result revisions (those whose correction reason names this appeal). Four queries."""
    appeal = appeal_get(viewer=viewer, pk=pk)
    steps = list(appeal.steps.select_related("actor").order_by("at", "id"))
    corrections = list(appeal.corrections.select_related("finding", "by").order_by("at", "id"))
    revisions = list(
        Result.objects.filter(
            employee_id=appeal.employee_id, correction_reason__startswith=f"申诉 #{appeal.pk}("
        )
        .select_related("period", "supersedes")
        .order_by("period__start", "id")
    )
    return AppealRecord(appeal=appeal, steps=steps, corrections=corrections, revisions=revisions)


def appeal_correctable_findings(*, appeal: Appeal) -> QuerySet[Finding]:
    """The active findings a decision on `appeal` may correct: the one appealed (directly or
    through its notice), or for a result the appellant's findings dated in its period."""
    finding = appeal.target_finding
    if finding is not None:
        condition = Q(pk=finding.pk)
    else:
        assert appeal.result is not None
        start, end = period_window(appeal.result.period)
        condition = Q(
            company_id=appeal.company_id,
            employee_id=appeal.employee_id,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
    return (
        Finding.objects.filter(condition, status=Finding.Status.ACTIVE)
        .select_related("policy_version__document")
        .order_by("occurred_at", "id")
    )


def appeal_decidable(*, viewer: Viewer, appeal: Appeal) -> bool:
    """Whether the viewer may decide `appeal` now: it is in their inbox (待处理申诉)."""
    return appeal_inbox(viewer=viewer).filter(pk=appeal.pk).exists()


# --- pages: the managers' dashboards (added for the managers' pages) -----------------------------

APPEAL_AGE_BUCKETS = ((0, 3), (4, 7), (8, 14), (15, None))  # days since filing, inclusive


def appeal_age_buckets(
    *, viewer: Viewer, today: dt.date | None = None
) -> list[tuple[int, int | None, int]]:
    """Open appeals the viewer may see by how long ago they were filed (申诉按时长):
    (from days, to days or None for "and more", count) per APPEAL_AGE_BUCKETS. One query."""
    from django.db.models import Count

    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    aggregates = {}
    for low, high in APPEAL_AGE_BUCKETS:
        # filed on or before `today - low` days and after `today - high - 1` days (local time)
        upper = dt.datetime.combine(today - dt.timedelta(days=low - 1), dt.time(0), tzinfo=zone)
        condition = Q(filed_at__lt=upper)
        if high is not None:
            lower = dt.datetime.combine(today - dt.timedelta(days=high), dt.time(0), tzinfo=zone)
            condition &= Q(filed_at__gte=lower)
        aggregates[f"b{low}"] = Count("id", filter=condition)
    counts = (
        appeal_list(viewer=viewer, status=Appeal.Status.OPEN).order_by().aggregate(**aggregates)
    )
    return [(low, high, counts[f"b{low}"]) for low, high in APPEAL_AGE_BUCKETS]


def holiday_list(*, viewer: Any) -> QuerySet[Holiday]:
    """The calendars of the viewer's companies."""
    queryset = Holiday.objects.select_related("company")
    if not isinstance(viewer, SystemViewer):
        queryset = queryset.filter(company_id__in=scope_of(viewer).company_ids)
    return queryset.order_by("company_id", "date", "id")
