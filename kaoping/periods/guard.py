"""The closed-period lock: records dated inside a closed period cannot change."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import path_prefixes

from .models import Period, PeriodClosure

PERIOD_CLOSED = _("{period}已关账,不能新增、修改或删除该期间内的记录;如需更正,请通过申诉更正。")


def closed_period_on(
    *, company_id: int, day: dt.date, unit_path: str | None = None
) -> Period | None:
    """The closed period of the company containing `day`, if any.

    With `unit_path`, a period closed for a subtree containing that unit counts too (a project
    manager may close their project before the whole company closes).
    """
    covering = Period.objects.filter(company_id=company_id, start__lte=day, end__gte=day)
    closed = (
        covering.filter(status__in=[Period.Status.CLOSED, Period.Status.CLOSING])
        .order_by("start")
        .first()
    )
    if closed is not None or unit_path is None:
        return closed
    prefixes = path_prefixes(unit_path)
    closure = (
        PeriodClosure.objects.filter(period__in=covering, unit__path__in=prefixes)
        .select_related("period")
        .first()
    )
    return closure.period if closure is not None else None


def ensure_open(
    *,
    company_id: int,
    day: dt.date | dt.datetime,
    field: str = "date",
    unit_path: str | None = None,
) -> None:
    """Refuse (ValidationError on `field`) when `day` lies in a closed period (for that unit)."""
    if isinstance(day, dt.datetime):
        from django.utils import timezone

        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    period = closed_period_on(company_id=company_id, day=day, unit_path=unit_path)
    if period is not None:
        raise ValidationError(
            {
                field: PERIOD_CLOSED.format(
                    period=f"{period.key} {period.get_kind_display()}考评期间"
                )
            }
        )
