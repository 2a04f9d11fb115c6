"""Menu entries of the company's policy pages (kaoping.web.nav): versions, drafts, publishing."""

from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Role
from kaoping.web.nav import Group, nav_entry

nav_entry(
    key="policy-documents",
    group=Group.POLICIES,
    label=_("本公司考评办法"),
    url_name="web:policy_documents",
    roles={Role.QUALITY},
    icon="file-text",
    order=20,
    active_names={"web:policy_document", "web:policy_draft"},
)
