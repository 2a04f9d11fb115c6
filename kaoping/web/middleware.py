"""Sign-in required for every page, htmx requests included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's LoginRequiredMiddleware; an htmx request (say, after the session expired) sends
    the whole page to sign-in (HX-Redirect) instead of swapping the sign-in page into a fragment,
    and comes back to the page it was on."""

    # The stubs say a redirect; htmx needs a 200 with HX-Redirect, which browsers never see.
    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponse:
        if request.headers.get("HX-Request") != "true":
            return super().handle_no_permission(request, view_func)
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = "/"
        if page.netloc == request.get_host():
            back = urlunsplit(("", "", page.path or "/", page.query, ""))
        login = redirect_to_login(
            back,
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
        return HttpResponseClientRedirect(login["Location"])
