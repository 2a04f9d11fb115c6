"""Reads of inspections, each scoped to what the viewer may see (Family.RECORDS).

Supervisors, department heads, project managers and quality read the records of their subtree;
an employee reads their own findings and fault notices, the inspections that found them, and
the corrective actions they own; HR, finance and admin read none of these. Outside the scope an
object answers 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaoping.org.access import Family, scope_filter, scope_of, scoped
from kaoping.org.models import Employee, Placement
from kaoping.org.selectors import Viewer
from kaoping.policies.selectors import engine_policy, policy_for_employee
from kaoping.scoring import InputError
from kaoping.scoring.engine import resolve_finding
from kaoping.scoring.inputs import Finding as EngineFinding

from .models import (
    CorrectiveAction,
    FaultNotice,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionPlan,
)
from .services import NO_POLICY


def inspection_plan_list(*, viewer: Viewer, active: bool | None = None) -> QuerySet[InspectionPlan]:
    """Inspection plans of units in the viewer's subtree (employees see none)."""
    plans = scoped(
        InspectionPlan.objects.select_related("unit"), viewer, Family.RECORDS, employee=None
    )
    if active is not None:
        plans = plans.filter(active=active)
    return plans.order_by("unit__path", "kind", "id")


def inspection_plan_get(*, viewer: Viewer, pk: int) -> InspectionPlan:
    return get_object_or_404(inspection_plan_list(viewer=viewer), pk=pk)


def inspection_list(
    *,
    viewer: Viewer,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kind: str | None = None,
) -> QuerySet[Inspection]:
    """Inspections of units in the viewer's subtree, and those that found against the viewer."""
    scope = scope_of(viewer)
    condition = scope_filter(scope, Family.RECORDS, unit_path="unit__path", employee=None)
    if scope.employee_id is not None:
        # An exists-subquery rather than a join: one row per inspection, no DISTINCT.
        condition |= Q(
            Exists(
                Finding.objects.filter(inspection_id=OuterRef("pk"), employee_id=scope.employee_id)
            )
        )
    inspections = Inspection.objects.filter(condition).select_related("unit", "inspector", "plan")
    if start is not None:
        inspections = inspections.filter(at__gte=start)
    if end is not None:
        inspections = inspections.filter(at__lt=end)
    if kind is not None:
        inspections = inspections.filter(kind=kind)
    return inspections.order_by("-at", "-id")


def inspection_get(*, viewer: Viewer, pk: int) -> Inspection:
    return get_object_or_404(inspection_list(viewer=viewer), pk=pk)


def finding_list(
    *,
    viewer: Viewer,
    inspection: Inspection | None = None,
    employee_id: int | None = None,
    status: str | None = Finding.Status.ACTIVE,
) -> QuerySet[Finding]:
    """Findings filed under units of the viewer's subtree, and the viewer's own.

    Active findings by default; `status=None` includes the voided ones.
    """
    findings = scoped(
        Finding.objects.select_related(
            "inspection", "unit", "employee", "subject_unit", "policy_version__document"
        ),
        viewer,
        Family.RECORDS,
        unit_path="unit__path",
        employee="employee",
    )
    if inspection is not None:
        findings = findings.filter(inspection=inspection)
    if employee_id is not None:
        findings = findings.filter(employee_id=employee_id)
    if status is not None:
        findings = findings.filter(status=status)
    return findings.order_by("-occurred_at", "-id")


def finding_get(*, viewer: Viewer, pk: int) -> Finding:
    return get_object_or_404(finding_list(viewer=viewer, status=None), pk=pk)


def fault_notice_list(*, viewer: Viewer, unanswered: bool = False) -> QuerySet[FaultNotice]:
    """Fault notices (过失通知单) of findings the viewer may read; `unanswered` keeps those neither
    acknowledged nor disputed."""
    notices = scoped(
        FaultNotice.objects.select_related(
            "finding__employee", "finding__unit", "finding__inspection"
        ),
        viewer,
        Family.RECORDS,
        unit_path="finding__unit__path",
        employee="finding__employee",
    )
    if unanswered:
        notices = notices.filter(acknowledged_at__isnull=True, disputed_at__isnull=True)
    return notices.order_by("-issued_at", "-id")


def fault_notice_get(*, viewer: Viewer, pk: int) -> FaultNotice:
    return get_object_or_404(fault_notice_list(viewer=viewer), pk=pk)


def corrective_action_list(
    *,
    viewer: Viewer,
    overdue: bool = False,
    status: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[CorrectiveAction]:
    """Corrective actions (纠正措施) of units in the viewer's subtree, and those the viewer owns.

    `overdue=True` keeps the ones past their due date and not yet done (as of `today`, the local
    date by default), in SQL.
    """
    actions = scoped(
        CorrectiveAction.objects.select_related("unit", "owner", "finding", "verified_by"),
        viewer,
        Family.RECORDS,
        unit_path="unit__path",
        employee="owner",
    )
    if overdue:
        day = today or timezone.localdate()
        actions = actions.filter(due__lt=day, status__in=CorrectiveAction.PENDING)
    if status is not None:
        actions = actions.filter(status=status)
    return actions.order_by("due", "id")


def corrective_action_get(*, viewer: Viewer, pk: int) -> CorrectiveAction:
    return get_object_or_404(corrective_action_list(viewer=viewer), pk=pk)


# --- pages: recording a finding (added for the supervisor's pages) ----------------------------

# Roles that may record findings over their subtree (org.rules.is_inspector_over).
INSPECTOR_ROLES = ("supervisor", "department_head", "project_manager", "quality")


def _inspector_condition(viewer: Viewer, unit_path: str) -> Q:
    scope = scope_of(viewer)
    condition = Q(pk__in=[])
    for role in INSPECTOR_ROLES:
        for prefix in scope.roles.get(role, ()):
            condition |= Q(**{f"{unit_path}__startswith": prefix})
    return condition


def inspectable_placements(
    *, viewer: Viewer, query: str = "", on: dt.date | None = None
) -> QuerySet[Placement]:
    """The placements on `on` (today by default) of the people the viewer may record findings
    against (违规记录): placed in a unit under a subtree where the viewer is a supervisor,
    department head, project manager or quality, the viewer excluded. `query` narrows them to a
    name or employee number (工号) containing it. One row per person, by employee number.
    """
    day = on or timezone.localdate()
    placements = (
        Placement.objects.filter(_inspector_condition(viewer, "unit__path"))
        .filter(start__lte=day, employee__active=True)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("employee", "unit", "position")
    )
    own = scope_of(viewer).employee_id
    if own is not None:
        placements = placements.exclude(employee_id=own)
    query = query.strip()
    if query:
        placements = placements.filter(
            Q(employee__name__icontains=query) | Q(employee__number__icontains=query)
        )
    return placements.order_by("employee__number", "id")


def finding_input_errors(
    *,
    employee: Employee,
    on: dt.date,
    section: str,
    severity: str = "",
    item: str = "",
    points: Decimal | None = None,
) -> dict[str, str]:
    """What finding_record would say about these values for `employee` on `on`: the engine's
    messages by field (section, severity, item, points), empty when they are valid. The same
    check as the service (scoring.engine.resolve_finding on the policy version in force)."""
    applicable = policy_for_employee(employee=employee, on=on)
    if applicable is None:
        return {"employee": str(NO_POLICY.format(day=on, subject=employee.name))}
    try:
        resolve_finding(
            engine_policy(applicable.version),
            EngineFinding(
                section=section.strip() or None,
                points=points,
                severity=severity or None,
                item=item.strip() or None,
            ),
        )
    except InputError as exc:
        return {exc.field or "__all__": exc.message}
    return {}


# --- pages: the managers' dashboards and reports (added for the managers' pages) -----------------


def finding_pareto(
    *, viewer: Viewer, since: dt.datetime, until: dt.datetime
) -> list[tuple[str, int, Decimal]]:
    """Active findings in the viewer's scope that occurred in [since, until), grouped by the
    policy section (考评项目) they fall under, the most frequent first (a Pareto chart's bars):
    (section title, count, points). Two queries whatever the number of findings."""
    from django.db.models import Count, Sum

    from kaoping.appraisals.facts import engine_policies

    grouped = list(
        finding_list(viewer=viewer)
        .filter(occurred_at__gte=since, occurred_at__lt=until)
        .order_by()
        .values_list("policy_version_id", "section")
        .annotate(count=Count("id"), points=Sum("points"))
    )
    policies = engine_policies(version for version, *_ in grouped)
    totals: dict[str, tuple[int, Decimal]] = {}
    for version, section_id, count, points in grouped:
        policy = policies.get(version)
        section = policy.section(section_id) if policy is not None else None
        title = section.title if section is not None else section_id
        before = totals.get(title, (0, Decimal(0)))
        totals[title] = (before[0] + count, before[1] + (points or Decimal(0)))
    return sorted(
        ((title, count, points) for title, (count, points) in totals.items()),
        key=lambda line: (-line[1], line[0]),
    )


def finding_monthly_trend(
    *, viewer: Viewer, months: int = 12, today: dt.date | None = None
) -> list[tuple[str, int, Decimal]]:
    """Active findings in the viewer's scope per calendar month (local time), the last `months`
    months up to this one, oldest first, months without findings included: ("YYYY-MM", count,
    points). One query."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    today = today or timezone.localdate()
    firsts: list[dt.date] = [today.replace(day=1)]
    while len(firsts) < months:
        firsts.insert(0, (firsts[0] - dt.timedelta(days=1)).replace(day=1))
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(firsts[0], dt.time(0), tzinfo=zone)
    grouped = (
        finding_list(viewer=viewer)
        .filter(occurred_at__gte=since)
        .order_by()
        .annotate(month=TruncMonth("occurred_at", tzinfo=zone))
        .values_list("month")
        .annotate(count=Count("id"), points=Sum("points"))
    )
    found: dict[str, tuple[int, Decimal]] = {}
    for month, count, points in grouped:
        key = f"{month:%Y-%m}"
        before = found.get(key, (0, Decimal(0)))
        found[key] = (before[0] + count, before[1] + (points or Decimal(0)))
    trend = []
    for first in firsts:
        key = f"{first:%Y-%m}"
        count, points = found.get(key, (0, Decimal(0)))
        trend.append((key, count, points))
    return trend


def finding_photo_list(*, viewer: Any) -> QuerySet[FindingPhoto]:
    """The photos of the findings the viewer reads."""
    findings = finding_list(viewer=viewer, status=None).values("pk")
    return FindingPhoto.objects.filter(finding__in=findings).order_by("finding_id", "id")
