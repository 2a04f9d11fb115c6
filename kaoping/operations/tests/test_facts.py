"""The mapping of MAPPING.md: records in, engine input out (no database needed)."""

from __future__ import annotations

from decimal import Decimal

from kaoping.operations.facts import (
    MemberWork,
    call_metrics,
    complaint_events,
    fee_metrics,
    incident_events,
    member_event_types,
    member_work,
    policy_event_types,
    survey_levels,
    unit_events,
    work_point_events,
    work_points,
)
from kaoping.operations.models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    SurveyLevel,
    SurveyResponse,
    WorkPointEntry,
)
from kaoping.scoring import (
    Member,
    RankingItem,
    Subject,
    builtin_policies,
    builtin_policy,
    parse_period,
)
from kaoping.scoring.engine import score_subjects

UNIT_SATISFACTION = builtin_policy("unit-satisfaction")
CS_CENTER = builtin_policy("cs-center-monthly")
CS_OFFICE = builtin_policy("cs-office-monthly")
ENVIRONMENT_OFFICE = builtin_policy("environment-office-monthly")
CS_STAFF = builtin_policy("cs-staff-monthly")
RANKING = builtin_policy("service-group-ranking")
assert UNIT_SATISFACTION and CS_CENTER and CS_OFFICE and ENVIRONMENT_OFFICE and CS_STAFF
assert RANKING


def complaint(category: str, *, valid: bool = True, major: bool = False) -> Complaint:
    return Complaint(category=category, valid=valid, major=major)


def fee(paid: int, due: int, amount_paid: str, task: str, *, employee_id: int = 1) -> FeeCollection:
    return FeeCollection(
        employee_id=employee_id,
        households_paid=paid,
        households_due=due,
        amount_paid=Decimal(amount_paid),
        task_amount=Decimal(task),
    )


def entry(employee_id: int, kind: str, points: str) -> WorkPointEntry:
    return WorkPointEntry(employee_id=employee_id, kind=kind, points=Decimal(points))


MONTH_OF_COMPLAINTS = [
    complaint("cleaning"),
    complaint("fee", major=True),
    complaint("order", valid=False),  # not judged valid: counts nowhere
    complaint("attitude"),
    complaint("repair"),
    complaint("other"),
    complaint("process"),
    complaint("order"),
]


def test_each_valid_complaint_yields_its_validity_and_its_category() -> None:
    assert complaint_events(MONTH_OF_COMPLAINTS) == [
        "valid_complaint",
        "cleaning_complaint",
        "major_complaint",
        "fee_complaint",
        "valid_complaint",
        "process_complaint",
        "valid_complaint",
        "process_complaint",
        "valid_complaint",
        "valid_complaint",
        "process_complaint",
        "valid_complaint",
        "order_complaint",
    ]


def test_each_policy_reads_only_the_complaint_events_it_names() -> None:
    def events(policy: object) -> list[str]:
        return complaint_events(MONTH_OF_COMPLAINTS, accepted=policy_event_types(policy))  # type: ignore[arg-type]

    assert (
        events(UNIT_SATISFACTION)
        == ["valid_complaint", "major_complaint"] + ["valid_complaint"] * 5
    )
    assert events(CS_CENTER) == [
        "cleaning_complaint",
        "fee_complaint",
        "process_complaint",
        "process_complaint",
        "process_complaint",
        "order_complaint",
    ]
    assert events(CS_OFFICE) == ["fee_complaint"] + ["process_complaint"] * 3
    assert events(ENVIRONMENT_OFFICE) == ["cleaning_complaint"] + ["process_complaint"] * 3
    assert events(CS_STAFF) == []


def test_a_theft_is_the_theft_event_and_other_incidents_count_nothing() -> None:
    incidents = [Incident(kind="theft"), Incident(kind="fire"), Incident(kind="theft")]

    assert incident_events(incidents) == ["theft", "theft"]
    assert incident_events(incidents, accepted=policy_event_types(UNIT_SATISFACTION)) == []
    assert unit_events(
        complaints=[complaint("order")],
        incidents=incidents,
        accepted=policy_event_types(CS_CENTER),
    ) == ["order_complaint", "theft", "theft"]


def test_fee_metrics_sum_the_rows_before_dividing() -> None:
    rows = [fee(95, 100, "47500.00", "50000.00"), fee(40, 50, "35100.00", "30000.00")]

    assert fee_metrics(rows) == {
        "fee_collection_rate": Decimal("0.9"),  # 135 / 150 households
        "fee_task_completion": Decimal("1.0325"),  # 82600 / 80000
    }
    assert fee_metrics(rows, accepted=CS_CENTER.metrics) == {
        "fee_task_completion": Decimal("1.0325")
    }
    assert fee_metrics(rows, accepted=CS_STAFF.metrics) == {"fee_collection_rate": Decimal("0.9")}


def test_a_fee_metric_without_a_base_is_absent() -> None:
    assert fee_metrics([]) == {}
    assert fee_metrics([fee(0, 0, "0.00", "0.00")]) == {}
    assert fee_metrics([fee(0, 0, "1200.00", "1000.00")]) == {"fee_task_completion": Decimal("1.2")}


def test_calls_answered_over_offered() -> None:
    days = [CallStatistic(offered=120, answered=114), CallStatistic(offered=80, answered=80)]

    assert call_metrics(days) == {"call_answer_rate": Decimal("0.97")}
    assert call_metrics(days, accepted=CS_CENTER.metrics) == {}
    assert call_metrics([CallStatistic(offered=0, answered=0)]) == {}


def test_survey_levels_are_the_responses_levels() -> None:
    responses = [SurveyResponse(level="very_satisfied"), SurveyResponse(level="dissatisfied")]

    assert survey_levels(responses) == ["very_satisfied", "dissatisfied"]


def test_work_points_earned_and_penalties_are_kept_apart_per_member() -> None:
    entries = [
        entry(7, "work", "30"),
        entry(8, "work", "12.5"),
        entry(7, "slack_service", "-20"),
        entry(7, "work", "-2.5"),  # a correction
        entry(7, "customer_quarrel", "-50"),
    ]

    assert work_points(entries) == Decimal("40")
    assert work_point_events(entries) == ["slack_service", "customer_quarrel"]
    assert member_work(entries, accepted=member_event_types(RANKING)) == {
        7: MemberWork(work_points=Decimal("27.5"), events=("slack_service", "customer_quarrel")),
        8: MemberWork(work_points=Decimal("12.5"), events=()),
    }


def test_every_event_the_built_in_policies_count_comes_from_operations_data() -> None:
    produced = set(
        complaint_events([complaint(c, major=m) for c in Complaint.Category for m in (False, True)])
    )
    produced |= set(incident_events([Incident(kind=k) for k in Incident.Kind]))
    produced |= set(
        work_point_events([entry(1, k, "-1") for k in WorkPointEntry.Kind if k != "work"])
    )
    counted: set[str] = set()
    for policy in builtin_policies().values():
        counted |= policy_event_types(policy) | member_event_types(policy)

    assert produced == counted
    survey = UNIT_SATISFACTION.section("survey")
    assert survey is not None and set(survey.levels) == set(SurveyLevel.values)


def test_a_centre_month_scores_from_its_records() -> None:
    # given a month with a cleaning complaint, a theft and 90% of the collection task
    subject = Subject(
        id="P1-CS",
        events=tuple(
            unit_events(
                complaints=[complaint("cleaning"), complaint("order", valid=False)],
                incidents=[Incident(kind="theft")],
                accepted=policy_event_types(CS_CENTER),
            )
        ),
        metrics=fee_metrics([fee(180, 200, "90000.00", "100000.00")], accepted=CS_CENTER.metrics),
        given=frozenset({"events", "metrics"}),
    )

    [result] = score_subjects(CS_CENTER, parse_period("2026-10", "month"), [subject])

    assert {k: str(v) for k, v in result.sections.items()} == {
        "fee_collection": "36.0",
        "cleaning": "15",
        "order": "15",
        "process": "10",
        "internal_control": "10",
    }
    assert str(result.total) == "86.0"


def test_a_units_satisfaction_scores_from_its_records() -> None:
    subject = Subject(
        id="P1-CS",
        events=tuple(
            complaint_events(
                [
                    complaint("attitude"),
                    complaint("fee", major=True),
                    complaint("other", valid=False),
                ],
                accepted=policy_event_types(UNIT_SATISFACTION),
            )
        ),
        survey=tuple(
            survey_levels(
                [SurveyResponse(level="very_satisfied"), SurveyResponse(level="satisfied")]
            )
        ),
        inspections=1,
        given=frozenset({"events", "survey", "inspections"}),
    )

    [result] = score_subjects(UNIT_SATISFACTION, parse_period("2026-10", "month"), [subject])

    assert str(result.total) == "80.0"  # 50 + 18 + (30 − 6 − 12)
    assert result.grade == "fail"


def test_members_carry_their_work_and_penalties_into_the_ranking() -> None:
    # given team T1's entries: one member with two penalties in the month, one without
    work = member_work(
        [
            entry(7, "work", "30"),
            entry(7, "slack_service", "-20"),
            entry(8, "work", "45"),
            entry(7, "customer_quarrel", "-50"),
        ],
        accepted=member_event_types(RANKING),
    )
    members = tuple(
        Member(id=number, grade="B", events=work[pk].events, work_points=work[pk].work_points)
        for pk, number in [(7, "GZ001"), (8, "GZ003")]
    )
    teams = [
        Subject(
            id="T1",
            values={"customer_visits": Decimal(12)},
            members=members,
            given=frozenset({"values", "members"}),
        ),
        Subject(id="T2", values={"customer_visits": Decimal(9)}, given=frozenset({"values"})),
    ]

    [t1, _] = score_subjects(
        RANKING,
        parse_period("2026-10", "month"),
        teams,
        ranking_items=[RankingItem(id="customer_visits", level=1)],
    )

    # then the member with two penalties gets E and a serious warning, the other keeps B
    assert t1.grade == "A"
    assert [(m.id, m.grade, list(m.actions)) for m in t1.outcomes.members] == [
        ("GZ001", "E", ["serious_warning"]),
        ("GZ003", "B", []),
    ]
