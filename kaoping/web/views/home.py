"""The home page (首页) and the dashboards (工作台) of each role."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaoping.org.access import scope_of

from ..dashboards import Dashboard, dashboard_for, dashboards_of
from ..rendering import render_page
from ..selectors import employee_home


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """`/`: the first dashboard the user holds, or a page that says no role is assigned yet."""
    held = dashboards_of(scope_of(request.user))
    if not held:
        return render(request, "web/home/no_role.html")
    return held[0].view()(request, held[0])


@require_GET
def dashboard(request: HttpRequest, role: str) -> HttpResponse:
    """`/dashboard/<role>/`: the dashboard of one of the user's roles; 404 for any other."""
    chosen = dashboard_for(role)
    if chosen is None or not chosen.held_by(scope_of(request.user)):
        raise Http404(role)
    return chosen.view()(request, chosen)


def employee_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    """我的考评: this month's live score and why, fault notices to answer, the self-assessment
    due, the history of closed months, my appeals. Its cards refresh as htmx fragments."""
    data = employee_home(viewer=request.user)
    return render_page(
        request,
        "web/home/employee.html",
        {"home": data, "dashboard": dashboard},
        fragments={
            "home-live": "web/home/_live.html",
            "home-notices": "web/home/_notices.html",
        },
    )


def placeholder_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    """A dashboard not built yet: says which one it will be, with the menu of the user's pages."""
    return render(request, "web/home/placeholder.html", {"dashboard": dashboard})
