"""Reads behind the managers' dashboards and the reports page (issue #5), each scoped to the
viewer and aggregated in the database (values() + annotate), so that the number of queries and
the rows read stay bounded whatever the number of findings, results or survey responses:

- `ranking_board`: the month's team ranking (服务小组评比) per ranking unit, with its chart data;
- `unit_satisfaction`: survey satisfaction (满意率) per unit over the latest months;
- `inspection_coverage`: inspections done against the active inspection plans (检查计划);
- `rater_consistency`: per rater (the appraisal's direct supervisor) in a closed period;
- `violation_people`: the violation summary's per-person lines for one page of people.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.appeals.models import FindingCorrection
from kaoping.appeals.selectors import period_window
from kaoping.appraisals.models import Appraisal, RankingItem
from kaoping.appraisals.selectors import appraisal_list, result_list
from kaoping.inspections.selectors import finding_list, inspection_list, inspection_plan_list
from kaoping.operations.models import SurveyLevel
from kaoping.operations.selectors import survey_response_list
from kaoping.org.models import OrgUnit
from kaoping.periods.models import Period
from kaoping.policies.selectors import engine_policy
from kaoping.scoring.policy import ACTION_TITLES
from kaoping.scoring.ranking import ranks_by_total

Viewer = Any  # a user, SYSTEM or None: each app's selector decides what it may read
Chart = dict[str, list[Any]]  # {"labels": [...], "counts": [...]} for a json_script bar chart
ONE_PLACE = Decimal("0.1")
SATISFIED = (SurveyLevel.VERY_SATISFIED.value, SurveyLevel.SATISFIED.value)


def _share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole in per cent, one decimal place (None when there is no whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- team ranking (服务小组评比) -------------------------------------------------------------------


@dataclass(frozen=True)
class RankingBoard:
    """The month's team ranking tables with a bar chart's data each (total per team)."""

    period: Period
    live: bool  # 实时: the period is open, the teams are scored now
    tables: list[Any]  # kaoping.sheets.selectors.RankingTable
    charts: list[dict[str, list[Any]]]

    @property
    def pairs(self) -> list[tuple[Any, dict[str, list[Any]], list[tuple[Any, list[Any]]]]]:
        """(table, chart, rows): each row a team with its (value, points) per ranking item."""
        return [
            (
                table,
                chart,
                [
                    (
                        team,
                        [
                            (team.values.get(item.code), team.points.get(item.code))
                            for item in table.items
                        ],
                    )
                    for team in table.teams
                ],
            )
            for table, chart in zip(self.tables, self.charts, strict=True)
        ]


def ranking_board(*, viewer: Viewer, period: Period) -> RankingBoard:
    """The team ranking of `period` as `kaoping export ranking` writes it (the frozen results
    once closed, else scored now), only the teams the viewer may see."""
    from kaoping.sheets.selectors import team_rankings

    tables = team_rankings(viewer=viewer, period=period)
    charts: list[Chart] = [
        {
            "labels": [team.name for team in table.teams],
            "counts": [float(team.total) if team.total is not None else 0 for team in table.teams],
        }
        for table in tables
    ]
    return RankingBoard(period=period, live=not period.is_closed, tables=tables, charts=charts)


@dataclass(frozen=True)
class CardTeam:
    rank: int | None
    code: str
    name: str
    total: Decimal | None
    grade: str


@dataclass(frozen=True)
class CardTable:
    """One ranking unit's teams for the dashboard card, with the bar chart's data."""

    unit: str
    teams: list[CardTeam]
    chart: Chart


def ranking_card(*, viewer: Viewer, period: Period) -> list[CardTable]:
    """The frozen team ranking of a closed month for the dashboard card: per unit that set the
    month's ranking items, the teams the viewer may see by place, with total and grade, as the
    publication page shows them (`ranking_board`), read from the current results' columns
    without decoding their explanations. Three queries whatever the number of teams."""
    from kaoping.appraisals.facts import engine_policies

    teams = list(
        result_list(viewer=viewer, period=period)
        .filter(employee__isnull=True, unit__kind=OrgUnit.Kind.TEAM)
        .order_by()
        .values_list(
            "unit__code", "unit__name", "unit__path", "data__total", "grade", "policy_version_id"
        )
    )
    if not teams:
        return []
    owners = sorted(
        set(
            RankingItem.objects.filter(period=period)
            .order_by()
            .values_list("unit__path", "unit__name", "unit__parent__name")
        )
    )
    policies = engine_policies(version for *_rest, version in teams)
    grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for team in teams:
        owner = max(
            (o for o in owners if team[2].startswith(o[0])), key=lambda o: len(o[0]), default=None
        )
        if owner is not None:
            grouped[owner[0]].append(team)
    tables = []
    for path, name, above in owners:
        members = grouped.get(path)
        if not members:
            continue
        totals = {
            code: Decimal(str(total)) if total not in (None, "") else None
            for code, _name, _path, total, _grade, _version in members
        }
        ranks = ranks_by_total(totals)
        rows = sorted(
            (
                CardTeam(
                    rank=ranks.get(code),
                    code=code,
                    name=team_name,
                    total=totals[code],
                    grade=policies[version].grade_place(grade)[1] if version in policies else grade,
                )
                for code, team_name, _path, _total, grade, version in members
            ),
            key=lambda team: (team.rank is None, team.rank or 0, team.code),
        )
        tables.append(
            CardTable(
                unit=f"{above} {name}" if above else name,
                teams=rows,
                chart={
                    "labels": [team.name for team in rows],
                    "counts": [float(team.total) if team.total is not None else 0 for team in rows],
                },
            )
        )
    return tables


# --- unit satisfaction (满意度) ---------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionRow:
    unit: str
    path: str
    months: list[tuple[int, Decimal | None]]  # (responses, 满意率 %) per month, oldest first


@dataclass(frozen=True)
class Satisfaction:
    months: list[str]  # "YYYY-MM", oldest first
    rows: list[SatisfactionRow]
    chart: dict[str, list[Any]]  # the latest month's rate per unit


def unit_satisfaction(*, viewer: Viewer, periods: Sequence[Period]) -> Satisfaction:
    """Survey responses (满意度调查) of the viewer's units in the given months, per unit and
    month: how many, and the share answering 很满意 or 基本满意 (满意率). One query."""
    ordered = sorted(periods, key=lambda p: p.start)
    if not ordered:
        return Satisfaction(months=[], rows=[], chart={"labels": [], "counts": []})
    grouped = (
        survey_response_list(viewer=viewer, date_from=ordered[0].start, date_to=ordered[-1].end)
        .filter(company_id__in={p.company_id for p in ordered})
        .order_by()
        .annotate(month=TruncMonth("answered_on"))
        .values_list("unit_id", "unit__name", "unit__path", "month")
        .annotate(
            total=Count("id"),
            satisfied=Count("id", filter=Q(level__in=SATISFIED)),
        )
    )
    keys = [p.key for p in ordered]
    found: dict[int, tuple[str, str, dict[str, tuple[int, int]]]] = {}
    for unit_id, name, path, month, total, satisfied in grouped:
        key = f"{month:%Y-%m}"
        entry = found.setdefault(unit_id, (name, path, {}))
        before = entry[2].get(key, (0, 0))
        entry[2][key] = (before[0] + total, before[1] + satisfied)
    rows = []
    for name, path, counts in sorted(found.values(), key=lambda entry: entry[1]):
        months = []
        for key in keys:
            total, satisfied = counts.get(key, (0, 0))
            months.append((total, _share(satisfied, total)))
        rows.append(SatisfactionRow(unit=name, path=path, months=months))
    latest = [row for row in rows if row.months[-1][1] is not None]
    chart: Chart = {
        "labels": [row.unit for row in latest],
        "counts": [float(row.months[-1][1] or 0) for row in latest],
    }
    return Satisfaction(months=keys, rows=rows, chart=chart)


# --- inspection coverage (检查计划完成情况) -----------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    unit: str
    path: str
    kind: str
    frequency: str  # 2 次/每日
    planned: Decimal  # inspections the plan asks for in the month
    done: int

    @property
    def share(self) -> Decimal | None:
        return _share(self.done, self.planned)


@dataclass(frozen=True)
class Coverage:
    period: Period
    rows: list[CoverageRow]
    chart: dict[str, list[Any]]  # coverage % per unit (each plan counted up to its plan)
    to_date: bool  # the month runs: planned up to today

    @property
    def planned(self) -> Decimal:
        return sum((row.planned for row in self.rows), Decimal(0))

    @property
    def done(self) -> int:
        return sum(row.done for row in self.rows)


DAYS_PER = {"day": 1, "week": 7}


def planned_in_month(
    times: int, every: str, period: Period, today: dt.date | None = None
) -> Decimal:
    """How many inspections a plan of `times` per `every` asks for in the month of `period`, up
    to `today` while the month runs (pro rata by day): per day × days, per week × days / 7, per
    month × days / the month's days, per quarter × days / (3 × the month's days). One decimal
    place, rounded half up."""
    month_days = (period.end - period.start).days + 1
    days = month_days
    if today is not None and period.start <= today <= period.end:
        days = (today - period.start).days + 1
    per = DAYS_PER.get(every) or (3 * month_days if every == "quarter" else month_days)
    planned = Decimal(times * days) / per
    return planned.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def inspection_coverage(
    *, viewer: Viewer, period: Period, today: dt.date | None = None
) -> Coverage:
    """The active inspection plans of the viewer's units against the inspections done in the
    month (to date while it runs): those recorded under the plan, and those of the plan's kind
    recorded without a plan in the plan unit's subtree (the innermost plan of that kind counts
    them). Two queries; the inspections are counted in the database, grouped by plan, kind and
    unit."""
    today = today or timezone.localdate()
    plans = list(
        inspection_plan_list(viewer=viewer, active=True).filter(company_id=period.company_id)
    )
    start, end = period_window(period)
    grouped = (
        inspection_list(viewer=viewer, start=start, end=end)
        .filter(company_id=period.company_id)
        .order_by()
        .values_list("plan_id", "kind", "unit__path")
        .annotate(count=Count("id"))
    )
    by_plan = {plan.pk: plan for plan in plans}
    done: dict[int, int] = defaultdict(int)
    for plan_id, kind, path, count in grouped:
        if plan_id in by_plan:
            done[plan_id] += count
            continue
        if plan_id is not None:
            continue  # under a plan the viewer does not see, or no longer active
        owner = max(
            (p for p in plans if p.kind == kind and path.startswith(p.unit.path)),
            key=lambda p: len(p.unit.path),
            default=None,
        )
        if owner is not None:
            done[owner.pk] += count
    rows = [
        CoverageRow(
            unit=plan.unit.name,
            path=plan.unit.path,
            kind=plan.get_kind_display(),
            frequency=_("{times} 次/{period}").format(
                times=plan.times, period=plan.get_period_display()
            ),
            planned=planned_in_month(plan.times, plan.period, period, today),
            done=done.get(plan.pk, 0),
        )
        for plan in plans
    ]
    rows.sort(key=lambda row: (row.path, row.kind))
    per_unit: dict[str, tuple[str, Decimal, Decimal]] = {}
    for row in rows:
        name, planned, count = per_unit.get(row.path, (row.unit, Decimal(0), Decimal(0)))
        per_unit[row.path] = (
            name,
            planned + row.planned,
            count + min(Decimal(row.done), row.planned),
        )
    chart_rows = [
        (name, share)
        for name, planned, count in per_unit.values()
        if (share := _share(count, planned)) is not None
    ]
    chart: Chart = {
        "labels": [name for name, _share_ in chart_rows],
        "counts": [float(share) for _name, share in chart_rows],
    }
    return Coverage(
        period=period, rows=rows, chart=chart, to_date=period.start <= today <= period.end
    )


# --- rater consistency (评分一致性) ---------------------------------------------------------------


@dataclass(frozen=True)
class RaterRow:
    """One rater (the direct supervisor of the appraisals) in one department."""

    rater: str
    number: str
    unit: str  # the department their appraisals are compared within
    rated: int
    mean: Decimal | None
    spread: Decimal | None  # the standard deviation of their totals
    unit_mean: Decimal | None
    top: int  # results with the policy's best grade
    graded: int  # results under a policy with grades
    findings: int  # findings they recorded in the period
    overturned: int  # of which an upheld appeal voided or changed

    @property
    def difference(self) -> Decimal | None:
        if self.mean is None or self.unit_mean is None:
            return None
        return self.mean - self.unit_mean

    @property
    def top_share(self) -> Decimal | None:
        return _share(self.top, self.graded)

    @property
    def overturned_share(self) -> Decimal | None:
        return _share(self.overturned, self.findings)


def _department(path: str, departments: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The innermost department containing `path` (path, name), else ("", "")."""
    best = ("", "")
    for dept_path, name in departments:
        if path.startswith(dept_path) and len(dept_path) > len(best[0]):
            best = (dept_path, name)
    return best


def _mean(total: Decimal, count: int) -> Decimal | None:
    return (total / count).quantize(ONE_PLACE, rounding=ROUND_HALF_UP) if count else None


def rater_consistency(*, viewer: Viewer, period: Period) -> list[RaterRow]:
    """Per rater of the period's current results in the viewer's scope (the appraisal's direct
    supervisor): how many they rated, the mean and spread of the totals, the mean of every
    result in the same department, the share with the policy's best grade, and the share of
    the findings they recorded in the period that upheld appeals overturned. Five queries,
    whatever the number of results and findings."""
    results = result_list(viewer=viewer, period=period).filter(
        evaluated=True, total__isnull=False, employee__isnull=False
    )
    grouped = list(
        results.order_by()
        .values_list(
            "appraisal__supervisor_id",
            "appraisal__supervisor__name",
            "appraisal__supervisor__number",
            "appraisal__supervisor__user_id",
            "unit__path",
            "policy_version_id",
            "grade",
        )
        .annotate(count=Count("id"), sum=Sum("total"), squares=Sum(F("total") * F("total")))
    )
    if not grouped:
        return []
    departments = list(
        OrgUnit.objects.filter(
            company_id=period.company_id, kind=OrgUnit.Kind.DEPARTMENT
        ).values_list("path", "name")
    )
    from kaoping.policies.models import PolicyVersion

    versions = PolicyVersion.objects.select_related("document").in_bulk({row[5] for row in grouped})
    best = {
        pk: (policy.grades[0].id if policy is not None and policy.grades else None)
        for pk, version in versions.items()
        for policy in [engine_policy(version)]
    }
    unit_totals: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    raters: dict[tuple[int, str], dict[str, Any]] = {}
    for rater_id, name, number, user_id, path, version, grade, count, total, squares in grouped:
        dept_path, dept_name = _department(path, departments)
        unit_totals[dept_path][0] += total or 0
        unit_totals[dept_path][1] += count
        if rater_id is None:
            continue
        entry = raters.setdefault(
            (rater_id, dept_path),
            {
                "name": name,
                "number": number,
                "user_id": user_id,
                "unit": dept_name,
                "count": 0,
                "sum": Decimal(0),
                "squares": Decimal(0),
                "top": 0,
                "graded": 0,
            },
        )
        entry["count"] += count
        entry["sum"] += total or 0
        entry["squares"] += squares or 0
        top_grade = best.get(version)
        if top_grade is not None:
            entry["graded"] += count
            if grade == top_grade:
                entry["top"] += count
    start, end = period_window(period)
    users = {entry["user_id"] for entry in raters.values() if entry["user_id"] is not None}
    recorded = (
        finding_list(viewer=viewer, status=None)
        .filter(
            company_id=period.company_id,
            created_by_id__in=users,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by()
    )
    counts = dict(recorded.values_list("created_by_id").annotate(count=Count("id")))
    overturned = dict(
        FindingCorrection.objects.filter(finding__in=recorded.values("pk"))
        .order_by()
        .values_list("finding__created_by_id")
        .annotate(count=Count("finding_id", distinct=True))
    )
    rows = []
    for (_rater, dept_path), entry in raters.items():
        count = entry["count"]
        mean = entry["sum"] / count
        variance = max(entry["squares"] / count - mean * mean, Decimal(0))
        unit_sum, unit_count = unit_totals[dept_path]
        rows.append(
            RaterRow(
                rater=entry["name"],
                number=entry["number"],
                unit=entry["unit"],
                rated=count,
                mean=_mean(entry["sum"], count),
                spread=variance.sqrt().quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                unit_mean=_mean(unit_sum, unit_count),
                top=entry["top"],
                graded=entry["graded"],
                findings=counts.get(entry["user_id"], 0),
                overturned=overturned.get(entry["user_id"], 0),
            )
        )
    rows.sort(key=lambda row: (row.unit, row.number))
    return rows


# --- the violation summary's people, one page at a time ---------------------------------------


@dataclass(frozen=True)
class ViolationPersonRow:
    employee_id: int
    number: str
    name: str
    unit: str
    count: int
    points: Decimal
    fine: Decimal | None
    actions: tuple[str, ...]


def violation_people_queryset(*, viewer: Viewer, period: Period) -> Any:
    """The month's active findings on people in the viewer's scope, one row per person (工号
    order): employee id, number, name, count, points. Aggregated in the database."""
    start, end = period_window(period)
    return (
        finding_list(viewer=viewer)
        .filter(
            company_id=period.company_id,
            employee__isnull=False,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by()
        .values("employee_id", "employee__number", "employee__name")
        .annotate(count=Count("id"), points=Sum("points"), unit=Max("unit__name"))
        .order_by("employee__number", "employee_id")
    )


def violation_people(
    *, viewer: Viewer, period: Period, people: Sequence[dict[str, Any]]
) -> list[ViolationPersonRow]:
    """The lines of `people` (a page of `violation_people_queryset`) with the month's
    performance-pay deduction and what follows (the penalty ledger's outcome): from the frozen
    results once closed, else scoring these people's appraisals now (each person is scored
    alone). A bounded number of queries for the page."""
    from kaoping.appraisals.facts import appraisal_rows
    from kaoping.appraisals.services.close import score_period

    ids = [row["employee_id"] for row in people]
    appraisals = list(
        appraisal_list(viewer=viewer, period=period)
        .filter(employee_id__in=ids)
        .order_by()
        .values_list("pk", "employee_id", "status")
    )
    outcomes: dict[int, tuple[Decimal | None, tuple[str, ...]]] = {}
    closed = [pk for pk, _e, status in appraisals if status == Appraisal.Status.CLOSED]
    if closed:
        for employee_id, fine, data in (
            result_list(viewer=viewer, period=period)
            .filter(appraisal_id__in=closed)
            .values_list("employee_id", "fine", "data__outcomes__actions")
        ):
            actions = json.loads(data) if isinstance(data, str) else (data or [])
            outcomes[employee_id] = (
                fine,
                tuple(ACTION_TITLES.get(action, action) for action in actions),
            )
    still_open = {pk: e for pk, e, status in appraisals if status != Appraisal.Status.CLOSED}
    if still_open:
        rows = appraisal_rows(Appraisal.objects.filter(pk__in=list(still_open)))
        batch = score_period(period, rows, workers=1, partial=True)
        for pk, scored in batch.scored.items():
            outcomes[still_open[pk]] = (
                scored.fine,
                tuple(ACTION_TITLES.get(action, action) for action in scored.actions),
            )
    return [
        ViolationPersonRow(
            employee_id=row["employee_id"],
            number=row["employee__number"],
            name=row["employee__name"],
            unit=row["unit"] or "",
            count=row["count"],
            points=row["points"] or Decimal(0),
            fine=outcomes.get(row["employee_id"], (None, ()))[0],
            actions=outcomes.get(row["employee_id"], (None, ()))[1],
        )
        for row in people
    ]
