"""The scoring engine: a policy, a period and subjects in; results with explanations out.

Section scores are exact; the total is clamped to [0, cap] and rounded half-up once, at the
end, and everything graded is read from that rounded total (POLICIES.md §1, §3).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import InputError
from .inputs import Finding, HistoryEntry, RankingItem, Subject
from .ledger import PenaltyEntry, apply_ledger
from .numbers import ZERO, is_half_multiple, plain, round_half_up, signed
from .periods import Period, parse_any_period
from .policy import (
    ACTION_TITLES,
    RATER_TITLES,
    SEVERITY_TITLES,
    Grade,
    Policy,
    Section,
)
from .results import Outcomes, Result

_SURVEY_PLACES = 2


@dataclass(frozen=True, slots=True)
class ResolvedFinding:
    """A finding checked against its section: severity and points settled."""

    section: str
    points: Decimal
    severity: str | None
    item: str | None
    mandatory_penalty: bool
    supervisor_liable: bool


def resolve_finding(policy: Policy, finding: Finding) -> ResolvedFinding:
    """Check one finding against the policy; InputError (field relative to the finding) if not.

    The section must take findings; the severity must be one the section lists (it may be
    omitted where the section has one only); the points must lie in the severity's inclusive
    range, or equal the checklist item's fixed deduction, and be a positive multiple of 0.5.
    """
    if finding.section is None:
        if policy.kind == "ledger":
            if finding.points is None:
                raise InputError("缺少必填项", field="points")
            _check_points(finding.points)
            return ResolvedFinding(
                "", finding.points, None, finding.item, False, finding.supervisor_liable
            )
        raise InputError("缺少必填项", field="section")
    section = policy.section(finding.section)
    if section is None or not section.takes_findings:
        known = ", ".join(s.id for s in policy.sections if s.takes_findings)
        raise InputError(f"未知的考评项目 '{finding.section}'(可选:{known})", field="section")
    points = finding.points
    severity = finding.severity
    if section.checklist:
        if finding.item is None:
            raise InputError(f"{section.title}按细则条目扣分,必须指明条目", field="item")
        item = section.checklist.get(finding.item)
        if item is None:
            raise InputError(
                f"'{finding.item}' 不是{section.title}的细则条目(可选:{', '.join(section.checklist)})",
                field="item",
            )
        if points is None:
            points = item.points
        elif points != item.points:
            raise InputError(
                f"{plain(points)} 与细则条目“{item.title}”的固定扣分 {plain(item.points)} 不符",
                field="points",
            )
    if section.severities:
        if severity is None:
            if len(section.severities) != 1:
                raise InputError(
                    f"{section.title}须指明违规程度(可选:{', '.join(section.severities)})",
                    field="severity",
                )
            severity = next(iter(section.severities))
        bounds = section.severities.get(severity)
        if bounds is None:
            raise InputError(
                f"未知的违规程度 '{severity}'(可选:{', '.join(section.severities)})",
                field="severity",
            )
        if points is None:
            if bounds.low != bounds.high:
                raise InputError("缺少必填项", field="points")
            points = bounds.low
        if not bounds.contains(points):
            raise InputError(
                f"{plain(points)} 分超出{section.title}{SEVERITY_TITLES[severity]}的扣分范围 "
                f"{plain(bounds.low)}–{plain(bounds.high)} 分",
                field="points",
            )
    elif severity is not None:
        raise InputError(f"{section.title}不分违规程度,请勿填写", field="severity")
    assert points is not None
    _check_points(points)
    return ResolvedFinding(
        section.id,
        points,
        severity,
        finding.item,
        finding.mandatory_penalty,
        finding.supervisor_liable,
    )


def _check_points(points: Decimal) -> None:
    if points <= 0 or not is_half_multiple(points):
        raise InputError(f"扣分应为 0.5 的正整数倍,而不是 {plain(points)}", field="points")


class _Checked:
    """A checked finding as the hot loop reads it: its section, points and explanation line."""

    __slots__ = ("finding", "line", "mandatory", "points", "section")

    def __init__(self, finding: ResolvedFinding, line: str):
        self.finding = finding
        self.section = finding.section
        self.points = finding.points
        self.mandatory = finding.mandatory_penalty
        self.line = line


def _finding_key(finding: Finding) -> tuple[object, ...]:
    return (
        finding.section,
        finding.severity,
        finding.points,
        finding.item,
        finding.mandatory_penalty,
        finding.supervisor_liable,
    )


# --- which subject keys a policy uses ------------------------------------------------------------


def accepted_keys(policy: Policy, *, with_ledger: bool) -> frozenset[str]:
    """The subject keys that `policy` (with or without a ledger attached) reads."""
    keys: set[str] = set()
    if policy.kind == "ledger":
        return frozenset({"findings"})
    methods = {s.method for s in policy.sections}
    if any(s.takes_findings for s in policy.sections) or with_ledger:
        keys.add("findings")
    if any(s.events for s in policy.sections):
        keys.add("events")
    if policy.metrics:
        keys.add("metrics")
    if "rating" in methods or (policy.combination and policy.combination.kind == "chain"):
        keys.add("ratings")
    if "survey" in methods:
        keys.add("survey")
    if "points" in methods:
        keys.add("work_points")
    if policy.ranking is not None:
        keys.add("values")
    if policy.members is not None:
        keys.add("members")
    if policy.not_evaluated is not None:
        keys.add("inspections")
    if policy.bonus is not None:
        keys.add("bonus")
    if policy.adjustment is not None:
        keys.add("adjustment")
    return frozenset(keys)


def check_keys(policy: Policy, subject: Subject, accepted: frozenset[str]) -> None:
    for key in sorted(subject.given - accepted):
        raise InputError(f"考评办法 {policy.id} 不使用此项", subject=subject.id, field=key)


# --- scoring ---------------------------------------------------------------------------------------


def score_subjects(
    policy: Policy,
    period: Period,
    subjects: Sequence[Subject],
    *,
    ledger: Policy | None = None,
    history: Mapping[str, Sequence[HistoryEntry]] | None = None,
    ranking_items: Sequence[RankingItem] | None = None,
) -> list[Result]:
    """Score every subject of one period under `policy` (and the attached `ledger`, if any)."""
    history = history or {}
    if policy.ranking is not None:
        from .ranking import score_ranking

        return score_ranking(policy, period, subjects, ranking_items, history)
    if ranking_items is not None:
        raise InputError(f"考评办法 {policy.id} 不使用评比项目", field="ranking_items")
    accepted = accepted_keys(policy, with_ledger=ledger is not None)
    if policy.kind == "ledger":
        assert policy.ledger is not None
        return [_score_ledger_only(policy, s, accepted) for s in subjects]
    scorer = _Scorer(policy, ledger)
    results = []
    for subject in subjects:
        check_keys(policy, subject, accepted)
        results.append(scorer.score(subject, period, history.get(subject.id, ())))
    return results


def _score_ledger_only(policy: Policy, subject: Subject, accepted: frozenset[str]) -> Result:
    assert policy.ledger is not None
    check_keys(policy, subject, accepted)
    penalties = []
    for index, finding in enumerate(subject.findings):
        try:
            resolved = _resolve_for_ledger(policy, finding)
        except InputError as exc:
            raise _at(exc, subject.id, f"findings[{index}]") from None
        penalties.append(resolved)
    outcomes = Outcomes()
    explain = apply_ledger(policy.ledger, penalties, outcomes)
    return Result(subject.id, True, explain, outcomes=outcomes, scored=False)


def _resolve_for_ledger(policy: Policy, finding: Finding) -> PenaltyEntry:
    if finding.points is None:
        raise InputError("缺少必填项", field="points")
    _check_points(finding.points)
    return PenaltyEntry(finding.points, finding.item, finding.supervisor_liable)


def _at(exc: InputError, subject: str, prefix: str) -> InputError:
    located = exc.under(prefix)
    return InputError(located.message, subject=subject, field=located.field)


class _Scorer:
    """Scores subjects one by one under one policy; holds what is looked up once per policy."""

    def __init__(self, policy: Policy, ledger: Policy | None):
        self.policy = policy
        self.ledger = ledger.ledger if ledger is not None else None
        self.event_sections = policy.event_sections
        self.rating_sections = [s for s in policy.sections if s.method == "rating"]
        self.combination = policy.combination
        self.sections = {s.id: s for s in policy.sections}
        self.metric_names = policy.metrics
        self.max_text = {s.id: plain(s.max) for s in policy.sections}
        self.full_lines = {
            s.id: f"{s.title}:{plain(s.max)}/{plain(s.max)}" for s in policy.sections
        }
        self.finding_cache: dict[tuple[object, ...], _Checked] = {}

    def resolve(self, finding: Finding) -> _Checked:
        """The checked finding with its explanation line.

        Many findings of a month are alike (same section, severity, points and item): each
        shape is checked and worded once, which keeps a month of millions of findings fast.
        """
        resolved = resolve_finding(self.policy, finding)
        line = _finding_line(self.sections[resolved.section], resolved)
        checked = _Checked(resolved, line)
        if len(self.finding_cache) < 100_000:
            self.finding_cache[_finding_key(finding)] = checked
        return checked

    def score(self, subject: Subject, period: Period, history: Sequence[HistoryEntry]) -> Result:
        policy = self.policy
        sid = subject.id
        cache = self.finding_cache
        by_section: dict[str, list[_Checked]] = {}
        for finding in subject.findings:
            checked = cache.get(
                (
                    finding.section,
                    finding.severity,
                    finding.points,
                    finding.item,
                    finding.mandatory_penalty,
                    finding.supervisor_liable,
                )
            )
            if checked is None:
                try:
                    checked = self.resolve(finding)
                except InputError as exc:
                    index = next(i for i, f in enumerate(subject.findings) if f is finding)
                    raise _at(exc, sid, f"findings[{index}]") from None
            group = by_section.get(checked.section)
            if group is None:
                by_section[checked.section] = [checked]
            else:
                group.append(checked)
        events_by_section: dict[str, Counter[str]] = defaultdict(Counter)
        for index, etype in enumerate(subject.events):
            section = self.event_sections.get(etype)
            if section is None:
                known = ", ".join(self.event_sections)
                raise InputError(
                    f"未知的事件类型 '{etype}'(可选:{known})",
                    subject=sid,
                    field=f"events[{index}].type",
                )
            events_by_section[section.id][etype] += 1
        if subject.metrics or self.metric_names:
            self._check_metrics(subject)
        if self.combination is not None:
            self._check_ratings(subject)
        bonus = self._check_range(subject, "bonus")
        adjustment = self._check_range(subject, "adjustment")

        if policy.not_evaluated is not None and subject.inspections == 0:
            watched = set(policy.not_evaluated.no_events)
            if not any(e in watched for e in subject.events):
                return Result(sid, False, [f"不出具考评意见:{policy.not_evaluated.title}"])

        explain: list[str] = []
        sections: dict[str, Decimal] = {}
        simple = self.combination is None
        for section in policy.sections:
            findings = by_section.get(section.id)
            events = events_by_section.get(section.id)
            if (
                simple
                and findings is None
                and events is None
                and section.method == "deduction"
                and not section.metric_rules
            ):
                sections[section.id] = section.max
                explain.append(self.full_lines[section.id])
                continue
            sections[section.id] = self._section(section, subject, findings or (), events, explain)
        total = sum(sections.values(), ZERO)
        if bonus:
            assert policy.bonus is not None
            total += bonus
            explain.append(f"{policy.bonus.title} {signed(bonus)}")
        if adjustment:
            assert policy.adjustment is not None
            total += adjustment
            explain.append(f"{policy.adjustment.title} {signed(adjustment)}")
        result = Result(sid, True, explain, sections=sections)
        result.total = self._finish_total(total, explain)
        self._grade_and_outcomes(result, period, history)
        if self.ledger is not None:
            penalties = [c.finding for group in by_section.values() for c in group]
            explain.extend(apply_ledger(self.ledger, penalties, result.outcomes))
        return result

    # --- checks -----------------------------------------------------------------------------------

    def _check_metrics(self, subject: Subject) -> None:
        known = self.metric_names
        for name, value in subject.metrics.items():
            if name not in known:
                raise InputError(
                    f"未知的指标(可选:{', '.join(sorted(known))})",
                    subject=subject.id,
                    field=f"metrics.{name}",
                )
            if value < 0:
                raise InputError(
                    f"应为非负数,而不是 {plain(value)}", subject=subject.id, field=f"metrics.{name}"
                )
        for section in self.policy.sections:
            if section.metric and section.metric not in subject.metrics:
                raise InputError(
                    f"缺少{section.title}所需的指标",
                    subject=subject.id,
                    field=f"metrics.{section.metric}",
                )
            for rule in section.metric_rules:
                if rule.required and rule.metric not in subject.metrics:
                    raise InputError(
                        f"缺少{section.title}所需的指标",
                        subject=subject.id,
                        field=f"metrics.{rule.metric}",
                    )

    def _check_ratings(self, subject: Subject) -> None:
        combination = self.combination
        if combination is None:
            return
        raters = combination.raters
        rateable = {s.id: s for s in self.policy.sections}
        for rater, items in subject.ratings.items():
            if rater not in raters:
                raise InputError(
                    f"本办法的评分人为 {', '.join(raters)}",
                    subject=subject.id,
                    field=f"ratings.{rater}",
                )
            for item_id, value in items.items():
                section = rateable.get(item_id)
                where = f"ratings.{rater}.{item_id}"
                if (
                    section is None
                    or (section.method not in ("rating", "deduction"))
                    or (section.method == "deduction" and combination.kind != "chain")
                ):
                    raise InputError("未知的考评项目", subject=subject.id, field=where)
                _check_rating_value(section, value, subject.id, where)
        required = raters if combination.kind == "weights" else raters[:1]
        for rater in required:
            for section in self.rating_sections:
                if section.id not in subject.ratings.get(rater, {}):
                    raise InputError(
                        f"缺少{RATER_TITLES[rater]}",
                        subject=subject.id,
                        field=f"ratings.{rater}.{section.id}",
                    )

    def _check_range(self, subject: Subject, name: str) -> Decimal:
        value: Decimal = getattr(subject, name)
        rule = getattr(self.policy, name)
        if not value or rule is None:
            return value
        if not rule.low <= value <= rule.high:
            raise InputError(
                f"{plain(value)} 超出{rule.title}的范围 {plain(rule.low)}–{plain(rule.high)}",
                subject=subject.id,
                field=name,
            )
        return value

    # --- sections ---------------------------------------------------------------------------------

    def _section(
        self,
        section: Section,
        subject: Subject,
        findings: Sequence[_Checked],
        events: Counter[str] | None,
        explain: list[str],
    ) -> Decimal:
        method = section.method
        if method == "rating":
            return self._rating(section, subject, explain)
        if method == "survey":
            return _survey(section, subject, explain)
        if method == "points":
            score = subject.work_points
            if not section.allow_negative and score < 0:
                explain.append(f"{section.title} 积分 {plain(score)} 为负,按 0 计")
                score = ZERO
            explain.append(f"{section.title}:{plain(score)}")
            return score
        deductions = ZERO
        start = section.max
        if method == "ratio":
            start = _ratio(section, subject, explain)
        zeroing_possible = False
        for checked in findings:
            deductions += checked.points
            explain.append(checked.line)
            zeroing_possible |= checked.mandatory
        if events:
            for etype, count in events.items():
                rule = section.events[etype]
                amount = rule.points * count
                deductions += amount
                explain.append(
                    f"{section.title} −{plain(amount)}:{rule.title} {count} 次 × {plain(rule.points)} 分"
                )
        for metric_rule in section.metric_rules:
            value = subject.metrics.get(metric_rule.metric)
            if value is not None and metric_rule.triggered(value):
                deductions += metric_rule.points
                explain.append(
                    f"{section.title} −{plain(metric_rule.points)}:{metric_rule.title}"
                    f"(实际 {plain(value)})"
                )
        score = start - deductions
        zeroed = ""
        if findings and (zeroing_possible or section.same_item_count is not None):
            zeroed = _zeroing(section, [c.finding for c in findings])
        if zeroed:
            explain.append(f"{section.title} 该分值全扣:{zeroed}")
            score = ZERO
        elif score < 0:
            explain.append(f"{section.title} 扣分合计 {plain(deductions)} 分,扣完为止,按 0 分计")
            score = ZERO
        if self.combination is not None:
            score = self._chain_override(section, subject, score, explain)
        explain.append(f"{section.title}:{plain(score)}/{self.max_text[section.id]}")
        return score

    def _chain_override(
        self, section: Section, subject: Subject, computed: Decimal, explain: list[str]
    ) -> Decimal:
        combination = self.combination
        if combination is None or combination.kind != "chain":
            return computed
        # Every amendment along the chain is shown; the last rater who signed off stands.
        steps = [f"计算得分 {plain(computed)}"]
        final = computed
        for rater in combination.chain:
            value = subject.ratings.get(rater, {}).get(section.id)
            if value is not None:
                steps.append(f"{RATER_TITLES[rater]} {plain(value)}")
                final = value
        if len(steps) == 1:
            return computed
        explain.append(f"{section.title} 审核链:{' → '.join(steps)}(以最后签核人为准)")
        return final

    def _rating(self, section: Section, subject: Subject, explain: list[str]) -> Decimal:
        combination = self.combination
        assert combination is not None
        if combination.kind == "weights":
            score = ZERO
            parts = []
            for rater, weight in combination.weights.items():
                value = subject.ratings[rater][section.id]
                score += value * weight
                parts.append(
                    f"{RATER_TITLES[rater]} {plain(value)}{_band_label(section, value)} × {plain(weight)}"
                )
            explain.append(f"{section.title}:{' + '.join(parts)} = {plain(score)}")
            return score
        steps = []
        final = ZERO
        for rater in combination.chain:
            rated = subject.ratings.get(rater, {}).get(section.id)
            if rated is not None:
                steps.append(f"{RATER_TITLES[rater]} {plain(rated)}{_band_label(section, rated)}")
                final = rated
        explain.append(f"{section.title}:{' → '.join(steps)}(以最后签核人为准)= {plain(final)}")
        return final

    # --- total, grade, outcomes -------------------------------------------------------------------

    def _finish_total(self, total: Decimal, explain: list[str]) -> Decimal:
        policy = self.policy
        if total < 0:
            explain.append(f"总分 {plain(total)} 低于 0,按 0 计")
            total = ZERO
        if policy.cap is not None and total > policy.cap:
            explain.append(
                f"总分 {plain(total)} 超过上限 {plain(policy.cap)},按 {plain(policy.cap)} 计"
            )
            total = policy.cap
        rounded = round_half_up(total, policy.rounding)
        if rounded != total:
            explain.append(
                f"总分 {plain(total)} 保留 {policy.rounding} 位小数(四舍五入)为 {rounded:f}"
            )
        explain.append(f"总分 {rounded:f}")
        return rounded

    def _grade_and_outcomes(
        self, result: Result, period: Period, history: Sequence[HistoryEntry]
    ) -> None:
        policy = self.policy
        total = result.total
        assert total is not None
        for grade in policy.grades:
            if grade.matches(total, frozenset()):
                result.grade = grade.id
                result.explain.append(f"等级:{grade.title}({grade_rule_text(grade)})")
                break
        outcomes = result.outcomes
        for pay in policy.pay_bands:
            if pay.band.contains(total):
                outcomes.pay_ratio = pay.ratio
                result.explain.append(
                    f"绩效浮动比例 {plain(pay.ratio * 100)}%:{pay.title}(总分在 {pay.band.label()} 内)"
                )
                break
        for band in policy.action_bands:
            if band.band.contains(total):
                outcomes.add_actions(band.action)
                result.explain.append(
                    f"{ACTION_TITLES[band.action]}:{band.title}(总分在 {band.band.label()} 内)"
                )
        rule = policy.repeat_fail
        if rule is not None and _is_fail(result.grade, total, rule.fail_grade, rule.fail_below):
            earlier = _earlier_fails(history, period, rule.fail_grade, rule.fail_below, result.id)
            if earlier + 1 >= rule.count:
                outcomes.add_actions(rule.action)
                result.explain.append(
                    f"{ACTION_TITLES[rule.action]}:{rule.title}(本年度第 {earlier + 1} 次不合格)"
                )


def validate_rating(policy: Policy, rater: str, item: str, value: Decimal) -> None:
    """Check one rating against the policy (rater, item, range, halves, bands); InputError if not."""
    combination = policy.combination
    if combination is None or rater not in combination.raters:
        raters = ", ".join(combination.raters) if combination else "无"
        raise InputError(f"本办法的评分人为 {raters}", field=f"ratings.{rater}")
    section = policy.section(item)
    if (
        section is None
        or section.method not in ("rating", "deduction")
        or (section.method == "deduction" and combination.kind != "chain")
    ):
        raise InputError("未知的考评项目", field=f"ratings.{rater}.{item}")
    _check_rating_value(section, value, None, f"ratings.{rater}.{item}")


def _check_rating_value(section: Section, value: Decimal, sid: str | None, where: str) -> None:
    if value < 0 or value > section.max:
        raise InputError(
            f"{plain(value)} 超出{section.title}的分值范围 0–{plain(section.max)}",
            subject=sid,
            field=where,
        )
    if not is_half_multiple(value):
        raise InputError(f"评分应为 0.5 的整数倍,而不是 {plain(value)}", subject=sid, field=where)
    if section.bands and not any(b.contains(value) for b in section.bands):
        bands = "、".join(b.label() for b in section.bands)
        raise InputError(f"{plain(value)} 不在任何档次内({bands})", subject=sid, field=where)


def _band_label(section: Section, value: Decimal) -> str:
    for band in section.bands:
        if band.contains(value):
            return f"({band.title})"
    return ""


def _ratio(section: Section, subject: Subject, explain: list[str]) -> Decimal:
    assert section.metric is not None
    actual = subject.metrics[section.metric]
    share = min(Decimal(1), actual / section.target)
    score = section.max * share
    explain.append(
        f"{section.title}:完成率 {plain(actual)} / 目标 {plain(section.target)},"
        f"得 {plain(section.max)} × {plain(share)} = {plain(score)}"
    )
    return score


def _survey(section: Section, subject: Subject, explain: list[str]) -> Decimal:
    if not subject.survey:
        score = section.max if section.no_data == "full" else ZERO
        explain.append(
            f"{section.title}:无调查问卷,按{'满分' if section.no_data == 'full' else '0 分'}计"
        )
        return score
    total = ZERO
    counts: Counter[str] = Counter()
    for index, level_id in enumerate(subject.survey):
        level = section.levels.get(level_id)
        if level is None:
            raise InputError(
                f"未知的满意度档次 '{level_id}'(可选:{', '.join(section.levels)})",
                subject=subject.id,
                field=f"survey[{index}]",
            )
        total += level.points
        counts[level_id] += 1
    mean = round_half_up(total / len(subject.survey), _SURVEY_PLACES)
    score = min(mean, section.max)
    detail = "、".join(f"{section.levels[k].title} {n}" for k, n in counts.items())
    explain.append(f"{section.title}:{len(subject.survey)} 份问卷({detail}),平均 {mean:f} 分")
    return score


def _finding_line(section: Section, finding: ResolvedFinding) -> str:
    points = plain(finding.points)
    if section.checklist and finding.item is not None:
        item = section.checklist[finding.item]
        return f"{section.title} −{points}:{item.title}"
    label = ""
    if finding.severity is not None:
        bounds = section.severities[finding.severity]
        label = f"{SEVERITY_TITLES[finding.severity]}({plain(bounds.low)}–{plain(bounds.high)}分)"
    if finding.item:
        label = f"{label} {finding.item}" if label else finding.item
    if finding.mandatory_penalty:
        label += " [必须惩处]"
    return f"{section.title} −{points}:{label}"


def _zeroing(section: Section, findings: Sequence[ResolvedFinding]) -> str:
    for finding in findings:
        if finding.mandatory_penalty:
            return "触犯《行政奖罚标准操作规程》必须惩处的情形"
    if section.same_item_count is not None:
        counts = Counter(f.item for f in findings if f.item is not None)
        for item, count in sorted(counts.items()):
            if count >= section.same_item_count:
                title = section.checklist[item].title if item in section.checklist else item
                return f"同一条目“{title}”当月发生 {count} 起(≥{section.same_item_count} 起)"
    return ""


def grade_rule_text(grade: Grade) -> str:
    """How a grade is reached, in words (for explanations and policy tables)."""
    parts = []
    if grade.place == "best":
        parts.append("当月最佳")
    elif grade.place == "second":
        parts.append("当月第二名")
    elif grade.place == "worst":
        parts.append("当月最差")
    if grade.min is not None:
        parts.append(f"≥{plain(grade.min)}")
    if grade.below is not None:
        parts.append(f"<{plain(grade.below)}")
    return ",".join(parts) if parts else "其余"


def _is_fail(grade: str | None, total: Decimal | None, fail_grade: str, below: Decimal) -> bool:
    if grade is not None:
        return grade == fail_grade
    return total is not None and total < below


def _earlier_fails(
    history: Sequence[HistoryEntry], period: Period, fail_grade: str, below: Decimal, sid: str
) -> int:
    count = 0
    for index, entry in enumerate(history):
        try:
            earlier = parse_any_period(entry.period)
        except ValueError as exc:
            raise InputError(str(exc), field=f"history.{sid}[{index}].period") from None
        if earlier.year != period.year:
            continue
        if earlier.kind == period.kind and earlier >= period:
            continue
        if _is_fail(entry.grade, entry.total, fail_grade, below):
            count += 1
    return count
