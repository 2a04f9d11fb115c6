"""The penalty ledger (违规处罚, POLICIES.md §4): fines, bands, publication, supervisor liability."""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.scoring.tests.case_helpers import (
    GROUP_FULL_SECTIONS,
    LEDGER_ZEROS,
    STAFF_FULL_SECTIONS,
    case,
    finding,
    item,
    only_result,
    refused,
)

LEDGER = "cs-violation-penalties"


def ledger(*findings: dict[str, Any]) -> dict[str, Any]:
    """The ledger scored on its own for one employee with these findings."""
    return case(LEDGER, {"id": "E1", "findings": list(findings)})


def penalty(points: str, item_id: str | None = None, **rest: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"points": points, **rest}
    if item_id is not None:
        data["item"] = item_id
    return data


# --- money per point and the bands of the month's points -----------------------------------------


@pytest.mark.parametrize(
    ("points", "outcomes"),
    [
        ("0.5", {"fine": "2.50", "actions": []}),
        ("4.5", {"fine": "22.50", "actions": []}),
        ("5", {"fine": "45.00", "actions": ["publish"]}),
        ("10.5", {"fine": "72.50", "actions": ["publish"]}),
        ("11", {"fine": "55.00", "actions": ["publish", "administrative_sanction"]}),
        ("15.5", {"fine": "77.50", "actions": ["publish", "administrative_sanction"]}),
        ("16", {"fine": "80.00", "actions": ["publish", "administrative_sanction"]}),
        ("19.5", {"fine": "97.50", "actions": ["publish", "administrative_sanction"]}),
        ("20", {"fine": "100.00", "actions": ["publish", "dismissal"]}),
        ("31", {"fine": "155.00", "actions": ["publish", "dismissal"]}),
    ],
)
def test_fine_surcharge_and_actions_by_the_months_points(
    points: str, outcomes: dict[str, Any]
) -> None:
    # given one finding of `points` (5 CNY a point; +20 in [5, 11); sanction in [11, 20);
    # dismissal from 20; publish from 5)
    data = ledger(penalty(points))

    # when
    result = only_result(data)

    # then
    assert result["outcomes"] == {
        "penalty_points": points,
        "supervisor_fine": "0.00",
        **outcomes,
    }


def test_penalty_points_are_the_sum_over_the_findings() -> None:
    # given 2 + 1.5 + 1 = 4.5 points on different items
    data = ledger(penalty("2", "a"), penalty("1.5", "b"), penalty("1"))

    # when
    result = only_result(data)

    # then
    assert result["outcomes"] == {
        "penalty_points": "4.5",
        "fine": "22.50",
        "supervisor_fine": "0.00",
        "actions": [],
    }


def test_half_points_adding_up_to_5_bring_the_surcharge() -> None:
    # given 2.5 + 2.5 = 5
    data = ledger(penalty("2.5", "a"), penalty("2.5", "b"))

    # when
    result = only_result(data)

    # then 25 + 20
    assert result["outcomes"]["fine"] == "45.00"
    assert result["outcomes"]["actions"] == ["publish"]


# --- publication -----------------------------------------------------------------------------------


def test_the_same_item_three_times_is_published_even_below_5_points() -> None:
    # given 3 × 0.5 on item "late" = 1.5 points
    data = ledger(*[penalty("0.5", "late")] * 3)

    # when
    result = only_result(data)

    # then
    assert "publish" in result["outcomes"]["actions"]
    assert result["outcomes"]["penalty_points"] == "1.5"


def test_the_same_item_twice_is_not_published() -> None:
    # given
    data = ledger(penalty("1", "late"), penalty("1", "late"), penalty("1", "other"))

    # when
    result = only_result(data)

    # then
    assert result["outcomes"]["actions"] == []


def test_findings_without_an_item_never_count_as_repeats() -> None:
    # given three findings without an item
    data = ledger(penalty("1"), penalty("1"), penalty("1"))

    # when
    result = only_result(data)

    # then
    assert result["outcomes"] == {
        "penalty_points": "3",
        "fine": "15.00",
        "supervisor_fine": "0.00",
        "actions": [],
    }


# --- supervisor liability (70/30) ------------------------------------------------------------------


def test_the_same_item_three_times_splits_its_money_70_30() -> None:
    # given 3 × 0.5 on "late": 7.50 CNY, of which the supervisor bears 30%
    data = ledger(*[penalty("0.5", "late")] * 3)

    # when
    result = only_result(data)

    # then
    assert result["outcomes"] == {
        "penalty_points": "1.5",
        "fine": "5.25",
        "supervisor_fine": "2.25",
        "actions": ["publish", "supervisor_liability"],
    }


def test_only_the_repeated_items_money_is_split() -> None:
    # given 3 × 1 on "late" (liable) and 2 on "rude" (not liable): 5 points
    data = ledger(*[penalty("1", "late")] * 3, penalty("2", "rude"))

    # when
    result = only_result(data)

    # then 25 − 15 × 0.3 + 20 = 40.50; supervisor 4.50
    assert result["outcomes"] == {
        "penalty_points": "5",
        "fine": "40.50",
        "supervisor_fine": "4.50",
        "actions": ["publish", "supervisor_liability"],
    }


def test_a_flagged_finding_splits_its_money_and_the_surcharge_stays_the_employees() -> None:
    # given one flagged finding of 6 points: 30 CNY, +20 surcharge
    data = ledger(penalty("6", supervisor_liable=True))

    # when
    result = only_result(data)

    # then 30 × 0.7 + 20 = 41.00; supervisor 30 × 0.3 = 9.00
    assert result["outcomes"] == {
        "penalty_points": "6",
        "fine": "41.00",
        "supervisor_fine": "9.00",
        "actions": ["publish", "supervisor_liability"],
    }


def test_only_the_flagged_findings_money_is_split() -> None:
    # given 1 flagged point and 3 other points
    data = ledger(penalty("1", "a", supervisor_liable=True), penalty("3", "b"))

    # when
    result = only_result(data)

    # then 20 − 1.50 = 18.50; supervisor 5 × 0.3 = 1.50
    assert result["outcomes"] == {
        "penalty_points": "4",
        "fine": "18.50",
        "supervisor_fine": "1.50",
        "actions": ["supervisor_liability"],
    }


def test_a_flagged_finding_of_a_repeated_item_is_split_once() -> None:
    # given 3 × 1 on "late", one of them also flagged
    data = ledger(penalty("1", "late", supervisor_liable=True), *[penalty("1", "late")] * 2)

    # when
    result = only_result(data)

    # then 15 CNY in all, split once: supervisor 4.50
    assert result["outcomes"]["supervisor_fine"] == "4.50"
    assert result["outcomes"]["fine"] == "10.50"


# --- the §7 example ----------------------------------------------------------------------------------


def test_the_contract_example_e001() -> None:
    # given the case of POLICIES.md §7
    data = case(
        "cs-group-inspection",
        {
            "id": "E001",
            "findings": [
                finding("post_quality", "serious", 4, item="uniform"),
                finding("service", "general", 1, supervisor_liable=True),
            ],
            "bonus": 5,
        },
        consequences=LEDGER,
    )

    # when
    result = only_result(data)

    # then 25 + 20 − 1.50; total 95 + 5
    assert result["sections"] == {**GROUP_FULL_SECTIONS, "post_quality": "16", "service": "19"}
    assert result["total"] == "100.0"
    assert result["grade"] is None
    assert result["outcomes"] == {
        "penalty_points": "5",
        "fine": "43.50",
        "supervisor_fine": "1.50",
        "actions": ["publish", "supervisor_liability"],
    }


# --- the ledger on its own and attached ------------------------------------------------------------


def test_the_ledger_scored_on_its_own_gives_outcomes_only() -> None:
    # given
    data = ledger(penalty("2", "late"))

    # when
    result = only_result(data)

    # then
    assert result == {
        "id": "E1",
        "evaluated": True,
        "outcomes": {
            "penalty_points": "2",
            "fine": "10.00",
            "supervisor_fine": "0.00",
            "actions": [],
        },
        "explain": result["explain"],
    }
    assert isinstance(result["explain"], list)


def test_the_ledger_on_its_own_gives_zeros_without_findings() -> None:
    # given
    data = case(LEDGER, {"id": "E1"})

    # when
    result = only_result(data)

    # then
    assert result["outcomes"] == LEDGER_ZEROS


def test_the_attached_ledger_gives_zeros_without_findings() -> None:
    # given
    data = case("cs-group-inspection", {"id": "E1"}, consequences=LEDGER)

    # when
    result = only_result(data)

    # then
    assert result["total"] == "100.0"
    assert result["outcomes"] == LEDGER_ZEROS


def test_without_consequences_there_are_no_ledger_outcomes() -> None:
    # given the same finding, no ledger attached
    data = case("cs-group-inspection", {"id": "E1", "findings": [finding("service", "serious", 4)]})

    # when
    result = only_result(data)

    # then
    assert result["outcomes"] == {}


def test_the_ledger_attached_to_cs_staff_monthly_joins_the_pay_ratio() -> None:
    # given uniform (−5) under cs-staff-monthly
    data = case(
        "cs-staff-monthly",
        {"id": "S1", "findings": [item("appearance", "uniform")]},
        consequences=LEDGER,
    )

    # when
    result = only_result(data)

    # then
    assert result["total"] == "95.0"
    assert result["outcomes"] == {
        "pay_ratio": "1",
        "penalty_points": "5",
        "fine": "45.00",
        "supervisor_fine": "0.00",
        "actions": ["publish"],
    }


def test_penalty_points_are_taken_before_the_section_floor() -> None:
    # given 20 + 6 = 26 points on post_quality (max 20): the section stops at 0
    data = case(
        "cs-group-inspection",
        {
            "id": "E1",
            "findings": [
                finding("post_quality", "consequence", 20),
                finding("post_quality", "consequence", 6),
            ],
        },
        consequences=LEDGER,
    )

    # when
    result = only_result(data)

    # then 26 points are fined
    assert result["sections"]["post_quality"] == "0"
    assert result["outcomes"] == {
        "penalty_points": "26",
        "fine": "130.00",
        "supervisor_fine": "0.00",
        "actions": ["publish", "dismissal"],
    }


def test_a_zeroed_section_is_fined_on_its_recorded_points() -> None:
    # given 3 × owner_file_incomplete (−2) zero records (10) and a metric rule deducts 10
    data = case(
        "cs-staff-monthly",
        {
            "id": "S1",
            "findings": [item("records", "owner_file_incomplete")] * 3,
            "metrics": {"fee_collection_rate": "0.9"},
        },
        consequences=LEDGER,
    )

    # when
    result = only_result(data)

    # then the ledger reads the 6 recorded points (not 10, nor the metric rule's 10)
    assert result["sections"] == {**STAFF_FULL_SECTIONS, "records": "0", "fee_collection": "0"}
    assert result["total"] == "80.0"
    assert result["outcomes"] == {
        "pay_ratio": "0",
        "penalty_points": "6",
        "fine": "41.00",
        "supervisor_fine": "9.00",
        "actions": ["publish", "supervisor_liability"],
    }


def test_ledger_and_pay_actions_are_listed_together() -> None:
    # given 10 (quarrel) + 10 (own_error_complaint) + 3 × 2 (filing_late) = 26 points; total 70
    data = case(
        "cs-staff-monthly",
        {
            "id": "S1",
            "findings": [
                item("etiquette", "quarrel"),
                item("self_management", "own_error_complaint"),
                *[item("records", "filing_late")] * 3,
            ],
        },
        consequences=LEDGER,
    )

    # when
    result = only_result(data)

    # then 130 − 30 × 0.3 = 121.00
    assert result["total"] == "70.0"
    assert result["outcomes"] == {
        "pay_ratio": "0",
        "penalty_points": "26",
        "fine": "121.00",
        "supervisor_fine": "9.00",
        "actions": ["publish", "dismissal", "supervisor_liability", "reassign_or_dismiss"],
    }


# --- bad input -----------------------------------------------------------------------------------------


def test_a_ledger_finding_needs_points() -> None:
    # given
    data = ledger({"item": "late"})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].points")
    assert "缺少必填项" in error.message


@pytest.mark.parametrize("points", ["0", "-1", "1.2"])
def test_ledger_points_must_be_positive_multiples_of_half(points: str) -> None:
    # given
    data = ledger(penalty("1"), penalty(points))

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[1].points")
    assert "0.5 的正整数倍" in error.message


def test_the_ledger_on_its_own_takes_findings_only() -> None:
    # given
    data = case(LEDGER, {"id": "E1", "bonus": 5})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "bonus")
    assert "不使用此项" in error.message


def test_the_ledger_cannot_be_attached_to_a_unit_policy() -> None:
    # given
    data = case("unit-satisfaction", {"id": "U1"}, consequences=LEDGER)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "consequences")
    assert "只适用于员工的考评办法" in error.message


def test_consequences_must_name_a_ledger() -> None:
    # given
    data = case("cs-group-inspection", {"id": "E1"}, consequences="cs-staff-monthly")

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "consequences")
    assert "不是违规处罚办法" in error.message


def test_the_ledger_cannot_be_attached_to_itself() -> None:
    # given
    data = case(LEDGER, {"id": "E1"}, consequences=LEDGER)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "consequences")
    assert "不能再附加处罚办法" in error.message
