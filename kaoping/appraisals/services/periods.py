"""Opening a period: one appraisal for every subject a policy version applies to."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record
from kaoping.org.models import Company, OrgUnit, Placement
from kaoping.org.services import NO_PERMISSION, Actor, company_root
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyVersion
from kaoping.policies.selectors import PolicyResolver
from kaoping.scoring import parse_period

from ..models import Appraisal

PERIOD_EXISTS = _("考评期间 {key} 已存在。")


def _pk(version: PolicyVersion | None) -> int | None:
    return version.pk if version is not None else None


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
    units = {unit.pk: unit for unit in OrgUnit.objects.filter(company=company)}
    latest: dict[int, tuple[int, int, int | None]] = {}
    for placed_id, placed_unit, placed_position, placed_supervisor in (
        Placement.objects.filter(employee__company=company, employee__active=True, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("employee_id", "start")
        .values_list("employee_id", "unit_id", "position_id", "supervisor_id")
    ):
        latest[placed_id] = (placed_unit, placed_position, placed_supervisor)
    rows: list[tuple[Any, ...]] = []
    for employee_id, (unit_id, position_id, supervisor_id) in latest.items():
        applicable = resolver.for_placement(unit=units[unit_id], position_id=position_id)
        if applicable is None or applicable.version.document.period != kind:
            continue
        rows.append(
            (
                employee_id,
                None,
                unit_id,
                supervisor_id,
                applicable.version.pk,
                _pk(applicable.consequences),
            )
        )
    for unit in units.values():
        if not unit.active:
            continue
        for subject in ("unit", "team"):
            applicable = resolver.for_unit(unit=unit, subject=subject)
            if applicable is None or applicable.version.document.period != kind:
                continue
            rows.append(
                (None, unit.pk, unit.pk, None, applicable.version.pk, _pk(applicable.consequences))
            )
            break
    # Plain multi-row inserts: a period of 100,000 employees opens in seconds.
    sql = (
        f"INSERT INTO {Appraisal._meta.db_table} (period_id, company_id, employee_id, subject_unit_id, "
        "unit_id, supervisor_id, policy_version_id, consequences_version_id, status) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    values = [(period.pk, company.pk, *row, Appraisal.Status.OPEN) for row in rows]
    with connection.cursor() as cursor:
        for low in range(0, len(values), 5000):
            cursor.executemany(sql, values[low : low + 5000])
    count = len(values)
    audit_record(
        actor=actor,
        action="period.open",
        obj=period,
        after={"kind": kind, "key": key, "start": start, "end": end, "appraisals": count},
    )
    return period
