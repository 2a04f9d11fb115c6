"""What each role of the test world sees of every type of operations record, and what is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from kaoping.operations import selectors
from kaoping.org.tests.factories import World

from .conftest import Shared
from .records import KINDS, MONTH, RECORD_TYPES, at, record_create

TEAMS = ("t1", "t2", "t3")
# The teams whose record each role sees: its subtree, or its own records as an employee.
SEES_BY_SCOPE = {
    "sup1": {"t1"},
    "head1": {"t1", "t2"},
    "manager1": {"t1", "t2"},
    "manager2": {"t3"},
    "quality": {"t1", "t2", "t3"},
    "hr": set(),
    "finance": set(),
    "admin": set(),
}
SEES_WITH_EMPLOYEE = {"emp1": {"t1"}, "emp2": {"t2"}, **SEES_BY_SCOPE}
SEES_WITHOUT_EMPLOYEE = {"emp1": set(), "emp2": set(), **SEES_BY_SCOPE}


def expected_for(kind: str) -> dict[str, set[str]]:
    return SEES_WITH_EMPLOYEE if RECORD_TYPES[kind].has_employee else SEES_WITHOUT_EMPLOYEE


@pytest.mark.parametrize("kind", KINDS)
def test_each_role_lists_exactly_the_records_of_its_scope(
    shared: Shared, db: None, kind: str
) -> None:
    # given one record of this kind in each of t1, t2 and t3
    ids = shared.ids[kind]

    # when every role lists the records of this kind
    seen = {
        user: {
            team
            for team, pk in ids.items()
            if pk in {r.pk for r in RECORD_TYPES[kind].list(viewer=shared.world.users[user])}
        }
        for user in SEES_WITH_EMPLOYEE
    }

    # then each sees its subtree, an employee their own records only, HR/finance/admin nothing
    assert seen == expected_for(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_outside_the_scope_answers_404(shared: Shared, db: None, kind: str) -> None:
    record_type = RECORD_TYPES[kind]
    for user, visible in expected_for(kind).items():
        viewer = shared.world.users[user]
        for team, pk in shared.ids[kind].items():
            if team in visible:
                assert record_type.get(viewer=viewer, pk=pk).pk == pk, (user, team)
            else:
                with pytest.raises(Http404):
                    record_type.get(viewer=viewer, pk=pk)


def test_an_anonymous_user_sees_no_record(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.complaint_list(viewer=AnonymousUser())) == []


def test_lists_filter_by_unit_subtree_and_employee(world: World) -> None:
    quality = world.users["quality"]

    by_department = selectors.owner_visit_list(viewer=quality, unit=world.units["cs1"])
    by_employee = selectors.owner_visit_list(viewer=quality, employee=world.employees["e2"])

    assert sorted(v.unit.name for v in by_department) == ["服务一组", "服务二组"]
    assert [v.employee.name for v in by_employee] == ["王五"]


def test_a_time_is_filtered_by_its_local_day(world: World) -> None:
    # given complaints received at 00:30 and 23:50 Shanghai time on 1 November, one on the 2nd
    quality = world.users["quality"]
    november = dt.date(2026, 11, 1)
    early = record_create("complaint", world, "t1", received_at=at(november, 0, 30))
    late = record_create("complaint", world, "t1", received_at=at(november, 23, 50))
    record_create("complaint", world, "t1", received_at=at(november + dt.timedelta(days=1), 0, 0))

    # when listing the 1st only
    on_the_day = selectors.complaint_list(viewer=quality, date_from=november, date_to=november)

    # then both complaints of that local day, newest first, and not the one of the 2nd
    assert [c.pk for c in on_the_day] == [late.pk, early.pk]


def test_a_fee_month_is_listed_when_it_overlaps_the_range(shared: Shared, world: World) -> None:
    quality = world.users["quality"]
    record_create("fee_collection", world, "t1", month=dt.date(2026, 11, 1))

    listed = selectors.fee_collection_list(
        viewer=quality,
        unit=world.units["t1"],
        date_from=dt.date(2026, 10, 15),
        date_to=dt.date(2026, 10, 31),
    )

    assert [(f.pk, f.month) for f in listed] == [(shared.ids["fee_collection"]["t1"], MONTH)]
    assert listed[0].fee_collection_rate == Decimal("0.95")


def test_a_list_makes_one_query_whatever_its_length(
    world: World, django_assert_num_queries: Any
) -> None:
    for n in (1, 2):
        record_create("complaint", world, "t1", n=n)
    viewer = world.users["sup1"]
    selectors.complaint_list(viewer=viewer).exists()  # the viewer's scope is computed once

    with django_assert_num_queries(1):
        names = [(c.unit.name, c.employee.name) for c in selectors.complaint_list(viewer=viewer)]

    assert names == [("服务一组", "张三")] * 3
