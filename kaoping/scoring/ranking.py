"""Team ranking (服务小组评比, seed 003): rank points per item, team grades, member grades.

Every team is ranked on each of the month's items; a team gets level × (N − rank + 1) points,
ties sharing the better rank (1, 2, 2, 4). Team grades depend on the total and on the team's
place among all teams, so the teams of a period are scored together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from .engine import accepted_keys, check_keys, grade_rule_text
from .errors import InputError
from .inputs import HistoryEntry, Member, RankingItem, Subject
from .numbers import ZERO, plain, round_half_up
from .periods import Period, parse_any_period
from .policy import ACTION_TITLES, MemberRules, Policy
from .results import MemberResult, Result

K = TypeVar("K")


def competition_ranks(values: Sequence[Decimal], *, higher_is_better: bool) -> list[int]:
    """Rank values with ties sharing the better rank: 1, 2, 2, 4."""
    ranks = []
    for value in values:
        better = sum(
            1 for other in values if (other > value if higher_is_better else other < value)
        )
        ranks.append(better + 1)
    return ranks


def ranks_by_total(totals: Mapping[K, Decimal | None]) -> dict[K, int]:
    """Competition ranks of the keys with a total, higher first (1, 2, 2, 4); no total, no rank."""
    scored = {key: total for key, total in totals.items() if total is not None}
    ranks = competition_ranks(list(scored.values()), higher_is_better=True)
    return dict(zip(scored, ranks, strict=True))


def ranking_warnings(policy: Policy, items: Sequence[RankingItem], team_count: int) -> list[str]:
    """Warn when a period's items or team count differ from what the grade thresholds assume."""
    assert policy.ranking is not None
    warnings = []
    expected = policy.ranking.expected_levels
    actual: dict[int, int] = {}
    for item in items:
        actual[item.level] = actual.get(item.level, 0) + 1
    if actual != dict(expected):
        want = "、".join(f"{n} 项 {level} 级" for level, n in sorted(expected.items()))
        have = "、".join(f"{n} 项 {level} 级" for level, n in sorted(actual.items())) or "无"
        warnings.append(f"提示:本月评比项目为 {have},等级分数线按 {want} 设定")
    if team_count != policy.ranking.expected_teams:
        warnings.append(
            f"提示:本月 {team_count} 个小组参评,等级分数线按 {policy.ranking.expected_teams} 个小组设定"
        )
    return warnings


def score_ranking(
    policy: Policy,
    period: Period,
    subjects: Sequence[Subject],
    items: Sequence[RankingItem] | None,
    history: Mapping[str, Sequence[HistoryEntry]],
) -> list[Result]:
    """Score all teams of one period together."""
    ranking = policy.ranking
    assert ranking is not None
    if items is None:
        raise InputError("排名评比须给出本月评比项目", field="ranking_items")
    if not items:
        raise InputError("至少需要一个评比项目", field="ranking_items")
    for index, item in enumerate(items):
        if item.level not in ranking.levels:
            allowed = ", ".join(str(level) for level in ranking.levels)
            raise InputError(
                f"评分级别应为 {allowed} 之一,而不是 {item.level}",
                field=f"ranking_items[{index}].level",
            )
    accepted = accepted_keys(policy, with_ledger=False)
    for subject in subjects:
        check_keys(policy, subject, accepted)
        for name in subject.values:
            if name not in {item.id for item in items}:
                raise InputError("不是本月的评比项目", subject=subject.id, field=f"values.{name}")
        for item in items:
            if item.id not in subject.values:
                raise InputError(
                    "缺少本月评比项目的数值", subject=subject.id, field=f"values.{item.id}"
                )
    n = len(subjects)
    points: list[dict[str, Decimal]] = [{} for _ in subjects]
    explains: list[list[str]] = [[] for _ in subjects]
    for item in items:
        values = [s.values[item.id] for s in subjects]
        ranks = competition_ranks(values, higher_is_better=item.better == "higher")
        for index, rank in enumerate(ranks):
            earned = Decimal(item.level * (n - rank + 1))
            points[index][item.id] = earned
            explains[index].append(
                f"{item.id}:数值 {plain(values[index])},第 {rank} 名 / {n},"
                f"{item.level} 级 × ({n} − {rank} + 1) = {plain(earned)} 分"
            )
    totals = [sum(p.values(), ZERO) for p in points]
    total_ranks = competition_ranks(totals, higher_is_better=True)
    lowest = min(totals) if totals else ZERO
    warnings = ranking_warnings(policy, items, n)
    results = []
    for index, subject in enumerate(subjects):
        total = round_half_up(totals[index], policy.rounding)
        explain = explains[index]
        explain.append(f"总分 {total:f}(第 {total_ranks[index]} 名)")
        places = set()
        if total_ranks[index] == 1:
            places.add("best")
        if total_ranks[index] == 2:
            places.add("second")
        if totals[index] == lowest:
            places.add("worst")
        result = Result(subject.id, True, explain, sections=points[index], total=total)
        for grade in policy.grades:
            if grade.matches(totals[index], frozenset(places)):
                result.grade = grade.id
                assumed = "(办法补充规定)" if grade.assumed else ""
                explain.append(f"小组等级:{grade.title}({grade_rule_text(grade)}){assumed}")
                break
        explain.extend(warnings)
        if policy.members is not None and subject.members:
            result.outcomes.members = [
                _member(
                    policy.members, period, result.grade, member, subject.id, i, history, explain
                )
                for i, member in enumerate(subject.members)
            ]
        results.append(result)
    return results


def _member(
    rules: MemberRules,
    period: Period,
    team_grade: str | None,
    member: Member,
    sid: str,
    index: int,
    history: Mapping[str, Sequence[HistoryEntry]],
    explain: list[str],
) -> MemberResult:
    where = f"members[{index}]"
    penalty = ZERO
    count = 0
    for j, etype in enumerate(member.events):
        rule = rules.events.get(etype)
        if rule is None:
            raise InputError(
                f"未知的扣分事件 '{etype}'(可选:{', '.join(rules.events)})",
                subject=sid,
                field=f"{where}.events[{j}].type",
            )
        penalty += rule.points
        count += 1
        explain.append(f"成员 {member.id}:{rule.title},扣除工作积分 {plain(rule.points)}")
    allowed = rules.grade_sets.get(team_grade or "", ())
    if member.grade is not None and member.grade not in allowed:
        raise InputError(
            f"小组等级为 {team_grade},成员等级只能是 {', '.join(allowed)}",
            subject=sid,
            field=f"{where}.grade",
        )
    if member.work_points or penalty:
        explain.append(
            f"成员 {member.id}:工作积分 {plain(member.work_points)} − {plain(penalty)} = "
            f"{plain(member.work_points - penalty)}"
        )
    if count >= rules.zero_at_events:
        actions = ["serious_warning"]
        explain.append(
            f"成员 {member.id}:一个月内扣分处罚 {count} 次(≥{rules.zero_at_events} 次),"
            f"当月绩效为 0,等级 {rules.zero_grade},{ACTION_TITLES['serious_warning']}"
        )
        if _zero_last_period(history.get(member.id, ()), period, sid, member.id):
            actions.append("probation")
            explain.append(f"成员 {member.id}:连续两个月绩效为 0,{ACTION_TITLES['probation']}")
        return MemberResult(member.id, rules.zero_grade, actions)
    if member.grade is None:
        explain.append(f"成员 {member.id}:待主管在 {', '.join(allowed)} 中评定等级")
    return MemberResult(member.id, member.grade, [])


def _zero_last_period(
    entries: Sequence[HistoryEntry], period: Period, sid: str, member_id: str
) -> bool:
    previous = period.previous()
    for index, entry in enumerate(entries):
        try:
            earlier = parse_any_period(entry.period)
        except ValueError as exc:
            raise InputError(str(exc), field=f"history.{member_id}[{index}].period") from None
        if earlier == previous and entry.total is not None and entry.total == 0:
            return True
    return False
