"""The layout every page shares: the top bar (who, roles, language, sign out) and a menu whose
entries depend on the user's roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kaoping.org.access import Scope, scope_of
from kaoping.org.tests.factories import World
from kaoping.web.nav import SELF, Group, nav_entries, nav_entry, nav_for, nav_remove
from kaoping.web.templatetags.kaoping import display_name

from .conftest import signed_in

pytestmark = pytest.mark.django_db


MENU_ITEM = re.compile(
    r'<span class="nav-link-title">([^<]+)</span>'  # a link, or a group's title
    r'|class="dropdown-item[^"]*" href="[^"]+"[^>]*>([^<]+)</a>'  # a link inside a group
)


def _titles(client: Client, path: str = "/") -> list[str]:
    """The menu's titles in order: links, group titles and the links of each group."""
    html = client.get(path).content.decode()
    menu = html[html.index('id="kp-menu"') :]
    return [link or grouped for link, grouped in MENU_ITEM.findall(menu)]


DASHBOARD_TITLES = {
    "项目经理工作台",
    "部门主任工作台",
    "主管工作台",
    "质管部工作台",
    "人力资源部工作台",
    "财务部工作台",
    "系统管理工作台",
}


def _visible_roles(name: str, world: World) -> list[frozenset[str]]:
    """The `roles` of every menu entry the world's user `name` sees."""
    scope = scope_of(world.users[name])
    shown = {link.key for group in nav_for(scope) for link in group.links}
    return [entry.roles for key, entry in nav_entries().items() if key in shown]


def test_an_employee_sees_their_own_pages_only(world: World) -> None:
    titles = _titles(signed_in(world, "emp1"))

    assert titles[0] == "我的考评"
    assert "内置考评办法" in titles
    assert not DASHBOARD_TITLES & set(titles)
    # every entry 张三 sees is for everyone, or for staff about their own records
    for roles in _visible_roles("emp1", world):
        assert not roles or roles & {SELF, "employee"}, roles


def test_a_supervisor_sees_their_dashboard_and_their_own_appraisal(world: World) -> None:
    # 李四 is a supervisor and, like every member of staff, has an appraisal of his own
    titles = _titles(signed_in(world, "sup1"))

    assert titles[:3] == ["工作台", "主管工作台", "我的考评"]
    assert DASHBOARD_TITLES & set(titles) == {"主管工作台"}


@pytest.mark.parametrize(
    ("user", "dashboard"),
    [
        ("head1", "部门主任工作台"),
        ("manager1", "项目经理工作台"),
        ("quality", "质管部工作台"),
        ("hr", "人力资源部工作台"),
        ("finance", "财务部工作台"),
        ("admin", "系统管理工作台"),
    ],
)
def test_each_role_lands_on_its_dashboard(world: World, user: str, dashboard: str) -> None:
    client = signed_in(world, user)

    response = client.get("/")

    assert response.status_code == 200
    assert f'<h1 class="page-title">{dashboard}</h1>' in response.content.decode()
    titles = _titles(client)
    assert titles[0] == dashboard  # the home group: a single dashboard is a plain link
    assert DASHBOARD_TITLES & set(titles) == {dashboard}
    assert "我的考评" not in titles  # these logins have no employee record in the test world


def test_the_home_page_lights_the_first_dashboard(world: World) -> None:
    html = signed_in(world, "sup1").get("/").content.decode()

    assert re.search(r'class="dropdown-item active" href="/dashboard/supervisor/"', html)
    assert not re.search(r'class="dropdown-item active" href="/dashboard/self/"', html)


def test_the_top_bar_names_the_user_and_their_roles(world: World) -> None:
    html = signed_in(world, "sup1").get("/").content.decode()

    assert '<span class="kp-user-name">李四</span>' in html
    assert "主管/组长</span>" in html
    assert 'action="/logout/"' in html


def test_the_top_bar_offers_the_three_languages(world: World) -> None:
    html = signed_in(world, "emp1").get("/").content.decode()

    assert 'action="/i18n/setlang/"' in html
    buttons = re.findall(r'name="language" value="([a-z-]+)"', html)
    assert buttons == ["zh-hans", "zh-hant", "en"]
    assert re.search(r'value="zh-hans" lang="zh-hans"\s+class="dropdown-item active"', html)


def test_pages_use_only_the_vendored_assets(world: World) -> None:
    html = signed_in(world, "emp1").get("/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert sources == [
        "/static/vendor/tabler/tabler.min.css",
        "/static/web/kaoping.css",
        "/static/vendor/tabler/tabler.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/web/kaoping.js",
        "/static/vendor/echarts/echarts.min.js",
    ]
    assert "//" not in "".join(sources)  # nothing from another host (no CDN)


def test_the_menu_registry_shows_an_entry_to_the_roles_it_names(world: World) -> None:
    entry = nav_entry(
        key="test-inspections",
        group=Group.INSPECTIONS,
        label="检查记录",
        url_name="web:policies",
        roles={"supervisor", "quality"},
    )
    try:
        supervisor = nav_for(scope_of(world.users["sup1"]))
        employee = nav_for(scope_of(world.users["emp1"]))
        nobody = nav_for(Scope(user_id=None))
    finally:
        nav_remove(entry.key)

    assert "test-inspections" in [link.key for group in supervisor for link in group.links]
    assert all(link.key != "test-inspections" for group in employee for link in group.links)
    # with no role at all, only the entries for everyone signed in
    everyone = {key for key, e in nav_entries().items() if not e.roles}
    assert {link.key for group in nobody for link in group.links} <= everyone
    assert "builtin-policies" in {link.key for group in nobody for link in group.links}


def test_an_entry_of_a_page_not_built_yet_is_left_out(world: World) -> None:
    entry = nav_entry(key="test-later", group=Group.REPORTS, label="报表", url_name="reports:none")
    try:
        groups = nav_for(scope_of(world.users["quality"]))
    finally:
        nav_remove(entry.key)

    assert all(link.key != "test-later" for group in groups for link in group.links)


def test_self_entries_need_an_employee_record(world: World) -> None:
    assert nav_entries()["dashboard-self"].roles == frozenset({SELF})
    hr = [link.key for group in nav_for(scope_of(world.users["hr"])) for link in group.links]
    zhang = [link.key for group in nav_for(scope_of(world.users["emp1"])) for link in group.links]

    assert "dashboard-self" not in hr  # the HR login has no employee record in the test world
    assert "dashboard-self" in zhang


@pytest.mark.parametrize(
    ("first", "last", "username", "shown"),
    [
        ("建华", "蒋", "demo-inspector", "蒋建华"),
        ("Jane", "Doe", "jdoe", "Jane Doe"),
        ("", "", "gz-hr", "gz-hr"),
    ],
)
def test_people_are_named_as_they_write_their_names(
    first: str, last: str, username: str, shown: str
) -> None:
    user = User(first_name=first, last_name=last, username=username)

    assert display_name(user) == shown


def test_a_user_without_an_employee_record_is_shown_by_user_name(world: World) -> None:
    html = signed_in(world, "hr").get("/").content.decode()

    assert '<span class="kp-user-name">gz-hr</span>' in html
    assert "人力资源部</span>" in html
