"""Page-level reads of the supervisor's pages (主管/组长), composed from the apps' selectors.

Like web/selectors.py: every read starts from a scoped selector and only narrows it, and each
function makes a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from kaoping.appeals.models import Appeal
from kaoping.appeals.selectors import appeal_inbox
from kaoping.appraisals.selectors import (
    PreviewRow,
    RatingDue,
    period_list,
    ratings_due,
)
from kaoping.inspections.models import Finding
from kaoping.inspections.selectors import finding_list
from kaoping.org.access import scope_of
from kaoping.periods.models import Period
from kaoping.policies.selectors import engine_policy

from .selectors import CARD_ROWS, Viewer, team_live_scores

# The field path a scoring error starts with ("ratings.self.dedication: ").
FIELD_PREFIX = re.compile(r"^[A-Za-z0-9_.\-]+: ")


@dataclass(frozen=True)
class FindingLine:
    """A finding with its policy section's title (考评项目)."""

    finding: Finding
    section_title: str


@dataclass
class SupervisorHome:
    """Everything the supervisor's dashboard (主管工作台) shows."""

    period: Period | None = None
    scores: list[PreviewRow] = field(default_factory=list)
    findings: list[FindingLine] = field(default_factory=list)
    findings_total: int = 0
    ratings: list[RatingDue] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    appeals_total: int = 0


def current_period(*, viewer: Viewer, today: dt.date) -> Period | None:
    """The month (考评期间) of the viewer's companies containing `today`, open or not."""
    return (
        period_list(viewer=viewer)
        .filter(kind=Period.Kind.MONTH, start__lte=today, end__gte=today)
        .order_by("start", "id")
        .first()
    )


def finding_lines(findings: list[Finding]) -> list[FindingLine]:
    """Findings with their section titles (the policies are cached: no query per row)."""
    lines = []
    for finding in findings:
        section = engine_policy(finding.policy_version).section(finding.section)
        lines.append(
            FindingLine(
                finding=finding, section_title=section.title if section else finding.section
            )
        )
    return lines


def _message(error: str) -> str:
    """The engine's message without the technical field path (`ratings.self.x: 缺少自评`)."""
    return FIELD_PREFIX.sub("", error)


def supervisor_home(
    *, viewer: Viewer, today: dt.date | None = None, rows: int = CARD_ROWS
) -> SupervisorHome:
    """The supervisor's dashboard: the team's live scores this month (待评分 where a rating is
    missing), the team's recent findings, the ratings the viewer owes, and the appeals waiting
    for the viewer's decision. The viewer's own appraisal and findings are left out (they are
    on 我的考评). A fixed number of queries whatever the team's size.
    """
    today = today or timezone.localdate()
    home = SupervisorHome()
    own = scope_of(viewer).employee_id
    home.period = current_period(viewer=viewer, today=today)
    if home.period is not None:
        # Only the appraisals the viewer sees are scored (with the teams ranked alongside).
        home.scores = [
            dataclasses.replace(row, error=_message(row.error)) if row.error else row
            for row in team_live_scores(viewer=viewer, period=home.period, exclude_employee_id=own)
        ]
    findings = finding_list(viewer=viewer)
    if own is not None:
        findings = findings.exclude(employee_id=own)
    home.findings = finding_lines(list(findings[:rows]))
    home.findings_total = findings.count()
    home.ratings = ratings_due(viewer=viewer)
    appeals = appeal_inbox(viewer=viewer)
    home.appeals = list(appeals[:rows])
    home.appeals_total = appeals.count()
    return home
