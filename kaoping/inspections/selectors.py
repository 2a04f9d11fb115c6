"""Reads of inspections, each scoped to what the viewer may see (Family.RECORDS).

Supervisors, department heads, project managers and quality read the records of their subtree;
an employee reads their own findings and fault notices, the inspections that found them, and
the corrective actions they own; HR, finance and admin read none of these. Outside the scope an
object answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaoping.org.access import Family, scope_filter, scope_of, scoped
from kaoping.org.selectors import Viewer

from .models import CorrectiveAction, FaultNotice, Finding, Inspection, InspectionPlan


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
