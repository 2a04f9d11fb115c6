"""How views answer: a full page, or the htmx fragment it was asked for; form errors from services.

One view serves a page and its fragments (the NetBox way). The page template includes each
fragment template inside an element whose id names it; an htmx request that targets that id
(`hx-target="#home-notices"`, sent as the HX-Target header) gets only the fragment, rendered
from the same context:

    def notice_detail(request, pk):
        notice = fault_notice_get(viewer=request.user, pk=pk)
        return render_page(
            request,
            "web/notices/detail.html",
            {"notice": notice},
            fragments={f"notice-{pk}": "web/notices/_notice.html"},
        )

Actions (POST) work with and without JavaScript: an htmx request gets the updated fragment, a
plain form post is redirected back (POST/redirect/GET) with a message; see `done`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme


def htmx_target(request: HttpRequest) -> str | None:
    """The element id an htmx request targets (HX-Target), or None for a plain request."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return None
    target = htmx.target
    return str(target) if target else None


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    fragments: Mapping[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, or only the fragment template whose element id the htmx request targets.

    The response varies on the htmx headers, so a cache never serves a fragment for a page.
    """
    target = htmx_target(request)
    chosen = (fragments or {}).get(target or "", template)
    response = render(request, chosen, dict(context), status=status)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def acting_user(request: HttpRequest) -> User:
    """The signed-in user, who acts in services (`actor=`). Every page but sign-in requires one
    (LoginRequiredMiddleware); a view marked @login_not_required must not call this."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points into this site, else `default` (no open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def done(
    request: HttpRequest,
    *,
    message: str,
    redirect_to: str,
    fragment: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a successful action: the updated fragment for htmx, else a redirect.

    The message goes to Django's messages (shown on the next page) for a plain post, and into
    the fragment's context as `done_message` for htmx.
    """
    if fragment is not None and htmx_target(request) is not None:
        return render(request, fragment, {**(context or {}), "done_message": message})
    messages.success(request, message)
    return HttpResponseRedirect(safe_next(request, redirect_to))


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message next to its field.

    Services name the model's fields (`dispute_reason`); `fields` maps them to the form's
    (`{"dispute_reason": "reason"}`). Messages on fields the form does not have go on top of
    the form (non-field errors). Messages are already in the user's language.
    """
    mapping = dict(fields or {})
    if not hasattr(form, "cleaned_data"):  # an unbound form (the action had no form of its own)
        form.cleaned_data = {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.message_dict.items():
        target = mapping.get(name, name)
        field: str | None = target if target in form.fields else None
        if name == NON_FIELD_ERRORS:
            field = None
        for message in errors:
            form.add_error(field, message)
