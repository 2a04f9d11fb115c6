"""The facts builder: the only place where ORM rows become the engine's input.

Set-based: the records of a whole period are loaded with a fixed number of queries (one per
record type), grouped by subject in memory, and turned into engine `Subject`s, so that live
scores, the close and simulations of 10 or 200,000 subjects ask the database the same number of
times. Every subject also gets a hash of its inputs, frozen with its result at close.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from kaoping.inspections.models import Finding as FindingRow
from kaoping.inspections.models import Inspection
from kaoping.operations import facts as ops
from kaoping.operations.models import (
    Complaint,
    FeeCollection,
    Incident,
    SurveyResponse,
    WorkPointEntry,
)
from kaoping.org.models import Employee
from kaoping.periods.models import Period
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import Finding, HistoryEntry, Member, Policy, RankingItem, Subject
from kaoping.scoring.engine import accepted_keys

from .models import Appraisal, MemberGrade, RankingValue, Rating, Result, ScoreEntry
from .models import RankingItem as RankingItemRow


@dataclass
class Facts:
    """Engine input for a batch of appraisals of one period."""

    subjects: dict[int, Subject] = field(default_factory=dict)  # by appraisal id
    hashes: dict[int, str] = field(default_factory=dict)  # by appraisal id
    history: dict[str, tuple[HistoryEntry, ...]] = field(default_factory=dict)
    ranking_items: dict[int, tuple[RankingItem, ...]] = field(default_factory=dict)  # by department


def period_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as an aware [start, end) interval in the company's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _ancestors(path: str) -> list[str]:
    """'/1/4/9/' → ['/1/', '/1/4/', '/1/4/9/']: a record counts for every unit above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _by_subtree(rows: Iterable[object]) -> dict[str, list[object]]:
    buckets: dict[str, list[object]] = defaultdict(list)
    for row in rows:
        for prefix in _ancestors(str(row.__dict__["_unit_path"])):
            buckets[prefix].append(row)
    return buckets


def _with_path(queryset):  # type: ignore[no-untyped-def]
    from django.db.models import F

    return queryset.annotate(_unit_path=F("unit__path"))


def build_facts(period: Period, appraisals: Sequence[Appraisal]) -> Facts:
    """Engine subjects for `appraisals` (all of `period`), from every record of the period."""
    facts = Facts()
    if not appraisals:
        return facts
    company_id = period.company_id
    start, end = period_bounds(period)
    policies = {a.policy_version_id: engine_policy(a.policy_version) for a in appraisals}

    # --- findings (one query) -------------------------------------------------------------------
    findings: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    unit_findings: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for row in (
        FindingRow.objects.filter(
            company_id=company_id,
            status=FindingRow.Status.ACTIVE,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by("occurred_at", "id")
        .values_list(
            "employee_id",
            "subject_unit_id",
            "section",
            "severity",
            "points",
            "item",
            "mandatory_penalty",
            "supervisor_liable",
            "id",
        )
    ):
        if row[0] is not None:
            findings[row[0]].append(row)  # type: ignore[index]
        else:
            unit_findings[row[1]].append(row)  # type: ignore[index]

    # --- operations records (one query each), bucketed by every unit above them ---------------
    complaints = _by_subtree(
        _with_path(
            Complaint.objects.filter(
                company_id=company_id, received_at__gte=start, received_at__lt=end
            )
        )
        .only("valid", "major", "category", "employee_id")
        .order_by("received_at", "id")
    )
    incidents = _by_subtree(
        _with_path(
            Incident.objects.filter(
                company_id=company_id, occurred_at__gte=start, occurred_at__lt=end
            )
        )
        .only("kind")
        .order_by("occurred_at", "id")
    )
    fee_rows = list(
        _with_path(
            FeeCollection.objects.filter(
                company_id=company_id, month__gte=period.start, month__lte=period.end
            )
        ).only("households_due", "households_paid", "amount_paid", "task_amount", "employee_id")
    )
    fees = _by_subtree(fee_rows)
    fees_by_employee: dict[int, list[FeeCollection]] = defaultdict(list)
    for fee in fee_rows:
        if fee.employee_id is not None:
            fees_by_employee[fee.employee_id].append(fee)
    surveys = _by_subtree(
        _with_path(
            SurveyResponse.objects.filter(
                company_id=company_id, answered_on__gte=period.start, answered_on__lte=period.end
            )
        )
        .only("level")
        .order_by("answered_on", "id")
    )
    work = _by_subtree(
        _with_path(
            WorkPointEntry.objects.filter(
                company_id=company_id, date__gte=period.start, date__lte=period.end
            )
        )
        .only("kind", "points", "employee_id")
        .order_by("date", "id")
    )
    inspections: dict[str, int] = defaultdict(int)
    for path in Inspection.objects.filter(
        company_id=company_id, at__gte=start, at__lt=end
    ).values_list("unit__path", flat=True):
        for prefix in _ancestors(path):
            inspections[prefix] += 1

    # --- ratings, entries, ranking, member grades (one query each) -------------------------
    ratings: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for appraisal_id, role, item, value in (
        Rating.objects.filter(appraisal__period_id=period.pk)
        .order_by("id")
        .values_list("appraisal_id", "rater_role", "item", "value")
    ):
        ratings[appraisal_id][role][item] = value  # the latest amendment stands
    entries: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for appraisal_id, kind, value in ScoreEntry.objects.filter(
        appraisal__period_id=period.pk, approved_at__isnull=False
    ).values_list("appraisal_id", "kind", "value"):
        entries[appraisal_id][kind] += value
    team_apps = [
        a
        for a in appraisals
        if a.subject_unit_id is not None and policies[a.policy_version_id].ranking
    ]
    values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if team_apps:
        for ranking_row in RankingItemRow.objects.filter(period=period).order_by("unit_id", "id"):
            department_items = facts.ranking_items.get(ranking_row.unit_id, ())
            facts.ranking_items[ranking_row.unit_id] = (
                *department_items,
                RankingItem(ranking_row.code, ranking_row.level, ranking_row.better),  # type: ignore[arg-type]
            )
        for team_id, code, value in RankingValue.objects.filter(item__period=period).values_list(
            "team_id", "item__code", "value"
        ):
            values[team_id][code] = value
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    for appraisal_id, employee_id, grade in MemberGrade.objects.filter(
        appraisal__period_id=period.pk
    ).values_list("appraisal_id", "employee_id", "grade"):
        grades[appraisal_id][employee_id] = grade
    numbers: dict[int, str] = {}
    if team_apps:
        numbers = dict(Employee.objects.filter(company_id=company_id).values_list("id", "number"))

    facts.history = _history(period, appraisals)

    for appraisal in appraisals:
        policy = policies[appraisal.policy_version_id]
        accepted = accepted_keys(policy, with_ledger=appraisal.consequences_version_id is not None)
        given: set[str] = set()
        digest = hashlib.sha256()
        digest.update(
            f"{appraisal.policy_version_id}|{appraisal.consequences_version_id}|".encode()
        )
        kwargs: dict[str, object] = {}
        subject_path: str | None = None
        if appraisal.employee_id is not None:
            rows = findings.get(appraisal.employee_id, [])
        else:
            rows = unit_findings.get(appraisal.subject_unit_id, [])  # type: ignore[arg-type]
            subject_path = appraisal.unit.path
        if rows and "findings" in accepted:
            kwargs["findings"] = tuple(
                Finding(
                    section=str(r[2]),
                    severity=str(r[3]) or None,
                    points=r[4],  # type: ignore[arg-type]
                    item=str(r[5]) or None,
                    mandatory_penalty=bool(r[6]),
                    supervisor_liable=bool(r[7]),
                )
                for r in rows
            )
            given.add("findings")
            digest.update(
                "".join(
                    f"F{r[8]}:{r[2]}:{r[3]}:{r[4]}:{r[5]}:{r[6]}:{r[7]};" for r in rows
                ).encode()
            )
        if subject_path is not None:
            path = subject_path
            event_types = ops.policy_event_types(policy)
            events = ops.unit_events(
                complaints=complaints.get(path, ()),  # type: ignore[arg-type]
                incidents=incidents.get(path, ()),  # type: ignore[arg-type]
                accepted=event_types,
            )
            if events and "events" in accepted:
                kwargs["events"] = tuple(events)
                given.add("events")
            if "survey" in accepted and surveys.get(path):
                kwargs["survey"] = tuple(ops.survey_levels(surveys[path]))  # type: ignore[arg-type]
                given.add("survey")
            if "inspections" in accepted:
                kwargs["inspections"] = inspections.get(path, 0)
                given.add("inspections")
            metric_rows = fees.get(path, ())
        else:
            metric_rows = fees_by_employee.get(appraisal.employee_id, [])  # type: ignore[arg-type,assignment]
        if "metrics" in accepted:
            metrics = ops.fee_metrics(metric_rows, accepted=policy.metrics)  # type: ignore[arg-type]
            if metrics:
                kwargs["metrics"] = metrics
                given.add("metrics")
        if "ratings" in accepted and appraisal.pk in ratings:
            kwargs["ratings"] = {role: dict(items) for role, items in ratings[appraisal.pk].items()}
            given.add("ratings")
        for kind in ("bonus", "adjustment"):
            entry_total = entries.get(appraisal.pk, {}).get(kind)
            if entry_total and kind in accepted:
                kwargs[kind] = entry_total
                given.add(kind)
        if "values" in accepted:
            kwargs["values"] = dict(values.get(appraisal.subject_unit_id or 0, {}))
            given.add("values")
        if "members" in accepted and subject_path is not None:
            member_rows = ops.member_work(
                work.get(subject_path, ()),  # type: ignore[arg-type]
                accepted=ops.member_event_types(policy),
            )
            chosen = grades.get(appraisal.pk, {})
            members = tuple(
                Member(
                    id=numbers.get(employee_id, str(employee_id)),
                    grade=chosen.get(employee_id),
                    events=mw.events,
                    work_points=mw.work_points,
                )
                for employee_id, mw in member_rows.items()
            )
            if members:
                kwargs["members"] = members
                given.add("members")
        subject = Subject(id=appraisal.subject_code, given=frozenset(given), **kwargs)  # type: ignore[arg-type]
        digest.update(
            repr(sorted((k, repr(v)) for k, v in kwargs.items() if k != "findings")).encode()
        )
        facts.subjects[appraisal.pk] = subject
        facts.hashes[appraisal.pk] = digest.hexdigest()
    return facts


def _history(
    period: Period, appraisals: Sequence[Appraisal]
) -> dict[str, tuple[HistoryEntry, ...]]:
    """Earlier results of the same calendar year (and the previous period), by subject id."""
    from django.db.models import Q

    previous_start = period.start - dt.timedelta(days=1)
    rows = (
        Result.objects.filter(
            company_id=period.company_id,
            superseded_by__isnull=True,
            period__kind=period.kind,
            period__end__lt=period.start,
        )
        .filter(Q(period__start__year=period.start.year) | Q(period__end__gte=previous_start))
        .values_list(
            "appraisal__employee__number",
            "appraisal__subject_unit__code",
            "period__key",
            "total",
            "grade",
            "data",
        )
    )
    history: dict[str, list[HistoryEntry]] = defaultdict(list)
    for number, code, key, total, grade, data in rows:
        history[number or code].append(HistoryEntry(period=key, total=total, grade=grade or None))
        for member in (data or {}).get("outcomes", {}).get("members", []):
            if "serious_warning" in member.get("actions", []):
                history[member["id"]].append(
                    HistoryEntry(period=key, total=Decimal(0), grade=member.get("grade"))
                )
    return {key: tuple(value) for key, value in history.items()}


def score_facts(period: Period, appraisals: Sequence[Appraisal], facts: Facts) -> dict[int, object]:
    """Score the appraisals in groups (policy version, ledger, and for teams their department)."""
    from kaoping.scoring import parse_period, score_subjects

    groups: dict[tuple[int, int | None, int | None], list[Appraisal]] = defaultdict(list)
    policies: dict[int, Policy] = {}
    for appraisal in appraisals:
        policy = policies.setdefault(
            appraisal.policy_version_id, engine_policy(appraisal.policy_version)
        )
        department = appraisal.unit.parent_id if policy.ranking is not None else None
        groups[(appraisal.policy_version_id, appraisal.consequences_version_id, department)].append(
            appraisal
        )
    results: dict[int, object] = {}
    for (version_id, ledger_id, department), members in groups.items():
        policy = policies[version_id]
        ledger = None
        if ledger_id is not None:
            ledger = engine_policy(members[0].consequences_version)  # type: ignore[arg-type]
        scored = score_subjects(
            policy,
            parse_period(period.key, policy.period),
            [facts.subjects[a.pk] for a in members],
            ledger=ledger,
            history=facts.history,
            ranking_items=facts.ranking_items.get(department or 0, ()) if policy.ranking else None,
        )
        for appraisal, result in zip(members, scored, strict=True):
            results[appraisal.pk] = result
    return results
