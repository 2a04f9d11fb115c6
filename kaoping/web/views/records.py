"""Record lists (检查记录, 违规记录, 运营记录), their entry forms and their Excel exports.

One generic list serves every record type: a spec per type (records_specs.py) names its
selector, its columns, its entry form's fields and its service. The same columns and filters
drive the page and its 导出 Excel, so the workbook holds exactly the list as filtered on screen
(every page of it, up to KAOPING_MAX_EXPORT_ROWS rows). Everything is read through the apps'
scoped selectors: out of scope is never listed; entering a record goes through the operations
services, which decide who may write (403 for the others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.inspections.models import Finding
from kaoping.inspections.selectors import corrective_action_list
from kaoping.sheets.exports.workbook import list_workbook

from ..forms_records import (
    FindingFilterForm,
    InspectionFilterForm,
    RecordFilterForm,
    RecordForm,
)
from ..forms_supervisor import ActionFilterForm
from ..rendering import acting_user, add_service_errors, render_page
from ..selectors_records import (
    employee_matching,
    filter_units,
    finding_rows,
    finding_section_choices,
    inspection_rows,
    local_midnight,
    may_enter_records,
    writable_units,
)
from .hr import XLSX
from .records_specs import (
    RECORD_KINDS,
    ListColumn,
    RecordKind,
    corrective_columns,
    finding_columns,
    inspection_columns,
)

PAGE_ROWS = 25
DEFAULT_MAX_EXPORT_ROWS = 100_000
TOO_MANY = gettext_lazy("共 {count} 条,超过导出上限 {limit} 条,请缩小筛选范围后再导出。")
CREATED = gettext_lazy("已录入{kind}。")


def max_export_rows() -> int:
    return int(getattr(settings, "KAOPING_MAX_EXPORT_ROWS", DEFAULT_MAX_EXPORT_ROWS))


# --- showing a cell ------------------------------------------------------------------------


def shown(value: object, style: str = "") -> str:
    """A value as the list shows it: local times, 是/否, percentages, — for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        if style == "month":
            return f"{value:%Y-%m}"
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal) and style == "percent":
        return f"{(value * 100).quantize(Decimal('0.1'))}%"
    return str(value)


def _table(rows: Sequence[Any], columns: Sequence[ListColumn]) -> list[list[dict[str, Any]]]:
    """Each row's cells as the template shows them: text, link, and whether it is long text."""
    return [
        [
            {
                "text": shown(column.read(row), column.style),
                "link": column.link(row) if column.link else None,
                "long": column.style == "long",
                "number": column.style in ("number", "percent"),
            }
            for column in columns
            if column.screen
        ]
        for row in rows
    ]


# --- the generic list and export -------------------------------------------------------------


def _list_page(
    request: HttpRequest,
    *,
    rows: QuerySet[Any],
    columns: Sequence[ListColumn],
    filters: RecordFilterForm,
    title: str,
    list_url: str,
    export_url: str,
    new_url: str | None = None,
    tabs: Sequence[dict[str, Any]] = (),
    empty: str = "",
) -> HttpResponse:
    page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
    query = filters.query_string()
    return render_page(
        request,
        "web/records/list.html",
        {
            "title": title,
            "filters": filters,
            "page": page,
            "headers": [
                {"title": column.title, "number": column.style in ("number", "percent")}
                for column in columns
                if column.screen
            ],
            "rows": _table(list(page.object_list), columns),
            "query": query,
            "list_url": list_url,
            "export_url": f"{export_url}?{query}" if query else export_url,
            "new_url": new_url,
            "tabs": tabs,
            "empty": empty or _("没有符合条件的记录。"),
        },
        fragments={"records": "web/records/_records.html"},
    )


def _export(
    request: HttpRequest,
    *,
    rows: QuerySet[Any],
    columns: Sequence[ListColumn],
    title: str,
    filename: str,
    list_url: str,
    query: str,
) -> HttpResponse:
    """The whole filtered list as .xlsx; above the limit, back to the list with the reason."""
    limit = max_export_rows()
    count = rows.count()
    if count > limit:
        messages.error(request, str(TOO_MANY.format(count=count, limit=limit)))
        return HttpResponseRedirect(f"{list_url}?{query}" if query else list_url)
    content = list_workbook(
        columns=columns,
        rows=rows.iterator(chunk_size=2000),
        title=title,
        notes=[_("导出时间:{time}").format(time=shown(timezone.now()))],
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


def _bounds(filters: RecordFilterForm) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The filters' days as [start, end) local times, for the time-stamped records."""
    first, last = filters.days()
    start = local_midnight(first) if first is not None else None
    end = local_midnight(last + dt.timedelta(days=1)) if last is not None else None
    return start, end


# --- inspections 检查记录 ----------------------------------------------------------------------


def _inspections(request: HttpRequest) -> tuple[InspectionFilterForm, QuerySet[Any]]:
    filters = InspectionFilterForm(request.GET, units=filter_units(viewer=request.user))
    start, end = _bounds(filters)
    rows = inspection_rows(
        viewer=request.user,
        start=start,
        end=end,
        kind=filters.value("kind"),
        unit=filters.value("unit"),
        employee_query=filters.value("q", ""),
    )
    return filters, rows


@require_GET
def inspection_list_page(request: HttpRequest) -> HttpResponse:
    """检查记录: the inspections in the viewer's scope, newest first, with how many findings
    each made (linked to them), filtered by month or dates, unit, kind and person."""
    filters, rows = _inspections(request)
    return _list_page(
        request,
        rows=rows,
        columns=inspection_columns(),
        filters=filters,
        title=_("检查记录"),
        list_url=reverse("web:inspections"),
        export_url=reverse("web:inspections_export"),
        empty=_("没有符合条件的检查记录。"),
    )


@require_GET
def inspection_export(request: HttpRequest) -> HttpResponse:
    """导出 Excel: the inspections as filtered on screen."""
    filters, rows = _inspections(request)
    return _export(
        request,
        rows=rows,
        columns=inspection_columns(),
        title=_("检查记录"),
        filename="inspections",
        list_url=reverse("web:inspections"),
        query=filters.query_string(),
    )


# --- findings 违规记录 -------------------------------------------------------------------------


def _findings(request: HttpRequest) -> tuple[FindingFilterForm, QuerySet[Finding]]:
    filters = FindingFilterForm(
        request.GET,
        units=filter_units(viewer=request.user),
        sections=finding_section_choices(viewer=request.user),
    )
    start, end = _bounds(filters)
    rows = finding_rows(
        viewer=request.user,
        start=start,
        end=end,
        unit=filters.value("unit"),
        employee_query=filters.value("q", ""),
        section=filters.value("section", ""),
        status=filters.status_value(),
        inspection_id=filters.value("inspection"),
    )
    return filters, rows


@require_GET
def finding_list_page(request: HttpRequest) -> HttpResponse:
    """违规记录: the findings in the viewer's scope (an employee: their own), newest first,
    each linked to its fault notice (过失通知单), filtered by month or dates, unit, person,
    section and status."""
    filters, rows = _findings(request)
    return _list_page(
        request,
        rows=rows,
        columns=finding_columns(),
        filters=filters,
        title=_("违规记录"),
        list_url=reverse("web:findings"),
        export_url=reverse("web:findings_export"),
        new_url=reverse("web:finding_new") if may_enter_records(viewer=request.user) else None,
        empty=_("没有符合条件的违规记录。"),
    )


@require_GET
def finding_export(request: HttpRequest) -> HttpResponse:
    """导出 Excel: the findings as filtered on screen."""
    filters, rows = _findings(request)
    return _export(
        request,
        rows=rows,
        columns=finding_columns(),
        title=_("违规记录"),
        filename="findings",
        list_url=reverse("web:findings"),
        query=filters.query_string(),
    )


# --- corrective actions 纠正措施: the export of their list ------------------------------------


@require_GET
def corrective_export(request: HttpRequest) -> HttpResponse:
    """导出 Excel: the corrective actions as filtered on their list (status, overdue)."""
    filters = ActionFilterForm(request.GET)
    status = overdue = None
    if filters.is_valid():
        status = filters.cleaned_data["status"] or None
        overdue = filters.cleaned_data["overdue"]
    rows = corrective_action_list(
        viewer=request.user, status=status, overdue=bool(overdue)
    ).select_related(
        "finding__employee", "finding__subject_unit", "finding__policy_version__document"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _export(
        request,
        rows=rows,
        columns=corrective_columns(),
        title=_("纠正措施"),
        filename="corrective-actions",
        list_url=reverse("web:corrective_actions"),
        query=query.urlencode(),
    )


# --- operations records 运营记录 ---------------------------------------------------------------


def _kind(slug: str) -> RecordKind:
    kind = RECORD_KINDS.get(slug)
    if kind is None:
        raise Http404(slug)
    return kind


def _tabs(current: str) -> list[dict[str, Any]]:
    return [
        {
            "title": kind.title,
            "url": reverse("web:record_list", args=[kind.slug]),
            "active": kind.slug == current,
        }
        for kind in RECORD_KINDS.values()
    ]


def _records(request: HttpRequest, kind: RecordKind) -> tuple[RecordFilterForm, QuerySet[Any]]:
    filters = RecordFilterForm(
        request.GET, units=filter_units(viewer=request.user), employee=kind.has_employee
    )
    first, last = filters.days()
    rows = kind.rows(viewer=request.user, unit=filters.value("unit"), date_from=first, date_to=last)
    query = filters.value("q", "") if kind.has_employee else ""
    if query:
        rows = rows.filter(employee_matching("employee", query))
    return filters, rows


@require_GET
def record_index(request: HttpRequest) -> HttpResponse:
    """运营记录: the record types, each with its list and (for those who enter records) its
    entry form."""
    writer = may_enter_records(viewer=request.user)
    return render_page(
        request,
        "web/records/index.html",
        {
            "kinds": [
                {
                    "kind": kind,
                    "url": reverse("web:record_list", args=[kind.slug]),
                    "new_url": reverse("web:record_new", args=[kind.slug]) if writer else None,
                }
                for kind in RECORD_KINDS.values()
            ]
        },
    )


@require_GET
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    """One type of operations record (投诉, 电话统计, ...): the records in the viewer's scope (an
    employee: those about them), filtered by month or dates, unit and person."""
    kind = _kind(slug)
    filters, rows = _records(request, kind)
    writer = may_enter_records(viewer=request.user)
    return _list_page(
        request,
        rows=rows,
        columns=kind.columns(),
        filters=filters,
        title=str(kind.title),
        list_url=reverse("web:record_list", args=[slug]),
        export_url=reverse("web:record_export", args=[slug]),
        new_url=reverse("web:record_new", args=[slug]) if writer else None,
        tabs=_tabs(slug),
    )


@require_GET
def record_export(request: HttpRequest, slug: str) -> HttpResponse:
    """导出 Excel: one type of operations record as filtered on screen."""
    kind = _kind(slug)
    filters, rows = _records(request, kind)
    return _export(
        request,
        rows=rows,
        columns=kind.columns(),
        title=str(kind.title),
        filename=slug,
        list_url=reverse("web:record_list", args=[slug]),
        query=filters.query_string(),
    )


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, slug: str) -> HttpResponse:
    """录入 (GET the form, POST the record) through the type's service. Only those who enter
    records somewhere get the form (else 403); the service checks the unit (403) and the values
    (each message next to its field, 400)."""
    kind = _kind(slug)
    if not may_enter_records(viewer=request.user):
        raise PermissionDenied
    units = writable_units(viewer=request.user)
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        model=kind.model,
        fields=kind.fields,
        optional=kind.optional,
        units=units,
        viewer=request.user,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                kind.create(actor=acting_user(request), **_service_values(form))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, str(CREATED.format(kind=kind.title)))
                return HttpResponseRedirect(reverse("web:record_list", args=[slug]))
    return render_page(
        request,
        "web/records/new.html",
        {
            "kind": kind,
            "form": form,
            "list_url": reverse("web:record_list", args=[slug]),
            "tabs": _tabs(slug),
        },
        status=status,
    )


def _service_values(form: RecordForm) -> dict[str, Any]:
    """The form's values as the service takes them (an empty optional number stays None)."""
    return dict(form.cleaned_data)
