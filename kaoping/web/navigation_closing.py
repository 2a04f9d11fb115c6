"""Menu entries of the period close pages (考评期间 / 关账) and the reports (报表)."""

from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Role

from .nav import Group, nav_entry

nav_entry(
    key="periods",
    group=Group.APPRAISALS,
    label=_("考评期间与关账"),
    url_name="web:periods",
    roles={Role.PROJECT_MANAGER, Role.DEPARTMENT_HEAD, Role.QUALITY, Role.HR, Role.FINANCE},
    icon="clipboard-check",
    order=50,
    active_names={"web:period"},
)

nav_entry(
    key="reports",
    group=Group.REPORTS,
    label=_("报表"),
    url_name="web:reports",
    roles={Role.SUPERVISOR, Role.PROJECT_MANAGER, Role.DEPARTMENT_HEAD, Role.QUALITY},
    icon="report-analytics",
    order=10,
)
