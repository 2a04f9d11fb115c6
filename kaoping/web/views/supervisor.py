"""The supervisor's pages (主管/组长): the dashboard, and recording a finding (记录违规).

Recording is made for a phone on a patrol: find the person by name or 工号 (htmx, as you type),
pick the section of the policy in force for them, the points are checked as you type with the
service's own validation, photos come from the camera. The inspection, the finding (with its
fault notice) and the photos are written through the inspections services, all or nothing; then
the fault notice (过失通知单) is shown, ready to print on A4.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.inspections.models import FaultNotice
from kaoping.inspections.selectors import (
    fault_notice_list,
    finding_input_errors,
    inspectable_placements,
)
from kaoping.inspections.services import finding_photo_add, finding_record, inspection_create
from kaoping.org.models import Placement
from kaoping.org.selectors import employee_list
from kaoping.policies.selectors import engine_policy, policy_for_employee
from kaoping.scoring.policy import Policy, Section

from ..dashboards import Dashboard
from ..forms_supervisor import FindingForm
from ..rendering import acting_user, add_service_errors, done, render_page
from ..selectors_supervisor import supervisor_home
from ..templatetags.kaoping import display_name

RECORDED = _("已记录违规,过失通知单 {number} 已发出。")
# How many people the search lists.
SEARCH_ROWS = 8
# The fields a finding's service error may name, and where the form shows them.
FINDING_FIELDS = {
    "at": "occurred_at",
    "occurred_at": "occurred_at",
    "section": "section",
    "severity": "severity",
    "item": "item",
    "points": "points",
    "description": "description",
    "photo": "photos",
    "kind": "kind",
}


def supervisor_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    """主管工作台: the team's live scores this month (待评分 where a rating is missing), recent
    findings, ratings due, appeals waiting for a decision, and the 记录违规 button."""
    return render_page(
        request,
        "web/supervisor/dashboard.html",
        {
            "home": supervisor_home(viewer=request.user),
            "dashboard": dashboard,
            "today": timezone.localdate(),
        },
        fragments={"sup-scores": "web/supervisor/_scores.html"},
    )


# --- recording a finding ------------------------------------------------------------------


def _placement(request: HttpRequest, raw: object) -> Placement | None:
    """The chosen person's placement today if the viewer may record against them, None when
    nobody is chosen yet, 404 for anyone else."""
    if raw in (None, ""):
        return None
    try:
        employee_id = int(str(raw))
    except ValueError:
        raise Http404("employee") from None
    placements = inspectable_placements(viewer=request.user).filter(employee_id=employee_id)
    return get_object_or_404(placements[:1])


def _policy(placement: Placement | None) -> Policy | None:
    if placement is None:
        return None
    applicable = policy_for_employee(employee=placement.employee, on=timezone.localdate())
    return engine_policy(applicable.version) if applicable is not None else None


def _chosen_section(policy: Policy | None, section_id: str) -> Section | None:
    if policy is None or not section_id:
        return None
    section = policy.section(section_id)
    return section if section is not None and section.takes_findings else None


def _form_context(
    request: HttpRequest, placement: Placement | None, form: FindingForm
) -> dict[str, object]:
    policy = form.policy
    if form.is_bound:
        form.mark_invalid()
    query = request.GET.get("q", "").strip()
    placements = []
    if placement is None and query:
        placements = list(inspectable_placements(viewer=request.user, query=query)[:SEARCH_ROWS])
    section_id = str(form["section"].value() or "")
    return {
        "placement": placement,
        "policy": policy,
        "form": form,
        "section": _chosen_section(policy, section_id),
        "sections": [s for s in policy.sections if s.takes_findings] if policy else [],
        "query": query,
        "placements": placements,
    }


@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest) -> HttpResponse:
    """记录违规: the form (GET; ?employee= picks the person, the other fields refill it), and
    the recording (POST). Errors come back next to their fields (400)."""
    source = request.POST if request.method == "POST" else request.GET
    placement = _placement(request, source.get("employee"))
    policy = _policy(placement)
    if request.method == "GET":
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        form = FindingForm(initial=initial, policy=policy)
        if "section" in request.GET:  # a refresh after picking a section: keep what was typed
            form = FindingForm(
                {**initial, **request.GET.dict()}, policy=policy
            )  # bound for its values only; errors are not shown on a GET
            form.errors.clear()
        return render_page(
            request,
            "web/supervisor/finding_new.html",
            _form_context(request, placement, form),
            fragments={"finding-form": "web/supervisor/_finding_form.html"},
        )
    form = FindingForm(request.POST, policy=policy)
    if placement is None:
        form.add_error(None, _("请先选择被检查的员工。"))
    elif policy is None:
        form.add_error(None, _("今天没有适用于该员工的考评办法,请质管部先指定办法。"))
    elif form.is_valid():
        notice = _record(request, placement, form)
        if notice is not None:
            return done(
                request,
                message=str(RECORDED.format(number=notice.number)),
                redirect_to=reverse("web:finding_recorded", args=[notice.pk]),
            )
    return render_page(
        request,
        "web/supervisor/finding_new.html",
        _form_context(request, placement, form),
        fragments={"finding-form": "web/supervisor/_finding_form.html"},
        status=400,
    )


def _record(request: HttpRequest, placement: Placement, form: FindingForm) -> FaultNotice | None:
    """Inspection, finding (with its notice) and photos through the services, all or nothing;
    None with the services' messages on the form when they refuse."""
    actor = acting_user(request)
    data = form.cleaned_data
    occurred_at: dt.datetime = data["occurred_at"]
    try:
        with transaction.atomic():
            inspection = inspection_create(
                actor=actor, unit=placement.unit, kind=data["kind"], at=occurred_at
            )
            finding = finding_record(
                actor=actor,
                inspection=inspection,
                employee=placement.employee,
                section=data["section"],
                severity=data["severity"],
                item=data["item"],
                points=data["points"],
                description=data["description"],
                occurred_at=occurred_at,
            )
            for upload in request.FILES.getlist("photos"):
                finding_photo_add(actor=actor, finding=finding, upload=upload)
    except ValidationError as error:
        add_service_errors(form, error, FINDING_FIELDS)
        return None
    return FaultNotice.objects.get(finding=finding)


@require_GET
def finding_people(request: HttpRequest) -> HttpResponse:
    """The people matching ?q= (name or 工号) whom the viewer may record against (htmx list)."""
    query = request.GET.get("q", "").strip()
    placements = list(inspectable_placements(viewer=request.user, query=query)[:SEARCH_ROWS])
    return render_page(
        request,
        "web/supervisor/_people.html",
        {"placements": placements, "query": query},
    )


@require_GET
def finding_check(request: HttpRequest) -> HttpResponse:
    """The points (and section, severity, item) checked as typed, with the service's own
    validation: the engine's message next to the field, or the accepted deduction."""
    placement = _placement(request, request.GET.get("employee"))
    message = ""
    ok = False
    if placement is not None and request.GET.get("section"):
        raw = request.GET.get("points", "").strip()
        points: Decimal | None = None
        try:
            points = Decimal(raw) if raw else None
        except InvalidOperation:
            message = str(_("请输入数字,如 1.5。"))
        if not message:
            errors = finding_input_errors(
                employee=placement.employee,
                on=timezone.localdate(),
                section=request.GET.get("section", ""),
                severity=request.GET.get("severity", ""),
                item=request.GET.get("item", ""),
                points=points,
            )
            if points is None:  # not typed yet: nothing to say about the points
                errors.pop("points", None)
            message = "; ".join(errors.values())
            ok = not errors and points is not None
    return render_page(request, "web/supervisor/_points_check.html", {"message": message, "ok": ok})


@require_GET
def finding_recorded(request: HttpRequest, pk: int) -> HttpResponse:
    """The fault notice (过失通知单) just issued, laid out for A4 (print)."""
    notices = fault_notice_list(viewer=request.user).select_related(
        "finding__policy_version__document", "finding__inspection__inspector"
    )
    notice = get_object_or_404(notices, pk=pk)
    finding = notice.finding
    section = engine_policy(finding.policy_version).section(finding.section)
    inspector = finding.inspection.inspector
    staff = employee_list(viewer=request.user).filter(user_id=inspector.pk).first()
    return render_page(
        request,
        "web/supervisor/notice_print.html",
        {
            "notice": notice,
            "finding": finding,
            "section": section,
            "section_title": section.title if section is not None else finding.section,
            "inspector_name": staff.name if staff is not None else display_name(inspector),
        },
    )
