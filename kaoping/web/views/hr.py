"""The dashboards of HR (人力资源部) and finance (财务部): closed periods with their payroll
sheet (工资扣减表, .xlsx), and the outcome items of the closes (处理事项) that HR works
through: 已处理, or 撤销 with the reason (htmx, and plain posts without JavaScript).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.appeals.selectors import open_appeal_employee_ids
from kaoping.appraisals.exports import payroll_workbook
from kaoping.appraisals.models import OutcomeItem
from kaoping.appraisals.selectors import outcome_item_list, payroll_rows, period_get, period_list
from kaoping.appraisals.services.outcomes import outcome_item_handle
from kaoping.org.access import scope_of
from kaoping.org.models import Role
from kaoping.periods.models import Period

from ..dashboards import Dashboard
from ..rendering import acting_user, add_service_errors, done, htmx_target, render_page
from ..selectors import ACTION_LABELS, CARD_ROWS

CLOSED_PERIODS = 12
HANDLED = _("处理事项已标记为“{status}”:{name} · {action}。")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OutcomeHandleForm(forms.Form):
    """已处理 / 撤销: how HR settles an outcome item; a cancellation needs the reason."""

    status = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (OutcomeItem.Status.DONE, OutcomeItem.Status.DONE.label),
            (OutcomeItem.Status.CANCELLED, OutcomeItem.Status.CANCELLED.label),
        ],
        error_messages={
            "required": _("处理结果只能是“已处理”或“已撤销”。"),
            "invalid_choice": _("处理结果只能是“已处理”或“已撤销”。"),
        },
    )
    note = forms.CharField(label=_("原因"), max_length=2000, required=False)


def _may_export_payroll(request: HttpRequest) -> bool:
    scope = scope_of(request.user)
    return scope.has_role(Role.HR) or scope.has_role(Role.FINANCE)


def hr_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    """人力资源部 / 财务部工作台: closed periods with the payroll download, open outcome items
    (with the 已处理 / 撤销 actions for HR; finance reads them)."""
    items = outcome_item_list(viewer=request.user, open_only=True).order_by(
        "result__period__start", "unit__path", "employee__number", "pk"
    )
    closed = period_list(viewer=request.user).filter(status=Period.Status.CLOSED)[:CLOSED_PERIODS]
    can_handle = scope_of(request.user).has_role(Role.HR)
    return render_page(
        request,
        "web/hr/dashboard.html",
        {
            "dashboard": dashboard,
            "periods": list(closed),
            "items": [_line(item) for item in items[:CARD_ROWS]],
            "items_total": items.count(),
            "can_handle": can_handle,
            "can_export_payroll": _may_export_payroll(request),
        },
    )


def _line(item: OutcomeItem, form: OutcomeHandleForm | None = None) -> dict[str, object]:
    return {
        "item": item,
        "action": ACTION_LABELS.get(item.action, item.action),
        "form": form or OutcomeHandleForm(),
    }


@require_GET
def period_payroll(request: HttpRequest, pk: int) -> HttpResponse:
    """The payroll sheet (工资扣减表) of a closed period as an .xlsx download, the rows in the
    viewer's scope; HR and finance only (404 for others and for an open period)."""
    period = period_get(viewer=request.user, pk=pk)
    if not period.is_closed or not _may_export_payroll(request):
        raise Http404(pk)
    rows = payroll_rows(
        viewer=request.user, period=period, open_appeals=open_appeal_employee_ids(period=period)
    )
    response = HttpResponse(payroll_workbook(period, rows), content_type=XLSX)
    filename = f"payroll-{period.company.code}-{period.key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _item(request: HttpRequest, pk: int) -> OutcomeItem:
    return get_object_or_404(outcome_item_list(viewer=request.user), pk=pk)


def _next(request: HttpRequest) -> str:
    return request.POST.get("next") or reverse("web:home")


@require_POST
def outcome_handle(request: HttpRequest, pk: int) -> HttpResponse:
    """已处理 / 撤销(须写原因): HR settles an outcome item; the updated row for htmx."""
    item = _item(request, pk)
    form = OutcomeHandleForm(request.POST)
    if form.is_valid():
        try:
            handled = outcome_item_handle(
                actor=acting_user(request),
                item=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            handled = _item(request, handled.pk)
            name = handled.employee.name if handled.employee else handled.unit.name
            return done(
                request,
                message=HANDLED.format(
                    status=handled.get_status_display(),
                    name=name,
                    action=ACTION_LABELS.get(handled.action, handled.action),
                ),
                redirect_to=reverse("web:home"),
                fragment="web/hr/_item.html",
                context={
                    "line": _line(handled),
                    "can_handle": True,
                    "next": _next(request),
                    "open_count": outcome_item_list(viewer=request.user, open_only=True).count(),
                },
            )
    context = {"line": _line(item, form), "can_handle": True, "next": _next(request)}
    if htmx_target(request):
        return render_page(request, "web/hr/_item.html", context, status=400)
    return render_page(request, "web/hr/item.html", context, status=400)
