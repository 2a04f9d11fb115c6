"""Every section method and scoring rule of POLICIES.md §1–3, through the built-in policies."""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.scoring.tests.case_helpers import (
    ADMIN_FULL,
    GROUP_FULL_SECTIONS,
    QUARTERLY_FULL,
    STAFF_FULL_SECTIONS,
    case,
    events,
    finding,
    item,
    only_result,
    refused,
    results,
)


def group(**subject: Any) -> dict[str, Any]:
    return case("cs-group-inspection", {"id": "E1", **subject})


def staff(**subject: Any) -> dict[str, Any]:
    return case("cs-staff-monthly", {"id": "S1", **subject})


def admin(self_: dict[str, Any], supervisor: dict[str, Any], **subject: Any) -> dict[str, Any]:
    ratings = {"self": {**ADMIN_FULL, **self_}, "supervisor": {**ADMIN_FULL, **supervisor}}
    return case("cs-admin-monthly", {"id": "A1", "ratings": ratings, **subject})


def center(**subject: Any) -> dict[str, Any]:
    return case("cs-center-monthly", {"id": "C1", **subject})


def unit(**subject: Any) -> dict[str, Any]:
    return case("unit-satisfaction", {"id": "U1", **subject})


def quarterly(**ratings: Any) -> dict[str, Any]:
    supervisor = {**QUARTERLY_FULL, **ratings}
    return case(
        "cs-quarterly-review", {"id": "Q1", "ratings": {"supervisor": supervisor}}, period="2026-Q4"
    )


# --- deduction: findings with severity (§2) ---------------------------------------------------


@pytest.mark.parametrize("points", ["3", "4", "5"])
def test_serious_finding_points_at_both_ends_of_the_range_are_accepted(points: str) -> None:
    # given a serious finding on post_quality (3–5, inclusive)
    data = group(findings=[finding("post_quality", "serious", points)])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["post_quality"] == str(20 - int(points))


@pytest.mark.parametrize("points", ["2.5", "5.5"])
def test_serious_finding_points_outside_the_range_are_refused_with_the_range(points: str) -> None:
    # given
    data = group(findings=[finding("post_quality", "serious", points)])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].points")
    assert f"{points} 分超出岗位工作质量严重违规的扣分范围 3–5 分" in error.message


def test_the_range_of_the_findings_own_severity_applies() -> None:
    # given 2 points is general (1–2) on handover and also serious (2–4) there
    data = group(
        findings=[finding("handover", "general", 2), finding("handover", "serious", 2)],
    )

    # when
    result = only_result(data)

    # then
    assert result["sections"]["handover"] == "6"


def test_a_finding_in_a_section_with_several_severities_must_name_one() -> None:
    # given
    data = group(findings=[finding("post_quality", points=2)])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].severity")
    assert "须指明违规程度" in error.message


def test_an_unknown_severity_is_refused() -> None:
    # given
    data = group(findings=[finding("post_quality", "grave", 3)])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].severity")
    assert "未知的违规程度 'grave'" in error.message


def test_an_unknown_section_is_refused() -> None:
    # given
    data = group(findings=[finding("hygiene", "general", 1)])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].section")
    assert "未知的考评项目 'hygiene'" in error.message


def test_points_missing_where_the_range_is_wide_are_refused() -> None:
    # given
    data = group(findings=[finding("post_quality", "serious")])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].points")
    assert "缺少必填项" in error.message


def test_severity_may_be_omitted_where_the_section_has_one_severity_only() -> None:
    # given cs-center-monthly cleaning allows `general` 1–2 only
    data = center(metrics={"fee_task_completion": 1}, findings=[finding("cleaning", points=2)])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["cleaning"] == "18"


def test_severity_and_points_may_both_be_omitted_where_the_range_is_one_value() -> None:
    # given unit-satisfaction standards: general 1–1 (每发现一项问题扣1分)
    data = unit(findings=[finding("standards"), finding("standards")])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["standards"] == "48"


def test_half_points_are_accepted() -> None:
    # given training general is 0.5–1
    data = group(findings=[finding("training", "general", "0.5")])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["training"] == "9.5"
    assert result["total"] == "99.5"


def test_points_that_are_not_a_multiple_of_half_are_refused() -> None:
    # given 0.75 lies inside training general 0.5–1 but is not a multiple of 0.5
    data = group(findings=[finding("training", "general", "0.75")])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[0].points")
    assert "0.5 的正整数倍" in error.message


def test_the_error_names_the_index_of_the_bad_finding() -> None:
    # given the second finding is bad
    data = group(
        findings=[finding("service", "general", 1), finding("service", "general", 3)],
    )

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "findings[1].points")
    assert "1–2 分" in error.message


# --- deduction: checklist items (cs-staff-monthly) ----------------------------------------------


def test_a_checklist_finding_deducts_the_items_points_by_default() -> None:
    # given uniform (不按规定着工装) is −5
    data = staff(findings=[item("appearance", "uniform")])

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**STAFF_FULL_SECTIONS, "appearance": "5"}
    assert result["total"] == "95.0"


def test_a_checklist_finding_may_repeat_the_items_own_points() -> None:
    # given
    data = staff(findings=[item("appearance", "badge", points=2)])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["appearance"] == "8"


def test_a_checklist_finding_with_different_points_is_refused() -> None:
    # given badge is a fixed −2
    data = staff(findings=[item("appearance", "badge", points=3)])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "findings[0].points")
    assert "固定扣分 2 不符" in error.message


def test_an_unknown_checklist_item_is_refused() -> None:
    # given
    data = staff(findings=[item("appearance", "hat")])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "findings[0].item")
    assert "'hat' 不是仪容仪表的细则条目" in error.message


def test_a_checklist_section_needs_an_item() -> None:
    # given
    data = staff(findings=[{"section": "appearance", "points": 2}])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "findings[0].item")
    assert "必须指明条目" in error.message


def test_a_severity_on_a_checklist_section_is_refused() -> None:
    # given
    data = staff(findings=[item("appearance", "uniform", severity="general")])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "findings[0].severity")
    assert "不分违规程度" in error.message


# --- deduction: events ----------------------------------------------------------------------------


def test_each_event_deducts_its_fixed_points_from_its_section() -> None:
    # given two valid complaints (−6 each) and one major complaint (−12)
    data = unit(events=events("valid_complaint", "valid_complaint", "major_complaint"))

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {"standards": "50", "survey": "20", "complaints": "6"}
    assert result["total"] == "76.0"


def test_events_follow_their_type_to_their_section() -> None:
    # given cs-center-monthly: theft is an `order` event, cleaning_complaint a `cleaning` event
    data = center(metrics={"fee_task_completion": 1}, events=events("theft", "cleaning_complaint"))

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {
        "fee_collection": "40",
        "cleaning": "15",
        "order": "15",
        "process": "10",
        "internal_control": "10",
    }


def test_an_unknown_event_type_is_refused() -> None:
    # given
    data = unit(events=events("valid_complaint", "rumour"))

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("U1", "events[1].type")
    assert "未知的事件类型 'rumour'" in error.message


# --- deduction: metric rules ----------------------------------------------------------------------


def test_fee_collection_rate_below_95_percent_deducts_10() -> None:
    # given
    data = staff(metrics={"fee_collection_rate": "0.94"})

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**STAFF_FULL_SECTIONS, "fee_collection": "0"}
    assert result["total"] == "90.0"


def test_fee_collection_rate_of_exactly_95_percent_deducts_nothing() -> None:
    # given the rule is "低于 95%"
    data = staff(metrics={"fee_collection_rate": "0.95"})

    # when
    result = only_result(data)

    # then
    assert result["sections"] == STAFF_FULL_SECTIONS


def test_an_absent_fee_collection_rate_deducts_nothing() -> None:
    # given
    data = staff()

    # when
    result = only_result(data)

    # then
    assert result["sections"] == STAFF_FULL_SECTIONS
    assert result["total"] == "100.0"


def test_metric_rule_and_checklist_findings_add_up_and_stop_at_zero() -> None:
    # given −10 from the metric and −2 from a finding on a section of 10
    data = staff(
        metrics={"fee_collection_rate": "0.5"}, findings=[item("fee_collection", "arrears_unclear")]
    )

    # when
    result = only_result(data)

    # then
    assert result["sections"]["fee_collection"] == "0"
    assert result["total"] == "90.0"


def test_an_unknown_metric_is_refused() -> None:
    # given
    data = staff(metrics={"happiness": 1})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "metrics.happiness")
    assert "未知的指标" in error.message


# --- zeroing rules --------------------------------------------------------------------------------


def test_three_findings_on_the_same_records_item_zero_the_section() -> None:
    # given 3 × owner_file_incomplete (−2 each, 6 in all on a section of 10)
    data = staff(findings=[item("records", "owner_file_incomplete")] * 3)

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**STAFF_FULL_SECTIONS, "records": "0"}
    assert result["total"] == "90.0"


def test_four_findings_on_the_same_records_item_also_zero_the_section() -> None:
    # given
    data = staff(findings=[item("records", "filing_late")] * 4)

    # when
    result = only_result(data)

    # then
    assert result["sections"]["records"] == "0"


def test_three_records_findings_on_different_items_only_deduct() -> None:
    # given 2 × owner_file_incomplete and 1 × filing_late: no item reaches 3
    data = staff(
        findings=[
            item("records", "owner_file_incomplete"),
            item("records", "owner_file_incomplete"),
            item("records", "filing_late"),
        ]
    )

    # when
    result = only_result(data)

    # then
    assert result["sections"]["records"] == "4"
    assert result["total"] == "94.0"


def test_three_findings_on_the_same_item_of_a_section_without_the_rule_only_deduct() -> None:
    # given appearance has no same_item_count rule
    data = staff(findings=[item("appearance", "badge")] * 3)

    # when
    result = only_result(data)

    # then
    assert result["sections"]["appearance"] == "4"


def test_a_mandatory_penalty_finding_zeroes_its_section_only() -> None:
    # given a 2-point serious finding flagged mandatory_penalty on handover (10)
    data = group(findings=[finding("handover", "serious", 2, mandatory_penalty=True)])

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**GROUP_FULL_SECTIONS, "handover": "0"}
    assert result["total"] == "90.0"


# --- section clamp (扣完为止) -----------------------------------------------------------------------


def test_deductions_beyond_the_section_maximum_stop_at_zero_and_do_not_spill() -> None:
    # given 20 + 6 = 26 points on post_quality (max 20)
    data = group(
        findings=[
            finding("post_quality", "consequence", 20),
            finding("post_quality", "consequence", 6),
        ]
    )

    # when
    result = only_result(data)

    # then the other sections keep their full marks
    assert result["sections"] == {**GROUP_FULL_SECTIONS, "post_quality": "0"}
    assert result["total"] == "80.0"


def test_events_beyond_the_section_maximum_stop_at_zero() -> None:
    # given 6 valid complaints = −36 on complaints (30)
    data = unit(events=events(*["valid_complaint"] * 6))

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {"standards": "50", "survey": "20", "complaints": "0"}
    assert result["total"] == "70.0"


# --- rating with bands and weights (cs-admin-monthly) ----------------------------------------------


def test_weighted_ratings_combine_30_percent_self_and_70_percent_supervisor() -> None:
    # given dedication: self 6, supervisor 4 → 1.8 + 2.8 = 4.6; communication: 10 and 8 → 8.6
    data = admin({}, {"dedication": 4, "communication": 8})

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {
        "dedication": "4.6",
        "communication": "8.6",
        "reception_complaints": "12",
        "fee_collection": "15",
        "repairs_followup": "10",
        "environment": "9",
        "facilities": "8",
        "public_order": "5",
        "meetings_training": "5",
        "compliance": "5",
        "assigned_tasks": "5",
    }
    assert result["total"] == "87.2"
    assert result["grade"] is None


@pytest.mark.parametrize(
    ("item_id", "lowest_partial", "highest_partial", "lowest_qualified", "maximum"),
    [
        ("dedication", "1", "4.5", "5", "6"),
        ("communication", "3", "8.5", "9", "10"),
        ("reception_complaints", "4", "10.5", "11", "12"),
        ("fee_collection", "5", "12.5", "13", "15"),
        ("repairs_followup", "3", "8.5", "9", "10"),
        ("environment", "3", "7.5", "8", "9"),
        ("facilities", "3", "6.5", "7", "8"),
        ("public_order", "1", "3.5", "4", "5"),
        ("meetings_training", "1", "3.5", "4", "5"),
        ("compliance", "1", "3.5", "4", "5"),
        ("assigned_tasks", "1", "3.5", "4", "5"),
    ],
)
def test_ratings_at_the_edges_of_each_band_are_accepted(
    item_id: str, lowest_partial: str, highest_partial: str, lowest_qualified: str, maximum: str
) -> None:
    for value in (lowest_partial, highest_partial, lowest_qualified, maximum):
        # given the same rating from both raters: the combined score is that value
        data = admin({item_id: value}, {item_id: value})

        # when
        result = only_result(data)

        # then
        assert result["sections"][item_id] == value


@pytest.mark.parametrize(
    ("item_id", "below_every_band"),
    [
        ("dedication", "0.5"),
        ("communication", "2.5"),
        ("reception_complaints", "3.5"),
        ("fee_collection", "4.5"),
        ("environment", "2.5"),
        ("public_order", "0"),
    ],
)
def test_a_rating_outside_every_band_is_refused(item_id: str, below_every_band: str) -> None:
    # given
    data = admin({}, {item_id: below_every_band})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", f"ratings.supervisor.{item_id}")
    assert f"{below_every_band} 不在任何档次内" in error.message


def test_a_rating_above_the_item_maximum_is_refused() -> None:
    # given dedication's maximum is 6
    data = admin({"dedication": "6.5"}, {})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "ratings.self.dedication")
    assert "6.5 超出爱岗敬业的分值范围 0–6" in error.message


def test_a_missing_self_rating_is_refused() -> None:
    # given no self rating at all
    data = case("cs-admin-monthly", {"id": "A1", "ratings": {"supervisor": ADMIN_FULL}})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "ratings.self.dedication")
    assert "缺少自评" in error.message


def test_a_rating_missing_one_item_is_refused() -> None:
    # given the supervisor did not rate compliance
    supervisor = {k: v for k, v in ADMIN_FULL.items() if k != "compliance"}
    data = case(
        "cs-admin-monthly", {"id": "A1", "ratings": {"self": ADMIN_FULL, "supervisor": supervisor}}
    )

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "ratings.supervisor.compliance")
    assert "缺少直接上级评" in error.message


def test_a_rater_the_policy_does_not_combine_is_refused() -> None:
    # given cs-admin-monthly combines self and supervisor only
    ratings = {"self": ADMIN_FULL, "supervisor": ADMIN_FULL, "manager": ADMIN_FULL}
    data = case("cs-admin-monthly", {"id": "A1", "ratings": ratings})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "ratings.manager")
    assert "self, supervisor" in error.message


def test_a_rating_of_an_unknown_item_is_refused() -> None:
    # given
    data = admin({"charisma": 3}, {})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "ratings.self.charisma")
    assert "未知的考评项目" in error.message


# --- review chain (cs-staff-monthly) ----------------------------------------------------------------


def test_the_last_rater_of_the_chain_stands_for_a_section() -> None:
    # given supervisor → indirect → manager each sign off appearance differently
    ratings = {
        "supervisor": {"appearance": 3},
        "indirect": {"appearance": 4},
        "manager": {"appearance": "4.5"},
    }
    data = staff(findings=[item("appearance", "uniform")], ratings=ratings)

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**STAFF_FULL_SECTIONS, "appearance": "4.5"}
    assert result["total"] == "94.5"


def test_without_a_later_rater_the_indirect_supervisor_stands() -> None:
    # given
    ratings = {"supervisor": {"keys": 1}, "indirect": {"keys": 3}}
    data = staff(ratings=ratings)

    # when
    result = only_result(data)

    # then
    assert result["sections"]["keys"] == "3"


def test_a_section_no_rater_signed_keeps_its_computed_score() -> None:
    # given the manager rates appearance only; records has two findings
    data = staff(
        findings=[item("records", "filing_late")] * 2, ratings={"manager": {"appearance": 8}}
    )

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**STAFF_FULL_SECTIONS, "appearance": "8", "records": "6"}
    assert result["total"] == "94.0"


def test_a_later_rater_may_restore_the_computed_score() -> None:
    # given the supervisor lowered appearance to 3, the manager signs off the computed 10
    data = staff(ratings={"supervisor": {"appearance": 3}, "manager": {"appearance": 10}})

    # when
    result = only_result(data)

    # then
    assert result["sections"]["appearance"] == "10"


def test_every_amendment_of_the_chain_is_kept_in_the_explanation() -> None:
    """§2: "the last rater who signed off stands, every amendment is kept"."""
    # given three sign-offs on appearance
    ratings = {
        "supervisor": {"appearance": 3},
        "indirect": {"appearance": 4},
        "manager": {"appearance": "4.5"},
    }
    data = staff(ratings=ratings)

    # when
    explain = only_result(data)["explain"]

    # then every rater's value for the section is in the explanation
    text = "\n".join(line for line in explain if line.startswith("仪容仪表"))
    assert "直接上级评 3" in text
    assert "间接上级评 4" in text
    assert "经理评 4.5" in text


def test_a_self_rating_is_refused_on_the_review_chain() -> None:
    # given the chain is supervisor → indirect → manager
    data = staff(ratings={"self": {"appearance": 5}})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "ratings.self")
    assert "supervisor, indirect, manager" in error.message


def test_a_chain_rating_above_the_section_maximum_is_refused() -> None:
    # given appearance max is 10
    data = staff(ratings={"manager": {"appearance": "10.5"}})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "ratings.manager.appearance")
    assert "超出仪容仪表的分值范围 0–10" in error.message


def test_a_chain_rating_of_an_unknown_section_is_refused() -> None:
    # given
    data = staff(ratings={"indirect": {"parking": 5}})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("S1", "ratings.indirect.parking")
    assert "未知的考评项目" in error.message


# --- ratio (cs-center-monthly) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completion", "score", "total"),
    [("0.97", "38.8", "98.8"), ("0.5", "20", "80.0"), ("1", "40", "100.0"), ("1.2", "40", "100.0")],
)
def test_fee_collection_is_40_times_the_capped_completion(
    completion: str, score: str, total: str
) -> None:
    # given
    data = center(metrics={"fee_task_completion": completion})

    # when
    result = only_result(data)

    # then
    assert result["sections"]["fee_collection"] == score
    assert result["total"] == total


def test_a_fee_complaint_deducts_5_from_the_ratio_score() -> None:
    # given 40 × 0.97 = 38.8, then −5
    data = center(metrics={"fee_task_completion": "0.97"}, events=events("fee_complaint"))

    # when
    result = only_result(data)

    # then
    assert result["sections"]["fee_collection"] == "33.8"
    assert result["total"] == "93.8"


def test_the_office_uses_its_own_maximum_of_60() -> None:
    # given cs-office-monthly fee_collection 60
    data = case("cs-office-monthly", {"id": "O1", "metrics": {"fee_task_completion": "0.5"}})

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {"fee_collection": "30", "process": "20", "internal_control": "20"}
    assert result["total"] == "70.0"


def test_a_missing_required_metric_is_refused() -> None:
    # given no fee_task_completion
    data = center()

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("C1", "metrics.fee_task_completion")
    assert "缺少物业管理费收取所需的指标" in error.message


def test_a_negative_metric_is_refused() -> None:
    # given
    data = center(metrics={"fee_task_completion": "-0.1"})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("C1", "metrics.fee_task_completion")
    assert "非负数" in error.message


# --- survey (unit-satisfaction) ------------------------------------------------------------------------


def test_the_survey_score_is_the_mean_of_the_responses() -> None:
    # given 16 + 16 + 20 = 52 over 3 → 17.333… → 17.33
    data = unit(survey=["satisfied", "satisfied", "very_satisfied"])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["survey"] == "17.33"
    assert result["total"] == "97.3"


def test_the_survey_mean_is_rounded_half_up_to_two_decimals() -> None:
    # given 30 × 20 + 8 + 4 = 612 over 32 = 19.125 → 19.13 (half-even would give 19.12)
    data = unit(survey=["very_satisfied"] * 30 + ["dissatisfied", "very_dissatisfied"])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["survey"] == "19.13"
    assert result["total"] == "99.1"


@pytest.mark.parametrize(
    ("level", "points"),
    [
        ("very_satisfied", "20"),
        ("satisfied", "16"),
        ("neutral", "12"),
        ("dissatisfied", "8"),
        ("very_dissatisfied", "4"),
    ],
)
def test_each_survey_level_scores_its_points(level: str, points: str) -> None:
    # given
    data = unit(survey=[level])

    # when
    result = only_result(data)

    # then
    assert result["sections"]["survey"] == points


def test_no_survey_responses_give_full_marks() -> None:
    # given
    data = unit()

    # when
    result = only_result(data)

    # then
    assert result["sections"]["survey"] == "20"
    assert result["total"] == "100.0"


def test_an_unknown_survey_level_is_refused() -> None:
    # given
    data = unit(survey=["satisfied", "delighted"])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("U1", "survey[1]")
    assert "未知的满意度档次 'delighted'" in error.message


# --- rank (service-group-ranking) ------------------------------------------------------------------------


def ranking(values: list[dict[str, Any]], items: list[dict[str, Any]]) -> dict[str, Any]:
    teams = [{"id": f"T{i + 1}", "values": v} for i, v in enumerate(values)]
    return case("service-group-ranking", *teams, ranking_items=items)


def test_rank_points_are_level_times_n_minus_rank_plus_one_with_ties_sharing() -> None:
    # given 4 teams on one level-2 item with values 10, 8, 8, 5 → ranks 1, 2, 2, 4
    data = ranking([{"x": 10}, {"x": 8}, {"x": 8}, {"x": 5}], [{"id": "x", "level": 2}])

    # when
    found = results(data)

    # then 2 × (4 − rank + 1)
    assert [r["sections"]["x"] for r in found] == ["8", "6", "6", "2"]
    assert [r["total"] for r in found] == ["8.0", "6.0", "6.0", "2.0"]


def test_a_lower_is_better_item_ranks_the_smallest_value_first() -> None:
    # given response hours: 3 is best
    data = ranking([{"h": 5}, {"h": 3}, {"h": 9}], [{"id": "h", "level": 3, "better": "lower"}])

    # when
    found = results(data)

    # then 3 × (3 − rank + 1)
    assert [r["sections"]["h"] for r in found] == ["6", "9", "3"]


def test_item_points_add_up_to_the_team_total_without_a_cap() -> None:
    # given 2 teams and 16 items of level 4 (first place 4 × 2 = 8, second 4)
    items = [{"id": f"i{n}", "level": 4} for n in range(16)]
    data = ranking([{f"i{n}": 2 for n in range(16)}, {f"i{n}": 1 for n in range(16)}], items)

    # when
    found = results(data)

    # then 16 × 4 × 2 = 128 > 100: totals are not capped
    assert [r["total"] for r in found] == ["128.0", "64.0"]


def test_every_team_needs_a_value_for_every_item() -> None:
    # given
    data = ranking([{"x": 1, "y": 2}, {"x": 2}], [{"id": "x", "level": 1}, {"id": "y", "level": 1}])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("T2", "values.y")
    assert "缺少本月评比项目的数值" in error.message


def test_a_ranking_level_outside_1_to_4_is_refused() -> None:
    # given
    data = ranking([{"x": 1}], [{"id": "x", "level": 5}])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "ranking_items[0].level")
    assert "评分级别应为 1, 2, 3, 4 之一" in error.message


def test_a_ranking_without_ranking_items_is_refused() -> None:
    # given
    data = case("service-group-ranking", {"id": "T1", "values": {"x": 1}})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "ranking_items")
    assert "评比项目" in error.message


def test_ranking_items_on_a_policy_without_ranking_are_refused() -> None:
    # given
    data = case("cs-group-inspection", {"id": "E1"}, ranking_items=[{"id": "x", "level": 1}])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "ranking_items")
    assert "不使用评比项目" in error.message


# --- bonus and total cap (cs-group-inspection) -------------------------------------------------------------


def test_a_bonus_is_added_to_the_total() -> None:
    # given 100 − 10 + 7
    data = group(findings=[finding("service", "consequence", 10)], bonus=7)

    # when
    result = only_result(data)

    # then
    assert result["sections"]["service"] == "10"
    assert result["total"] == "97.0"


def test_a_bonus_never_lifts_the_total_above_100() -> None:
    # given 100 − 4 + 20 = 116
    data = group(findings=[finding("post_quality", "serious", 4)], bonus=20)

    # when
    result = only_result(data)

    # then
    assert result["total"] == "100.0"


@pytest.mark.parametrize("bonus", [1, 20])
def test_a_bonus_at_either_end_of_1_to_20_is_accepted(bonus: int) -> None:
    # given 100 − 20 + bonus
    data = group(findings=[finding("efficiency", "consequence", 20)], bonus=bonus)

    # when
    result = only_result(data)

    # then
    assert result["total"] == f"{80 + bonus}.0"


def test_a_bonus_of_zero_means_none() -> None:
    # given
    data = group(bonus=0, findings=[finding("other", "general", 1)])

    # when
    result = only_result(data)

    # then
    assert result["total"] == "99.0"
    assert not any(line.startswith("嘉奖加分") for line in result["explain"])


@pytest.mark.parametrize("bonus", ["21", "0.5", "-1"])
def test_a_bonus_outside_1_to_20_is_refused(bonus: str) -> None:
    # given
    data = group(bonus=bonus)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "bonus")
    assert f"{bonus} 超出嘉奖加分的范围 1–20" in error.message


# --- adjustment (cs-admin-monthly 奖扣分) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adjustment", "total"), [("-10", "80.0"), ("10", "100.0"), ("-2.5", "87.5")]
)
def test_an_adjustment_within_minus_10_to_10_is_added(adjustment: str, total: str) -> None:
    # given all items at their maximum: 90
    data = admin({}, {}, adjustment=adjustment)

    # when
    result = only_result(data)

    # then
    assert result["total"] == total


@pytest.mark.parametrize("adjustment", ["10.5", "-11"])
def test_an_adjustment_outside_minus_10_to_10_is_refused(adjustment: str) -> None:
    # given
    data = admin({}, {}, adjustment=adjustment)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "adjustment")
    assert f"{adjustment} 超出奖扣分的范围" in error.message
    assert "10–10" in error.message


# --- rounding of the total, once ------------------------------------------------------------------------------


def test_the_total_is_rounded_half_up_to_one_decimal() -> None:
    # given self rates dedication 5.5: 5.5 × 0.3 + 6 × 0.7 = 5.85; total 89.85
    data = admin({"dedication": "5.5"}, {})

    # when
    result = only_result(data)

    # then 89.85 → 89.9 (half-even would give 89.8); the section keeps its exact value
    assert result["sections"]["dedication"] == "5.85"
    assert result["total"] == "89.9"


def test_the_total_is_rounded_once_not_item_by_item() -> None:
    # given dedication 0.3 × 5.5 + 0.7 × 5 = 5.15 and communication 0.3 × 9.5 + 0.7 × 9 = 9.15
    data = admin(
        {"dedication": "5.5", "communication": "9.5"}, {"dedication": 5, "communication": 9}
    )

    # when
    result = only_result(data)

    # then 5.15 + 9.15 + 74 = 88.3 (rounding each item first would give 88.4)
    assert (result["sections"]["dedication"], result["sections"]["communication"]) == (
        "5.15",
        "9.15",
    )
    assert result["total"] == "88.3"


def test_the_rounded_total_has_exactly_one_decimal_even_when_whole() -> None:
    # given
    data = group()

    # when
    result = only_result(data)

    # then
    assert result["total"] == "100.0"


# --- grades from the rounded total ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "total", "grade"),
    [
        ({}, "100.0", "excellent"),
        ({"attitude": "10"}, "90.0", "excellent"),
        ({"attitude": "9.5"}, "89.5", "good"),
        ({"attitude": "0"}, "80.0", "good"),
        ({"attitude": "0", "efficiency": "14.5"}, "79.5", "average"),
        ({"attitude": "0", "efficiency": "5"}, "70.0", "average"),
        ({"attitude": "0", "efficiency": "4.5"}, "69.5", "fail"),
    ],
)
def test_quarterly_review_grades_at_90_80_and_70(
    ratings: dict[str, str], total: str, grade: str
) -> None:
    # given the sections not named rated at their maximum
    data = quarterly(**ratings)

    # when
    result = only_result(data)

    # then
    assert (result["total"], result["grade"]) == (total, grade)


def test_a_total_of_94_95_rounds_to_95_0_and_is_excellent() -> None:
    # given 5 issues (45) + survey 79 × 20 + 16 over 80 = 19.95 + no complaint (30) = 94.95
    data = unit(findings=[finding("standards")] * 5, survey=["very_satisfied"] * 79 + ["satisfied"])

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {"standards": "45", "survey": "19.95", "complaints": "30"}
    assert (result["total"], result["grade"]) == ("95.0", "excellent")


def test_a_total_of_89_95_rounds_to_90_0_and_passes() -> None:
    # given 10 issues (40) + 19.95 + 30 = 89.95
    data = unit(
        findings=[finding("standards")] * 10, survey=["very_satisfied"] * 79 + ["satisfied"]
    )

    # when
    result = only_result(data)

    # then
    assert (result["total"], result["grade"]) == ("90.0", "pass")


@pytest.mark.parametrize(
    ("issues", "total", "grade"),
    [(5, "95.0", "excellent"), (6, "94.0", "pass"), (10, "90.0", "pass"), (11, "89.0", "fail")],
)
def test_unit_satisfaction_grades_at_95_and_90(issues: int, total: str, grade: str) -> None:
    # given
    data = unit(findings=[finding("standards")] * issues)

    # when
    result = only_result(data)

    # then
    assert (result["total"], result["grade"]) == (total, grade)


def test_a_policy_without_grades_gives_a_null_grade() -> None:
    # given
    data = center(metrics={"fee_task_completion": "0.9"})

    # when
    result = only_result(data)

    # then
    assert result["grade"] is None
    assert result["outcomes"] == {}


# --- pay_ratio and actions bands (cs-staff-monthly) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("etiquette", "total", "outcomes"),
    [
        ("10", "100.0", {"pay_ratio": "1"}),
        ("5", "95.0", {"pay_ratio": "1"}),
        ("4.5", "94.5", {"pay_ratio": "0.5"}),
        ("0", "90.0", {"pay_ratio": "0.5"}),
    ],
)
def test_pay_ratio_bands_at_95_and_90(etiquette: str, total: str, outcomes: dict[str, Any]) -> None:
    # given
    data = staff(ratings={"manager": {"etiquette": etiquette}})

    # when
    result = only_result(data)

    # then
    assert result["total"] == total
    assert result["outcomes"] == outcomes


@pytest.mark.parametrize(
    ("appearance", "total", "outcomes"),
    [
        ("9.5", "89.5", {"pay_ratio": "0"}),
        ("0", "80.0", {"pay_ratio": "0"}),
    ],
)
def test_below_90_pays_nothing(appearance: str, total: str, outcomes: dict[str, Any]) -> None:
    # given etiquette zeroed by a quarrel (−10) and appearance signed off by the manager
    data = staff(
        findings=[item("etiquette", "quarrel")], ratings={"manager": {"appearance": appearance}}
    )

    # when
    result = only_result(data)

    # then
    assert result["total"] == total
    assert result["outcomes"] == outcomes


def test_below_80_the_employee_is_reassigned_or_dismissed() -> None:
    # given etiquette −10 (quarrel), appearance at 9.5 and records zeroed: 100 − 10 − 0.5 − 10
    data = staff(
        findings=[item("etiquette", "quarrel")] + [item("records", "filing_late")] * 3,
        ratings={"manager": {"appearance": "9.5"}},
    )

    # when
    result = only_result(data)

    # then
    assert result["total"] == "79.5"
    assert result["outcomes"] == {"pay_ratio": "0", "actions": ["reassign_or_dismiss"]}


# --- not evaluated (unit-satisfaction) -------------------------------------------------------------------------------


def test_a_unit_without_inspection_or_complaint_is_not_evaluated() -> None:
    # given
    data = unit(inspections=0, survey=["satisfied"])

    # when
    result = only_result(data)

    # then
    assert set(result) == {"id", "evaluated", "explain"}
    assert result["id"] == "U1"
    assert result["evaluated"] is False
    assert isinstance(result["explain"], list)
    assert result["explain"] != []


def test_a_unit_with_inspections_absent_counts_as_inspected() -> None:
    # given
    data = unit()

    # when
    result = only_result(data)

    # then
    assert result["evaluated"] is True
    assert result["total"] == "100.0"


@pytest.mark.parametrize("complaint", ["valid_complaint", "major_complaint"])
def test_an_uninspected_unit_with_a_complaint_is_evaluated(complaint: str) -> None:
    # given
    data = unit(inspections=0, events=events(complaint))

    # when
    result = only_result(data)

    # then
    assert result["evaluated"] is True
    assert result["total"] == {"valid_complaint": "94.0", "major_complaint": "88.0"}[complaint]


def test_an_inspected_unit_is_evaluated() -> None:
    # given
    data = unit(inspections=2)

    # when
    result = only_result(data)

    # then
    assert result["evaluated"] is True
    assert result["grade"] == "excellent"


def test_inspections_must_be_a_non_negative_integer() -> None:
    # given
    data = unit(inspections=-1)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("U1", "inspections")
    assert "非负整数" in error.message


# --- keys a policy does not use, duplicate subjects, periods --------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "key", "value"),
    [
        ("cs-group-inspection", "ratings", {"supervisor": {"post_quality": 10}}),
        ("cs-group-inspection", "inspections", 1),
        ("cs-group-inspection", "adjustment", 1),
        ("cs-group-inspection", "survey", ["satisfied"]),
        ("cs-staff-monthly", "events", [{"type": "valid_complaint"}]),
        ("cs-staff-monthly", "bonus", 5),
        ("unit-satisfaction", "bonus", 5),
        ("cs-admin-monthly", "findings", []),
        ("cs-center-monthly", "inspections", 0),
    ],
)
def test_a_key_the_policy_does_not_use_is_refused(policy: str, key: str, value: Any) -> None:
    # given
    data = case(policy, {"id": "X1", key: value})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("X1", key)
    assert f"考评办法 {policy} 不使用此项" in error.message


def test_an_unknown_subject_key_is_refused() -> None:
    # given
    data = group(remarks="good")

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("E1", "remarks")
    assert "未知的键" in error.message


def test_a_duplicate_subject_id_is_refused() -> None:
    # given
    data = case("cs-group-inspection", {"id": "E1"}, {"id": "E2"}, {"id": "E1"})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "subjects[2].id")
    assert "主体 id 'E1' 重复" in error.message
    assert str(error).startswith("case: subjects[2].id: ")


@pytest.mark.parametrize(
    ("policy", "period", "phrase"),
    [
        ("cs-group-inspection", "2026-Q4", "本办法按月度考评"),
        ("cs-group-inspection", "2026", "本办法按月度考评"),
        ("cs-quarterly-review", "2026-10", "本办法按季度考评"),
        ("cs-staff-monthly", "2026-H2", "本办法按月度考评"),
        ("cs-group-inspection", "2026-13", "不是有效的考评期间"),
        ("cs-group-inspection", "Oct 2026", "不是有效的考评期间"),
    ],
)
def test_a_period_of_the_wrong_form_is_refused(policy: str, period: str, phrase: str) -> None:
    # given
    data = case(policy, {"id": "X1"}, period=period)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "period")
    assert phrase in error.message
    assert str(error) == f"case: period: {error.message}"


def test_an_unknown_policy_is_refused() -> None:
    # given
    data = case("cs-nonexistent", {"id": "X1"})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (None, "policy")
    assert "未知的考评办法 'cs-nonexistent'" in error.message


def test_the_error_text_is_subject_field_message() -> None:
    # given
    data = group(bonus=25)

    # when
    error = refused(data)

    # then
    assert str(error) == "E1: bonus: 25 超出嘉奖加分的范围 1–20"


def test_subjects_are_scored_independently_and_in_order() -> None:
    # given
    data = case(
        "cs-group-inspection",
        {"id": "E2", "findings": [finding("service", "serious", 3)]},
        {"id": "E1"},
    )

    # when
    found = results(data)

    # then
    assert [(r["id"], r["total"]) for r in found] == [("E2", "97.0"), ("E1", "100.0")]
