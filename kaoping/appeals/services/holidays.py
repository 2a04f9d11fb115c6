"""Keeping the working-day calendar (工作日历): holidays and make-up working days."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.models import Company
from kaoping.org.services import Actor, company_root

from ..models import Holiday
from ._common import require

WORKDAY_ON_WEEKEND = _("调休上班日须为星期六或星期日。")
NAME_REQUIRED = _("请填写节假日名称。")


@transaction.atomic
def holiday_set(
    *, actor: Actor, company: Company, date: dt.date, name: str, workday: bool = False
) -> Holiday:
    """Mark a day of the company's calendar: a holiday (放假), or with `workday` a make-up
    working day on a weekend (调休上班). Setting a day again replaces what it was."""
    require(actor, "appeals.manage_holidays", company_root(company))
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if workday and date.weekday() < 5:
        raise ValidationError({"workday": WORKDAY_ON_WEEKEND})
    holiday = Holiday.objects.select_for_update().filter(company=company, date=date).first()
    before = snapshot(holiday) if holiday is not None else None
    if holiday is None:
        holiday = Holiday(company=company, date=date)
    holiday.name = name
    holiday.workday = workday
    holiday.full_clean()
    holiday.save()
    audit_record(
        actor=actor, action="holiday.set", obj=holiday, before=before, after=snapshot(holiday)
    )
    return holiday
