"""`kaoping policy list|show|lint` end to end, as the quality department runs it (POLICIES.md §6)."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
POLICIES = REPO / "kaoping" / "scoring" / "policies"

BUILTIN_IDS = (
    "cs-group-inspection",
    "cs-admin-monthly",
    "cs-staff-monthly",
    "cs-center-monthly",
    "cs-office-monthly",
    "environment-office-monthly",
    "cs-quarterly-review",
    "cs-violation-penalties",
    "service-group-ranking",
    "unit-satisfaction",
)


def kaoping(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "kaoping", *args],
        env=environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@cache
def run_cached(*args: str) -> subprocess.CompletedProcess[str]:
    """The same read-only command is run once per test session."""
    return kaoping(*args)


# --- list --------------------------------------------------------------------------------------


def test_list_names_the_ten_builtin_policies_one_a_line() -> None:
    result = run_cached("policy", "list")

    assert result.returncode == 0
    assert result.stderr == ""
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["id", "版本", "对象", "周期", "名称"]
    assert set(rule.replace(" ", "")) == {"─"}
    assert sorted(row.split()[0] for row in rows) == sorted(BUILTIN_IDS)


def test_list_shows_version_subject_and_period() -> None:
    rows = {
        line.split()[0]: line.split()[1:4]
        for line in run_cached("policy", "list").stdout.splitlines()
    }

    assert rows["cs-group-inspection"] == ["1", "员工", "月度"]
    assert rows["cs-quarterly-review"] == ["1", "员工", "季度"]
    assert rows["unit-satisfaction"] == ["1", "单位", "月度"]
    assert rows["service-group-ranking"] == ["1", "小组", "月度"]


def test_policy_commands_do_not_import_django() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "import kaoping.cli as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [cli.main(['policy', 'list']), cli.main(['policy', 'lint', 'unit-satisfaction'])]\n"
        "print(codes, sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}

    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stderr == ""
    assert result.stdout == "[0, 0] []\n"


# --- show --------------------------------------------------------------------------------------

SHOWN_SECTIONS = {
    "cs-group-inspection": [
        ("岗位工作质量", "post_quality", "20"),
        ("交接班质量", "handover", "10"),
        ("培训质量", "training", "10"),
        ("工作效率", "efficiency", "20"),
        ("服务质量", "service", "20"),
        ("执行其他相关作业规程质量", "other_sop", "10"),
        ("其他质量", "other", "10"),
    ],
    "unit-satisfaction": [
        ("服务工作标准执行情况", "standards", "50"),
        ("客户满意度调查", "survey", "20"),
        ("服务投诉", "complaints", "30"),
    ],
}


def _section_rows(stdout: str) -> list[list[str]]:
    """The numbered rows of the sections table, split into cells at runs of spaces."""
    rows = []
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[0].isdigit() and len(cells) >= 4 and cells[2].startswith("["):
            rows.append(cells)
    return rows


@pytest.mark.parametrize("policy_id", sorted(SHOWN_SECTIONS))
def test_show_lists_each_section_with_its_chinese_title_id_and_max(policy_id: str) -> None:
    result = run_cached("policy", "show", policy_id)

    assert result.returncode == 0
    assert result.stderr == ""
    rows = _section_rows(result.stdout)
    assert [(r[0], r[1], r[2], r[-1]) for r in rows] == [
        (str(number), title, f"[{section_id}]", maximum)
        for number, (title, section_id, maximum) in enumerate(SHOWN_SECTIONS[policy_id], start=1)
    ]
    total_lines = [line.split() for line in result.stdout.splitlines() if "合计" in line.split()]
    assert total_lines == [["合计", "100"]]


def test_show_cs_group_inspection_heads_with_title_and_lists_the_bonus() -> None:
    stdout = run_cached("policy", "show", "cs-group-inspection").stdout

    assert stdout.splitlines()[0] == "项目客户服务组检查与考评办法(cs-group-inspection 第 1 版)"
    assert "嘉奖加分:1 至 20 分" in stdout.splitlines()
    # the section completed by the policy is starred
    assert any(
        line.split()[:4] == ["7", "其他质量", "[other]", "*"] for line in stdout.splitlines()
    )


def test_show_unknown_policy_exits_2_with_one_line_on_stderr() -> None:
    result = kaoping("policy", "show", "no-such-policy")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("policy: 未知的考评办法 'no-such-policy'")
    assert "Traceback" not in result.stderr


# --- lint of the built-ins ---------------------------------------------------------------------


@pytest.mark.parametrize("policy_id", BUILTIN_IDS)
def test_lint_of_every_builtin_exits_0_without_errors(policy_id: str) -> None:
    result = run_cached("policy", "lint", policy_id)

    assert result.returncode == 0, result.stdout
    assert result.stderr == ""
    assert "错误 error:" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"{policy_id}: 0 个错误 errors, ")


def test_lint_cs_violation_penalties_lists_the_assumed_16_to_20_band() -> None:
    lines = run_cached("policy", "lint", "cs-violation-penalties").stdout.splitlines()

    assert lines == [
        "cs-violation-penalties.yaml: 警告 warning: ledger.bands[3]: 累计扣分 [16, 20) 的处理为补充规定"
        "(assumed):原文未规定 16~19 分的处理,本办法按 11~15 分的行政处分处理(补充规定)。",
        "cs-violation-penalties: 0 个错误 errors, 1 个警告 warnings",
    ]


def test_lint_service_group_ranking_lists_the_assumed_c_grade() -> None:
    lines = run_cached("policy", "lint", "service-group-ranking").stdout.splitlines()

    assert lines == [
        "service-group-ranking.yaml: 警告 warning: grades[5]: 等级 C 的规则为补充规定(assumed):"
        "原文未规定非最差小组总分 < 35 分时的等级,按 C 级处理(补充规定)",
        "service-group-ranking: 0 个错误 errors, 1 个警告 warnings",
    ]


# --- lint of a file ----------------------------------------------------------------------------


def _without(text: str, part: str) -> str:
    assert text.count(part) == 1, f"the built-in policy no longer contains {part!r}"
    return text.replace(part, "")


def test_lint_file_without_the_assumed_ledger_band_reports_the_gap(tmp_path: Path) -> None:
    original = (POLICIES / "cs-violation-penalties.yaml").read_text(encoding="utf-8")
    start = original.index("    - from: 16\n")
    end = original.index("    - {from: 20,")
    path = tmp_path / "ledger-gap.yaml"
    path.write_text(_without(original, original[start:end]), encoding="utf-8")

    result = kaoping("policy", "lint", str(path))

    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "ledger-gap.yaml: 警告 warning: ledger.bands: 累计扣分在 [16, 20) 时原文未规定处理,区间有空档",
        "cs-violation-penalties: 0 个错误 errors, 1 个警告 warnings",
    ]


def test_lint_file_without_the_assumed_c_rule_reports_the_grade_gap(tmp_path: Path) -> None:
    original = (POLICIES / "service-group-ranking.yaml").read_text(encoding="utf-8")
    assumed_rule = next(line for line in original.splitlines(True) if "assumed: true" in line)
    path = tmp_path / "ranking-gap.yaml"
    path.write_text(_without(original, assumed_rule), encoding="utf-8")

    result = kaoping("policy", "lint", str(path))

    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "ranking-gap.yaml: 警告 warning: grades: 等级有空档:总分 [0, 35) 无对应等级",
        "service-group-ranking: 0 个错误 errors, 1 个警告 warnings",
    ]


HEAD = "id: broken\ntitle: 有误的办法\nsubject: employee\nperiod: month\n"


def test_lint_file_with_a_severity_range_above_the_section_max_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "too-wide.yaml"
    path.write_text(
        HEAD
        + "sections:\n"
        + "  - {id: a, title: 甲, max: 5, method: deduction, severities: {general: [1, 6]}}\n"
        + "  - {id: b, title: 乙, max: 95, method: deduction, severities: {general: [1, 2]}}\n",
        encoding="utf-8",
    )

    result = kaoping("policy", "lint", str(path))

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "too-wide.yaml: 错误 error: sections[0].severities.general: 扣分上限 6 超过该项满分 5",
        "broken: 1 个错误 errors, 0 个警告 warnings",
    ]


def test_lint_file_with_overlapping_rating_bands_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "overlap.yaml"
    path.write_text(
        HEAD
        + "combination: {weights: {supervisor: 1}}\n"
        + "sections:\n"
        + "  - id: a\n"
        + "    title: 甲\n"
        + "    max: 100\n"
        + "    method: rating\n"
        + "    bands:\n"
        + "      - {id: qualified, title: 合格, from: 80, to: 100}\n"
        + "      - {id: partial, title: 部分合格, from: 10, to: 80}\n",
        encoding="utf-8",
    )

    result = kaoping("policy", "lint", str(path))

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "overlap.yaml: 错误 error: sections[0].bands: 档次 部分合格[10, 80] 与 合格[80, 100] 重叠",
        "broken: 1 个错误 errors, 0 个警告 warnings",
    ]
