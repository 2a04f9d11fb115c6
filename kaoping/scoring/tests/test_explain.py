"""The explanation (`explain`): a list of lines that say, in Chinese, how a result was reached."""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.scoring.tests.case_helpers import (
    ADMIN_FULL,
    case,
    events,
    finding,
    item,
    only_result,
    results,
)


def e001() -> dict[str, Any]:
    """The case of POLICIES.md §7."""
    return case(
        "cs-group-inspection",
        {
            "id": "E001",
            "findings": [
                finding("post_quality", "serious", 4, item="uniform"),
                finding("service", "general", 1, supervisor_liable=True),
            ],
            "bonus": 5,
        },
        consequences="cs-violation-penalties",
    )


# --- deductions --------------------------------------------------------------------------------------


def test_a_deduction_line_names_the_section_points_severity_and_range() -> None:
    # given a serious finding of 4 without an item
    data = case(
        "cs-group-inspection", {"id": "E1", "findings": [finding("post_quality", "serious", 4)]}
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert "岗位工作质量 −4:严重违规(3–5分)" in explain
    assert "岗位工作质量:16/20" in explain


def test_the_contract_examples_deduction_line_starts_as_in_the_contract() -> None:
    # given the §7 case, whose finding carries the item "uniform"
    data = e001()

    # when
    explain = only_result(data)["explain"]

    # then
    post_quality = [line for line in explain if line.startswith("岗位工作质量 −")]
    assert len(post_quality) == 1
    assert post_quality[0].startswith("岗位工作质量 −4:严重违规(3–5分)")
    assert "uniform" in post_quality[0]
    assert "服务质量 −1:一般违规(1–2分)" in explain


def test_there_is_one_line_per_finding() -> None:
    # given three findings on service
    data = case(
        "cs-group-inspection",
        {
            "id": "E1",
            "findings": [
                finding("service", "general", 1),
                finding("service", "general", 2),
                finding("service", "serious", 3),
            ],
        },
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert [line for line in explain if line.startswith("服务质量 −")] == [
        "服务质量 −1:一般违规(1–2分)",
        "服务质量 −2:一般违规(1–2分)",
        "服务质量 −3:严重违规(3–4分)",
    ]


def test_a_checklist_line_names_the_items_title() -> None:
    # given
    data = case("cs-staff-monthly", {"id": "S1", "findings": [item("appearance", "uniform")]})

    # when
    explain = only_result(data)["explain"]

    # then
    assert "仪容仪表 −5:不按规定着工装、着装不整洁" in explain
    assert "仪容仪表:5/10" in explain


def test_an_event_line_counts_the_events_of_a_type() -> None:
    # given
    data = case(
        "unit-satisfaction", {"id": "U1", "events": events("valid_complaint", "valid_complaint")}
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert "服务投诉 −12:有效服务投诉 2 次 × 6 分" in explain
    assert "服务投诉:18/30" in explain


def test_a_metric_rule_line_gives_the_actual_value() -> None:
    # given
    data = case("cs-staff-monthly", {"id": "S1", "metrics": {"fee_collection_rate": "0.94"}})

    # when
    explain = only_result(data)["explain"]

    # then
    assert "费用收缴 −10:催缴力度不够,导致费用收缴低于 95%(实际 0.94)" in explain


def test_an_untouched_section_shows_full_marks() -> None:
    # given
    data = case("cs-group-inspection", {"id": "E1"})

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain == [
        "岗位工作质量:20/20",
        "交接班质量:10/10",
        "培训质量:10/10",
        "工作效率:20/20",
        "服务质量:20/20",
        "执行其他相关作业规程质量:10/10",
        "其他质量:10/10",
        "总分 100.0",
    ]


# --- clamps and zeroing ------------------------------------------------------------------------------


def test_a_section_clamped_at_zero_says_so() -> None:
    # given 26 points on post_quality (20)
    data = case(
        "cs-group-inspection",
        {
            "id": "E1",
            "findings": [
                finding("post_quality", "consequence", 20),
                finding("post_quality", "consequence", 6),
            ],
        },
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[:4] == [
        "岗位工作质量 −20:引起不良后果(6–20分)",
        "岗位工作质量 −6:引起不良后果(6–20分)",
        "岗位工作质量 扣分合计 26 分,扣完为止,按 0 分计",
        "岗位工作质量:0/20",
    ]


def test_a_total_above_the_cap_says_so() -> None:
    # given 100 − 1 + 16 = 115
    data = case(
        "cs-group-inspection",
        {"id": "E1", "findings": [finding("other", "general", 1)], "bonus": 16},
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[-3:] == ["嘉奖加分 +16", "总分 115 超过上限 100,按 100 计", "总分 100.0"]


def test_a_zeroed_section_names_the_repeated_item() -> None:
    # given
    data = case(
        "cs-staff-monthly", {"id": "S1", "findings": [item("records", "owner_file_incomplete")] * 3}
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert (
        "档案资料 该分值全扣:同一条目“业主资料不完整、缺失、签字不完整”当月发生 3 起(≥3 起)"
        in explain
    )
    assert "档案资料:0/10" in explain


def test_a_mandatory_penalty_is_marked_and_explained() -> None:
    # given
    data = case(
        "cs-group-inspection",
        {"id": "E1", "findings": [finding("handover", "serious", 2, mandatory_penalty=True)]},
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert "交接班质量 −2:严重违规(2–4分) [必须惩处]" in explain
    assert "交接班质量 该分值全扣:触犯《行政奖罚标准操作规程》必须惩处的情形" in explain


# --- bonus, adjustment, rounding, grade ----------------------------------------------------------------


def test_the_bonus_line() -> None:
    # given
    data = e001()

    # when
    explain = only_result(data)["explain"]

    # then
    assert "嘉奖加分 +5" in explain


def test_ratings_adjustment_and_rounding_lines() -> None:
    # given self rates dedication 5.5; −5 奖扣分: 89.85 − 5 = 84.85
    ratings = {"self": {**ADMIN_FULL, "dedication": "5.5"}, "supervisor": ADMIN_FULL}
    data = case("cs-admin-monthly", {"id": "A1", "ratings": ratings, "adjustment": -5})

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[0] == "爱岗敬业:自评 5.5(合格) × 0.3 + 直接上级评 6(合格) × 0.7 = 5.85"
    assert explain[-3:] == [
        "奖扣分 −5",
        "总分 84.85 保留 1 位小数(四舍五入)为 84.9",
        "总分 84.9",
    ]


def test_no_rounding_line_when_the_total_is_exact() -> None:
    # given
    data = case(
        "cs-group-inspection", {"id": "E1", "findings": [finding("training", "general", "0.5")]}
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[-1] == "总分 99.5"
    assert not any("四舍五入" in line for line in explain)


def test_the_grade_line_follows_the_rounded_total() -> None:
    # given 45 + 19.95 + 30 = 94.95
    data = case(
        "unit-satisfaction",
        {
            "id": "U1",
            "findings": [finding("standards")] * 5,
            "survey": ["very_satisfied"] * 79 + ["satisfied"],
        },
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[-4:] == [
        "服务投诉:30/30",
        "总分 94.95 保留 1 位小数(四舍五入)为 95.0",
        "总分 95.0",
        "等级:优秀(≥95)",
    ]
    assert "客户满意度调查:80 份问卷(很满意 79、基本满意 1),平均 19.95 分" in explain


def test_the_fail_grade_line() -> None:
    # given 11 issues: 89
    data = case("unit-satisfaction", {"id": "U1", "findings": [finding("standards")] * 11})

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[-1] == "等级:不合格(其余)"


def test_the_pay_ratio_line() -> None:
    # given
    data = case("cs-staff-monthly", {"id": "S1", "findings": [item("etiquette", "courtesy")]})

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain[-2:] == [
        "总分 95.0",
        "绩效浮动比例 100%:当月总得分 ≥ 95 分,绩效工资全额发放(总分在 [95, ∞) 内)",
    ]


def test_the_team_grade_line() -> None:
    # given two teams on one item
    data = case(
        "service-group-ranking",
        {"id": "T1", "values": {"x": 9}},
        {"id": "T2", "values": {"x": 3}},
        ranking_items=[{"id": "x", "level": 4}],
    )

    # when
    first, second = results(data)

    # then
    assert first["explain"][:3] == [
        "x:数值 9,第 1 名 / 2,4 级 × (2 − 1 + 1) = 8 分",
        "总分 8.0(第 1 名)",
        "小组等级:A 级(当月最佳)",
    ]
    assert "小组等级:B 级(当月第二名)" in second["explain"]


# --- ledger lines ----------------------------------------------------------------------------------------


def test_the_ledger_lines_of_the_contract_example() -> None:
    # given
    data = e001()

    # when
    explain = only_result(data)["explain"]

    # then the ledger's lines come after the total
    assert explain[explain.index("总分 100.0") + 1 :] == [
        "罚款(绩效扣减):违规扣分合计 5 分 × 5 元 = 25.00 元",
        "加罚 20.00 元:每月累计扣分达 5~10 分,加罚人民币贰拾圆(4.2.2)(累计扣分在 [5, 11) 内)",
        "公布张贴:累计扣分 5 分 ≥ 5 分",
        "直属上司连带责任(经查实直属上司负有管理责任):相关扣分 1 分,5.00 元按 70/30 分担,"
        "直属上司承担 1.50 元",
        "本人绩效扣减合计 43.50 元",
    ]


def test_the_ledger_lines_of_a_repeated_item_and_an_assumed_band() -> None:
    # given 3 × 6 points on item "late" = 18 points ([16, 20) is the policy's assumed band)
    data = case(
        "cs-violation-penalties", {"id": "E1", "findings": [{"points": 6, "item": "late"}] * 3}
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain == [
        "罚款(绩效扣减):违规扣分合计 18 分 × 5 元 = 90.00 元",
        "行政处分(警告/罚款/记过):每月累计扣分达 16~19 分,按行政处分处理"
        "(累计扣分在 [16, 20) 内)(办法补充规定)",
        "公布张贴:累计扣分 18 分 ≥ 5 分",
        "公布张贴:同一问题 'late' 发生 3 次 ≥ 3 次",
        "直属上司连带责任(同一问题 'late' 一个月内发生 3 次):相关扣分 18 分,"
        "90.00 元按 70/30 分担,直属上司承担 27.00 元",
        "本人绩效扣减合计 63.00 元",
    ]


def test_the_ledger_explains_zero_points() -> None:
    # given
    data = case("cs-violation-penalties", {"id": "E1"})

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain == [
        "罚款(绩效扣减):违规扣分合计 0 分 × 5 元 = 0.00 元",
        "本人绩效扣减合计 0.00 元",
    ]


# --- not evaluated, members, and the shape of explain -------------------------------------------------


def test_a_not_evaluated_unit_is_told_why() -> None:
    # given
    data = case("unit-satisfaction", {"id": "U1", "inspections": 0})

    # when
    explain = only_result(data)["explain"]

    # then
    assert explain == [
        "不出具考评意见:对当月未进行检查和发生服务投诉的单位,服务管理科不出具考评意见"
    ]


def test_member_penalties_are_explained() -> None:
    # given
    data = case(
        "service-group-ranking",
        {
            "id": "T1",
            "values": {"x": 1},
            "members": [{"id": "M1", "events": events("slack_service", "customer_quarrel")}],
        },
        ranking_items=[{"id": "x", "level": 1}],
    )

    # when
    explain = only_result(data)["explain"]

    # then
    assert "成员 M1:工作散漫、不能提供及时服务,扣除工作积分 20" in explain
    assert "成员 M1:与客户发生争吵,扣除工作积分 50" in explain
    assert "成员 M1:一个月内扣分处罚 2 次(≥2 次),当月绩效为 0,等级 E,严重警告" in explain


@pytest.mark.parametrize(
    "data",
    [
        case("cs-group-inspection", {"id": "X1"}),
        case("cs-staff-monthly", {"id": "X1"}),
        case(
            "cs-admin-monthly",
            {"id": "X1", "ratings": {"self": ADMIN_FULL, "supervisor": ADMIN_FULL}},
        ),
        case("cs-center-monthly", {"id": "X1", "metrics": {"fee_task_completion": 1}}),
        case("unit-satisfaction", {"id": "X1"}),
        case("unit-satisfaction", {"id": "X1", "inspections": 0}),
        case("cs-violation-penalties", {"id": "X1"}),
        case(
            "service-group-ranking",
            {"id": "X1", "values": {"x": 1}},
            ranking_items=[{"id": "x", "level": 1}],
        ),
    ],
    ids=[
        "deduction",
        "checklist",
        "rating",
        "ratio",
        "survey",
        "not-evaluated",
        "ledger",
        "ranking",
    ],
)
def test_explain_is_always_a_non_empty_list_of_strings(data: dict[str, Any]) -> None:
    # given any kind of result

    # when
    result = only_result(data)

    # then
    assert isinstance(result["explain"], list)
    assert result["explain"]
    assert all(isinstance(line, str) and line for line in result["explain"])
