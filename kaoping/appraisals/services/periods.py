"""Opening a period: one appraisal for every subject a policy version applies to."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from kaoping.audit.services import audit_record
from kaoping.org.models import Company, OrgUnit, Placement
from kaoping.org.services import NO_PERMISSION, Actor, company_root
from kaoping.periods.models import Period
from kaoping.policies.selectors import PolicyResolver
from kaoping.scoring import parse_period

from ..models import Appraisal

PERIOD_EXISTS = "考评期间 {key} 已存在。"
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def period_dates(kind: str, key: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period given as `2026-10`, `2026-Q4`, `2026-H2` or `2026`."""
    period = parse_period(key, kind)
    months = _MONTHS[kind]
    first_month = (period.index - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(period.year, first_month, 1), dt.date(
        period.year, last_month, monthrange(period.year, last_month)[1]
    )


@transaction.atomic
def period_open(
    *,
    actor: Actor,
    company: Company,
    kind: str,
    key: str,
    self_deadline: dt.date | None = None,
    rating_deadline: dt.date | None = None,
) -> Period:
    """Open a period and create the appraisal of every subject that a policy version covers.

    Employees are those placed at any time in the period (the last placement counts: its unit,
    position and direct supervisor); units and teams are the active ones. Set-based: a fixed
    number of queries whatever the head count.
    """
    root = company_root(company)
    if actor is not None and not actor.has_perm("appraisals.open_period", root):
        raise PermissionDenied(NO_PERMISSION)
    try:
        start, end = period_dates(kind, key)
    except ValueError as exc:
        raise ValidationError({"key": str(exc)}) from None
    if Period.objects.filter(company=company, kind=kind, key=key).exists():
        raise ValidationError({"key": PERIOD_EXISTS.format(key=key)})
    period = Period(
        company=company,
        kind=kind,
        key=key,
        start=start,
        end=end,
        self_deadline=self_deadline,
        rating_deadline=rating_deadline,
    )
    period.full_clean()
    period.save()
    resolver = PolicyResolver(company_id=company.pk, on=end)
    appraisals: list[Appraisal] = []
    latest: dict[int, Placement] = {}
    for placement in (
        Placement.objects.filter(employee__company=company, employee__active=True, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("unit")
        .order_by("employee_id", "start")
    ):
        latest[placement.employee_id] = placement
    for placement in latest.values():
        applicable = resolver.for_placement(unit=placement.unit, position_id=placement.position_id)
        if applicable is None or applicable.version.document.period != kind:
            continue
        appraisals.append(
            Appraisal(
                period=period,
                company=company,
                employee_id=placement.employee_id,
                unit=placement.unit,
                supervisor_id=placement.supervisor_id,
                policy_version=applicable.version,
                consequences_version=applicable.consequences,
            )
        )
    for unit in OrgUnit.objects.filter(company=company, active=True):
        for subject in ("unit", "team"):
            applicable = resolver.for_unit(unit=unit, subject=subject)
            if applicable is None or applicable.version.document.period != kind:
                continue
            appraisals.append(
                Appraisal(
                    period=period,
                    company=company,
                    subject_unit=unit,
                    unit=unit,
                    policy_version=applicable.version,
                    consequences_version=applicable.consequences,
                )
            )
            break
    Appraisal.objects.bulk_create(appraisals, batch_size=2000)
    audit_record(
        actor=actor,
        action="period.open",
        obj=period,
        after={"kind": kind, "key": key, "start": start, "end": end, "appraisals": len(appraisals)},
    )
    return period
