"""Loading policy documents: every defect names its file, line and path; the built-ins load."""

from __future__ import annotations

import ast
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.scoring import PolicyError, builtin_policies, load_policy_file, load_policy_text
from kaoping.scoring.policy import PointsRange

SCORING = Path(__file__).resolve().parent.parent
POLICIES = SCORING / "policies"

# A small valid policy; each case below changes one line of it. Line numbers are 1-based.
VALID = """\
id: p
title: 办法
subject: employee
period: month
sections:
  - id: a
    title: 甲
    max: 10
    method: deduction
    severities: {general: [1, 2]}
"""


def _edit(old: str, new: str) -> str:
    assert VALID.count(old) == 1
    return VALID.replace(old, new)


RATING_POLICY = """\
id: p
title: 办法
subject: employee
period: month
combination:
  weights: {self: 0.3, supervisor: 0.6}
sections:
  - {id: a, title: 甲, max: 10, method: rating}
"""

DEFECTS = [
    pytest.param(
        VALID + "    colour: red\n",
        "x.yaml:11: sections[0].colour: 未知的键 'colour'",
        id="unknown key in a section",
    ),
    pytest.param(
        VALID + "colour: red\n",
        "x.yaml:11: colour: 未知的键 'colour'",
        id="unknown key at the top",
    ),
    pytest.param(
        _edit("    title: 甲\n", ""),
        "x.yaml:6: sections[0]: 缺少必填项 'title'",
        id="missing required key",
    ),
    pytest.param(
        _edit("    max: 10\n", "    max: ten\n"),
        "x.yaml:8: sections[0].max: 应为数字,而不是 'ten'",
        id="bad number",
    ),
    pytest.param(
        _edit("[1, 2]", "[3, 2]"),
        "x.yaml:10: sections[0].severities.general: 区间下限 3 大于上限 2",
        id="severity range low above high",
    ),
    pytest.param(
        _edit("[1, 2]", "[1, 2.25]"),
        "x.yaml:10: sections[0].severities.general[1]: 分值应为 0.5 的正整数倍,而不是 2.25",
        id="points not a multiple of 0.5",
    ),
    pytest.param(
        VALID
        + "  - {id: a, title: 乙, max: 5, method: deduction, severities: {general: [1, 2]}}\n",
        # The error points at the entry that repeats the id.
        "x.yaml:11: sections[1].id: 考评项目 id 'a' 重复",
        id="duplicate section id",
    ),
    pytest.param(
        _edit("subject: employee\n", "subject: employee\n  period: month\n"),
        "x.yaml:4: YAML 语法错误:mapping values are not allowed here",
        id="YAML syntax error",
    ),
    pytest.param(
        _edit("method: deduction", "method: magic"),
        "x.yaml:9: sections[0].method: 'magic' 不是可选值之一:deduction, rating, ratio, survey, points",
        id="unknown method",
    ),
    pytest.param(
        RATING_POLICY,
        "x.yaml:6: combination.weights: 各评分人权重之和应为 1",
        id="weights not summing to 1",
    ),
]


def test_the_base_documents_are_valid() -> None:
    policy = load_policy_text(VALID, source="x.yaml")
    rating = load_policy_text(RATING_POLICY.replace("0.6", "0.7"), source="x.yaml")

    assert [(s.id, s.max) for s in policy.sections] == [("a", Decimal(10))]
    assert rating.combination is not None
    assert rating.combination.weights == {"self": Decimal("0.3"), "supervisor": Decimal("0.7")}


@pytest.mark.parametrize(("text", "message"), DEFECTS)
def test_a_defect_names_file_line_and_path(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, source="x.yaml")

    assert str(caught.value) == message


def test_numbers_are_read_as_exact_decimals() -> None:
    policy = load_policy_text(_edit("[1, 2]", "[0.5, 1.5]"), source="x.yaml")

    assert policy.sections[0].severities["general"] == PointsRange(Decimal("0.5"), Decimal("1.5"))


def test_load_policy_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_edit("    max: 10\n", "    max: ten\n"), encoding="utf-8")

    with pytest.raises(PolicyError) as caught:
        load_policy_file(path)

    assert str(caught.value) == "bad.yaml:8: sections[0].max: 应为数字,而不是 'ten'"


def test_load_policy_file_of_a_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"

    with pytest.raises(PolicyError) as caught:
        load_policy_file(path)

    assert str(caught.value) == f"{path}: 无法读取文件:No such file or directory"


def test_load_policy_file_reads_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(VALID, encoding="utf-8")

    policy = load_policy_file(path)

    assert policy.id == "p"
    assert policy.source_file == "ok.yaml"


# --- the built-in policies (POLICIES.md §6) ----------------------------------------------------

D = Decimal

# id: (subject, period, {section id: max}) — the table of §6 and the paragraphs after it.
BUILTIN_TABLE: dict[str, tuple[str, str, dict[str, Decimal] | None]] = {
    "cs-group-inspection": (
        "employee",
        "month",
        {
            "post_quality": D(20),
            "handover": D(10),
            "training": D(10),
            "efficiency": D(20),
            "service": D(20),
            "other_sop": D(10),
            "other": D(10),
        },
    ),
    "cs-admin-monthly": (
        "employee",
        "month",
        {
            "dedication": D(6),
            "communication": D(10),
            "reception_complaints": D(12),
            "fee_collection": D(15),
            "repairs_followup": D(10),
            "environment": D(9),
            "facilities": D(8),
            "public_order": D(5),
            "meetings_training": D(5),
            "compliance": D(5),
            "assigned_tasks": D(5),
        },
    ),
    "cs-staff-monthly": ("employee", "month", None),  # ids and maxima are the policy's own
    "cs-center-monthly": (
        "unit",
        "month",
        {
            "fee_collection": D(40),
            "cleaning": D(20),
            "order": D(20),
            "process": D(10),
            "internal_control": D(10),
        },
    ),
    "cs-office-monthly": (
        "unit",
        "month",
        {"fee_collection": D(60), "process": D(20), "internal_control": D(20)},
    ),
    "environment-office-monthly": (
        "unit",
        "month",
        {"cleaning": D(60), "process": D(20), "internal_control": D(20)},
    ),
    "cs-quarterly-review": ("employee", "quarter", None),  # maxima are the policy's own
    "cs-violation-penalties": ("employee", "month", {}),
    "service-group-ranking": ("team", "month", {}),
    "unit-satisfaction": (
        "unit",
        "month",
        {"standards": D(50), "survey": D(20), "complaints": D(30)},
    ),
}


def test_the_builtins_are_exactly_the_ten_policies_of_section_6() -> None:
    assert sorted(builtin_policies()) == sorted(BUILTIN_TABLE)


@pytest.mark.parametrize("path", sorted(POLICIES.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_builtin_file_loads_and_is_named_after_its_id(path: Path) -> None:
    policy = load_policy_file(path)

    assert policy.id == path.stem
    assert policy.version == 1
    assert policy.title
    assert policy.source_file == path.name


@pytest.mark.parametrize("policy_id", sorted(BUILTIN_TABLE))
def test_builtin_subject_period_and_sections_match_section_6(policy_id: str) -> None:
    subject, period, sections = BUILTIN_TABLE[policy_id]

    policy = builtin_policies()[policy_id]

    assert (policy.subject, policy.period) == (subject, period)
    if sections is not None:
        assert {s.id: s.max for s in policy.sections} == sections
        assert [s.id for s in policy.sections] == list(sections)


def test_cs_staff_monthly_is_checklist_deductions_on_a_review_chain_with_pay_bands() -> None:
    policy = builtin_policies()["cs-staff-monthly"]

    assert sum((s.max for s in policy.sections), D(0)) == D(100)
    assert all(s.method == "deduction" and s.checklist for s in policy.sections)
    assert policy.combination is not None
    assert policy.combination.chain == ("supervisor", "indirect", "manager")
    assert [(p.band.low, p.band.high, p.ratio) for p in policy.pay_bands] == [
        (D(95), None, D(1)),
        (D(90), D(95), D("0.5")),
        (D(0), D(90), D(0)),
    ]
    assert [(a.band.low, a.band.high, a.action) for a in policy.action_bands] == [
        (D(0), D(80), "reassign_or_dismiss")
    ]


def test_cs_quarterly_review_has_six_rating_sections_summing_to_100_and_four_grades() -> None:
    policy = builtin_policies()["cs-quarterly-review"]

    assert [s.id for s in policy.sections] == [
        "attitude",
        "efficiency",
        "quality",
        "satisfaction",
        "completion",
        "teamwork",
    ]
    assert all(s.method == "rating" for s in policy.sections)
    assert sum((s.max for s in policy.sections), D(0)) == D(100)
    assert [(g.id, g.min) for g in policy.grades] == [
        ("excellent", D(90)),
        ("good", D(80)),
        ("average", D(70)),
        ("fail", None),
    ]


def test_cs_group_inspection_severity_ranges_bonus_and_cap() -> None:
    policy = builtin_policies()["cs-group-inspection"]
    r = PointsRange

    ranges = {s.id: dict(s.severities) for s in policy.sections}

    assert ranges == {
        "post_quality": {
            "general": r(D(1), D(2)),
            "serious": r(D(3), D(5)),
            "consequence": r(D(6), D(20)),
        },
        "handover": {
            "general": r(D(1), D(2)),
            "serious": r(D(2), D(4)),
            "consequence": r(D(5), D(10)),
        },
        "training": {
            "general": r(D("0.5"), D(1)),
            "serious": r(D(2), D(3)),
            "consequence": r(D(4), D(10)),
        },
        "efficiency": {
            "general": r(D(1), D(2)),
            "serious": r(D(3), D(5)),
            "consequence": r(D(6), D(20)),
        },
        "service": {
            "general": r(D(1), D(2)),
            "serious": r(D(3), D(4)),
            "consequence": r(D(5), D(20)),
        },
        "other_sop": {
            "general": r(D("0.5"), D(1)),
            "serious": r(D(2), D(3)),
            "consequence": r(D(4), D(10)),
        },
        "other": {
            "general": r(D("0.5"), D(1)),
            "serious": r(D(2), D(3)),
            "consequence": r(D(4), D(10)),
        },
    }
    assert policy.bonus is not None
    assert (policy.bonus.low, policy.bonus.high) == (D(1), D(20))
    assert policy.cap == D(100)
    assert policy.rounding == 1


def test_cs_admin_monthly_bands_weights_and_adjustment() -> None:
    policy = builtin_policies()["cs-admin-monthly"]
    # qualified [q, max], partial [p, q) — POLICIES.md §6
    expected = {
        "dedication": (5, 1),
        "communication": (9, 3),
        "reception_complaints": (11, 4),
        "fee_collection": (13, 5),
        "repairs_followup": (9, 3),
        "environment": (8, 3),
        "facilities": (7, 3),
        "public_order": (4, 1),
        "meetings_training": (4, 1),
        "compliance": (4, 1),
        "assigned_tasks": (4, 1),
    }

    maxima = {s.id: s.max for s in policy.sections}

    bands = {
        s.id: sorted((b.id, b.low, b.high, b.high_inclusive) for b in s.bands)
        for s in policy.sections
    }

    assert bands == {
        item: [("partial", D(p), D(q), False), ("qualified", D(q), maxima[item], True)]
        for item, (q, p) in expected.items()
    }
    assert sum((s.max for s in policy.sections), D(0)) == D(90)
    assert policy.combination is not None
    assert dict(policy.combination.weights) == {"self": D("0.3"), "supervisor": D("0.7")}
    assert policy.adjustment is not None
    assert (policy.adjustment.low, policy.adjustment.high) == (D(-10), D(10))
    assert (policy.rounding, policy.cap) == (1, D(100))


def test_cs_center_monthly_metric_and_events() -> None:
    policy = builtin_policies()["cs-center-monthly"]

    fee = policy.section("fee_collection")
    events = {s.id: {e.type: e.points for e in s.events.values()} for s in policy.sections}

    assert fee is not None
    assert (fee.method, fee.metric) == ("ratio", "fee_task_completion")
    assert events == {
        "fee_collection": {"fee_complaint": D(5)},
        "cleaning": {"cleaning_complaint": D(5)},
        "order": {"theft": D(5), "order_complaint": D(5)},
        "process": {"process_complaint": D(5)},
        "internal_control": {},
    }


def test_unit_satisfaction_levels_events_and_grades() -> None:
    policy = builtin_policies()["unit-satisfaction"]

    survey = policy.section("survey")
    complaints = policy.section("complaints")

    assert survey is not None and complaints is not None
    assert {k: v.points for k, v in survey.levels.items()} == {
        "very_satisfied": D(20),
        "satisfied": D(16),
        "neutral": D(12),
        "dissatisfied": D(8),
        "very_dissatisfied": D(4),
    }
    assert survey.no_data == "full"
    assert {k: v.points for k, v in complaints.events.items()} == {
        "valid_complaint": D(6),
        "major_complaint": D(12),
    }
    assert [(g.id, g.min) for g in policy.grades] == [
        ("excellent", D(95)),
        ("pass", D(90)),
        ("fail", None),
    ]


def test_cs_violation_penalties_is_a_ledger_with_the_section_4_bands() -> None:
    policy = builtin_policies()["cs-violation-penalties"]

    assert policy.kind == "ledger"
    assert policy.ledger is not None
    assert policy.ledger.point_fine == D(5)
    assert [
        (b.band.low, b.band.high, b.surcharge, b.action, b.assumed) for b in policy.ledger.bands
    ] == [
        (D(0), D(5), D(0), None, False),
        (D(5), D(11), D(20), None, False),
        (D(11), D(16), D(0), "administrative_sanction", False),
        (D(16), D(20), D(0), "administrative_sanction", True),
        (D(20), None, D(0), "dismissal", False),
    ]
    assert policy.ledger.supervisor_share == D("0.3")


# --- no Django -----------------------------------------------------------------------------------


def test_the_engine_imports_without_django() -> None:
    probe = (
        "import sys\n"
        "import kaoping.scoring, kaoping.scoring.lint, kaoping.scoring.show, kaoping.scoring.bench\n"
        "kaoping.scoring.builtin_policies()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=SCORING.parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stderr == ""
    assert result.stdout == "[]\n"


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_engine_module_imports_django() -> None:
    # The engine's own modules; its tests run under pytest-django and are not part of it.
    modules = [p for p in SCORING.rglob("*.py") if "tests" not in p.relative_to(SCORING).parts]

    importing = [str(p.relative_to(SCORING)) for p in modules if "django" in _imported_roots(p)]

    assert len(modules) >= 15
    assert importing == []
