"""Reports (报表): the month's violation summary (违规处理情况汇总, as `kaoping export violations`
writes it), the Pareto of findings by policy section, and the monthly trend of findings; each
table downloads as .xlsx (导出 Excel). Everything is scoped to the viewer (their records)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.appeals.selectors import period_window
from kaoping.appraisals.selectors import period_get, period_list
from kaoping.inspections.selectors import finding_monthly_trend, finding_pareto
from kaoping.periods.models import Period
from kaoping.sheets.exports.forms import violation_summary_workbook
from kaoping.sheets.exports.workbook import ExportColumn, list_workbook
from kaoping.sheets.selectors import violation_summary

from ..rendering import render_page
from .hr import XLSX
from .managers import pareto_chart

TREND_MONTHS = 12


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
    summary = violation_summary(viewer=request.user, period=period) if period else None
    pareto = _pareto(request, period) if period else []
    trend = finding_monthly_trend(viewer=request.user, months=TREND_MONTHS)
    return render_page(
        request,
        "web/reports/reports.html",
        {
            "months": months,
            "period": period,
            "summary": summary,
            "pareto": pareto,
            "pareto_chart": pareto_chart(pareto),
            "trend": trend,
            "trend_chart": {
                "labels": [month for month, _count, _points in trend],
                "counts": [count for _month, count, _points in trend],
            },
        },
    )


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
