"""Period close (关账): the periods, the preview of an open period, the close, its outcomes.

The preview scores every open appraisal of the period in the viewer's scope as it would be
frozen now (total, grade, the change from last period, why, or why it cannot be scored yet),
paginated on the server. Users allowed to close (appraisals.close_period: a project manager
over their project, quality over the company) get the 关账 button; the close answers a report
(results written, outcome items, or "already closed"), or the refusal when some subjects cannot
be scored yet. A closed period lists its outcome items (处理事项).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.appraisals.selectors import (
    outcome_item_list,
    period_close_units,
    period_get,
    period_list,
    period_preview,
)
from kaoping.appraisals.services.close import period_close
from kaoping.org.access import scope_of
from kaoping.org.models import OrgUnit, Role
from kaoping.periods.models import Period

from ..rendering import acting_user, add_service_errors, done, render_page
from ..selectors import ACTION_LABELS

PREVIEW_ROWS = 25
OUTCOME_ROWS = 25
PERIOD_ROWS = 24
CLOSED = _("{period} 已关账({unit}):写入 {results} 份考评结果,生成 {items} 项处理事项。")
ALREADY_CLOSED = _("{period} 已经关账({unit}),未做任何更改。")


class CloseForm(forms.Form):
    """关账: which of the viewer's units to close the period for (one choice is preselected)."""

    unit = forms.TypedChoiceField(
        label=_("关账范围"),
        coerce=int,
        error_messages={
            "required": _("请选择关账范围。"),
            "invalid_choice": _("您不能为该范围关账。"),
        },
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(u.pk, u.name) for u in units]
        if units:
            field.initial = units[0].pk
        self.units = {u.pk: u for u in units}


def _page_number(request: HttpRequest) -> str:
    return request.GET.get("page") or "1"


@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    """考评期间: the company's periods, newest first, each linking to its preview or outcomes."""
    page = Paginator(period_list(viewer=request.user), PERIOD_ROWS).get_page(_page_number(request))
    return render_page(request, "web/closing/periods.html", {"page": page})


def _detail_context(
    request: HttpRequest, period: Period, form: CloseForm | None = None
) -> dict[str, object]:
    units = [] if period.is_closed else period_close_units(viewer=request.user, period=period)
    scope = scope_of(request.user)
    context: dict[str, object] = {
        "period": period,
        "can_export_payroll": scope.has_role(Role.HR) or scope.has_role(Role.FINANCE),
        "units": units,
        "close_form": form or CloseForm(units=units),
    }
    if period.is_closed:
        items = outcome_item_list(viewer=request.user, period=period).order_by(
            "status", "unit__path", "employee__number", "pk"
        )
        page = Paginator(items, OUTCOME_ROWS).get_page(_page_number(request))
        context["page"] = page
        context["outcome_lines"] = [
            (item, ACTION_LABELS.get(item.action, item.action)) for item in page
        ]
    else:
        rows = period_preview(viewer=request.user, period=period)
        context["page"] = Paginator(rows, PREVIEW_ROWS).get_page(_page_number(request))
        context["unscorable"] = sum(1 for row in rows if row.error)
        context["row_count"] = len(rows)
    return context


@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An open period's preview with the close form, or a closed period's outcome items.
    404 for a period of another company."""
    period = period_get(viewer=request.user, pk=pk)
    return render_page(
        request,
        "web/closing/detail.html",
        _detail_context(request, period),
        fragments={"period-rows": "web/closing/_rows.html"},
    )


@require_POST
def period_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """关账: close the period for the chosen unit, then back to the period (now listing its
    outcome items) with the report as the message. A plain form post: the whole page changes.
    Refused (400, the page again with the reason) while a subject cannot be scored; 403
    without the permission."""
    period = period_get(viewer=request.user, pk=pk)
    units = period_close_units(viewer=request.user, period=period)
    form = CloseForm(request.POST, units=units)
    if form.is_valid():
        unit = form.units[form.cleaned_data["unit"]]
        try:
            report = period_close(actor=acting_user(request), period=period, unit=unit)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            template = ALREADY_CLOSED if report.already_closed else CLOSED
            message = template.format(
                period=period.key,
                unit=unit.name,
                results=report.results,
                items=report.outcome_items,
            )
            return done(
                request,
                message=message,
                redirect_to=reverse("web:period", args=[period.pk]),
            )
    return render_page(
        request, "web/closing/detail.html", _detail_context(request, period, form), status=400
    )
