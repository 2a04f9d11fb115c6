"""Filing an appeal (提出申诉): who may, until when, and at which level it starts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.appraisals.models import Result
from kaoping.audit.services import audit_record, snapshot
from kaoping.inspections.models import FaultNotice, Finding
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import placement_on
from kaoping.org.services import Actor

from ..models import Appeal, Level, Route
from ..workdays import APPEAL_WORKING_DAYS, add_working_days
from ._common import level_from, now_or_current, require

ONE_TARGET = _("请指定申诉对象:违规记录、过失通知单或考核结果,三者只能选一。")
ONLY_THE_EMPLOYEE = cast(str, _("只有当事员工本人可以提出申诉。"))  # passed where a str is expected
REASON_REQUIRED = _("请填写申诉理由。")
WINDOW_PASSED = _("已超过申诉期限:须在 {origin} 起 {days} 个工作日内(至 {deadline})提出。")
FINDING_VOIDED = _("该违规记录已撤销,无需申诉。")
RESULT_SUPERSEDED = _("该考核结果已被更正为第 {revision} 版,请对最新结果申诉。")
ALREADY_OPEN = _("该{what}已有处理中的申诉(#{pk})。")
ALREADY_DECIDED = _("该{what}的申诉已有处理结果(#{pk}),如不服请申请上一级复核。")

_TARGET_NAMES = {"finding": "违规记录", "fault_notice": "过失通知单", "result": "考核结果"}


@dataclass(frozen=True)
class _Target:
    """The locked target of a filing with what filing needs: whose it is, its unit, its date."""

    field: str
    employee: Employee | None
    unit: OrgUnit
    supervisor: Employee | None
    since: dt.date  # the filing window runs from this day
    company_id: int
    finding: Finding | None  # the finding concerned (directly or through its notice)
    fault_notice: FaultNotice | None = None
    result: Result | None = None


def _supervisor_on(employee: Employee, day: dt.date) -> Employee | None:
    placement = placement_on(employee=employee, day=day)
    if placement is None or placement.supervisor_id == employee.pk:
        return None
    return placement.supervisor


def _target_of(
    finding: Finding | None, fault_notice: FaultNotice | None, result: Result | None
) -> _Target:
    if finding is not None:
        finding = (
            Finding.objects.select_for_update(of=("self",))
            .select_related("unit", "employee")
            .get(pk=finding.pk)
        )
        return _finding_target("finding", finding, timezone.localdate(finding.occurred_at))
    if fault_notice is not None:
        # the finding is locked too: an appeal on it and one on its notice are one matter
        notice = (
            FaultNotice.objects.select_for_update(of=("self", "finding"))
            .select_related("finding__unit", "finding__employee")
            .get(pk=fault_notice.pk)
        )
        return _finding_target(
            "fault_notice", notice.finding, timezone.localdate(notice.issued_at), notice
        )
    assert result is not None
    result = (
        Result.objects.select_for_update(of=("self",))
        .select_related("unit", "employee", "appraisal__supervisor")
        .get(pk=result.pk)
    )
    if result.superseded_by_id is not None:
        newest = Result.objects.filter(
            appraisal_id=result.appraisal_id, superseded_by__isnull=True
        ).first()
        revision = newest.revision if newest is not None else result.revision + 1
        raise ValidationError({"result": RESULT_SUPERSEDED.format(revision=revision)})
    return _Target(
        field="result",
        employee=result.employee,
        unit=result.unit,
        supervisor=result.appraisal.supervisor,
        since=timezone.localdate(result.created_at),
        company_id=result.company_id,
        finding=None,
        result=result,
    )


def _finding_target(
    field: str, finding: Finding, since: dt.date, notice: FaultNotice | None = None
) -> _Target:
    if finding.status == Finding.Status.VOIDED:
        raise ValidationError({field: FINDING_VOIDED})
    employee = finding.employee
    supervisor = None
    if employee is not None:
        supervisor = _supervisor_on(employee, timezone.localdate(finding.occurred_at))
    return _Target(
        field=field,
        employee=employee,
        unit=finding.unit,
        supervisor=supervisor,
        since=since,
        company_id=finding.company_id,
        finding=finding,
        fault_notice=notice,
    )


def _same_target(target: _Target) -> Q:
    """A finding and its fault notice are one matter: an appeal on either is on both."""
    if target.finding is not None:
        return Q(finding_id=target.finding.pk) | Q(fault_notice__finding_id=target.finding.pk)
    assert target.result is not None
    return Q(result_id=target.result.pk)


@transaction.atomic
def appeal_file(
    *,
    actor: Actor,
    finding: Finding | None = None,
    fault_notice: FaultNotice | None = None,
    result: Result | None = None,
    reason: str,
    to_hr: bool = False,
    now: dt.datetime | None = None,
) -> Appeal:
    """File an appeal (提出申诉) against a finding, a fault notice or a result.

    Only the employee concerned files, within APPEAL_WORKING_DAYS working days of the finding's
    day, the notice's issue or the result's creation (its period's close), and one appeal per
    matter is open at a time. The appeal goes to the first level of the chain that someone other
    than the parties holds over the unit (supervisor → department head → project manager), or,
    `to_hr`, straight to HR (a complaint against an inspector's conduct, seed 002 4.3.1). That
    level answers within APPEAL_WORKING_DAYS working days.
    """
    if sum(target is not None for target in (finding, fault_notice, result)) != 1:
        raise ValidationError({NON_FIELD_ERRORS: ONE_TARGET})
    now = now_or_current(now)
    today = timezone.localdate(now)
    target = _target_of(finding, fault_notice, result)
    employee = target.employee
    if employee is None:  # a finding on a unit: no one person may appeal it
        raise PermissionDenied(ONLY_THE_EMPLOYEE)
    require(actor, "appeals.file", employee, ONLY_THE_EMPLOYEE)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    deadline = add_working_days(target.company_id, target.since, APPEAL_WORKING_DAYS)
    if today > deadline:
        raise ValidationError(
            {
                target.field: WINDOW_PASSED.format(
                    origin=target.since, days=APPEAL_WORKING_DAYS, deadline=deadline
                )
            }
        )
    route = Route.HR if to_hr else Route.CHAIN
    earlier = Appeal.objects.filter(_same_target(target)).exclude(status=Appeal.Status.WITHDRAWN)
    what = _TARGET_NAMES[target.field]
    for status, route_of, pk in earlier.values_list("status", "route", "pk").order_by("id"):
        if status == Appeal.Status.OPEN:
            raise ValidationError({target.field: ALREADY_OPEN.format(what=what, pk=pk)})
        if route_of == route:
            raise ValidationError({target.field: ALREADY_DECIDED.format(what=what, pk=pk)})

    appeal = Appeal(
        company_id=target.company_id,
        unit=target.unit,
        employee=employee,
        supervisor=target.supervisor,
        finding=target.finding if target.field == "finding" else None,
        fault_notice=target.fault_notice,
        result=target.result,
        reason=reason,
        filed_at=now,
        route=route,
        level=Level.HR if to_hr else Level.SUPERVISOR,
        level_due=add_working_days(target.company_id, today, APPEAL_WORKING_DAYS),
    )
    level = level_from(appeal, None, today)
    assert level is not None
    appeal.level = level
    appeal.full_clean()
    appeal.save()
    audit_record(
        actor=actor, action="appeal.file", obj=appeal, after=snapshot(appeal), reason=reason
    )
    return appeal
