"""The dashboards of department heads, project managers and quality (部门主任 / 项目经理 /
质管部工作台): the grade distribution of the last closed period, a Pareto of the findings by
policy section (last 90 days), the team ranking of the last closed month (with a link to the
live ranking of the open one), unit satisfaction over the latest months, inspection coverage
against plan this month, overdue corrective actions, open appeals by age, and the open periods
to preview and close. Every figure is scoped to the viewer and aggregated in the database;
charts read json_script.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.appeals.selectors import appeal_age_buckets
from kaoping.appraisals.report_selectors import (
    inspection_coverage,
    ranking_card,
    unit_satisfaction,
)
from kaoping.appraisals.selectors import grade_distribution, period_list
from kaoping.inspections.selectors import corrective_action_list, finding_pareto
from kaoping.periods.models import Period

from ..dashboards import Dashboard
from ..rendering import render_page
from ..selectors import CARD_ROWS

PARETO_DAYS = 90
SATISFACTION_MONTHS = 3


def pareto_chart(lines: list[tuple[str, int, Decimal]]) -> dict[str, list[Any]]:
    """Bars (counts, most frequent first) and the cumulative share in per cent (the line)."""
    total = sum(count for _title, count, _points in lines) or 1
    running = 0
    cumulative = []
    for _title, count, _points in lines:
        running += count
        cumulative.append(round(running * 100 / total, 1))
    return {
        "labels": [title for title, _count, _points in lines],
        "counts": [count for _title, count, _points in lines],
        "cumulative": cumulative,
    }


def _age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("{low} 天以上").format(low=low)
    return _("{low}–{high} 天").format(low=low, high=high)


def manager_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    """部门主任 / 项目经理 / 质管部工作台 (the same cards, each scoped to the viewer's units)."""
    periods = period_list(viewer=request.user)
    last_closed = periods.filter(status=Period.Status.CLOSED).first()
    open_periods = list(periods.exclude(status=Period.Status.CLOSED)[:3])
    grades = grade_distribution(viewer=request.user, period=last_closed) if last_closed else []
    until = timezone.now()
    pareto = finding_pareto(
        viewer=request.user, since=until - dt.timedelta(days=PARETO_DAYS), until=until
    )
    overdue = corrective_action_list(viewer=request.user, overdue=True)
    ages = appeal_age_buckets(viewer=request.user)
    months = list(periods.filter(kind=Period.Kind.MONTH)[:SATISFACTION_MONTHS])
    closed_month = next((p for p in months if p.is_closed), None)
    if closed_month is None:
        closed_month = periods.filter(kind=Period.Kind.MONTH, status=Period.Status.CLOSED).first()
    live_month = next((p for p in months if not p.is_closed), None)
    no_grade = _("未评等级")
    return render_page(
        request,
        "web/managers/dashboard.html",
        {
            "dashboard": dashboard,
            "last_closed": last_closed,
            "open_periods": open_periods,
            "grades": grades,
            "grade_chart": {
                "labels": [grade or no_grade for grade, _count in grades],
                "counts": [count for _grade, count in grades],
            },
            "pareto": pareto,
            "pareto_chart": pareto_chart(pareto),
            "pareto_days": PARETO_DAYS,
            "overdue": list(overdue[:CARD_ROWS]),
            "overdue_total": overdue.count(),
            "ages": [(_age_label(low, high), count) for low, high, count in ages],
            "appeals_total": sum(count for _low, _high, count in ages),
            "ranking_period": closed_month,
            "ranking": ranking_card(viewer=request.user, period=closed_month)
            if closed_month
            else [],
            "live_month": live_month,
            "satisfaction": unit_satisfaction(viewer=request.user, periods=months),
            "coverage": inspection_coverage(viewer=request.user, period=months[0])
            if months
            else None,
        },
    )
