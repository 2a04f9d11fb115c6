"""The company's policies (本公司考评办法) for quality (质管部): versions, the draft editor, publish.

A draft starts from the latest published version (policy_draft_save), its YAML is edited in a
textarea whose lint is shown inline as one types (an htmx post to the lint view, which only
parses and lints: nothing is saved), saved through policy_draft_save (which refuses lint errors)
and published with an effective period through policy_publish. The draft page also simulates
the draft against a closed period (kaoping.appraisals.simulate): who would change grade and pay.

Every signed-in user of the company may read the policies and their versions (the rules bind
them); only quality over the company edits, publishes and simulates (403 otherwise).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.appraisals.selectors import period_list
from kaoping.appraisals.simulate import Simulation, policy_simulate
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyDocument, PolicyVersion
from kaoping.policies.selectors import (
    policy_document_get,
    policy_document_list,
    policy_draft,
    policy_editable,
    policy_latest_published,
    policy_versions,
)
from kaoping.policies.services import policy_draft_save, policy_publish
from kaoping.scoring import PolicyError, load_policy_text
from kaoping.scoring.lint import LintIssue, lint_policy

from ..rendering import acting_user, add_service_errors, render_page

DRAFT_CREATED = _("已从第 {number} 版新建草稿。")
DRAFT_SAVED = _("草稿已保存(第 {number} 版)。")
PUBLISHED = _("第 {number} 版已发布,{start} 起生效。")
NO_DRAFT = _("该办法没有草稿。")


class DraftForm(forms.Form):
    """The draft's YAML text."""

    source = forms.CharField(
        label=_("YAML 文本"),
        strip=False,
        error_messages={"required": _("请填写办法的 YAML 文本。")},
    )


class PublishForm(forms.Form):
    """发布: the period from whose first day the version is in force."""

    effective_period = forms.CharField(
        label=_("生效期间"),
        max_length=10,
        help_text=_("例如 2026-12(月)、2026Q1(季)"),
        error_messages={"required": _("请填写生效期间。")},
    )


def _document(request: HttpRequest, code: str) -> PolicyDocument:
    return policy_document_get(viewer=request.user, code=code)


def _editable_document(request: HttpRequest, code: str) -> PolicyDocument:
    document = _document(request, code)
    if not policy_editable(viewer=request.user, document=document):
        raise PermissionDenied
    return document


def lint_source(code: str, source: str) -> tuple[str, list[LintIssue]]:
    """The YAML's load error (or ""), and the lint's issues when it loads."""
    try:
        policy = load_policy_text(source, source=code)
    except PolicyError as exc:
        return str(exc), []
    return "", lint_policy(policy)


def _errors(issues: list[LintIssue]) -> int:
    return sum(1 for issue in issues if issue.level == "error")


def _infos(issues: list[LintIssue]) -> int:
    return sum(1 for issue in issues if issue.level == "info")


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """本公司考评办法: the company's policies with their versions."""
    documents = list(policy_document_list(viewer=request.user).prefetch_related("versions"))
    return render_page(request, "web/policy_drafts/list.html", {"documents": documents})


@require_GET
def document_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A policy: its versions (effective dates, who published), and the way to its draft."""
    document = _document(request, code)
    return render_page(
        request,
        "web/policy_drafts/detail.html",
        {
            "document": document,
            "versions": policy_versions(document=document),
            "editable": policy_editable(viewer=request.user, document=document),
        },
    )


@require_POST
def draft_create(request: HttpRequest, code: str) -> HttpResponse:
    """新建草稿 from the latest published version (or go to the draft there is)."""
    document = _editable_document(request, code)
    if policy_draft(document=document) is None:
        published = policy_latest_published(document=document)
        if published is not None:
            policy_draft_save(
                actor=acting_user(request), document=document, source=published.source
            )
            messages.success(request, DRAFT_CREATED.format(number=published.number))
    return redirect("web:policy_draft", code=document.code)


def _draft_context(
    request: HttpRequest,
    document: PolicyDocument,
    draft: PolicyVersion | None,
    form: DraftForm | None = None,
    publish_form: PublishForm | None = None,
) -> dict[str, object]:
    source = form.data.get("source", "") if form is not None and form.is_bound else None
    if source is None:
        source = draft.source if draft is not None else ""
    load_error, issues = lint_source(document.code, source)
    periods = list(
        period_list(viewer=request.user).filter(
            company_id=document.company_id, status=Period.Status.CLOSED
        )[:24]
    )
    simulation: Simulation | None = None
    simulation_error = ""
    chosen = request.GET.get("period", "")
    if draft is not None and chosen.isdigit():
        period = next((p for p in periods if p.pk == int(chosen)), None)
        if period is not None:
            try:
                simulation = policy_simulate(viewer=request.user, version=draft, period=period)
            except ValidationError as error:
                simulation_error = " ".join(error.messages)
    return {
        "document": document,
        "draft": draft,
        "form": form or DraftForm(initial={"source": source}),
        "source": source,
        "publish_form": publish_form or PublishForm(),
        "load_error": load_error,
        "issues": issues,
        "lint_errors": _errors(issues),
        "lint_infos": _infos(issues),
        "periods": periods,
        "chosen_period": int(chosen) if chosen.isdigit() else None,
        "simulation": simulation,
        "simulation_error": simulation_error,
    }


@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The draft editor: the YAML with its lint, publish, and the simulation of a closed period
    (?period=<pk>; an htmx request targeting #policy-simulation gets the table alone)."""
    document = _editable_document(request, code)
    draft = policy_draft(document=document)
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                draft = policy_draft_save(
                    actor=acting_user(request),
                    document=document,
                    source=form.cleaned_data["source"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, DRAFT_SAVED.format(number=draft.number))
                return redirect("web:policy_draft", code=document.code)
        return render_page(
            request,
            "web/policy_drafts/draft.html",
            _draft_context(request, document, draft, form=form),
            status=400,
        )
    return render_page(
        request,
        "web/policy_drafts/draft.html",
        _draft_context(request, document, draft),
        fragments={"policy-simulation": "web/policy_drafts/_simulation.html"},
    )


@require_POST
def draft_lint(request: HttpRequest, code: str) -> HttpResponse:
    """The lint of the YAML posted (as one types): the #policy-lint fragment; nothing saved."""
    document = _editable_document(request, code)
    load_error, issues = lint_source(document.code, request.POST.get("source", ""))
    return render_page(
        request,
        "web/policy_drafts/_lint.html",
        {
            "load_error": load_error,
            "issues": issues,
            "lint_errors": _errors(issues),
            "lint_infos": _infos(issues),
        },
    )


@require_POST
def draft_publish(request: HttpRequest, code: str) -> HttpResponse:
    """发布 the draft from the first day of the period given."""
    document = _editable_document(request, code)
    draft = policy_draft(document=document)
    publish_form = PublishForm(request.POST)
    if draft is None:
        publish_form.add_error(None, NO_DRAFT)
    elif publish_form.is_valid():
        try:
            version = policy_publish(
                actor=acting_user(request),
                version=draft,
                effective_period=publish_form.cleaned_data["effective_period"].strip(),
            )
        except ValidationError as error:
            add_service_errors(publish_form, error, {"status": "effective_period"})
        else:
            messages.success(
                request,
                PUBLISHED.format(number=version.number, start=version.effective_from),
            )
            return redirect("web:policy_document", code=document.code)
    return render_page(
        request,
        "web/policy_drafts/draft.html",
        _draft_context(request, document, draft, publish_form=publish_form),
        status=400,
    )
