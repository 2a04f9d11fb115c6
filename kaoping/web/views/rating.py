"""The appraisal form (考核表) as the supervisor fills it, in the layout of the seeds' form.

Items with their bands (合格, 部分合格 …) and maximum (单项最高分), 自评 read-only, 上级评 as
inputs, the other raters of the review chain, 奖扣分 entries, the interview (考核面谈), the
signatures, and the total (实评) as the engine computes it now. Every write goes through
kaoping/appraisals/services/ratings.py; the sheet prints on A4. Each form posts with and
without JavaScript: htmx gets the sheet back (#appraisal-sheet), a plain post is redirected.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.appraisals.models import Appraisal, Rating, ScoreEntry
from kaoping.appraisals.selectors import (
    appraisal_get,
    appraisal_live_score,
    interview_note_list,
    rating_list,
    score_entry_list,
)
from kaoping.appraisals.services.ratings import (
    appraisal_sign,
    interview_note_add,
    rating_submit,
    score_entry_add,
    score_entry_approve,
    score_entry_reject,
)
from kaoping.org.access import scope_of
from kaoping.org.models import Role
from kaoping.org.selectors import placement_list
from kaoping.policies.selectors import engine_policy
from kaoping.scoring.policy import Policy, RatingBand, Section

from ..forms_supervisor import InterviewForm, ScoreEntryForm, SupervisorRatingForm
from ..rendering import acting_user, add_service_errors, done, htmx_target, render_page
from ..selectors import entries_to_approve, live_score_of
from ..templatetags.kaoping import display_name

RATED = _("已保存上级评分。")
NOTHING_CHANGED = _("评分没有变化。")
ENTRY_ADDED = _("已提交奖扣分,待部门主任或项目经理批准后计入。")
INTERVIEW_ADDED = _("已记录考核面谈。")
SIGNED = _("已签字。")
RATER_LABELS = dict(Rating.Rater.choices)
SHEET = "web/rating/_sheet.html"


@dataclass(frozen=True)
class SheetRow:
    """One item of the form: the section, its bands by column, each rater's latest score."""

    section: Section
    bands: tuple[RatingBand | None, ...]
    scores: tuple[Decimal | None, ...]  # in the order of the sheet's rater columns
    field: forms.BoundField | None  # the 上级评 input, when the viewer rates


def _may_rate(request: HttpRequest, appraisal: Appraisal) -> bool:
    """Whether the sheet offers the supervisor's inputs (the service decides in the end)."""
    scope = scope_of(request.user)
    if appraisal.employee_id is not None and appraisal.employee_id == scope.employee_id:
        return False
    supervisor = appraisal.supervisor
    if supervisor is not None and supervisor.user_id == request.user.pk:
        return True
    return scope.has_role(Role.SUPERVISOR, appraisal.unit.path)


def _latest(request: HttpRequest, appraisal: Appraisal) -> dict[tuple[str, str], Decimal]:
    latest: dict[tuple[str, str], Decimal] = {}
    for rater, item, value in (
        rating_list(viewer=request.user)
        .filter(appraisal=appraisal)
        .values_list("rater_role", "item", "value")
    ):
        latest[(rater, item)] = value  # ordered by id: the latest stands
    return latest


def _appraisal(request: HttpRequest, pk: int) -> Appraisal:
    """The appraisal if the viewer may see it, else 404."""
    return appraisal_get(viewer=request.user, pk=pk)


def _context(
    request: HttpRequest,
    appraisal: Appraisal,
    *,
    rating_form: SupervisorRatingForm | None = None,
    entry_form: ScoreEntryForm | None = None,
    interview_form: InterviewForm | None = None,
    sign_errors: list[str] | None = None,
) -> dict[str, Any]:
    policy: Policy = engine_policy(appraisal.policy_version)
    combination = policy.combination
    raters: tuple[str, ...] = combination.raters if combination is not None else ()
    latest = _latest(request, appraisal)
    can_rate = appraisal.status == Appraisal.Status.OPEN and _may_rate(request, appraisal)
    if rating_form is None:
        rating_form = SupervisorRatingForm(
            policy=policy,
            initial={
                f"value_{item}": value
                for (rater, item), value in latest.items()
                if rater == "supervisor"
            },
        )
    rated = [section for section in policy.sections if section.method == "rating"]
    band_titles: list[str] = []
    for section in rated:
        for band in section.bands:
            if band.title not in band_titles:
                band_titles.append(band.title)
    rows = [
        SheetRow(
            section=section,
            bands=tuple(
                next((b for b in section.bands if b.title == title), None) for title in band_titles
            ),
            scores=tuple(latest.get((rater, section.id)) for rater in raters),
            field=rating_form[f"value_{section.id}"] if can_rate else None,
        )
        for section in rated
    ]
    weights = (
        combination.weights if combination is not None and combination.kind == "weights" else {}
    )
    placement = None
    if appraisal.employee_id is not None:
        placement = (
            placement_list(viewer=request.user)
            .filter(employee_id=appraisal.employee_id, start__lte=appraisal.period.end)
            .order_by("-start")
            .first()
        )
    signer = appraisal.rater_signed_by
    rater_name = ""
    if signer is not None:
        supervisor = appraisal.supervisor
        own = supervisor is not None and supervisor.user_id == signer.pk
        rater_name = supervisor.name if own and supervisor is not None else display_name(signer)
    live = live_score_of(appraisal_live_score(viewer=request.user, pk=appraisal.pk), policy)
    return {
        "appraisal": appraisal,
        "placement": placement,
        "rater_name": rater_name,
        "subject_name": appraisal.employee.name
        if appraisal.employee is not None
        else appraisal.unit.name,
        "policy": policy,
        "raters": [(rater, RATER_LABELS.get(rater, rater)) for rater in raters],
        "weights": [(RATER_LABELS.get(r, r), w) for r, w in weights.items()],
        "chain": [RATER_LABELS.get(r, r) for r in combination.chain] if combination else [],
        "band_titles": band_titles,
        "rows": rows,
        "can_rate": can_rate,
        "rating_form": rating_form,
        "entries": list(score_entry_list(viewer=request.user).filter(appraisal=appraisal)),
        "can_approve": appraisal.status == Appraisal.Status.OPEN
        and any(
            scope_of(request.user).has_role(role, appraisal.unit.path)
            for role in (Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER)
        ),
        "entry_form": entry_form or ScoreEntryForm(),
        "notes": list(interview_note_list(viewer=request.user).filter(appraisal=appraisal)),
        "interview_form": interview_form or InterviewForm(),
        "sign_errors": sign_errors or [],
        "live": live,
    }


def _answer(
    request: HttpRequest, appraisal: Appraisal, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render_page(
        request,
        "web/rating/sheet.html",
        context,
        fragments={"appraisal-sheet": SHEET},
        status=status,
    )


def _done(request: HttpRequest, appraisal: Appraisal, message: object) -> HttpResponse:
    appraisal = _appraisal(request, appraisal.pk)
    return done(
        request,
        message=str(message),
        redirect_to=reverse("web:appraisal_rate", args=[appraisal.pk]),
        fragment=SHEET,
        context=_context(request, appraisal),
    )


@require_GET
def appraisal_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """考核表 for the rater: 404 outside the viewer's scope; read-only when they may not rate."""
    appraisal = _appraisal(request, pk)
    return _answer(request, appraisal, _context(request, appraisal))


@require_POST
def appraisal_rate_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """上级评: the changed scores go to rating_submit; errors next to their items (400)."""
    appraisal = _appraisal(request, pk)
    policy = engine_policy(appraisal.policy_version)
    form = SupervisorRatingForm(request.POST, policy=policy)
    if form.is_valid():
        latest = _latest(request, appraisal)
        changed = {
            item: value
            for item, value in form.values().items()
            if latest.get(("supervisor", item)) != value
        }
        if not changed:
            return _done(request, appraisal, NOTHING_CHANGED)
        try:
            rating_submit(
                actor=acting_user(request),
                appraisal=appraisal,
                rater_role="supervisor",
                values=changed,
            )
        except ValidationError as error:
            fields = {f"values.{item}": f"value_{item}" for item in changed}
            add_service_errors(form, error, fields)
        else:
            return _done(request, appraisal, RATED)
    return _answer(request, appraisal, _context(request, appraisal, rating_form=form), 400)


@require_POST
def appraisal_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    """奖扣分 / 嘉奖加分 proposed with its reason (score_entry_add)."""
    appraisal = _appraisal(request, pk)
    form = ScoreEntryForm(request.POST)
    if form.is_valid():
        try:
            score_entry_add(
                actor=acting_user(request),
                appraisal=appraisal,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, appraisal, ENTRY_ADDED)
    return _answer(request, appraisal, _context(request, appraisal, entry_form=form), 400)


@require_POST
def appraisal_interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    """考核面谈: the interview's note (interview_note_add)."""
    appraisal = _appraisal(request, pk)
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            interview_note_add(
                actor=acting_user(request), appraisal=appraisal, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, appraisal, INTERVIEW_ADDED)
    return _answer(request, appraisal, _context(request, appraisal, interview_form=form), 400)


@require_POST
def appraisal_rater_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """上级签字 (appraisal_sign as the rater)."""
    appraisal = _appraisal(request, pk)
    try:
        appraisal_sign(actor=acting_user(request), appraisal=appraisal, as_subject=False)
    except ValidationError as error:
        context = _context(request, appraisal, sign_errors=list(error.messages))
        return _answer(request, appraisal, context, 400)
    return _done(request, appraisal, SIGNED)


# --- 奖扣分 approval ---------------------------------------------------------------------------

ENTRY_APPROVED = _("已批准,计入考核得分。")
ENTRY_REJECTED = _("已驳回,不计入考核得分。")
ENTRY_ROWS = 25
ENTRY = "web/rating/_entry.html"


class RejectEntryForm(forms.Form):
    """驳回: the reason goes to the audit log with the entry."""

    reason = forms.CharField(
        label=_("驳回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("请填写驳回理由。")},
    )


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@require_GET
def entries_pending(request: HttpRequest) -> HttpResponse:
    """待批准奖扣分: the entries the viewer may approve (a department head or project manager
    over the appraisal's unit, not their own), the oldest first, 25 a page; each approved or
    rejected in place (htmx) or by a plain post."""
    return _entries_page(request)


def _entries_page(
    request: HttpRequest,
    *,
    failed: int | None = None,
    form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(entries_to_approve(viewer=request.user), ENTRY_ROWS).get_page(
        _page_number(request)
    )
    rows = [
        (entry, form if entry.pk == failed and form is not None else RejectEntryForm())
        for entry in page
    ]
    return render_page(
        request, "web/rating/entries.html", {"page": page, "rows": rows}, status=status
    )


def _pending_entry(request: HttpRequest, pk: int) -> ScoreEntry:
    """A pending entry of an appraisal the viewer may see (404 otherwise); whether the viewer
    may approve it is the service's decision (403)."""
    entries = score_entry_list(viewer=request.user).filter(
        approved_at__isnull=True, rejected_at__isnull=True
    )
    return get_object_or_404(
        entries.select_related(
            "appraisal__employee", "appraisal__unit", "appraisal__period", "appraisal__subject_unit"
        ),
        pk=pk,
    )


def _entry_failed(
    request: HttpRequest, entry: ScoreEntry, form: forms.Form, error: ValidationError
) -> HttpResponse:
    add_service_errors(form, error, {"approved_by": NON_FIELD_ERRORS})
    if htmx_target(request) is not None:
        context = {"entry": entry, "entry_id": entry.pk, "form": form}
        return render_page(request, ENTRY, context, status=400)
    return _entries_page(request, failed=entry.pk, form=form, status=400)


def _entry_done(
    request: HttpRequest, entry: ScoreEntry, entry_id: int, state: str, message: object
) -> HttpResponse:
    return done(
        request,
        message=str(message),
        redirect_to=reverse("web:entries_pending"),
        fragment=ENTRY,
        context={"entry": entry, "entry_id": entry_id, "state": state},
    )


@require_POST
def entry_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """批准 a pending 奖扣分 (score_entry_approve): counted in the score from now on."""
    entry = _pending_entry(request, pk)
    try:
        score_entry_approve(actor=acting_user(request), entry=entry)
    except ValidationError as error:
        return _entry_failed(request, entry, RejectEntryForm(), error)
    return _entry_done(request, entry, pk, "approved", ENTRY_APPROVED)


@require_POST
def entry_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """驳回 a pending 奖扣分 with a reason (score_entry_reject): it never counts."""
    entry = _pending_entry(request, pk)
    form = RejectEntryForm(request.POST)
    if not form.is_valid():
        return _entry_failed(request, entry, form, ValidationError({}))
    try:
        score_entry_reject(
            actor=acting_user(request), entry=entry, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _entry_failed(request, entry, form, error)
    return _entry_done(request, entry, pk, "rejected", ENTRY_REJECTED)
