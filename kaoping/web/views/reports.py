"""Reports (报表): the month's violation summary (违规处理情况汇总, as `kaoping export violations`
writes it; the page shows it per person, paginated and aggregated in the database), the Pareto
of findings by policy section, the monthly trend of findings and, for a closed month, the rater
consistency (评分一致性); each table downloads as .xlsx (导出 Excel). The team ranking of a
month (服务小组评比) has its own printable publication page with its chart and .xlsx.
Everything is scoped to the viewer (their records)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.appeals.selectors import period_window
from kaoping.appraisals.report_selectors import (
    ranking_board,
    rater_consistency,
    violation_people,
    violation_people_queryset,
)
from kaoping.appraisals.selectors import period_get, period_list
from kaoping.inspections.selectors import finding_monthly_trend, finding_pareto
from kaoping.periods.models import Period
from kaoping.sheets.exports.forms import team_ranking_workbook, violation_summary_workbook
from kaoping.sheets.exports.workbook import ExportColumn, list_workbook
from kaoping.sheets.selectors import team_rankings, violation_summary

from ..rendering import render_page
from .hr import XLSX
from .managers import pareto_chart

TREND_MONTHS = 12
PEOPLE_ROWS = 50


def _months(request: HttpRequest) -> list[Period]:
    return list(period_list(viewer=request.user).filter(kind=Period.Kind.MONTH)[:24])


def _chosen(request: HttpRequest, months: list[Period]) -> Period | None:
    """The month asked for (?period=pk; 404 outside the viewer's companies), else the latest."""
    wanted = request.GET.get("period")
    if wanted and wanted.isdigit():
        return period_get(viewer=request.user, pk=int(wanted))
    return months[0] if months else None


def _pareto(request: HttpRequest, period: Period) -> list[tuple[str, int, Decimal]]:
    since, until = period_window(period)
    return finding_pareto(viewer=request.user, since=since, until=until)


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """报表: a month's violation summary and Pareto, and the findings month by month."""
    months = _months(request)
    period = _chosen(request, months)
    page = None
    people = []
    if period is not None:
        page = Paginator(
            violation_people_queryset(viewer=request.user, period=period), PEOPLE_ROWS
        ).get_page(request.GET.get("page") or "1")
        people = violation_people(viewer=request.user, period=period, people=list(page))
    pareto = _pareto(request, period) if period else []
    raters = (
        rater_consistency(viewer=request.user, period=period)
        if period is not None and period.is_closed
        else []
    )
    trend = finding_monthly_trend(viewer=request.user, months=TREND_MONTHS)
    return render_page(
        request,
        "web/reports/reports.html",
        {
            "months": months,
            "period": period,
            "page": page,
            "people": people,
            "raters": raters,
            "pareto": pareto,
            "pareto_chart": pareto_chart(pareto),
            "trend": trend,
            "trend_chart": {
                "labels": [month for month, _count, _points in trend],
                "counts": [count for _month, count, _points in trend],
            },
        },
    )


def _share(percent: Decimal | None) -> Decimal | None:
    """A percentage as the fraction a cell formatted "0.0%" shows as that percentage."""
    return percent / 100 if percent is not None else None


def _rater_columns() -> list[ExportColumn]:
    """The rater consistency table's columns (in the request's language)."""
    return [
        ExportColumn(_("考核人"), lambda row: row.rater, width=12),
        ExportColumn(_("工号"), lambda row: row.number),
        ExportColumn(_("部门"), lambda row: row.unit, width=16),
        ExportColumn(_("考核人数"), lambda row: row.rated),
        ExportColumn(_("平均分"), lambda row: row.mean),
        ExportColumn(_("标准差"), lambda row: row.spread),
        ExportColumn(_("部门平均分"), lambda row: row.unit_mean),
        ExportColumn(_("差值"), lambda row: row.difference),
        ExportColumn(_("最高等级占比"), lambda row: _share(row.top_share), number_format="0.0%"),
        ExportColumn(_("记录违规"), lambda row: row.findings),
        ExportColumn(_("被申诉推翻"), lambda row: row.overturned),
        ExportColumn(_("推翻占比"), lambda row: _share(row.overturned_share), number_format="0.0%"),
    ]


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def report_export(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    """导出 Excel: one table of the reports page as .xlsx (violations, pareto), for the month."""
    period = period_get(viewer=request.user, pk=pk)
    exports: dict[str, Callable[[], bytes]] = {
        "violations": lambda: violation_summary_workbook(
            violation_summary(viewer=request.user, period=period)
        ),
        "pareto": lambda: list_workbook(
            columns=[
                ExportColumn(_("考评项目"), lambda row: row[0], width=24),
                ExportColumn(_("次数"), lambda row: row[1]),
                ExportColumn(_("扣分"), lambda row: row[2]),
            ],
            rows=_pareto(request, period),
            title=_("{key} 违规帕累托").format(key=period.key),
        ),
    }
    if period.is_closed:
        exports["raters"] = lambda: list_workbook(
            columns=_rater_columns(),
            rows=rater_consistency(viewer=request.user, period=period),
            title=_("{key} 评分一致性").format(key=period.key),
        )
    if table not in exports:
        raise Http404(table)
    return _download(exports[table](), f"{table}-{period.company.code}-{period.key}.xlsx")


@require_GET
def report_trend_export(request: HttpRequest) -> HttpResponse:
    """导出 Excel: the findings month by month."""
    content = list_workbook(
        columns=[
            ExportColumn(_("月份"), lambda row: row[0]),
            ExportColumn(_("次数"), lambda row: row[1]),
            ExportColumn(_("扣分"), lambda row: row[2]),
        ],
        rows=finding_monthly_trend(viewer=request.user, months=TREND_MONTHS),
        title=_("违规月度趋势"),
    )
    return _download(content, "trend.xlsx")


@require_GET
def period_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """服务小组评比 of a month, for publication (图表形式公布): per ranking unit the teams by
    place with each item's value and points, the total, the grade and a bar chart; A4 print.
    An open month shows the live ranking (实时), a closed one the frozen results."""
    period = period_get(viewer=request.user, pk=pk)
    return render_page(
        request,
        "web/reports/ranking.html",
        {"period": period, "board": ranking_board(viewer=request.user, period=period)},
    )


@require_GET
def period_ranking_export(request: HttpRequest, pk: int) -> HttpResponse:
    """导出 Excel: the month's team ranking as `kaoping export ranking` writes it."""
    period = period_get(viewer=request.user, pk=pk)
    content = team_ranking_workbook(team_rankings(viewer=request.user, period=period))
    return _download(content, f"ranking-{period.company.code}-{period.key}.xlsx")
