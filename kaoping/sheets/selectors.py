"""Reads behind the exports: the appraisal form (考核表), the violation summary (违规处理情况汇总)
and the team ranking (服务小组评比), each through the owning apps' selectors with a viewer.

A closed appraisal shows its current frozen result; an open one is scored now, exactly as the
close preview scores it. Nothing outside the viewer's scope appears.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.appeals.selectors import period_window
from kaoping.appraisals.models import (
    Appraisal,
    InterviewNote,
    RankingItem,
    RankingValue,
    ScoreEntry,
)
from kaoping.appraisals.selectors import (
    appraisal_list,
    period_preview,
    rating_list,
    result_list,
    score_entry_list,
)
from kaoping.inspections.models import Finding
from kaoping.inspections.selectors import finding_list
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import employee_list, placement_list
from kaoping.periods.models import Period
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import Policy
from kaoping.scoring.numbers import plain
from kaoping.scoring.policy import ACTION_TITLES, RATER_TITLES, SEVERITY_TITLES, Section
from kaoping.scoring.ranking import ranks_by_total

Viewer = Any  # a user, SYSTEM (the command line) or None


# --- shared --------------------------------------------------------------------------------------


def _scored(
    *, viewer: Viewer, period: Period, appraisals: Iterable[Appraisal]
) -> dict[int, dict[str, Any]]:
    """The engine result of each appraisal, by appraisal id: the current frozen result when it
    is closed, else scored now (as the close preview does). Appraisals that cannot be scored
    yet map to {}."""
    wanted = list(appraisals)
    data: dict[int, dict[str, Any]] = {}
    closed = [a.pk for a in wanted if a.status == Appraisal.Status.CLOSED]
    if closed:
        for result in result_list(viewer=viewer, period=period).filter(appraisal_id__in=closed):
            data[result.appraisal_id] = dict(result.data)
    still_open = [a.pk for a in wanted if a.status == Appraisal.Status.OPEN]
    if still_open:
        for row in period_preview(viewer=viewer, period=period, appraisal_ids=still_open):
            data[row.appraisal_id] = dict(row.data)
    return data


def _positions(*, viewer: Viewer, employee_ids: Iterable[int], on: dt.date) -> dict[int, str]:
    """Each employee's position (岗位) on a day, by employee id."""
    names: dict[int, str] = {}
    placements = (
        placement_list(viewer=viewer)
        .filter(employee_id__in=list(employee_ids), start__lte=on)
        .order_by("start")
    )
    for placement in placements:
        if placement.end is None or placement.end >= on:
            names[placement.employee_id] = placement.position.name
    return names


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _actions(outcomes: Mapping[str, Any]) -> list[str]:
    return [ACTION_TITLES.get(action, action) for action in outcomes.get("actions", [])]


# --- the appraisal form (考核表) ------------------------------------------------------------------


@dataclass(frozen=True)
class FormLine:
    """One row of the form: a section (考核项目) or rating item with its maximum (分值), the
    standard, the violations recorded, each rater's score and the score it counts for."""

    number: int
    section: str
    title: str
    standard: str
    max: Decimal
    records: tuple[str, ...]
    ratings: Mapping[str, Decimal]
    score: Decimal | None


@dataclass(frozen=True)
class FormEntry:
    """A bonus (嘉奖加分) or adjustment (奖扣分) with its reason."""

    kind: str
    value: Decimal
    reason: str
    approved: bool
    rejected: bool = False


@dataclass(frozen=True)
class AppraisalForm:
    """What the paper 考核表 of one person in one period shows."""

    company: str
    period: str
    policy: str
    policy_version: int
    number: str
    name: str
    unit: str
    position: str
    supervisor: str
    closed: bool
    revision: int | None
    raters: tuple[str, ...]  # rater roles, in the policy's order
    combination: str  # 实评 = 自评 × 30% + 直接上级评 × 70% + 奖扣分, or the review chain
    lines: tuple[FormLine, ...]
    entries: tuple[FormEntry, ...]
    evaluated: bool
    total: Decimal | None
    grade: str
    pay_ratio: Decimal | None
    penalty_points: Decimal | None
    fine: Decimal | None
    supervisor_fine: Decimal | None
    actions: tuple[str, ...]
    interviews: tuple[str, ...]
    employee_signed_at: dt.datetime | None
    rater_signed_at: dt.datetime | None
    rater_signed_by: str
    explain: tuple[str, ...]
    problem: str = ""  # why an open appraisal cannot be scored yet


def section_standard(section: Section) -> str:
    """The 考核标准 of a section in one or a few lines."""
    lines = [
        f"{SEVERITY_TITLES[severity]} {plain(bounds.low)}–{plain(bounds.high)} 分"
        for severity, bounds in section.severities.items()
    ]
    lines += [f"{item.title} −{plain(item.points)}" for item in section.checklist.values()]
    lines += [f"{event.title} −{plain(event.points)}" for event in section.events.values()]
    lines += [rule.title for rule in section.metric_rules]
    lines += [band.label() for band in section.bands]
    lines += [f"{level.title} {plain(level.points)}" for level in section.levels.values()]
    if not lines and section.description:
        lines.append(section.description)
    return ";".join(lines)


def _combination(policy: Policy) -> str:
    combination = policy.combination
    if combination is None:
        return ""
    if combination.kind == "weights":
        parts = [
            f"{RATER_TITLES[rater]} × {plain(weight * 100)}%"
            for rater, weight in combination.weights.items()
        ]
        if policy.adjustment is not None:
            parts.append(policy.adjustment.title)
        return _("实评 = {parts}").format(parts=" + ".join(parts))
    return _("审核链:{chain}(以最后签核人为准)").format(
        chain=" → ".join(RATER_TITLES[rater] for rater in combination.chain)
    )


def _finding_line(finding: Finding) -> str:
    """A finding as the form's 违规情况记录 shows it: “10-05 严重违规 −4 接待台无人值守”."""
    day = timezone.localdate(finding.occurred_at)
    severity = SEVERITY_TITLES.get(finding.severity, "")
    parts = [f"{day:%m-%d}"]
    if finding.item:
        parts.append(finding.item)
    if severity:
        parts.append(severity)
    parts.append(f"−{plain(finding.points)}")
    parts.append(finding.description)
    return " ".join(parts)


def appraisal_forms(
    *,
    viewer: Viewer,
    period: Period,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
) -> list[AppraisalForm]:
    """The 考核表 of every employee appraised in `period` that the viewer may see (within
    `unit`'s subtree, or only `employee`), in unit and 工号 order."""
    appraisals = appraisal_list(viewer=viewer, period=period).filter(employee__isnull=False)
    if unit is not None:
        appraisals = appraisals.filter(unit__path__startswith=unit.path)
    if employee is not None:
        appraisals = appraisals.filter(employee=employee)
    found = list(
        appraisals.select_related(
            "supervisor", "rater_signed_by", "policy_version__document", "company"
        ).order_by("unit__path", "employee__number")
    )
    if not found:
        return []
    ids = [a.pk for a in found]
    scored = _scored(viewer=viewer, period=period, appraisals=found)
    revisions = dict(
        result_list(viewer=viewer, period=period)
        .filter(appraisal_id__in=ids)
        .values_list("appraisal_id", "revision")
    )
    ratings: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    for rating in rating_list(viewer=viewer).filter(appraisal_id__in=ids):
        ratings[rating.appraisal_id][(rating.rater_role, rating.item)] = rating.value  # latest
    entries: dict[int, list[ScoreEntry]] = defaultdict(list)
    for entry in score_entry_list(viewer=viewer).filter(appraisal_id__in=ids):
        entries[entry.appraisal_id].append(entry)
    notes: dict[int, list[InterviewNote]] = defaultdict(list)
    for note in (
        InterviewNote.objects.filter(appraisal_id__in=ids).select_related("author").order_by("at")
    ):
        notes[note.appraisal_id].append(note)
    start, end = period_window(period)
    records: dict[int, list[Finding]] = defaultdict(list)
    for finding in (
        finding_list(viewer=viewer)
        .filter(
            employee_id__in=[a.employee_id for a in found],
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by("occurred_at", "id")
    ):
        assert finding.employee_id is not None
        records[finding.employee_id].append(finding)
    positions = _positions(
        viewer=viewer, employee_ids=(a.employee_id for a in found if a.employee_id), on=period.end
    )
    return [
        _form(
            appraisal,
            data=scored.get(appraisal.pk, {}),
            revision=revisions.get(appraisal.pk),
            ratings=ratings.get(appraisal.pk, {}),
            entries=entries.get(appraisal.pk, []),
            notes=notes.get(appraisal.pk, []),
            findings=records.get(appraisal.employee_id or 0, []),
            position=positions.get(appraisal.employee_id or 0, ""),
        )
        for appraisal in found
    ]


def _form(
    appraisal: Appraisal,
    *,
    data: Mapping[str, Any],
    revision: int | None,
    ratings: Mapping[tuple[str, str], Decimal],
    entries: list[ScoreEntry],
    notes: list[InterviewNote],
    findings: list[Finding],
    position: str,
) -> AppraisalForm:
    policy = engine_policy(appraisal.policy_version)
    raters = policy.combination.raters if policy.combination is not None else ()
    by_section: dict[str, list[str]] = defaultdict(list)
    for finding in findings:
        by_section[finding.section].append(_finding_line(finding))
    sections = data.get("sections", {}) or {}
    lines = []
    for number, section in enumerate(policy.sections, start=1):
        lines.append(
            FormLine(
                number=number,
                section=section.id,
                title=section.title,
                standard=section_standard(section),
                max=section.max,
                records=tuple(by_section.get(section.id, [])),
                ratings={
                    rater: ratings[(rater, section.id)]
                    for rater in raters
                    if (rater, section.id) in ratings
                },
                score=_decimal(sections.get(section.id)),
            )
        )
    outcomes: Mapping[str, Any] = data.get("outcomes", {}) or {}
    error = data.get("error") or {}
    assert appraisal.employee is not None
    return AppraisalForm(
        company=appraisal.company.name,
        period=appraisal.period.key,
        policy=policy.title,
        policy_version=policy.version,
        number=appraisal.employee.number,
        name=appraisal.employee.name,
        unit=appraisal.unit.name,
        position=position,
        supervisor=appraisal.supervisor.name if appraisal.supervisor else "",
        closed=appraisal.status == Appraisal.Status.CLOSED,
        revision=revision,
        raters=tuple(raters),
        combination=_combination(policy),
        lines=tuple(lines),
        entries=tuple(
            FormEntry(
                kind=entry.get_kind_display(),
                value=entry.value,
                reason=entry.reason,
                approved=entry.approved_at is not None,
                rejected=entry.rejected_at is not None,
            )
            for entry in entries
        ),
        evaluated=bool(data.get("evaluated", False)),
        total=_decimal(data.get("total")),
        grade=policy.grade_place(data.get("grade"))[1],
        pay_ratio=_decimal(outcomes.get("pay_ratio")),
        penalty_points=_decimal(outcomes.get("penalty_points")),
        fine=_decimal(outcomes.get("fine")),
        supervisor_fine=_decimal(outcomes.get("supervisor_fine")),
        actions=tuple(_actions(outcomes)),
        interviews=tuple(note.text for note in notes),
        employee_signed_at=appraisal.employee_signed_at,
        rater_signed_at=appraisal.rater_signed_at,
        rater_signed_by=_signer(appraisal),
        explain=tuple(data.get("explain", []) or []),
        problem=str(error.get("message", "")) if isinstance(error, Mapping) else "",
    )


def _signer(appraisal: Appraisal) -> str:
    user = appraisal.rater_signed_by
    if user is None:
        return ""
    employee = Employee.objects.filter(user_id=user.pk).first()
    return employee.name if employee is not None else user.get_username()


# --- the violation summary (违规处理情况汇总) -------------------------------------------------------


@dataclass(frozen=True)
class ViolationLine:
    """One finding on a person (违规明细)."""

    occurred_at: dt.datetime
    number: str
    name: str
    unit: str
    section: str
    item: str
    severity: str
    points: Decimal
    description: str
    inspector: str
    notice: str
    notice_status: str


@dataclass(frozen=True)
class ViolationPerson:
    """One person's month: violations, points, the performance-pay deduction and what follows."""

    number: str
    name: str
    unit: str
    count: int
    violations: tuple[str, ...]
    points: Decimal
    fine: Decimal | None
    supervisor_fine: Decimal | None
    actions: tuple[str, ...]
    notices: tuple[str, ...]


@dataclass(frozen=True)
class ViolationSummary:
    company: str
    period: str
    unit: str
    closed: bool
    people: tuple[ViolationPerson, ...] = ()
    lines: tuple[ViolationLine, ...] = field(default_factory=tuple)


def _notice_status(finding: Finding) -> str:
    notice = getattr(finding, "fault_notice", None)
    if notice is None:
        return ""
    if notice.acknowledged_at is not None:
        return _("已签收")
    if notice.disputed_at is not None:
        return _("有异议")
    return _("未签收")


def violation_summary(
    *, viewer: Viewer, period: Period, unit: OrgUnit | None = None
) -> ViolationSummary:
    """The month's violations on people (员工违规) in `unit`'s subtree that the viewer may read,
    per person with the penalty ledger's outcome (绩效扣减, 直属上司连带, 公布张贴 …), and line by
    line. The ledger comes from the frozen results once closed, else from scoring now."""
    start, end = period_window(period)
    findings = (
        finding_list(viewer=viewer)
        .filter(
            company_id=period.company_id,
            employee__isnull=False,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .select_related("fault_notice", "inspection__inspector")
        .order_by("employee__number", "occurred_at", "id")
    )
    if unit is not None:
        findings = findings.filter(unit__path__startswith=unit.path)
    found = list(findings)
    appraisals = list(
        appraisal_list(viewer=viewer, period=period).filter(
            employee_id__in={f.employee_id for f in found}
        )
    )
    scored = _scored(viewer=viewer, period=period, appraisals=appraisals)
    outcomes_of = {a.employee_id: scored.get(a.pk, {}).get("outcomes", {}) for a in appraisals}
    inspectors = _inspector_names(found)
    policies: dict[int, Policy] = {}
    lines = []
    by_person: dict[int, list[Finding]] = defaultdict(list)
    for finding in found:
        assert finding.employee is not None and finding.employee_id is not None
        if finding.policy_version_id not in policies:
            policies[finding.policy_version_id] = engine_policy(finding.policy_version)
        section = policies[finding.policy_version_id].section(finding.section)
        by_person[finding.employee_id].append(finding)
        notice = getattr(finding, "fault_notice", None)
        lines.append(
            ViolationLine(
                occurred_at=finding.occurred_at,
                number=finding.employee.number,
                name=finding.employee.name,
                unit=finding.unit.name,
                section=section.title if section is not None else finding.section,
                item=policies[finding.policy_version_id].item_title(finding.section, finding.item),
                severity=SEVERITY_TITLES.get(finding.severity, ""),
                points=finding.points,
                description=finding.description,
                inspector=inspectors.get(finding.inspection.inspector_id, ""),
                notice=notice.number if notice is not None else "",
                notice_status=_notice_status(finding),
            )
        )
    people = []
    for employee_id, own in by_person.items():
        first = own[0]
        assert first.employee is not None
        outcomes = outcomes_of.get(employee_id, {}) or {}
        person_lines = [line for line in lines if line.number == first.employee.number]
        people.append(
            ViolationPerson(
                number=first.employee.number,
                name=first.employee.name,
                unit=first.unit.name,
                count=len(own),
                violations=tuple(
                    f"{timezone.localdate(line.occurred_at):%m-%d} {line.section} "
                    f"−{plain(line.points)} {line.description}"
                    for line in person_lines
                ),
                points=sum((f.points for f in own), Decimal(0)),
                fine=_decimal(outcomes.get("fine")),
                supervisor_fine=_decimal(outcomes.get("supervisor_fine")),
                actions=tuple(_actions(outcomes)),
                notices=tuple(line.notice for line in person_lines if line.notice),
            )
        )
    return ViolationSummary(
        company=period.company.name,
        period=period.key,
        unit=unit.name if unit is not None else period.company.name,
        closed=period.is_closed,
        people=tuple(people),
        lines=tuple(lines),
    )


def _inspector_names(findings: list[Finding]) -> dict[int, str]:
    """The inspectors' names: their staff record's name, else the login name."""
    users = {f.inspection.inspector_id: f.inspection.inspector for f in findings}
    names = {user_id: user.get_username() for user_id, user in users.items()}
    for employee in Employee.objects.filter(user_id__in=list(users)):
        assert employee.user_id is not None
        names[employee.user_id] = employee.name
    return names


# --- the team ranking (服务小组评比) ----------------------------------------------------------------


@dataclass(frozen=True)
class RankingColumn:
    code: str
    title: str
    level: int
    better: str


@dataclass(frozen=True)
class RankedTeam:
    rank: int | None
    code: str
    name: str
    values: Mapping[str, Decimal]
    points: Mapping[str, Decimal]
    total: Decimal | None
    grade: str
    members: tuple[tuple[str, str, str], ...]  # (工号, 姓名, 等级)


@dataclass(frozen=True)
class RankingTable:
    """The teams ranked together under the unit that set the month's items."""

    unit: str
    period: str
    items: tuple[RankingColumn, ...]
    teams: tuple[RankedTeam, ...]
    closed: bool = False  # every team's result frozen (else live, from the current records)


def team_rankings(
    *, viewer: Viewer, period: Period, unit: OrgUnit | None = None
) -> list[RankingTable]:
    """The month's team ranking (service-group-ranking results) of the teams the viewer may
    see, one table per unit that set ranking items (within `unit`'s subtree)."""
    teams: QuerySet[Appraisal] = appraisal_list(viewer=viewer, period=period).filter(
        subject_unit__kind=OrgUnit.Kind.TEAM
    )
    if unit is not None:
        teams = teams.filter(subject_unit__path__startswith=unit.path)
    found = list(teams.select_related("subject_unit", "policy_version__document"))
    if not found:
        return []
    items = list(
        RankingItem.objects.filter(period=period)
        .select_related("unit")
        .order_by("unit__path", "id")
    )
    owners = sorted({item.unit for item in items}, key=lambda u: len(u.path), reverse=True)
    groups: dict[int, list[Appraisal]] = defaultdict(list)
    for appraisal in found:
        assert appraisal.subject_unit is not None
        owner = next((u for u in owners if appraisal.subject_unit.path.startswith(u.path)), None)
        if owner is not None:
            groups[owner.pk].append(appraisal)
    scored = _scored(viewer=viewer, period=period, appraisals=found)
    values: dict[tuple[int, int | None], Decimal] = {
        (value.item_id, value.team_id): value.value
        for value in RankingValue.objects.filter(
            item__in=items, team_id__in=[a.subject_unit_id for a in found]
        )
    }
    numbers = {
        m.get("id")
        for data in scored.values()
        for m in (data.get("outcomes", {}) or {}).get("members", [])
    }
    names = dict(
        employee_list(viewer=viewer)
        .filter(company_id=period.company_id, number__in=[n for n in numbers if n])
        .values_list("number", "name")
    )
    tables = []
    for owner in sorted(owners, key=lambda u: u.path):
        members = groups.get(owner.pk, [])
        if not members:
            continue
        own_items = [item for item in items if item.unit_id == owner.pk]
        totals = {a.pk: _decimal(scored.get(a.pk, {}).get("total")) for a in members}
        ranks = ranks_by_total(totals)
        rows = []
        for appraisal in members:
            assert appraisal.subject_unit is not None
            data = scored.get(appraisal.pk, {})
            policy = engine_policy(appraisal.policy_version)
            sections = data.get("sections", {}) or {}
            rows.append(
                RankedTeam(
                    rank=ranks.get(appraisal.pk),
                    code=appraisal.subject_unit.code,
                    name=appraisal.subject_unit.name,
                    values={
                        item.code: values[(item.pk, appraisal.subject_unit_id)]
                        for item in own_items
                        if (item.pk, appraisal.subject_unit_id) in values
                    },
                    points={
                        code: points
                        for code, raw in sections.items()
                        if (points := _decimal(raw)) is not None
                    },
                    total=totals[appraisal.pk],
                    grade=policy.grade_place(data.get("grade"))[1],
                    members=tuple(
                        (m["id"], names.get(m["id"], ""), m.get("grade") or "")
                        for m in (data.get("outcomes", {}) or {}).get("members", [])
                    ),
                )
            )
        rows.sort(key=lambda team: (team.rank is None, team.rank or 0, team.code))
        above = (
            OrgUnit.objects.filter(pk=owner.parent_id).values_list("name", flat=True).first()
            if owner.parent_id is not None
            else None
        )
        tables.append(
            RankingTable(
                unit=f"{above} {owner.name}" if above else owner.name,
                period=period.key,
                items=tuple(
                    RankingColumn(item.code, item.title, item.level, item.better)
                    for item in own_items
                ),
                teams=tuple(rows),
                closed=all(a.status == Appraisal.Status.CLOSED for a in members),
            )
        )
    return tables
