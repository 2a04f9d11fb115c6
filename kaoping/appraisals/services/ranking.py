"""Team ranking (服务小组评比, seed 003): the month's items, the teams' values, member grades."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import placement_on
from kaoping.org.services import NO_PERMISSION, Actor
from kaoping.periods.guard import ensure_open
from kaoping.periods.models import Period
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import Policy
from kaoping.scoring.inputs import RankingItem as RankingItemInput
from kaoping.scoring.ranking import ranking_warnings

from ..facts import appraisal_rows, scored_with
from ..models import Appraisal, MemberGrade, RankingItem, RankingValue
from .close import score_period

ITEMS_AFTER_START = _("评比项目须在 {start} 之前确定(seed 003:每月25日前确定下一月的评比项目)。")
NO_TEAMS = _("“{unit}”下没有参加本期评比的服务小组。")
BAD_LEVEL = _("评分级别应为 {levels} 之一,而不是 {level}。")
DUPLICATE_ITEM = _("评比项目 '{code}' 重复。")
TEAM_OUTSIDE = _("“{team}”不在该评比项目所属的“{unit}”之下。")
GRADE_OUTSIDE = _("小组等级为 {team_grade},成员等级只能是 {allowed}。")
NOT_A_MEMBER = _("{employee} 本期不在“{team}”。")
BAD_BETTER = _("方向应为 higher 或 lower,而不是 {better}。")
NO_ITEMS = _("本期尚未确定评比项目,小组等级未定。")


def _team_policy(period: Period, unit: OrgUnit) -> Policy:
    team = (
        Appraisal.objects.filter(
            period=period, subject_unit__path__startswith=unit.path, subject_unit__kind="team"
        )
        .select_related("policy_version__document")
        .first()
    )
    policy = engine_policy(team.policy_version) if team is not None else None
    if policy is None or policy.ranking is None:
        raise ValidationError({"unit": NO_TEAMS.format(unit=unit.name)})
    return policy


@transaction.atomic
def ranking_items_set(
    *,
    actor: Actor,
    period: Period,
    unit: OrgUnit,
    items: Sequence[tuple[str, str, int, str]],
    today: dt.date | None = None,
) -> list[str]:
    """Set the month's ranking items (code, title, level, better) of the teams under `unit`.

    Only before the month starts (seed 003). Returns lint warnings when the items or the number
    of teams differ from what the policy's grade thresholds assume.
    """
    if actor is not None and not actor.has_perm("appraisals.set_ranking", unit):
        raise PermissionDenied(NO_PERMISSION)
    if (today or timezone.localdate()) >= period.start:
        raise ValidationError({"items": ITEMS_AFTER_START.format(start=period.start)})
    policy = _team_policy(period, unit)
    assert policy.ranking is not None
    seen: set[str] = set()
    for code, _title, level, better in items:
        if code in seen:
            raise ValidationError({"items": DUPLICATE_ITEM.format(code=code)})
        seen.add(code)
        if level not in policy.ranking.levels:
            levels = ", ".join(str(n) for n in policy.ranking.levels)
            raise ValidationError({"items": BAD_LEVEL.format(levels=levels, level=level)})
        if better not in RankingItem.Better.values:
            raise ValidationError({"items": BAD_BETTER.format(better=better)})
    existing = RankingItem.objects.filter(period=period, unit=unit)
    before = [snapshot(item, ["code", "level", "better"]) for item in existing]
    RankingValue.objects.filter(item__in=existing).delete()
    existing.delete()
    created = [
        RankingItem(period=period, unit=unit, code=code, title=title, level=level, better=better)
        for code, title, level, better in items
    ]
    for item in created:
        item.full_clean()
    RankingItem.objects.bulk_create(created)
    audit_record(
        actor=actor,
        action="ranking_items.set",
        obj=unit,
        company_id=unit.company_id,
        before={"period": period.key, "items": before},
        after={"period": period.key, "items": [[c, t, lv, b] for c, t, lv, b in items]},
    )
    teams = Appraisal.objects.filter(
        period=period, subject_unit__path__startswith=unit.path, subject_unit__kind="team"
    ).count()
    inputs = [RankingItemInput(code, level, better) for code, _, level, better in items]  # type: ignore[arg-type]
    return ranking_warnings(policy, inputs, teams)


@transaction.atomic
def ranking_value_set(
    *, actor: Actor, item: RankingItem, team: OrgUnit, value: Decimal
) -> RankingValue:
    """Record a team's value on one of the month's ranking items."""
    if actor is not None and not actor.has_perm("appraisals.set_ranking", item.unit):
        raise PermissionDenied(NO_PERMISSION)
    if not team.is_within(item.unit):
        raise ValidationError({"team": TEAM_OUTSIDE.format(team=team.name, unit=item.unit.name)})
    ensure_open(company_id=team.company_id, day=item.period.end, field="value", unit_path=team.path)
    found = RankingValue.objects.filter(item=item, team=team).first()
    before = snapshot(found) if found is not None else None
    row = found or RankingValue(item=item, team=team)
    row.value = value
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="ranking_value.set",
        obj=row,
        company_id=team.company_id,
        before=before,
        after=snapshot(row),
    )
    return row


@transaction.atomic
def member_grade_set(
    *, actor: Actor, appraisal: Appraisal, employee: Employee, grade: str
) -> MemberGrade:
    """The supervisor picks a member's grade within the set the team's grade allows (seed 003)."""
    team = appraisal.subject_unit
    if team is None or actor is None or not actor.has_perm("appraisals.manage_entries", team):
        raise PermissionDenied(NO_PERMISSION)
    period = appraisal.period
    ensure_open(company_id=appraisal.company_id, day=period.end, field="grade", unit_path=team.path)
    placement = placement_on(employee=employee, day=period.end) or placement_on(
        employee=employee, day=period.start
    )
    if placement is None or placement.unit_id != team.pk:
        raise ValidationError({"employee": NOT_A_MEMBER.format(employee=employee, team=team.name)})
    policy = engine_policy(appraisal.policy_version)
    assert policy.members is not None
    teams = scored_with(appraisal)
    if teams is None:
        raise ValidationError({"grade": NO_ITEMS})
    team_grade = score_period(period, appraisal_rows(teams), workers=1).scored[appraisal.pk].grade
    allowed = policy.members.grade_sets.get(team_grade, ())
    if grade not in allowed:
        raise ValidationError(
            {
                "grade": GRADE_OUTSIDE.format(
                    team_grade=team_grade or "—", allowed="、".join(allowed) or "—"
                )
            }
        )
    found = MemberGrade.objects.filter(appraisal=appraisal, employee=employee).first()
    before = snapshot(found) if found is not None else None
    row = found or MemberGrade(appraisal=appraisal, employee=employee)
    row.grade = grade
    row.set_by = actor
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="member_grade.set",
        obj=row,
        company_id=appraisal.company_id,
        before=before,
        after=snapshot(row),
    )
    return row
