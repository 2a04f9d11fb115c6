"""Policy lint (办法检查): gaps, overlaps, unreachable grades, ranges outside a section's max.

Errors make a policy unusable (a deduction range larger than its section, overlapping rating
bands); warnings are what the quality department should look at before publishing (a gap in a
band table, a rule the policy completed on its own: every `assumed` part is listed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .numbers import ZERO, plain
from .policy import Band, Grade, Policy, Section

Level = Literal["error", "warning", "info"]
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_STEP = Decimal("0.05")


@dataclass(frozen=True, slots=True)
class LintIssue:
    """One finding of the lint: its level, where it is, and what is wrong."""

    level: Level
    path: str
    message: str

    def render(self) -> str:
        label = {"error": "错误", "warning": "警告", "info": "提示"}[self.level]
        return f"{label} {self.level}: {self.path}: {self.message}"


def lint_policy(policy: Policy) -> list[LintIssue]:
    """Every issue of `policy`, errors first, in document order within a level."""
    issues: list[LintIssue] = []
    _ids(policy, issues)
    for index, section in enumerate(policy.sections):
        _section(section, f"sections[{index}]", issues)
    _scale(policy, issues)
    _grades(policy, issues)
    _outcome_bands(policy, issues)
    _ledger(policy, issues)
    _references(policy, issues)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(issues, key=lambda issue: order[issue.level])


def _ids(policy: Policy, issues: list[LintIssue]) -> None:
    def check(value: str, path: str) -> None:
        if not _ID.match(value):
            issues.append(LintIssue("error", path, f"id '{value}' 只能由字母、数字和下划线组成"))

    for i, section in enumerate(policy.sections):
        check(section.id, f"sections[{i}].id")
        for item in section.checklist:
            check(item, f"sections[{i}].checklist.{item}")
        for event in section.events:
            check(event, f"sections[{i}].events.{event}")


def _section(section: Section, path: str, issues: list[LintIssue]) -> None:
    if section.assumed:
        note = f":{section.notes}" if section.notes else ""
        issues.append(LintIssue("warning", path, f"“{section.title}”为补充规定(assumed){note}"))
    for severity, bounds in section.severities.items():
        if bounds.high > section.max:
            issues.append(
                LintIssue(
                    "error",
                    f"{path}.severities.{severity}",
                    f"扣分上限 {plain(bounds.high)} 超过该项满分 {plain(section.max)}",
                )
            )
    ranges = sorted(section.severities.items(), key=lambda kv: (kv[1].low, kv[1].high))
    for (name_a, a), (name_b, b) in zip(ranges, ranges[1:], strict=False):
        if b.low <= a.high:
            issues.append(
                LintIssue(
                    "warning",
                    f"{path}.severities",
                    f"{name_a} ({plain(a.low)}–{plain(a.high)}) 与 {name_b} "
                    f"({plain(b.low)}–{plain(b.high)}) 重叠:{plain(b.low)}–{plain(min(a.high, b.high))} "
                    "分可归入两种违规程度",
                )
            )
        elif b.low - a.high > Decimal("0.5"):
            issues.append(
                LintIssue(
                    "info",
                    f"{path}.severities",
                    f"{name_a} ({plain(a.low)}–{plain(a.high)}) 与 {name_b} "
                    f"({plain(b.low)}–{plain(b.high)}) 之间的分值无法记录",
                )
            )
    for item in section.checklist.values():
        if item.points > section.max:
            issues.append(
                LintIssue(
                    "warning",
                    f"{path}.checklist.{item.id}",
                    f"单次扣分 {plain(item.points)} 超过该项满分 {plain(section.max)}(一次即扣完)",
                )
            )
    for event in section.events.values():
        if event.points > section.max:
            issues.append(
                LintIssue(
                    "error",
                    f"{path}.events.{event.type}",
                    f"单次扣分 {plain(event.points)} 超过该项满分 {plain(section.max)}",
                )
            )
    for rule in section.metric_rules:
        if rule.points > section.max:
            issues.append(
                LintIssue(
                    "error",
                    f"{path}.metric_rules.{rule.metric}",
                    f"扣分 {plain(rule.points)} 超过该项满分 {plain(section.max)}",
                )
            )
    for level in section.levels.values():
        if level.points > section.max or level.points < 0:
            issues.append(
                LintIssue(
                    "error",
                    f"{path}.levels.{level.id}",
                    f"档次分值 {plain(level.points)} 不在 0–{plain(section.max)} 内",
                )
            )
    _rating_bands(section, path, issues)


def _rating_bands(section: Section, path: str, issues: list[LintIssue]) -> None:
    bands = sorted(section.bands, key=lambda b: b.low)
    for band in bands:
        if band.high > section.max or band.low < 0:
            issues.append(
                LintIssue(
                    "error",
                    f"{path}.bands.{band.id}",
                    f"档次 {band.label()} 超出该项分值范围 0–{plain(section.max)}",
                )
            )
    for a, b in zip(bands, bands[1:], strict=False):
        touching = a.high == b.low and not a.high_inclusive
        if a.high > b.low or (a.high == b.low and a.high_inclusive):
            issues.append(
                LintIssue("error", f"{path}.bands", f"档次 {a.label()} 与 {b.label()} 重叠")
            )
        elif not touching:
            issues.append(
                LintIssue(
                    "warning",
                    f"{path}.bands",
                    f"档次 {a.label()} 与 {b.label()} 之间有空档,这些评分会被拒绝",
                )
            )
    if bands and bands[-1].high < section.max:
        issues.append(
            LintIssue(
                "warning",
                f"{path}.bands",
                f"最高档次止于 {plain(bands[-1].high)},达不到满分 {plain(section.max)}",
            )
        )


def _max_total(policy: Policy) -> Decimal:
    total = sum((s.max for s in policy.sections), ZERO)
    extra = max(
        policy.bonus.high if policy.bonus else ZERO,
        policy.adjustment.high if policy.adjustment else ZERO,
    )
    return total + max(extra, ZERO)


def _scale(policy: Policy, issues: list[LintIssue]) -> None:
    if policy.kind == "ledger" or policy.cap is None or not policy.sections:
        return
    maxima = sum((s.max for s in policy.sections), ZERO)
    reachable = _max_total(policy)
    if maxima > policy.cap:
        issues.append(
            LintIssue(
                "warning",
                "sections",
                f"各项满分合计 {plain(maxima)} 超过总分上限 {plain(policy.cap)}",
            )
        )
    elif reachable < policy.cap:
        issues.append(
            LintIssue(
                "warning",
                "sections",
                f"各项满分合计 {plain(maxima)}(含加分最多 {plain(reachable)})达不到总分上限 "
                f"{plain(policy.cap)}",
            )
        )
    if policy.bonus and policy.bonus.low < 0:
        issues.append(LintIssue("error", "bonus", "嘉奖加分不能为负"))


def _probe_totals(policy: Policy, thresholds: Sequence[Decimal]) -> list[Decimal]:
    top = policy.cap if policy.cap is not None else max([*thresholds, _max_total(policy), ZERO])
    points = {ZERO, top}
    for t in thresholds:
        for value in (t - _STEP, t, t + _STEP):
            if ZERO <= value <= top:
                points.add(value)
    return sorted(points)


def _grades(policy: Policy, issues: list[LintIssue]) -> None:
    grades = [g for g in policy.grades if not g.manual]
    if not grades:
        return
    for index, grade in enumerate(policy.grades):
        if grade.assumed:
            issues.append(
                LintIssue(
                    "warning",
                    f"grades[{index}]",
                    f"等级 {grade.id} 的规则为补充规定(assumed){':' + grade.notes if grade.notes else ''}",
                )
            )
    thresholds = [v for g in grades for v in (g.min, g.below) if v is not None]
    totals = _probe_totals(policy, thresholds)
    place_sets: list[frozenset[str]] = [frozenset()]
    if any(g.place for g in grades):
        place_sets = [
            frozenset(),
            frozenset({"best"}),
            frozenset({"second"}),
            frozenset({"worst"}),
            frozenset({"best", "worst"}),
            frozenset({"second", "worst"}),
        ]
    used: set[int] = set()
    gaps: list[str] = []
    for places in place_sets:
        uncovered: list[Decimal] = []
        for total in totals:
            hit = _first_match(grades, total, places)
            if hit is None:
                uncovered.append(total)
            else:
                used.add(hit)
        if uncovered:
            who = _place_words(places)
            gaps.append(f"{who}总分 {_spans(uncovered, totals)} 无对应等级")
    for gap in gaps:
        issues.append(LintIssue("warning", "grades", f"等级有空档:{gap}"))
    for index, grade in enumerate(grades):
        if index not in used:
            issues.append(
                LintIssue(
                    "warning",
                    "grades",
                    f"等级 {grade.id}({_grade_words(grade)})不可达:前面的等级已覆盖其全部情形",
                )
            )


def _first_match(grades: Sequence[Grade], total: Decimal, places: frozenset[str]) -> int | None:
    for index, grade in enumerate(grades):
        if grade.matches(total, places):
            return index
    return None


def _place_words(places: frozenset[str]) -> str:
    if not places:
        return ""
    names = {"best": "当月最佳", "second": "第二名", "worst": "最差"}
    return "、".join(names[p] for p in sorted(places)) + "的小组"


def _grade_words(grade: Grade) -> str:
    from .engine import grade_rule_text

    return grade_rule_text(grade)


def _spans(uncovered: Sequence[Decimal], probes: Sequence[Decimal]) -> str:
    low, high = min(uncovered), max(uncovered)
    if high < probes[-1]:
        nxt = next(p for p in probes if p > high)
        return f"[{plain(low)}, {plain(nxt.quantize(Decimal(1)) if nxt % 1 == _STEP else nxt)})"
    return f"[{plain(low)}, {plain(high)}]"


def _coverage(
    bands: Sequence[Band], start: Decimal, end: Decimal | None
) -> tuple[list[tuple[Decimal, Decimal | None]], list[tuple[Band, Band]]]:
    """Gaps in [start, end) not covered by any band, and overlapping pairs."""
    ordered = sorted(bands, key=lambda b: b.low)
    overlaps = []
    gaps: list[tuple[Decimal, Decimal | None]] = []
    cursor: Decimal | None = start
    for index, band in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if band.high is None or other.low < band.high:
                overlaps.append((band, other))
        if cursor is not None and band.low > cursor:
            gaps.append((cursor, band.low))
        if cursor is not None:
            cursor = None if band.high is None else max(cursor, band.high)
    if cursor is not None and (end is None or cursor < end):
        gaps.append((cursor, end))
    return gaps, overlaps


def _outcome_bands(policy: Policy, issues: list[LintIssue]) -> None:
    if not policy.pay_bands:
        return
    gaps, overlaps = _coverage([p.band for p in policy.pay_bands], ZERO, policy.cap)
    for low, high in gaps:
        issues.append(
            LintIssue(
                "warning",
                "outcomes.pay_ratio",
                f"总分在 [{plain(low)}, {'∞' if high is None else plain(high)}) 时没有绩效比例",
            )
        )
    for a, b in overlaps:
        issues.append(
            LintIssue("error", "outcomes.pay_ratio", f"区间 {a.label()} 与 {b.label()} 重叠")
        )


def _ledger(policy: Policy, issues: list[LintIssue]) -> None:
    ledger = policy.ledger
    if ledger is None:
        return
    gaps, overlaps = _coverage([b.band for b in ledger.bands], ZERO, None)
    for low, high in gaps:
        span = f"[{plain(low)}, {'∞' if high is None else plain(high)})"
        issues.append(
            LintIssue("warning", "ledger.bands", f"累计扣分在 {span} 时原文未规定处理,区间有空档")
        )
    for a, b in overlaps:
        issues.append(LintIssue("error", "ledger.bands", f"区间 {a.label()} 与 {b.label()} 重叠"))
    for index, band in enumerate(ledger.bands):
        if band.assumed:
            note = f":{band.notes}" if band.notes else ""
            issues.append(
                LintIssue(
                    "warning",
                    f"ledger.bands[{index}]",
                    f"累计扣分 {band.band.label()} 的处理为补充规定(assumed){note}",
                )
            )


def _references(policy: Policy, issues: list[LintIssue]) -> None:
    if policy.not_evaluated is not None:
        known = set(policy.event_sections)
        for event in policy.not_evaluated.no_events:
            if event not in known:
                issues.append(
                    LintIssue("error", "not_evaluated.no_events", f"未知的事件类型 '{event}'")
                )
    if policy.ranking is not None:
        for level in policy.ranking.expected_levels:
            if level not in policy.ranking.levels:
                issues.append(
                    LintIssue("error", "ranking.expected_levels", f"未知的评分级别 {level}")
                )
        if policy.members is not None:
            grades = {g.id for g in policy.grades}
            for grade in sorted(grades - set(policy.members.grade_sets)):
                issues.append(
                    LintIssue(
                        "warning", "members.grade_sets", f"小组等级 {grade} 没有规定成员可评等级"
                    )
                )
