"""Menu entries of the supervisor's pages (主管/组长): recording a finding."""

from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Role

from .nav import Group, nav_entry

nav_entry(
    key="finding-new",
    group=Group.INSPECTIONS,
    label=_("记录违规"),
    url_name="web:finding_new",
    roles={Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER, Role.QUALITY},
    icon="alert-triangle",
    order=10,
    active_names={"web:finding_recorded"},
)

nav_entry(
    key="corrective-actions",
    group=Group.INSPECTIONS,
    label=_("纠正措施"),
    url_name="web:corrective_actions",
    roles={Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER, Role.QUALITY},
    icon="clipboard-check",
    order=20,
)
