"""Corrective actions (纠正措施): the list with its filters (status, overdue), and the steps
开始整改 → 完成 → 验证 through the inspections services.

Each step is a form that works with and without JavaScript: htmx gets the action's card back,
a plain post is redirected to the list with a message. Refusals come back next to the text
field (400); out of scope is 404, a step the user may not take is 403.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.inspections.models import CorrectiveAction
from kaoping.inspections.selectors import corrective_action_list
from kaoping.inspections.services import (
    corrective_action_complete,
    corrective_action_start,
    corrective_action_verify,
)
from kaoping.org.access import Scope, scope_of
from kaoping.org.models import Role

from ..forms_supervisor import ActionFilterForm, ActionStepForm
from ..rendering import acting_user, add_service_errors, done, htmx_target, render_page
from ..selectors_supervisor import finding_lines

PAGE_ROWS = 25
LINE_MANAGERS = (Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER)
VERIFIERS = (Role.QUALITY, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER)

STARTED = _("纠正措施已开始整改。")
COMPLETED = _("纠正措施已完成,等待验证。")
VERIFIED = _("纠正措施已验证。")


def _actions(request: HttpRequest) -> QuerySet[CorrectiveAction]:
    return corrective_action_list(viewer=request.user).select_related(
        "finding__employee", "finding__policy_version__document"
    )


def _may(scope: Scope, roles: tuple[str, ...], action: CorrectiveAction) -> bool:
    return any(scope.has_role(role, action.unit.path) for role in roles)


def _card(
    request: HttpRequest,
    action: CorrectiveAction,
    form: ActionStepForm | None = None,
    scope: Scope | None = None,
) -> dict[str, object]:
    """What an action's card shows: the action, its finding's section, the step the user may
    take next (none, start, complete, verify), and the step's form."""
    scope = scope or scope_of(request.user)
    own = scope.employee_id is not None and action.owner_id == scope.employee_id
    works = own or _may(scope, LINE_MANAGERS, action)
    step = ""
    if action.status == CorrectiveAction.Status.OPEN and works:
        step = "start"
    elif action.status == CorrectiveAction.Status.IN_PROGRESS and works:
        step = "complete"
    elif (
        action.status == CorrectiveAction.Status.DONE and not own and _may(scope, VERIFIERS, action)
    ):
        step = "verify"
    today = timezone.localdate()
    return {
        "action": action,
        "line": finding_lines([action.finding])[0],
        "step": step,
        "step_form": form or ActionStepForm(),
        "overdue": action.status in CorrectiveAction.PENDING and action.due < today,
    }


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    """纠正措施: the actions in the viewer's scope (and those they own), filtered by status and
    overdue, the earliest due first, 25 a page."""
    filters = ActionFilterForm(request.GET)
    status = overdue = None
    if filters.is_valid():
        status = filters.cleaned_data["status"] or None
        overdue = filters.cleaned_data["overdue"]
    actions = corrective_action_list(
        viewer=request.user, status=status, overdue=bool(overdue)
    ).select_related("finding__employee", "finding__policy_version__document")
    page = Paginator(actions, PAGE_ROWS).get_page(request.GET.get("page"))
    scope = scope_of(request.user)
    cards = [_card(request, action, scope=scope) for action in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "web/corrective/list.html",
        {"filters": filters, "page": page, "cards": cards, "query": query.urlencode()},
        fragments={"actions-list": "web/corrective/_list.html"},
    )


def _step(
    request: HttpRequest,
    pk: int,
    service: Callable[[CorrectiveAction, str], object],
    message: Promise,
    fields: dict[str, str],
) -> HttpResponse:
    action = get_object_or_404(_actions(request), pk=pk)
    form = ActionStepForm(request.POST)
    if form.is_valid():
        try:
            service(action, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error, fields)
        else:
            action = get_object_or_404(_actions(request), pk=pk)
            return done(
                request,
                message=str(message),
                redirect_to=reverse("web:corrective_actions"),
                fragment="web/corrective/_action.html",
                context=_card(request, action),
            )
    context = _card(request, action, form)
    if htmx_target(request):
        return render_page(request, "web/corrective/_action.html", context, status=400)
    return render_page(
        request,
        "web/corrective/list.html",
        {
            "filters": ActionFilterForm(),
            "page": None,
            "cards": [context],
            "query": "",
        },
        status=400,
    )


@require_POST
def action_start(request: HttpRequest, pk: int) -> HttpResponse:
    """开始整改: open → in_progress, with the planned measures (optional)."""
    actor = acting_user(request)
    return _step(
        request,
        pk,
        lambda action, text: corrective_action_start(actor=actor, action=action, description=text),
        STARTED,
        {"description": "text"},
    )


@require_POST
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """完成: in_progress → done, with the measures taken (required unless given at the start)."""
    actor = acting_user(request)
    return _step(
        request,
        pk,
        lambda action, text: corrective_action_complete(
            actor=actor, action=action, description=text
        ),
        COMPLETED,
        {"description": "text"},
    )


@require_POST
def action_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """验证: done → verified, with the verification note, by quality or a manager (not the owner)."""
    actor = acting_user(request)
    return _step(
        request,
        pk,
        lambda action, text: corrective_action_verify(actor=actor, action=action, note=text),
        VERIFIED,
        {"verification_note": "text"},
    )
