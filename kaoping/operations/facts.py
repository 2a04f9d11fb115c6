"""From operations records to the engine's input (MAPPING.md), as pure functions.

Each function takes records that are already loaded (one subject's records of one period) and
returns a piece of an engine subject: `events` (event type strings), `metrics` (exact Decimals),
`survey` (level ids) and work points. None of them queries the database or follows a relation:
they read only the records' own fields, so the set-based facts builder can load every record of
a period in a few queries, group them by subject, and call these per subject.

`accepted` keeps only what a policy reads (the engine refuses an event or metric the policy does
not name): pass `policy_event_types(policy)`, `policy.metrics` or `member_event_types(policy)`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from kaoping.scoring import Policy

from .models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    SurveyResponse,
    WorkPointEntry,
)
from .numbers import quotient

VALID_COMPLAINT = "valid_complaint"
MAJOR_COMPLAINT = "major_complaint"

# The section of seed 001 (客户服务中心/客服处/环境处) that a valid complaint deducts from, by its
# category. Service attitude and repairs are part of the service process (服务过程规范); a
# complaint of category `other` deducts from no section of those policies.
COMPLAINT_CATEGORY_EVENTS: Mapping[str, str] = {
    Complaint.Category.CLEANING: "cleaning_complaint",
    Complaint.Category.ORDER: "order_complaint",
    Complaint.Category.PROCESS: "process_complaint",
    Complaint.Category.ATTITUDE: "process_complaint",
    Complaint.Category.REPAIR: "process_complaint",
    Complaint.Category.FEE: "fee_complaint",
}
INCIDENT_EVENTS: Mapping[str, str] = {Incident.Kind.THEFT: "theft"}

FEE_COLLECTION_RATE = "fee_collection_rate"
FEE_TASK_COMPLETION = "fee_task_completion"
CALL_ANSWER_RATE = "call_answer_rate"


@dataclass(frozen=True, slots=True)
class MemberWork:
    """A team member's month (service-group-ranking `members`): points earned, penalty events."""

    work_points: Decimal
    events: tuple[str, ...]


def policy_event_types(policy: Policy) -> frozenset[str]:
    """The event types that `policy`'s sections count (a subject's `events`)."""
    return frozenset(policy.event_sections)


def member_event_types(policy: Policy) -> frozenset[str]:
    """The penalty events that `policy` counts for team members (`members[].events`)."""
    return frozenset(policy.members.events) if policy.members is not None else frozenset()


def _kept(events: Iterable[str], accepted: Collection[str] | None) -> list[str]:
    return [e for e in events if accepted is None or e in accepted]


def complaint_events(
    complaints: Iterable[Complaint], *, accepted: Collection[str] | None = None
) -> list[str]:
    """Events of the valid complaints (有效投诉), in the order given; invalid ones count nothing.

    Each valid complaint yields `major_complaint` when major (重大投诉), else `valid_complaint`,
    and the event of its category (`cleaning_complaint` …) when the category has one.
    """
    events: list[str] = []
    for complaint in complaints:
        if not complaint.valid:
            continue
        events.append(MAJOR_COMPLAINT if complaint.major else VALID_COMPLAINT)
        category_event = COMPLAINT_CATEGORY_EVENTS.get(complaint.category)
        if category_event is not None:
            events.append(category_event)
    return _kept(events, accepted)


def incident_events(
    incidents: Iterable[Incident], *, accepted: Collection[str] | None = None
) -> list[str]:
    """Events of the incidents (事故): a theft (盗窃) is `theft`; other kinds count nothing."""
    events = [INCIDENT_EVENTS[i.kind] for i in incidents if i.kind in INCIDENT_EVENTS]
    return _kept(events, accepted)


def unit_events(
    *,
    complaints: Iterable[Complaint] = (),
    incidents: Iterable[Incident] = (),
    accepted: Collection[str] | None = None,
) -> list[str]:
    """A unit subject's `events`: its complaints' events, then its incidents'."""
    return complaint_events(complaints, accepted=accepted) + incident_events(
        incidents, accepted=accepted
    )


def fee_metrics(
    collections: Iterable[FeeCollection], *, accepted: Collection[str] | None = None
) -> dict[str, Decimal]:
    """`fee_collection_rate` (Σ households paid ÷ Σ households due) and `fee_task_completion`
    (Σ amount paid ÷ Σ month's task) over the rows given; a metric whose base is 0 is absent.
    """
    rows = list(collections)
    metrics: dict[str, Decimal] = {}
    rate = quotient(sum(r.households_paid for r in rows), sum(r.households_due for r in rows))
    if rate is not None:
        metrics[FEE_COLLECTION_RATE] = rate
    completion = quotient(
        sum((r.amount_paid for r in rows), Decimal(0)),
        sum((r.task_amount for r in rows), Decimal(0)),
    )
    if completion is not None:
        metrics[FEE_TASK_COMPLETION] = completion
    return {k: v for k, v in metrics.items() if accepted is None or k in accepted}


def call_metrics(
    statistics: Iterable[CallStatistic], *, accepted: Collection[str] | None = None
) -> dict[str, Decimal]:
    """`call_answer_rate` (Σ answered ÷ Σ offered); absent when no call was offered.

    No built-in policy reads it; it is there for a company's own policies.
    """
    rows = list(statistics)
    rate = quotient(sum(r.answered for r in rows), sum(r.offered for r in rows))
    if rate is None or (accepted is not None and CALL_ANSWER_RATE not in accepted):
        return {}
    return {CALL_ANSWER_RATE: rate}


def survey_levels(responses: Iterable[SurveyResponse]) -> list[str]:
    """A subject's `survey`: the level of each response (很满意 → `very_satisfied` …)."""
    return [response.level for response in responses]


def work_points(entries: Iterable[WorkPointEntry]) -> Decimal:
    """The points earned (工作积分): Σ points of the `work` entries; penalties are events."""
    return sum((e.points for e in entries if not e.is_penalty), Decimal(0))


def work_point_events(
    entries: Iterable[WorkPointEntry], *, accepted: Collection[str] | None = None
) -> list[str]:
    """The penalty events (扣分处罚) among the entries, one per entry, in the order given."""
    return _kept((e.kind for e in entries if e.is_penalty), accepted)


def member_work(
    entries: Iterable[WorkPointEntry], *, accepted: Collection[str] | None = None
) -> dict[int, MemberWork]:
    """Each member's work points and penalty events, by employee id, members in first-seen order.

    The engine deducts a penalty by the policy's amount for its event, so a penalty entry's own
    points are not added to `work_points` (that would deduct it twice).
    """
    grouped: dict[int, list[WorkPointEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.employee_id, []).append(entry)
    return {
        employee_id: MemberWork(
            work_points=work_points(rows),
            events=tuple(work_point_events(rows, accepted=accepted)),
        )
        for employee_id, rows in grouped.items()
    }
