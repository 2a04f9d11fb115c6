"""Policy lint (办法检查) on small inline policies: what is an error, what is a warning."""

from __future__ import annotations

import pytest

from kaoping.scoring import builtin_policies, load_policy_text
from kaoping.scoring.lint import LintIssue, lint_policy

HEAD = "id: p\ntitle: 办法\nsubject: employee\nperiod: month\n"
# Two deduction sections summing to the cap, so that no scale warning gets in the way.
PLAIN_SECTIONS = (
    "sections:\n"
    "  - {id: a, title: 甲, max: 50, method: deduction, severities: {general: [1, 2]}}\n"
    "  - {id: b, title: 乙, max: 50, method: deduction, severities: {general: [1, 2]}}\n"
)


def lint(text: str) -> list[tuple[str, str, str]]:
    policy = load_policy_text(text, source="x.yaml")
    return [(i.level, i.path, i.message) for i in lint_policy(policy)]


def test_a_clean_policy_has_no_issues() -> None:
    assert lint(HEAD + PLAIN_SECTIONS) == []


# --- sections ----------------------------------------------------------------------------------


def test_severity_range_above_the_section_max_is_an_error() -> None:
    issues = lint(
        HEAD + "sections:\n"
        "  - {id: a, title: 甲, max: 5, method: deduction, severities: {general: [1, 6]}}\n"
        "  - {id: b, title: 乙, max: 95, method: deduction, severities: {general: [1, 2]}}\n"
    )

    assert issues == [("error", "sections[0].severities.general", "扣分上限 6 超过该项满分 5")]


def test_severity_range_equal_to_the_section_max_is_fine() -> None:
    issues = lint(
        HEAD + "sections:\n"
        "  - {id: a, title: 甲, max: 5, method: deduction, severities: {general: [1, 5]}}\n"
        "  - {id: b, title: 乙, max: 95, method: deduction, severities: {general: [1, 2]}}\n"
    )

    assert issues == []


def test_event_deduction_above_the_section_max_is_an_error() -> None:
    issues = lint(
        HEAD + "sections:\n"
        "  - id: a\n    title: 甲\n    max: 5\n    method: deduction\n"
        "    events: [{type: complaint, title: 投诉, points: 6}]\n"
        "  - {id: b, title: 乙, max: 95, method: deduction, severities: {general: [1, 2]}}\n"
    )

    assert issues == [("error", "sections[0].events.complaint", "单次扣分 6 超过该项满分 5")]


RATING_HEAD = HEAD + "combination: {weights: {supervisor: 1}}\nsections:\n"


def _rating_item(item_id: str, maximum: int, *bands: str) -> str:
    lines = [
        f"  - id: {item_id}\n",
        "    title: 项\n",
        f"    max: {maximum}\n",
        "    method: rating\n",
        "    bands:\n",
    ]
    return "".join(lines) + "".join(f"      - {band}\n" for band in bands)


def test_overlapping_rating_bands_are_an_error() -> None:
    issues = lint(
        RATING_HEAD
        + _rating_item(
            "a",
            100,
            "{id: q, title: 合格, from: 80, to: 100}",
            "{id: p, title: 部分合格, from: 10, to: 80}",
        )
    )

    assert issues == [("error", "sections[0].bands", "档次 部分合格[10, 80] 与 合格[80, 100] 重叠")]


def test_touching_half_open_rating_bands_are_fine() -> None:
    issues = lint(
        RATING_HEAD
        + _rating_item(
            "a",
            100,
            "{id: q, title: 合格, from: 80, to: 100}",
            "{id: p, title: 部分合格, from: 10, to: 80, to_inclusive: false}",
        )
    )

    assert issues == []


def test_a_gap_between_rating_bands_is_a_warning() -> None:
    issues = lint(
        RATING_HEAD
        + _rating_item(
            "a",
            100,
            "{id: q, title: 合格, from: 80, to: 100}",
            "{id: p, title: 部分合格, from: 10, to: 70, to_inclusive: false}",
        )
    )

    assert issues == [
        (
            "warning",
            "sections[0].bands",
            "档次 部分合格[10, 70) 与 合格[80, 100] 之间有空档,这些评分会被拒绝",
        )
    ]


def test_a_rating_band_beyond_the_item_max_is_an_error() -> None:
    issues = lint(RATING_HEAD + _rating_item("a", 100, "{id: q, title: 合格, from: 0, to: 110}"))

    assert issues == [("error", "sections[0].bands.q", "档次 合格[0, 110] 超出该项分值范围 0–100")]


def test_top_band_below_the_item_max_is_a_warning() -> None:
    issues = lint(RATING_HEAD + _rating_item("a", 100, "{id: q, title: 合格, from: 0, to: 90}"))

    assert issues == [("warning", "sections[0].bands", "最高档次止于 90,达不到满分 100")]


# --- grades ------------------------------------------------------------------------------------


def test_a_grade_gap_is_a_warning() -> None:
    issues = lint(
        HEAD + PLAIN_SECTIONS + "grades:\n"
        "  - {id: excellent, title: 优秀, min: 95}\n"
        "  - {id: pass, title: 合格, min: 90}\n"
    )

    assert issues == [("warning", "grades", "等级有空档:总分 [0, 90) 无对应等级")]


def test_an_unreachable_grade_is_a_warning() -> None:
    issues = lint(
        HEAD + PLAIN_SECTIONS + "grades:\n"
        "  - {id: excellent, title: 优秀, min: 95}\n"
        "  - {id: pass, title: 合格, min: 90}\n"
        "  - {id: good, title: 良好, min: 92}\n"
        "  - {id: fail, title: 不合格}\n"
    )

    assert issues == [
        ("warning", "grades", "等级 good(≥92)不可达:前面的等级已覆盖其全部情形"),
    ]


def test_grades_covering_every_total_are_fine() -> None:
    issues = lint(
        HEAD + PLAIN_SECTIONS + "grades:\n"
        "  - {id: excellent, title: 优秀, min: 95}\n"
        "  - {id: pass, title: 合格, min: 90}\n"
        "  - {id: fail, title: 不合格}\n"
    )

    assert issues == []


# --- pay bands ---------------------------------------------------------------------------------


def test_overlapping_pay_bands_are_an_error() -> None:
    issues = lint(
        HEAD + PLAIN_SECTIONS + "outcomes:\n  pay_ratio:\n"
        "    - {from: 95, ratio: 1, title: 全额}\n"
        "    - {from: 85, to: 96, ratio: 0.5, title: 一半}\n"
        "    - {to: 85, ratio: 0, title: 无}\n"
    )

    assert issues == [("error", "outcomes.pay_ratio", "区间 [85, 96) 与 [95, ∞) 重叠")]


def test_a_gap_in_pay_bands_is_a_warning() -> None:
    issues = lint(
        HEAD + PLAIN_SECTIONS + "outcomes:\n  pay_ratio:\n"
        "    - {from: 95, ratio: 1, title: 全额}\n"
        "    - {from: 90, to: 95, ratio: 0.5, title: 一半}\n"
        "    - {to: 80, ratio: 0, title: 无}\n"
    )

    assert issues == [("warning", "outcomes.pay_ratio", "总分在 [80, 90) 时没有绩效比例")]


# --- ledger ------------------------------------------------------------------------------------

LEDGER = """\
id: l
kind: ledger
title: 台账
subject: employee
period: month
ledger:
  deduction_title: 罚款
  point_fine: 5
  bands:
{bands}  publish: {{min_points: 5, same_item_count: 3}}
  supervisor_liability: {{same_item_count: 3, supervisor_share: 0.3}}
"""


def _ledger(*bands: str) -> str:
    return LEDGER.format(bands="".join(f"    - {band}\n" for band in bands))


def test_a_complete_ledger_has_no_issues() -> None:
    issues = lint(_ledger("{from: 0, to: 5, title: 少}", "{from: 5, action: dismissal, title: 多}"))

    assert issues == []


def test_a_gap_in_ledger_bands_is_a_warning() -> None:
    issues = lint(
        _ledger(
            "{from: 0, to: 5, title: 少}",
            "{from: 5, to: 11, surcharge: 20, title: 中}",
            "{from: 20, action: dismissal, title: 多}",
        )
    )

    assert issues == [
        ("warning", "ledger.bands", "累计扣分在 [11, 20) 时原文未规定处理,区间有空档"),
    ]


def test_overlapping_ledger_bands_are_an_error() -> None:
    issues = lint(
        _ledger(
            "{from: 0, to: 12, title: 少}",
            "{from: 10, action: dismissal, title: 多}",
        )
    )

    assert issues == [("error", "ledger.bands", "区间 [0, 12) 与 [10, ∞) 重叠")]


# --- assumed parts and the scale -----------------------------------------------------------------


def test_every_assumed_part_is_listed_as_a_warning() -> None:
    section = lint(
        HEAD + "sections:\n"
        "  - {id: a, title: 甲, max: 50, method: deduction, severities: {general: [1, 2]}, "
        "assumed: true, notes: 原文未规定}\n"
        "  - {id: b, title: 乙, max: 50, method: deduction, severities: {general: [1, 2]}}\n"
    )
    grade = lint(
        HEAD + PLAIN_SECTIONS + "grades:\n"
        "  - {id: pass, title: 合格, min: 90}\n"
        "  - {id: fail, title: 不合格, assumed: true}\n"
    )
    band = lint(
        _ledger(
            "{from: 0, to: 5, title: 少}",
            "{from: 5, action: dismissal, title: 多, assumed: true, notes: 补充}",
        )
    )

    assert section == [("warning", "sections[0]", "“甲”为补充规定(assumed):原文未规定")]
    assert grade == [("warning", "grades[1]", "等级 fail 的规则为补充规定(assumed)")]
    assert band == [
        ("warning", "ledger.bands[1]", "累计扣分 [5, ∞) 的处理为补充规定(assumed):补充")
    ]


def test_maxima_above_the_cap_are_a_warning() -> None:
    issues = lint(
        HEAD + "sections:\n"
        "  - {id: a, title: 甲, max: 60, method: deduction, severities: {general: [1, 2]}}\n"
        "  - {id: b, title: 乙, max: 50, method: deduction, severities: {general: [1, 2]}}\n"
    )

    assert issues == [("warning", "sections", "各项满分合计 110 超过总分上限 100")]


def test_maxima_and_bonus_short_of_the_cap_are_a_warning() -> None:
    issues = lint(
        HEAD + "bonus: {title: 加分, min: 1, max: 5}\nsections:\n"
        "  - {id: a, title: 甲, max: 60, method: deduction, severities: {general: [1, 2]}}\n"
        "  - {id: b, title: 乙, max: 30, method: deduction, severities: {general: [1, 2]}}\n"
    )

    assert issues == [("warning", "sections", "各项满分合计 90(含加分最多 95)达不到总分上限 100")]


def test_errors_come_before_warnings() -> None:
    policy = load_policy_text(
        HEAD + "sections:\n"
        "  - {id: a, title: 甲, max: 95, method: deduction, severities: {general: [1, 2]}, assumed: true}\n"
        "  - {id: b, title: 乙, max: 5, method: deduction, severities: {general: [1, 6]}}\n",
        source="x.yaml",
    )

    issues = lint_policy(policy)

    assert [i.level for i in issues] == ["error", "warning"]
    assert (
        issues[0].render()
        == "错误 error: sections[1].severities.general: 扣分上限 6 超过该项满分 5"
    )


# --- the built-ins ---------------------------------------------------------------------------------


@pytest.mark.parametrize("policy_id", sorted(builtin_policies()))
def test_builtin_has_no_errors(policy_id: str) -> None:
    issues = lint_policy(builtin_policies()[policy_id])

    assert [i for i in issues if i.level == "error"] == []


def test_builtin_assumed_parts_are_reported() -> None:
    def warnings(policy_id: str) -> list[LintIssue]:
        return [i for i in lint_policy(builtin_policies()[policy_id]) if i.level == "warning"]

    ledger = warnings("cs-violation-penalties")
    ranking = warnings("service-group-ranking")

    assert [(i.path, i.message.split(":")[0]) for i in ledger] == [
        ("ledger.bands[3]", "累计扣分 [16, 20) 的处理为补充规定(assumed)")
    ]
    assert [(i.path, i.message.split(":")[0]) for i in ranking] == [
        ("grades[5]", "等级 C 的规则为补充规定(assumed)")
    ]
