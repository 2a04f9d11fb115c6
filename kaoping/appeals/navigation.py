"""Menu entries of the appeal pages (kaoping.web.nav): my appeals, and the deciding levels' inbox."""

from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Role
from kaoping.web.nav import SELF, Group, nav_entry

nav_entry(
    key="appeals-mine",
    group=Group.APPEALS,
    label=_("我的申诉"),
    url_name="web:appeals_mine",
    roles={SELF},
    icon="message-report",
    order=10,
    active_names={"web:appeal_new"},
)

nav_entry(
    key="appeals-inbox",
    group=Group.APPEALS,
    label=_("待处理申诉"),
    url_name="web:appeals_inbox",
    roles={Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER, Role.HR},
    icon="message-report",
    order=20,
    active_names={"web:appeal"},
)
