"""The working-day calendar: weekends and holidays off, make-up working days on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.org.tests.factories import World, build_world

from ..models import Holiday
from ..services import holiday_set
from ..workdays import add_working_days, working_days_between
from .conftest import audit_since, last_audit_id

pytestmark = pytest.mark.django_db
FRI_16 = dt.date(2026, 10, 16)


def test_weekends_are_not_counted(world: World) -> None:
    company = world.company.pk

    assert add_working_days(company, FRI_16, 0) == FRI_16
    assert add_working_days(company, FRI_16, 1) == dt.date(2026, 10, 19)  # Monday
    assert add_working_days(company, FRI_16, 5) == dt.date(2026, 10, 23)
    assert add_working_days(company, dt.date(2026, 10, 17), 1) == dt.date(2026, 10, 19)  # Sat
    assert working_days_between(company, FRI_16, dt.date(2026, 10, 23)) == 5
    assert working_days_between(company, FRI_16, dt.date(2026, 10, 18)) == 0
    assert working_days_between(company, dt.date(2026, 10, 23), FRI_16) == 0


def test_a_holiday_is_skipped_and_a_make_up_day_counts(world: World, calendar_: Holiday) -> None:
    # given Monday 19 is a holiday
    company = world.company.pk
    assert add_working_days(company, FRI_16, 1) == dt.date(2026, 10, 20)
    assert add_working_days(company, FRI_16, 5) == dt.date(2026, 10, 26)
    assert working_days_between(company, FRI_16, dt.date(2026, 10, 26)) == 5

    # when Saturday 24 is made a working day (调休上班)
    holiday_set(
        actor=None,
        company=world.company,
        date=dt.date(2026, 10, 24),
        name="国庆调休",
        workday=True,
    )

    # then it counts, and the fifth working day comes two days earlier
    assert add_working_days(company, FRI_16, 5) == dt.date(2026, 10, 24)
    assert add_working_days(company, dt.date(2026, 10, 23), 1) == dt.date(2026, 10, 24)
    assert working_days_between(company, FRI_16, dt.date(2026, 10, 26)) == 6


def test_a_long_holiday_beyond_one_window_is_read_in_full(world: World) -> None:
    # given the whole of November and December off
    day = dt.date(2026, 11, 1)
    while day <= dt.date(2026, 12, 31):
        holiday_set(actor=None, company=world.company, date=day, name="停工")
        day += dt.timedelta(days=1)

    assert add_working_days(world.company.pk, dt.date(2026, 10, 30), 1) == dt.date(2027, 1, 1)


def test_another_companys_holidays_do_not_count(world: World, calendar_: Holiday) -> None:
    other = build_world("SZ")

    assert add_working_days(other.company.pk, FRI_16, 1) == dt.date(2026, 10, 19)


def test_holidays_are_kept_by_hr_or_admin_and_audited(world: World) -> None:
    mark = last_audit_id()

    holiday = holiday_set(
        actor=world.users["hr"], company=world.company, date=dt.date(2026, 10, 19), name="庆典"
    )
    again = holiday_set(
        actor=world.users["admin"],
        company=world.company,
        date=dt.date(2026, 10, 19),
        name="公司庆典日",
    )

    assert again.pk == holiday.pk and again.name == "公司庆典日" and not again.workday
    assert audit_since(mark) == [("holiday.set", "appeals.holiday")] * 2
    events = AuditEvent.objects.filter(id__gt=mark).order_by("id")
    assert events[1].before["name"] == "庆典" and events[1].after["name"] == "公司庆典日"


def test_holiday_mistakes_are_refused_and_nothing_changes(world: World) -> None:
    count = Holiday.objects.count()

    with pytest.raises(PermissionDenied):
        holiday_set(actor=world.users["sup1"], company=world.company, date=FRI_16, name="私自放假")
    with pytest.raises(ValidationError) as raised:
        holiday_set(
            actor=world.users["hr"], company=world.company, date=FRI_16, name="调休", workday=True
        )
    assert raised.value.message_dict == {"workday": ["调休上班日须为星期六或星期日。"]}
    with pytest.raises(ValidationError) as raised:
        holiday_set(actor=world.users["hr"], company=world.company, date=FRI_16, name=" ")
    assert raised.value.message_dict == {"name": ["请填写节假日名称。"]}
    assert Holiday.objects.count() == count
