"""The navigation menu (导航): a registry of entries, each shown to the roles it names.

Pages declare their entries in a `navigation.py` module of their app (kaoping/web/navigation.py
for the web app's own pages); WebConfig.ready() imports every installed app's `navigation`
module, so an entry exists as soon as its module is written:

    # kaoping/inspections/navigation.py
    from django.utils.translation import gettext_lazy as _
    from kaoping.org.models import Role
    from kaoping.web.nav import Group, nav_entry

    nav_entry(
        key="inspections",
        group=Group.INSPECTIONS,
        label=_("检查记录"),
        url_name="inspections:list",
        roles={Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.PROJECT_MANAGER, Role.QUALITY},
        icon="clipboard-list",
        order=10,
    )

`roles` are kaoping.org.models.Role values, plus SELF: anyone with their own employee record
(自己的考评, fault notices, appeals). An empty `roles` shows the entry to every signed-in user.
The menu shows what a role may open; the pages still check the scope themselves (a hidden link
is not a permission).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaoping.org.access import Scope

# A pseudo-role: the user is an employee (has an active Employee record) and sees their own
# records, whatever roles they hold besides.
SELF = "self"


class Group(IntEnum):
    """The menu's groups, in menu order; a group with one visible entry is a plain link."""

    HOME = 10
    INSPECTIONS = 20
    APPRAISALS = 30
    APPEALS = 40
    REPORTS = 50
    POLICIES = 60
    ADMIN = 70


GROUP_LABELS: Mapping[Group, Promise] = {
    Group.HOME: _("工作台"),
    Group.INSPECTIONS: _("检查"),
    Group.APPRAISALS: _("考核"),
    Group.APPEALS: _("申诉"),
    Group.REPORTS: _("报表"),
    Group.POLICIES: _("考评办法"),
    Group.ADMIN: _("系统管理"),
}
GROUP_ICONS: Mapping[Group, str] = {
    Group.HOME: "home",
    Group.INSPECTIONS: "clipboard-list",
    Group.APPRAISALS: "clipboard-check",
    Group.APPEALS: "message-report",
    Group.REPORTS: "report-analytics",
    Group.POLICIES: "scale",
    Group.ADMIN: "settings",
}


@dataclass(frozen=True)
class NavEntry:
    """One link of the menu. `active_names` are further view names that light it up."""

    key: str
    group: Group
    label: Promise | str
    url_name: str
    roles: frozenset[str] = frozenset()
    url_kwargs: Mapping[str, Any] = field(default_factory=dict)
    icon: str = "chevron-right"
    order: int = 100
    active_names: frozenset[str] = frozenset()

    def visible_to(self, scope: Scope) -> bool:
        """The entry is for everyone, or the scope holds one of its roles (SELF: is staff)."""
        if not self.roles:
            return True
        if SELF in self.roles and scope.employee_id is not None:
            return True
        return any(scope.has_role(role) for role in self.roles if role != SELF)

    def url(self) -> str | None:
        try:
            return reverse(self.url_name, kwargs=dict(self.url_kwargs) or None)
        except NoReverseMatch:
            return None  # a page not built yet; the menu leaves it out


_REGISTRY: dict[str, NavEntry] = {}


def nav_entry(
    *,
    key: str,
    group: Group,
    label: Promise | str,
    url_name: str,
    roles: Iterable[str] = (),
    url_kwargs: Mapping[str, Any] | None = None,
    icon: str = "chevron-right",
    order: int = 100,
    active_names: Iterable[str] = (),
) -> NavEntry:
    """Declare (or redeclare, by `key`) a menu entry; returns it."""
    entry = NavEntry(
        key=key,
        group=group,
        label=label,
        url_name=url_name,
        roles=frozenset(str(role) for role in roles),
        url_kwargs=dict(url_kwargs or {}),
        icon=icon,
        order=order,
        active_names=frozenset(active_names),
    )
    _REGISTRY[key] = entry
    return entry


@dataclass(frozen=True)
class NavLink:
    """An entry as the menu shows it to one user on one page."""

    key: str
    label: Promise | str
    url: str
    icon: str
    active: bool


@dataclass(frozen=True)
class NavGroup:
    group: Group
    label: Promise | str
    icon: str
    links: tuple[NavLink, ...]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def nav_for(
    scope: Scope, *, view_name: str | None = None, path: str = "", home: bool = False
) -> list[NavGroup]:
    """The menu of a user: visible entries grouped in menu order, the current page's lit up.

    `home`: the page is the home page, which shows the first dashboard the user holds, so the
    first entry of the HOME group is lit. No database queries (the scope is per request).
    """
    groups: dict[Group, list[tuple[int, str, NavLink]]] = {}
    for entry in _REGISTRY.values():
        if not entry.visible_to(scope):
            continue
        url = entry.url()
        if url is None:
            continue
        active = url == path or (view_name is not None and view_name in entry.active_names)
        link = NavLink(key=entry.key, label=entry.label, url=url, icon=entry.icon, active=active)
        groups.setdefault(entry.group, []).append((entry.order, entry.key, link))
    if home and Group.HOME in groups:
        first = min(groups[Group.HOME], key=lambda item: item[:2])
        groups[Group.HOME] = [
            (order, key, dataclasses.replace(link, active=True) if key == first[1] else link)
            for order, key, link in groups[Group.HOME]
        ]
    return [
        NavGroup(
            group=group,
            label=GROUP_LABELS[group],
            icon=GROUP_ICONS[group],
            links=tuple(item[2] for item in sorted(groups[group], key=lambda item: item[:2])),
        )
        for group in sorted(groups)
    ]


def nav_remove(key: str) -> None:
    """Forget an entry (tests that declare their own)."""
    _REGISTRY.pop(key, None)


def nav_entries() -> Mapping[str, NavEntry]:
    """Every declared entry by key (for tests and the docs)."""
    return dict(_REGISTRY)
