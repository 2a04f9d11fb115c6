"""Team ranking services: items before the month, values, member grades within the allowed set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaoping.appraisals.models import Appraisal, MemberGrade, RankingItem
from kaoping.appraisals.services.periods import period_open
from kaoping.appraisals.services.ranking import (
    member_grade_set,
    ranking_items_set,
    ranking_value_set,
)
from kaoping.org.tests.factories import World
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign

pytestmark = pytest.mark.django_db
BEFORE_DECEMBER = dt.date(2026, 11, 20)
ITEMS = [
    ("visits", "业主走访户数", 1, "higher"),
    ("complaints", "有效投诉件数", 1, "lower"),
    ("satisfaction", "客户满意度", 4, "higher"),
]


@pytest.fixture
def december(world: World):  # type: ignore[no-untyped-def]
    builtin_policies_install(actor=None, company=world.company)
    ranking = PolicyDocument.objects.get(company=world.company, code="service-group-ranking")
    policy_assign(
        actor=None,
        document=ranking,
        unit=world.units["root"],
        unit_kind="team",
        start=dt.date(2026, 1, 1),
    )
    return period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-12"
    )


def test_items_are_set_before_the_month_and_linted(world: World, december) -> None:  # type: ignore[no-untyped-def]
    warnings = ranking_items_set(
        actor=world.users["head1"],
        period=december,
        unit=world.units["cs1"],
        items=ITEMS,
        today=BEFORE_DECEMBER,
    )

    assert list(RankingItem.objects.filter(period=december).values_list("code", "level")) == [
        ("visits", 1),
        ("complaints", 1),
        ("satisfaction", 4),
    ]
    assert warnings == [
        "提示:本月评比项目为 2 项 1 级、1 项 4 级,等级分数线按 3 项 1 级、2 项 2 级、1 项 3 级、1 项 4 级 设定",
        "提示:本月 2 个小组参评,等级分数线按 8 个小组设定",
    ]


def test_items_after_the_month_started_or_with_a_bad_level_are_refused(
    world: World, december
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        ranking_items_set(
            actor=world.users["head1"],
            period=december,
            unit=world.units["cs1"],
            items=ITEMS,
            today=dt.date(2026, 12, 1),
        )
    assert "2026-12-01 之前确定" in raised.value.message_dict["items"][0]
    with pytest.raises(ValidationError) as raised:
        ranking_items_set(
            actor=world.users["head1"],
            period=december,
            unit=world.units["cs1"],
            items=[("x", "甲", 5, "higher")],
            today=BEFORE_DECEMBER,
        )
    assert raised.value.message_dict["items"] == ["评分级别应为 1, 2, 3, 4 之一,而不是 5。"]
    assert not RankingItem.objects.exists()


def test_member_grades_must_lie_in_the_set_of_the_team_grade(world: World, december) -> None:  # type: ignore[no-untyped-def]
    # given team 1 beats team 2 on every item: team 1 is A (best), team 2 is B (second)
    ranking_items_set(
        actor=world.users["head1"],
        period=december,
        unit=world.units["cs1"],
        items=ITEMS,
        today=BEFORE_DECEMBER,
    )
    for item in RankingItem.objects.filter(period=december):
        better, worse = (
            (Decimal(10), Decimal(5)) if item.better == "higher" else (Decimal(1), Decimal(3))
        )
        ranking_value_set(
            actor=world.users["head1"], item=item, team=world.units["t1"], value=better
        )
        ranking_value_set(
            actor=world.users["head1"], item=item, team=world.units["t2"], value=worse
        )
    team1 = Appraisal.objects.get(period=december, subject_unit=world.units["t1"])

    # then the supervisor may grade 张三 A, B or C, never D
    member_grade_set(
        actor=world.users["sup1"], appraisal=team1, employee=world.employees["e1"], grade="B"
    )
    with pytest.raises(ValidationError) as raised:
        member_grade_set(
            actor=world.users["sup1"], appraisal=team1, employee=world.employees["e1"], grade="D"
        )
    assert raised.value.message_dict["grade"] == ["小组等级为 A,成员等级只能是 A、B、C。"]
    assert MemberGrade.objects.get(appraisal=team1, employee=world.employees["e1"]).grade == "B"
    # and 王五 (team 2) is no member of team 1
    with pytest.raises(ValidationError) as raised:
        member_grade_set(
            actor=world.users["sup1"], appraisal=team1, employee=world.employees["e2"], grade="A"
        )
    assert "employee" in raised.value.message_dict


def test_a_value_for_a_team_outside_the_items_unit_is_refused(world: World, december) -> None:  # type: ignore[no-untyped-def]
    ranking_items_set(
        actor=world.users["head1"],
        period=december,
        unit=world.units["cs1"],
        items=ITEMS,
        today=BEFORE_DECEMBER,
    )
    item = RankingItem.objects.filter(period=december).first()

    with pytest.raises(ValidationError) as raised:
        ranking_value_set(
            actor=world.users["head1"], item=item, team=world.units["t3"], value=Decimal(1)
        )
    assert "team" in raised.value.message_dict
