"""Menu entries of the web app's own pages: a dashboard per role, the built-in policies."""

from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Role

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

# The record lists (views/records.py): inspections, findings and the operations records.
_RECORD_READERS = {Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER, Role.QUALITY}

nav_entry(
    key="record-inspections",
    group=Group.INSPECTIONS,
    label=_("检查记录"),
    url_name="web:inspections",
    roles=_RECORD_READERS,
    icon="clipboard-list",
    order=30,
)

nav_entry(
    key="record-findings",
    group=Group.INSPECTIONS,
    label=_("违规记录"),
    url_name="web:findings",
    roles=_RECORD_READERS,
    icon="file-alert",
    order=40,
)

nav_entry(
    key="record-operations",
    group=Group.INSPECTIONS,
    label=_("运营记录"),
    url_name="web:records",
    roles=_RECORD_READERS,
    icon="building",
    order=50,
    active_names={"web:record_list", "web:record_new"},
)

nav_entry(
    key="entries-pending",
    group=Group.APPRAISALS,
    label=_("待批准奖扣分"),
    url_name="web:entries_pending",
    roles={Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER},
    icon="check",
    order=40,
)
