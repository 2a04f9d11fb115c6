"""Menu entries of the web app's own pages: a dashboard per role, the built-in policies."""

from django.utils.translation import gettext_lazy as _

from .dashboards import DASHBOARDS
from .nav import Group, nav_entry

DASHBOARD_ICONS = {"self": "user-circle"}

for position, dashboard in enumerate(DASHBOARDS):
    nav_entry(
        key=f"dashboard-{dashboard.role}",
        group=Group.HOME,
        label=dashboard.title,
        url_name="web:dashboard",
        url_kwargs={"role": dashboard.role},
        roles={dashboard.role},
        icon=DASHBOARD_ICONS.get(dashboard.role, "home"),
        order=position * 10,
    )

nav_entry(
    key="builtin-policies",
    group=Group.POLICIES,
    label=_("内置考评办法"),
    url_name="web:policies",
    icon="scale",
    active_names={"web:policy"},
)
