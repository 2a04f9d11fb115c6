"""Page-level reads: what a page shows, composed from the apps' selectors (never around them).

Every read starts from a scoped selector of its app (`fault_notice_list(viewer=...)`,
`appraisal_list(viewer=...)`, ...) and only narrows it, so nothing outside the viewer's scope
can reach a page. Each function makes a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaoping.appeals.models import Appeal
from kaoping.appeals.selectors import appeal_list
from kaoping.appraisals.models import Appraisal, Rating, Result, ScoreEntry
from kaoping.appraisals.selectors import (
    PreviewRow,
    appraisal_list,
    appraisal_live_score,
    period_preview,
    result_list,
    score_entry_list,
)
from kaoping.inspections.models import FaultNotice
from kaoping.inspections.selectors import fault_notice_list
from kaoping.org.access import scope_of
from kaoping.org.models import Role
from kaoping.periods.models import Period
from kaoping.policies.selectors import engine_policy
from kaoping.scoring.policy import Policy

Viewer = AbstractBaseUser | AnonymousUser | None

# How many rows a dashboard card lists; the card says how many there are in all.
CARD_ROWS = 10
# How many closed months the history chart shows.
HISTORY_MONTHS = 12

# The engine's action codes (scoring.policy.ACTIONS), as the pages name them.
ACTION_LABELS: dict[str, Promise] = {
    "publish": _("公布张贴"),
    "administrative_sanction": _("行政处分(警告/罚款/记过)"),
    "dismissal": _("开除处理"),
    "supervisor_liability": _("直属上司连带责任"),
    "reassign_or_dismiss": _("调岗或开除"),
    "serious_warning": _("严重警告"),
    "probation": _("改为试用期三个月"),
    "no_annual_award": _("取消年终评先资格"),
}


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class SectionScore:
    """One line of the score card: a section (考评项目), its score and its maximum."""

    id: str
    title: str
    score: Decimal | None
    max: Decimal

    @property
    def lost(self) -> bool:
        return self.score is not None and self.score < self.max


@dataclass(frozen=True)
class LiveScore:
    """An appraisal's score as of now (open) or as frozen (closed), with its explanation."""

    evaluated: bool
    total: Decimal | None
    grade: str
    sections: tuple[SectionScore, ...]
    explain: tuple[str, ...]
    penalty_points: Decimal | None
    fine: Decimal | None
    actions: tuple[Promise | str, ...]
    error: str = ""  # why it cannot be scored yet (a rating missing, say)


def live_score_of(data: dict[str, object], policy: Policy) -> LiveScore:
    """The engine's JSON result (kaoping score contract, POLICIES.md §7) as the page shows it."""
    error = data.get("error")
    error_text = ""
    if isinstance(error, dict):
        error_text = str(error.get("message") or "")
    raw_sections = data.get("sections")
    scores = raw_sections if isinstance(raw_sections, dict) else {}
    sections = tuple(
        SectionScore(
            id=section.id,
            title=section.title,
            score=_decimal(scores.get(section.id)),
            max=section.max,
        )
        for section in policy.sections
        if section.id in scores
    )
    raw_outcomes = data.get("outcomes")
    outcomes = raw_outcomes if isinstance(raw_outcomes, dict) else {}
    raw_actions = outcomes.get("actions")
    actions = raw_actions if isinstance(raw_actions, list) else []
    raw_explain = data.get("explain")
    explain = raw_explain if isinstance(raw_explain, list) else []
    return LiveScore(
        evaluated=bool(data.get("evaluated")) and not error_text,
        total=_decimal(data.get("total")),
        grade=str(data.get("grade") or ""),
        sections=sections,
        explain=tuple(str(line) for line in explain),
        penalty_points=_decimal(outcomes.get("penalty_points")),
        fine=_decimal(outcomes.get("fine")),
        actions=tuple(ACTION_LABELS.get(str(a), str(a)) for a in actions),
        error=error_text,
    )


@dataclass(frozen=True)
class SelfAssessment:
    """The self-assessment (自评) an appraisal asks of its employee, and whether it is done."""

    required: bool
    done: bool
    deadline: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class HistoryPoint:
    """A closed month's current result (the latest revision): a point of the history chart."""

    period: str
    total: Decimal
    grade: str


@dataclass(frozen=True)
class NoticeLine:
    """A fault notice (过失通知单) with the titles of its policy's section and severity."""

    notice: FaultNotice
    section_title: str


@dataclass
class EmployeeHome:
    """Everything the employee's dashboard (我的考评) shows."""

    period: Period | None = None
    appraisal: Appraisal | None = None
    live: LiveScore | None = None
    self_assessment: SelfAssessment | None = None
    notices: list[NoticeLine] = field(default_factory=list)
    notices_total: int = 0
    history: list[HistoryPoint] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    appeals_total: int = 0

    @property
    def chart_data(self) -> dict[str, list[str]]:
        """The history as the chart's series (json_script)."""
        return {
            "periods": [point.period for point in self.history],
            "totals": [str(point.total) for point in self.history],
            "grades": [point.grade for point in self.history],
        }


def current_appraisal(*, viewer: Viewer, employee_id: int, today: dt.date) -> Appraisal | None:
    """The viewer's own appraisal of the period containing `today` (a month before a longer
    period), with its policy version for the score card."""
    candidates = (
        appraisal_list(viewer=viewer)
        .filter(employee_id=employee_id, period__start__lte=today, period__end__gte=today)
        .select_related("policy_version__document")
        .order_by("period__end", "id")
    )
    return next(iter(candidates[:1]), None)


def self_assessment_of(appraisal: Appraisal, policy: Policy, today: dt.date) -> SelfAssessment:
    """Whether the policy combines a self-rating (自评) and whether the employee gave it for
    every rated item (one query when it does)."""
    combination = policy.combination
    raters: set[str] = set()
    if combination is not None:
        raters = set(combination.weights) | set(combination.chain)
    items = {section.id for section in policy.sections if section.method == "rating"}
    deadline = appraisal.period.self_deadline
    if "self" not in raters or not items:
        return SelfAssessment(required=False, done=False, deadline=deadline, overdue=False)
    rated = set(
        Rating.objects.filter(appraisal=appraisal, rater_role=Rating.Rater.SELF).values_list(
            "item", flat=True
        )
    )
    done = items <= rated
    overdue = not done and deadline is not None and today > deadline
    return SelfAssessment(required=True, done=done, deadline=deadline, overdue=overdue)


def _section_title(notice: FaultNotice) -> str:
    finding = notice.finding
    section = engine_policy(finding.policy_version).section(finding.section)
    return section.title if section is not None else finding.section


def _frozen_total(result: Result) -> Decimal:
    """The total as the engine wrote it, with the policy's decimals ("96.0", not "96.00")."""
    data = result.data if isinstance(result.data, dict) else {}
    total = _decimal(data.get("total"))
    if total is not None:
        return total
    assert result.total is not None
    return result.total


def employee_home(
    *, viewer: Viewer, today: dt.date | None = None, rows: int = CARD_ROWS
) -> EmployeeHome:
    """The employee's dashboard: this month's live score and why, the fault notices waiting for
    an answer, the self-assessment due, the closed months' totals and the appeals filed.

    Only the viewer's own records, even when other roles let them see more. A fixed number of
    queries (about 12) whatever the number of notices, appeals and months.
    """
    today = today or timezone.localdate()
    scope = scope_of(viewer)
    home = EmployeeHome()
    employee_id = scope.employee_id
    if employee_id is None:
        return home

    appraisal = current_appraisal(viewer=viewer, employee_id=employee_id, today=today)
    if appraisal is not None:
        policy = engine_policy(appraisal.policy_version)
        home.appraisal = appraisal
        home.period = appraisal.period
        home.live = live_score_of(appraisal_live_score(viewer=viewer, pk=appraisal.pk), policy)
        home.self_assessment = self_assessment_of(appraisal, policy, today)

    notices = fault_notice_list(viewer=viewer, unanswered=True).filter(
        finding__employee_id=employee_id
    )
    home.notices = [
        NoticeLine(notice=notice, section_title=_section_title(notice))
        for notice in notices.select_related("finding__policy_version__document")[:rows]
    ]
    home.notices_total = notices.count()

    closed = (
        result_list(viewer=viewer)
        .filter(
            employee_id=employee_id,
            evaluated=True,
            total__isnull=False,
            period__kind=Period.Kind.MONTH,
        )
        .order_by("-period__start")[:HISTORY_MONTHS]
    )
    home.history = [
        HistoryPoint(period=result.period.key, total=_frozen_total(result), grade=result.grade)
        for result in reversed(list(closed))
    ]

    appeals = appeal_list(viewer=viewer).filter(employee_id=employee_id)
    home.appeals = list(appeals[:rows])
    home.appeals_total = appeals.count()
    return home


# --- live scores of the appraisals a viewer sees (supervisor's team) -------------------------


def team_live_scores(
    *, viewer: Viewer, period: Period, exclude_employee_id: int | None = None
) -> list[PreviewRow]:
    """The close preview (`period_preview`) of the viewer's open appraisals, without one
    person's own (the supervisor's dashboard leaves out the supervisor): only these appraisals
    and the teams ranked alongside them are scored. Computed once per viewer object, i.e. once
    per request (request.user lives as long as the request).
    """
    key = (period.pk, exclude_employee_id)
    cache: dict[tuple[int, int | None], list[PreviewRow]] | None = getattr(
        viewer, "_kaoping_live_scores", None
    )
    if cache is not None and key in cache:
        return cache[key]
    scores = period_preview(viewer=viewer, period=period, exclude_employee_id=exclude_employee_id)
    if viewer is not None:
        if cache is None:
            cache = {}
            try:
                viewer._kaoping_live_scores = cache  # type: ignore[union-attr]
            except AttributeError:  # an object without a __dict__: no cache
                return scores
        cache[key] = scores
    return scores


# --- 奖扣分 waiting for approval ---------------------------------------------------------------


def entries_to_approve(*, viewer: Viewer) -> QuerySet[ScoreEntry]:
    """Bonus and adjustment entries (嘉奖加分, 奖扣分) of open appraisals waiting for approval
    that the viewer may approve (appraisals.approve_entries: a department head or project
    manager over the appraisal's unit), leaving out the viewer's own proposals; the oldest
    first. One query per page, whatever the number of entries."""
    scope = scope_of(viewer)
    prefixes = [
        *scope.roles.get(Role.DEPARTMENT_HEAD, ()),
        *scope.roles.get(Role.PROJECT_MANAGER, ()),
    ]
    entries = score_entry_list(viewer=viewer).filter(
        approved_at__isnull=True,
        rejected_at__isnull=True,
        appraisal__status=Appraisal.Status.OPEN,
    )
    if not prefixes:
        return entries.none()
    where = Q(pk__in=[])
    for prefix in prefixes:
        where |= Q(appraisal__unit__path__startswith=prefix)
    return (
        entries.filter(where)
        .exclude(created_by_id=getattr(viewer, "pk", None))
        .select_related(
            "appraisal__employee",
            "appraisal__subject_unit",
            "appraisal__unit",
            "appraisal__period",
        )
        .order_by("created_at", "id")
    )
