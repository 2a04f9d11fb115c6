"""The dashboards (工作台): one per role, the home page `/` shows the first one a user holds.

A dashboard is a view function `(request, dashboard) -> HttpResponse` (GET only). `/` renders the user's first
dashboard in DASHBOARDS order, `/dashboard/<role>/` a given one (404 unless the user holds that
role), and the menu lists every dashboard the user holds. To build a role's dashboard, write its
view (e.g. kaoping/web/views/supervisor.py) and point the role's line below at it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaoping.org.access import Scope
from kaoping.org.models import Role

from .nav import SELF

DashboardView = Callable[[HttpRequest, "Dashboard"], HttpResponse]


@dataclass(frozen=True)
class Dashboard:
    role: str  # a Role value, or SELF: anyone with their own employee record
    title: Promise
    view_path: str  # dotted path of the view, imported on first use (no import cycles)

    def held_by(self, scope: Scope) -> bool:
        if self.role == SELF:
            return scope.employee_id is not None
        return scope.has_role(self.role)

    def view(self) -> DashboardView:
        from django.utils.module_loading import import_string

        view: DashboardView = import_string(self.view_path)
        return view


_PLACEHOLDER = "kaoping.web.views.home.placeholder_dashboard"

# In home-page order: a line manager's home is their team's dashboard; their own appraisal is
# one click away (我的考评), as it is the only dashboard of an employee without another role.
DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard(
        Role.PROJECT_MANAGER, _("项目经理工作台"), "kaoping.web.views.managers.manager_dashboard"
    ),
    Dashboard(
        Role.DEPARTMENT_HEAD, _("部门主任工作台"), "kaoping.web.views.managers.manager_dashboard"
    ),
    Dashboard(
        Role.SUPERVISOR, _("主管工作台"), "kaoping.web.views.supervisor.supervisor_dashboard"
    ),
    Dashboard(Role.QUALITY, _("质管部工作台"), "kaoping.web.views.managers.manager_dashboard"),
    Dashboard(Role.HR, _("人力资源部工作台"), "kaoping.web.views.hr.hr_dashboard"),
    Dashboard(Role.FINANCE, _("财务部工作台"), "kaoping.web.views.hr.hr_dashboard"),
    Dashboard(Role.ADMIN, _("系统管理工作台"), _PLACEHOLDER),
    Dashboard(SELF, _("我的考评"), "kaoping.web.views.home.employee_dashboard"),
)


def dashboards_of(scope: Scope) -> list[Dashboard]:
    """The dashboards a user holds, in home-page order."""
    return [dashboard for dashboard in DASHBOARDS if dashboard.held_by(scope)]


def dashboard_for(role: str) -> Dashboard | None:
    return next((d for d in DASHBOARDS if d.role == role), None)
