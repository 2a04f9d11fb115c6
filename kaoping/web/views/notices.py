"""Fault notices (过失通知单): the notice, and the employee's answer (签收 or 提出异议).

The answers are actions: an htmx request gets the updated notice card back, a plain form post is
redirected (to `next`, or the notice) with a message. Out of scope is 404; a notice that is not
the user's own (a supervisor reading their team's) may be read but not answered (403).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.inspections.models import FaultNotice
from kaoping.inspections.selectors import fault_notice_list
from kaoping.inspections.services import fault_notice_acknowledge, fault_notice_dispute
from kaoping.org.access import scope_of
from kaoping.policies.selectors import engine_policy

from ..forms import DisputeForm
from ..rendering import acting_user, add_service_errors, done, htmx_target, render_page

ACKNOWLEDGED = _("已签收过失通知单 {number}。")
DISPUTED = _("已对过失通知单 {number} 提出异议,请等待处理。")


def _card_context(
    request: HttpRequest, notice: FaultNotice, form: DisputeForm | None = None
) -> dict[str, object]:
    finding = notice.finding
    section = engine_policy(finding.policy_version).section(finding.section)
    employee_id = scope_of(request.user).employee_id
    own = employee_id is not None and finding.employee_id == employee_id
    open_count = None
    if own and employee_id is not None:
        open_count = (
            fault_notice_list(viewer=request.user, unanswered=True)
            .filter(finding__employee_id=employee_id)
            .count()
        )
    return {
        "notice": notice,
        "finding": finding,
        "section_title": section.title if section is not None else finding.section,
        "can_answer": own and notice.acknowledged_at is None and notice.disputed_at is None,
        "dispute_form": form or DisputeForm(),
        "open_count": open_count,
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }


def _notice(request: HttpRequest, pk: int) -> FaultNotice:
    """The notice if the user may read it, else 404 (the card also shows the inspector and the
    policy's section titles)."""
    notices = fault_notice_list(viewer=request.user).select_related(
        "finding__policy_version__document", "finding__inspection__inspector"
    )
    return get_object_or_404(notices, pk=pk)


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The fault notice as a page (printable), or its card alone for htmx (#notice-<pk>)."""
    notice = _notice(request, pk)
    return render_page(
        request,
        "web/notices/detail.html",
        _card_context(request, notice),
        fragments={f"notice-{notice.pk}": "web/notices/_notice.html"},
    )


@require_POST
def notice_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """签收: the employee signs for their fault notice."""
    notice = _notice(request, pk)
    try:
        fault_notice_acknowledge(actor=acting_user(request), notice=notice)
    except ValidationError as error:
        return _refused(request, notice, error)
    notice = _notice(request, pk)
    return done(
        request,
        message=ACKNOWLEDGED.format(number=notice.number),
        redirect_to=reverse("web:notice", args=[notice.pk]),
        fragment="web/notices/_notice.html",
        context=_card_context(request, notice),
    )


@require_POST
def notice_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """提出异议: the employee disputes their fault notice, with a reason."""
    notice = _notice(request, pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            fault_notice_dispute(
                actor=acting_user(request),
                notice=notice,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"dispute_reason": "reason"})
        else:
            notice = _notice(request, pk)
            return done(
                request,
                message=DISPUTED.format(number=notice.number),
                redirect_to=reverse("web:notice", args=[notice.pk]),
                fragment="web/notices/_notice.html",
                context=_card_context(request, notice),
            )
    return _form_page(request, notice, form)


def _refused(request: HttpRequest, notice: FaultNotice, error: ValidationError) -> HttpResponse:
    form = DisputeForm()
    add_service_errors(form, error)
    return _form_page(request, notice, form)


def _form_page(request: HttpRequest, notice: FaultNotice, form: DisputeForm) -> HttpResponse:
    """The notice again with the form's errors next to their fields (400): the card alone for
    htmx, the whole page for a plain post."""
    context = _card_context(request, notice, form)
    template = "web/notices/_notice.html" if htmx_target(request) else "web/notices/detail.html"
    return render_page(request, template, context, status=400)
