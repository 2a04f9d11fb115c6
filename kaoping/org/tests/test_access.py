"""What each role sees of the organisation, and what answers 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from kaoping.org.access import Family, scope_of
from kaoping.org.selectors import employee_get, employee_list, placement_list, unit_get, unit_list
from kaoping.org.tests.factories import World

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:  # type: ignore[no-untyped-def]
    return {item.name for item in queryset}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("emp1", {"张三"}),
        ("emp2", {"王五"}),
        ("sup1", {"张三", "李四"}),
        ("head1", {"张三", "李四", "王五"}),
        ("manager1", {"张三", "李四", "王五"}),
        ("manager2", {"赵六"}),
        ("quality", {"张三", "李四", "王五", "赵六"}),
        ("hr", {"张三", "李四", "王五", "赵六"}),
        ("finance", {"张三", "李四", "王五", "赵六"}),
        ("admin", {"张三", "李四", "王五", "赵六"}),
    ],
)
def test_each_role_lists_exactly_the_employees_of_its_scope(
    world: World, user: str, expected: set[str]
) -> None:
    assert names(employee_list(viewer=world.users[user])) == expected


@pytest.mark.parametrize(
    ("user", "visible", "hidden"),
    [
        ("emp1", "e1", "e2"),
        ("sup1", "e1", "e2"),
        ("head1", "e2", "e3"),
        ("manager2", "e3", "e1"),
    ],
)
def test_an_employee_outside_the_scope_answers_404(
    world: World, user: str, visible: str, hidden: str
) -> None:
    viewer = world.users[user]

    assert employee_get(viewer=viewer, pk=world.employees[visible].pk) == world.employees[visible]
    with pytest.raises(Http404):
        employee_get(viewer=viewer, pk=world.employees[hidden].pk)


def test_units_follow_the_subtree_of_the_role(world: World) -> None:
    assert names(unit_list(viewer=world.users["sup1"])) == {"服务一组"}
    assert names(unit_list(viewer=world.users["manager2"])) == {
        "翠苑管理处",
        "客户服务中心",
        "服务三组",
    }
    assert names(unit_list(viewer=world.users["emp2"])) == {"服务二组"}
    with pytest.raises(Http404):
        unit_get(viewer=world.users["sup1"], pk=world.units["t2"].pk)


def test_placements_are_scoped_like_their_units(world: World) -> None:
    seen = {p.employee.name for p in placement_list(viewer=world.users["sup1"])}
    assert seen == {"张三", "李四"}
    assert {p.employee.name for p in placement_list(viewer=world.users["emp1"])} == {"张三"}


def test_an_anonymous_or_inactive_user_sees_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not employee_list(viewer=AnonymousUser()).exists()
    from django.contrib.auth.models import User

    User.objects.filter(pk=world.users["quality"].pk).update(is_active=False)
    inactive = User.objects.get(pk=world.users["quality"].pk)
    assert not employee_list(viewer=inactive).exists()


def test_roles_read_their_families_only(world: World) -> None:
    # finance reads people and results, never the inspection records; admin reads configuration
    finance = scope_of(world.users["finance"])
    admin = scope_of(world.users["admin"])
    assert Family.RECORDS not in finance.paths
    assert Family.RESULTS in finance.paths
    assert Family.RECORDS not in admin.paths
    assert Family.CONFIG in admin.paths
    assert scope_of(world.users["sup1"]).paths[Family.RECORDS] == (world.units["t1"].path,)


def test_an_ended_role_no_longer_grants_anything(world: World) -> None:
    import datetime as dt

    from kaoping.org.models import RoleAssignment

    RoleAssignment.objects.filter(user=world.users["manager2"]).update(end=dt.date(2026, 1, 31))
    assert not employee_list(viewer=world.users["manager2"]).exists()
