"""Reads of appraisals and results, each scoped to what the viewer may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from kaoping.org.access import Family, SystemViewer, scope_of, scoped
from kaoping.org.models import OrgUnit, Placement, Role
from kaoping.periods.models import Period

from .models import (
    Appraisal,
    InterviewNote,
    MemberGrade,
    OutcomeItem,
    RankingItem,
    RankingValue,
    Rating,
    Result,
    ScoreEntry,
)

Viewer = AbstractBaseUser | AnonymousUser | SystemViewer | None
CENT = Decimal("0.01")


def appraisal_list(*, viewer: Viewer, period: Period | None = None) -> QuerySet[Appraisal]:
    queryset = Appraisal.objects.select_related("employee", "subject_unit", "unit", "period")
    if period is not None:
        queryset = queryset.filter(period=period)
    return scoped(queryset, viewer, Family.RESULTS)


def appraisal_get(*, viewer: Viewer, pk: int) -> Appraisal:
    return get_object_or_404(appraisal_list(viewer=viewer), pk=pk)


def result_list(
    *, viewer: Viewer, period: Period | None = None, current: bool = True
) -> QuerySet[Result]:
    """Results in the viewer's scope; by default only the current revision of each."""
    queryset = Result.objects.select_related(
        "employee", "unit", "period", "policy_version__document"
    )
    if period is not None:
        queryset = queryset.filter(period=period)
    if current:
        queryset = queryset.filter(superseded_by__isnull=True)
    return scoped(queryset, viewer, Family.RESULTS)


def result_get(*, viewer: Viewer, pk: int) -> Result:
    return get_object_or_404(result_list(viewer=viewer, current=False), pk=pk)


def outcome_item_list(
    *, viewer: Viewer, period: Period | None = None, open_only: bool = False
) -> QuerySet[OutcomeItem]:
    queryset = OutcomeItem.objects.select_related("employee", "unit", "result__period")
    if period is not None:
        queryset = queryset.filter(result__period=period)
    if open_only:
        queryset = queryset.filter(status=OutcomeItem.Status.OPEN)
    return scoped(queryset, viewer, Family.RESULTS)


@dataclass(frozen=True)
class PayrollRow:
    """One employee's line of the payroll sheet (绩效工资与违规扣减)."""

    number: str
    name: str
    unit: str
    position: str
    total: Decimal | None
    grade: str
    pay_ratio: Decimal | None
    base_pay: Decimal
    floating_pay: Decimal
    performance_pay: Decimal
    own_deduction: Decimal
    supervisor_share: Decimal  # shares of subordinates' penalties this employee bears (70/30)
    deduction: Decimal  # what payroll deducts, after the minimum-wage floor
    floor_applied: bool
    revision: int
    open_appeal: bool


def payroll_rows(
    *, viewer: Viewer, period: Period, open_appeals: frozenset[int] = frozenset()
) -> list[PayrollRow]:
    """The payroll sheet of a closed period, one row per evaluated employee, in 工号 order.

    The penalty is a deduction from floating performance pay (绩效扣减); it never takes the
    month's pay below the company's minimum wage: the deduction is capped there and flagged.
    """
    results = list(
        result_list(viewer=viewer, period=period)
        .filter(employee__isnull=False, evaluated=True)
        .select_related("appraisal", "employee", "unit")
        .order_by("employee__number")
    )
    shares: dict[int, Decimal] = defaultdict(Decimal)
    for result in results:
        if result.supervisor_fine and result.appraisal.supervisor_id:
            shares[result.appraisal.supervisor_id] += result.supervisor_fine
    positions = {
        p.employee_id: p.position
        for p in Placement.objects.filter(
            employee__company_id=period.company_id, start__lte=period.end
        )
        .select_related("position")
        .order_by("start")
    }
    minimum = period.company.minimum_wage
    rows = []
    for result in results:
        assert result.employee_id is not None
        position = positions.get(result.employee_id)
        base = position.base_pay if position else Decimal(0)
        floating = position.floating_pay if position else Decimal(0)
        ratio = result.pay_ratio if result.pay_ratio is not None else Decimal(1)
        performance = (floating * ratio).quantize(CENT)
        own = result.fine or Decimal(0)
        share = shares.get(result.employee_id, Decimal(0))
        wanted = own + share
        room = max(Decimal(0), base + performance - minimum)
        deduction = min(wanted, room)
        assert result.employee is not None
        rows.append(
            PayrollRow(
                number=result.employee.number,
                name=result.employee.name,
                unit=result.unit.name,
                position=position.name if position else "",
                total=result.total,
                grade=result.grade,
                pay_ratio=result.pay_ratio,
                base_pay=base,
                floating_pay=floating,
                performance_pay=performance,
                own_deduction=own,
                supervisor_share=share,
                deduction=deduction.quantize(CENT),
                floor_applied=deduction < wanted,
                revision=result.revision,
                open_appeal=result.employee_id in open_appeals,
            )
        )
    return rows


def appraisal_live_score(*, viewer: Viewer, pk: int) -> dict[str, object]:
    """The live score of an appraisal the viewer may see, with its explanation (engine JSON).

    Open appraisals are scored from their records as they are now; a closed one answers its
    current frozen result. Teams are scored with the teams ranked alongside them. An open
    appraisal the engine cannot score yet answers `{"subject", "evaluated": false, "error":
    {"field", "message"}}`, e.g. the supervisor's rating still missing.
    """
    import json

    from .facts import appraisal_rows, scored_with
    from .services.close import score_period

    appraisal = appraisal_get(viewer=viewer, pk=pk)
    if appraisal.status == Appraisal.Status.CLOSED:
        current = Result.objects.get(appraisal=appraisal, superseded_by__isnull=True)
        return dict(current.data)
    group = scored_with(appraisal)
    if group is None:  # a team before its ranking items are set: scored alone, and says so
        group = Appraisal.objects.filter(pk=appraisal.pk)
    batch = score_period(appraisal.period, appraisal_rows(group), workers=1, partial=True)
    error = batch.errors.get(appraisal.pk)
    if error is not None:  # not scorable yet (a rating missing, say): say what is missing
        return {
            "subject": appraisal.subject_code,
            "evaluated": False,
            "error": {"field": error.field, "message": error.message},
        }
    loaded: dict[str, object] = json.loads(batch.scored[appraisal.pk].data)
    return loaded


@dataclass(frozen=True)
class PreviewRow:
    """One line of the close preview: the result as it would be frozen, and the change."""

    appraisal_id: int
    subject: str
    name: str
    unit: str
    evaluated: bool
    total: Decimal | None
    grade: str
    previous_total: Decimal | None
    change: Decimal | None
    data: dict[str, object]
    error: str = ""  # why the subject cannot be scored yet (then total and data are empty)


PREVIEW_NARROW_UP_TO = 2000  # up to this many rows, score only them (and teams ranked with them)


def period_preview(
    *,
    viewer: Viewer,
    period: Period,
    unit_path: str | None = None,
    exclude_employee_id: int | None = None,
    appraisal_ids: Collection[int] | None = None,
) -> list[PreviewRow]:
    """Every open appraisal of the period in the viewer's scope (under `unit_path`, without
    `exclude_employee_id`'s own, only `appraisal_ids` when given), scored now, with the change from the same subject's current
    result of the previous period (when there is one). A few rows (a team, a department) are
    scored with the teams ranked alongside them only; many, with the whole open period."""
    import json

    from .facts import appraisal_rows, ranked_alongside
    from .services.close import score_period

    visible = appraisal_list(viewer=viewer, period=period).filter(status=Appraisal.Status.OPEN)
    if unit_path is not None:
        visible = visible.filter(unit__path__startswith=unit_path)
    if exclude_employee_id is not None:
        visible = visible.exclude(employee_id=exclude_employee_id)
    if appraisal_ids is not None:
        visible = visible.filter(pk__in=list(appraisal_ids))
    shown = {a.pk: a for a in visible}
    if not shown:
        return []
    together = Appraisal.objects.filter(period=period, status=Appraisal.Status.OPEN)
    narrow = len(shown) <= PREVIEW_NARROW_UP_TO
    if narrow:
        together = together.filter(
            Q(pk__in=list(shown)) | ranked_alongside(list(shown.values()), period)
        )
    batch = score_period(period, appraisal_rows(together), workers=1, partial=True)
    previous_period = (
        Period.objects.filter(company_id=period.company_id, kind=period.kind, end__lt=period.start)
        .order_by("-end")
        .first()
    )
    earlier: dict[tuple[int | None, int | None], Decimal | None] = {}
    if previous_period is not None:
        previous = Result.objects.filter(period=previous_period, superseded_by__isnull=True)
        if narrow:
            previous = previous.filter(
                Q(appraisal__employee_id__in=[a.employee_id for a in shown.values()])
                | Q(appraisal__subject_unit_id__in=[a.subject_unit_id for a in shown.values()])
            )
        for employee_id, unit_id, total in previous.values_list(
            "appraisal__employee_id", "appraisal__subject_unit_id", "total"
        ):
            earlier[(employee_id, unit_id)] = total
    preview = []
    for pk, appraisal in sorted(shown.items(), key=lambda kv: (kv[1].unit.path, kv[0])):
        before = earlier.get((appraisal.employee_id, appraisal.subject_unit_id))
        name = appraisal.employee.name if appraisal.employee else appraisal.unit.name
        error = batch.errors.get(pk)
        if error is not None:
            preview.append(
                PreviewRow(
                    appraisal_id=pk,
                    subject=appraisal.subject_code,
                    name=name,
                    unit=appraisal.unit.name,
                    evaluated=False,
                    total=None,
                    grade="",
                    previous_total=before,
                    change=None,
                    data={},
                    error=f"{error.field}: {error.message}" if error.field else error.message,
                )
            )
            continue
        result = batch.scored[pk]
        data: dict[str, object] = json.loads(result.data)
        preview.append(
            PreviewRow(
                appraisal_id=pk,
                subject=appraisal.subject_code,
                name=name,
                unit=appraisal.unit.name,
                evaluated=result.evaluated,
                total=result.total,
                grade=result.grade,
                previous_total=before,
                change=(result.total - before)
                if result.total is not None and before is not None
                else None,
                data=data,
            )
        )
    return preview


def period_list(*, viewer: Viewer) -> QuerySet[Period]:
    """The periods (考评期间) of the viewer's companies: when a period runs is no secret there."""
    from kaoping.org.access import scope_of

    if isinstance(viewer, SystemViewer):
        return Period.objects.order_by("company_id", "-start", "kind")
    return Period.objects.filter(company_id__in=scope_of(viewer).company_ids).order_by(
        "company_id", "-start", "kind"
    )


def period_get(*, viewer: Viewer, pk: int) -> Period:
    return get_object_or_404(period_list(viewer=viewer), pk=pk)


def rating_list(*, viewer: Viewer) -> QuerySet[Rating]:
    """Ratings (评分) of the appraisals the viewer may see, every amendment included."""
    return scoped(
        Rating.objects.select_related("appraisal__employee", "appraisal__subject_unit", "rater"),
        viewer,
        Family.RESULTS,
        unit_path="appraisal__unit__path",
        employee="appraisal__employee",
    ).order_by("appraisal_id", "id")


def score_entry_list(*, viewer: Viewer) -> QuerySet[ScoreEntry]:
    """Bonus and adjustment entries (嘉奖加分, 奖扣分) of the appraisals the viewer may see."""
    return scoped(
        ScoreEntry.objects.select_related("appraisal", "created_by", "approved_by"),
        viewer,
        Family.RESULTS,
        unit_path="appraisal__unit__path",
        employee="appraisal__employee",
    ).order_by("appraisal_id", "id")


def period_close_units(*, viewer: Viewer, period: Period) -> list[OrgUnit]:
    """The units of the period's company the viewer may close the period for (关账), topmost
    first: a project manager their projects, quality the whole company (appraisals.close_period).
    Units inside another of them are left out (closing the outer one closes them too)."""
    from kaoping.org.access import scope_of

    if isinstance(viewer, SystemViewer):
        return list(OrgUnit.objects.filter(company_id=period.company_id, parent__isnull=True))
    scope = scope_of(viewer)
    paths = {
        path for role in (Role.PROJECT_MANAGER, Role.QUALITY) for path in scope.roles.get(role, ())
    }
    if not paths:
        return []
    units = list(
        OrgUnit.objects.filter(company_id=period.company_id, path__in=paths, active=True).order_by(
            "path"
        )
    )
    return [u for u in units if not any(u.path.startswith(o.path) and o is not u for o in units)]


@dataclass(frozen=True)
class RatingDue:
    """An open appraisal waiting for a rater: the items of its policy still without their score."""

    appraisal: Appraisal
    missing: tuple[str, ...]  # titles of the rated items (考核项目) not rated yet
    deadline: dt.date | None


def ratings_due(
    *, viewer: Viewer, rater_role: str = "supervisor", period: Period | None = None
) -> list[RatingDue]:
    """Open appraisals in the viewer's scope whose policy combines a `rater_role` rating (上级评
    by default) and that still miss it for some rated item, the viewer's own excluded; the
    earliest period first. Three queries whatever the number of appraisals."""
    from kaoping.org.access import scope_of
    from kaoping.policies.selectors import engine_policy

    appraisals = (
        appraisal_list(viewer=viewer, period=period)
        .filter(status=Appraisal.Status.OPEN, employee__isnull=False)
        .select_related("policy_version__document")
        .order_by("period__start", "employee__number", "id")
    )
    own = scope_of(viewer).employee_id
    if own is not None:
        appraisals = appraisals.exclude(employee_id=own)
    candidates = list(appraisals)
    rated: dict[int, set[str]] = defaultdict(set)
    for appraisal_id, item in Rating.objects.filter(
        appraisal__in=[a.pk for a in candidates], rater_role=rater_role
    ).values_list("appraisal_id", "item"):
        rated[appraisal_id].add(item)
    due = []
    for appraisal in candidates:
        policy = engine_policy(appraisal.policy_version)
        combination = policy.combination
        if combination is None:
            continue
        if rater_role not in set(combination.weights) | set(combination.chain):
            continue
        missing = tuple(
            section.title
            for section in policy.sections
            if section.method == "rating" and section.id not in rated[appraisal.pk]
        )
        if missing:
            due.append(
                RatingDue(
                    appraisal=appraisal,
                    missing=missing,
                    deadline=appraisal.period.rating_deadline,
                )
            )
    return due


def interview_note_list(*, viewer: Viewer) -> QuerySet[InterviewNote]:
    """Interview notes (考核面谈) of the appraisals the viewer may see, the oldest first."""
    return scoped(
        InterviewNote.objects.select_related("author"),
        viewer,
        Family.RESULTS,
        unit_path="appraisal__unit__path",
        employee="appraisal__employee",
    ).order_by("appraisal_id", "at", "id")


def grade_distribution(*, viewer: Viewer, period: Period) -> list[tuple[str, int]]:
    """How many current results of the period in the viewer's scope got each grade (等级分布),
    by the grade's title in its policy (优秀, A 级 …), in the policies' grade order; "" counts
    the results without a grade. One query, and the policies (cached)."""
    from django.db.models import Count

    from kaoping.policies.models import PolicyVersion
    from kaoping.policies.selectors import engine_policy

    counted = list(
        result_list(viewer=viewer, period=period)
        .filter(evaluated=True)
        .order_by()
        .values_list("policy_version_id", "grade")
        .annotate(count=Count("id"))
    )
    versions = PolicyVersion.objects.select_related("document").in_bulk(
        {version for version, _grade, _count in counted}
    )
    totals: dict[str, int] = {}
    order: dict[str, tuple[int, str]] = {}
    for version_id, grade, count in counted:
        rank, title = engine_policy(versions[version_id]).grade_place(grade)
        totals[title] = totals.get(title, 0) + count
        order[title] = min(order.get(title, (rank, title)), (rank, title))
    return sorted(totals.items(), key=lambda item: order[item[0]])


def _ancestors(path: str) -> list[str]:
    """/1/4/7/ → /1/, /1/4/, /1/4/7/."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def ranking_item_list(*, viewer: Viewer) -> QuerySet[RankingItem]:
    """Ranking items of the departments (or the teams under them) whose results the viewer
    reads."""
    queryset = RankingItem.objects.select_related("period", "unit")
    if isinstance(viewer, SystemViewer):
        return queryset.order_by("-period__start", "unit__path", "code", "id")
    prefixes = scope_of(viewer).paths.get(Family.RESULTS, ())
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(unit__path__startswith=prefix) | Q(unit__path__in=_ancestors(prefix))
    return queryset.filter(condition).order_by("-period__start", "unit__path", "code", "id")


def ranking_value_list(*, viewer: Viewer) -> QuerySet[RankingValue]:
    """The values of the teams whose results the viewer reads."""
    return scoped(
        RankingValue.objects.select_related("item__period", "team"),
        viewer,
        Family.RESULTS,
        unit_path="team__path",
        employee=None,
    ).order_by("item_id", "team__path", "id")


def member_grade_list(*, viewer: Viewer) -> QuerySet[MemberGrade]:
    """Member grades of the team appraisals the viewer reads, and the viewer's own grade."""
    return scoped(
        MemberGrade.objects.select_related("appraisal__period", "employee", "set_by"),
        viewer,
        Family.RESULTS,
        unit_path="appraisal__unit__path",
        employee="employee",
    ).order_by("appraisal_id", "employee__number", "id")
