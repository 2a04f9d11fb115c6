"""The working-day calendar (工作日): weekends and a company's holidays off, make-up days on.

Deadlines of appeals are counted in working days (seed 003: 5个工作日内答复). A day counts when
it is Monday to Friday and not a holiday of the company, or when it is a make-up working day
(调休上班) on a weekend.
"""

from __future__ import annotations

import datetime as dt

from .models import Holiday

# The filing window and each level's time to answer (seed 003, PRODUCT.md workflow 6).
APPEAL_WORKING_DAYS = 5
# Holidays are read in windows of this many calendar days; a longer stretch reads another.
_WINDOW = 60
_ONE_DAY = dt.timedelta(days=1)


def _exceptions(company_id: int, after: dt.date, until: dt.date) -> dict[dt.date, bool]:
    """Holidays (False) and make-up working days (True) in (after, until]."""
    return dict(
        Holiday.objects.filter(company_id=company_id, date__gt=after, date__lte=until).values_list(
            "date", "workday"
        )
    )


def _is_working(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(company_id: int, start: dt.date, n: int) -> dt.date:
    """The day `n` working days after `start` (`start` itself not counted; n = 0 gives `start`).

    Friday + 1 is Monday; with Monday a holiday, Tuesday; with Saturday a make-up day, Saturday.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    left = n
    while left:
        until = day + dt.timedelta(days=_WINDOW)
        exceptions = _exceptions(company_id, day, until)
        while left and day < until:
            day += _ONE_DAY
            if _is_working(day, exceptions):
                left -= 1
    return day


def working_days_between(company_id: int, start: dt.date, end: dt.date) -> int:
    """How many working days lie in (start, end]: add_working_days(c, s, n) is n after s.

    Zero when `end` is not after `start`.
    """
    if end <= start:
        return 0
    exceptions = _exceptions(company_id, start, end)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if _is_working(day, exceptions):
            count += 1
    return count
