"""Appeals (申诉): file one, my appeals, the inbox of a deciding level, an appeal and its decision.

An employee appeals a fault notice, a finding or a result of their own (`/appeals/new/?notice=<pk>`,
`?finding=<pk>`, `?result=<pk>`); the filing window and every other rule are the service's
(appeal_file), its refusals shown next to the field. The inbox lists the open appeals waiting
for the viewer's level with their due dates, overdue ones marked. The decision form (upheld /
partly upheld / rejected, reason, corrections of findings) goes through appeal_decide; with htmx
it swaps the appeal card (#appeal-card) for the card with the decision and the corrections, or
with the errors next to their fields (400), and works as a plain post without JavaScript. Out of
scope is 404; an appeal the viewer may read but not decide shows no form (a post is 403).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.appeals.models import Appeal, FindingCorrection
from kaoping.appeals.selectors import (
    appeal_correctable_findings,
    appeal_decidable,
    appeal_inbox,
    appeal_list,
    appeal_record,
)
from kaoping.appeals.services import (
    Correction,
    appeal_decide,
    appeal_escalate_request,
    appeal_file,
)
from kaoping.appraisals.selectors import result_list
from kaoping.inspections.models import Finding
from kaoping.inspections.selectors import fault_notice_list, finding_list
from kaoping.org.access import scope_of

from ..rendering import acting_user, add_service_errors, done, render_page

CARD = "web/appeals/_card.html"
CARD_FRAGMENTS = {"appeal-card": CARD}
FILED = _("申诉已提交(#{pk}),请等待{level}处理。")
DECIDED = _("申诉 #{pk} 已处理:{outcome}。")
ESCALATED = _("已申请上一级复核,现由{level}处理。")
NO_ACTION = ""
LIST_ROWS = 50


class FileForm(forms.Form):
    """提出申诉: the reason, and whether it goes straight to HR (a complaint about an inspector)."""

    reason = forms.CharField(
        label=_("申诉理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={"required": _("请填写申诉理由。")},
    )
    to_hr = forms.BooleanField(
        label=_("直接向人力资源部申诉(投诉检查人员的工作方式)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class EscalateForm(forms.Form):
    """申请上一级复核: the appellant takes a rejected or partly upheld appeal up, with a reason."""

    reason = forms.CharField(
        label=_("复核理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("请填写申请复核的理由。")},
    )


class DecideForm(forms.Form):
    """申诉处理: the outcome, the reason, and per correctable finding 不更正 / 撤销 / 改变扣分."""

    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[(status.value, status.label) for status in Appeal.DECIDED],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理结果。")},
    )
    reason = forms.CharField(
        label=_("处理意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("请填写处理意见(决定理由)。")},
    )

    def __init__(self, *args: Any, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings = findings
        for finding in findings:
            self.fields[f"action_{finding.pk}"] = forms.ChoiceField(
                label=_("更正方式"),
                choices=[
                    (NO_ACTION, _("不更正")),
                    *[(a.value, a.label) for a in FindingCorrection.Action],
                ],
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"points_{finding.pk}"] = forms.DecimalField(
                label=_("新扣分"),
                required=False,
                min_value=Decimal("0.1"),
                max_digits=6,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
            )

    def rows(self) -> list[tuple[Finding, forms.BoundField, forms.BoundField]]:
        """Each correctable finding with its two fields, for the template."""
        return [(f, self[f"action_{f.pk}"], self[f"points_{f.pk}"]) for f in self.findings]

    def corrections(self) -> list[Correction]:
        """The corrections chosen (after is_valid); the service checks them all."""
        chosen = []
        for finding in self.findings:
            action = self.cleaned_data.get(f"action_{finding.pk}") or NO_ACTION
            if action == FindingCorrection.Action.VOID:
                chosen.append(Correction.void(finding))
            elif action == FindingCorrection.Action.CHANGE_POINTS:
                points = self.cleaned_data.get(f"points_{finding.pk}")
                chosen.append(Correction(finding=finding, action=action, points=points))
        return chosen


# --- my appeals, the inbox -------------------------------------------------------------------


@require_GET
def appeal_mine(request: HttpRequest) -> HttpResponse:
    """我的申诉: the user's own appeals, the latest first, with status and the level on it."""
    employee_id = scope_of(request.user).employee_id
    if employee_id is None:
        raise Http404("no employee record")
    appeals = appeal_list(viewer=request.user).filter(employee_id=employee_id)
    return render_page(
        request,
        "web/appeals/mine.html",
        {"appeals": list(appeals[:LIST_ROWS]), "today": timezone.localdate()},
    )


@require_GET
def appeal_inbox_page(request: HttpRequest) -> HttpResponse:
    """待处理申诉: open appeals waiting for the viewer's decision, the earliest due first."""
    appeals = list(appeal_inbox(viewer=request.user)[:LIST_ROWS])
    today = timezone.localdate()
    return render_page(
        request,
        "web/appeals/inbox.html",
        {
            "appeals": appeals,
            "today": today,
            "overdue": sum(1 for appeal in appeals if appeal.is_overdue(today)),
        },
    )


# --- filing ----------------------------------------------------------------------------------


def _target(request: HttpRequest) -> tuple[str, Any]:
    """The record appealed, named by ?notice= / ?finding= / ?result=, if the user may read it."""
    source = request.POST if request.method == "POST" else request.GET
    for kind, records in (
        ("notice", lambda: fault_notice_list(viewer=request.user)),
        ("finding", lambda: finding_list(viewer=request.user, status=None)),
        ("result", lambda: result_list(viewer=request.user, current=False)),
    ):
        value = source.get(kind) or request.GET.get(kind)
        if value:
            if not value.isdigit():
                raise Http404(kind)
            return kind, get_object_or_404(records(), pk=int(value))
    raise Http404("no target")


@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest) -> HttpResponse:
    """提出申诉 against the notice, finding or result named in the query; the form again with
    the service's refusal next to its field (400)."""
    kind, target = _target(request)
    form = FileForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            keyword = {"notice": "fault_notice", "finding": "finding", "result": "result"}[kind]
            try:
                appeal = appeal_file(
                    actor=acting_user(request),
                    reason=form.cleaned_data["reason"],
                    to_hr=form.cleaned_data["to_hr"],
                    **{keyword: target},
                )
            except ValidationError as error:
                add_service_errors(
                    form, error, {"finding": NON_FIELD_ERRORS, "fault_notice": NON_FIELD_ERRORS}
                )
            else:
                messages.success(
                    request, FILED.format(pk=appeal.pk, level=appeal.get_level_display())
                )
                return redirect("web:appeal", pk=appeal.pk)
        status = 400
    return render_page(
        request,
        "web/appeals/new.html",
        {"form": form, "kind": kind, "target": target},
        status=status,
    )


# --- an appeal, its decision -----------------------------------------------------------------


ESCALATABLE = (Appeal.Status.REJECTED, Appeal.Status.PARTLY_UPHELD)


def _detail_context(
    request: HttpRequest,
    pk: int,
    form: DecideForm | None = None,
    escalate_form: EscalateForm | None = None,
) -> dict[str, object]:
    record = appeal_record(viewer=request.user, pk=pk)
    appeal = record.appeal
    decidable = appeal.status == Appeal.Status.OPEN and appeal_decidable(
        viewer=request.user, appeal=appeal
    )
    if decidable and form is None:
        form = DecideForm(findings=list(appeal_correctable_findings(appeal=appeal)))
    own = appeal.employee_id == scope_of(request.user).employee_id
    return {
        "record": record,
        "appeal": appeal,
        "finding": appeal.target_finding,
        "decidable": decidable,
        "form": form,
        "can_escalate": own and appeal.status in ESCALATABLE and not appeal.at_final_level,
        "escalate_form": escalate_form or EscalateForm(),
        "today": timezone.localdate(),
    }


@require_GET
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An appeal: what it is against, its steps, the corrections and the re-scored results; the
    decision form for the holder of its current level."""
    return render_page(
        request, "web/appeals/detail.html", _detail_context(request, pk), fragments=CARD_FRAGMENTS
    )


@require_POST
def appeal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """申诉处理: decide the appeal through appeal_decide; the form again with errors (400)."""
    record = appeal_record(viewer=request.user, pk=pk)
    appeal = record.appeal
    if not appeal_decidable(viewer=request.user, appeal=appeal):
        raise PermissionDenied
    findings = list(appeal_correctable_findings(appeal=appeal))
    form = DecideForm(request.POST, findings=findings)
    if form.is_valid():
        try:
            appeal_decide(
                actor=acting_user(request),
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                corrections=form.corrections(),
            )
        except ValidationError as error:
            add_service_errors(form, error, {"corrections": NON_FIELD_ERRORS})
        else:
            appeal.refresh_from_db(fields=["status"])
            return done(
                request,
                message=str(DECIDED.format(pk=appeal.pk, outcome=appeal.get_status_display())),
                redirect_to=reverse("web:appeal", args=[appeal.pk]),
                fragment=CARD,
                context=_detail_context(request, pk),
            )
    context = _detail_context(request, pk, form)
    context["decidable"] = True
    return render_page(
        request, "web/appeals/detail.html", context, fragments=CARD_FRAGMENTS, status=400
    )


@require_POST
def appeal_escalate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """申请上一级复核 through appeal_escalate_request; the page again with errors (400)."""
    appeal = appeal_record(viewer=request.user, pk=pk).appeal
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            appeal = appeal_escalate_request(
                actor=acting_user(request), appeal=appeal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return done(
                request,
                message=str(ESCALATED.format(level=appeal.get_level_display())),
                redirect_to=reverse("web:appeal", args=[appeal.pk]),
                fragment=CARD,
                context=_detail_context(request, pk),
            )
    context = _detail_context(request, pk, escalate_form=form)
    context["can_escalate"] = True
    return render_page(
        request, "web/appeals/detail.html", context, fragments=CARD_FRAGMENTS, status=400
    )
