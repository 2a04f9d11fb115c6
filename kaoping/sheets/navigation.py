"""Menu entry of the Excel upload page (kaoping.web.nav): for quality, HR and admins."""

from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Role
from kaoping.web.nav import Group, nav_entry

nav_entry(
    key="sheet-upload",
    group=Group.ADMIN,
    label=_("表格导入"),
    url_name="web:sheet_upload",
    roles={Role.QUALITY, Role.HR, Role.ADMIN},
    icon="file-text",
    order=50,
)
