"""The facts builder: the only place where ORM rows become the engine's input.

Set-based: the records of a whole period are loaded with a fixed number of queries (one per
record type), grouped by subject in memory, and turned into engine `Subject`s, so that live
scores, the close and simulations of 10 or 200,000 subjects ask the database the same number of
times. Every subject also gets a hash of its inputs, frozen with its result at close.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
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
from kaoping.org.models import Employee, path_prefixes
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyVersion
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import Finding, HistoryEntry, Member, Policy, RankingItem, Subject
from kaoping.scoring.engine import accepted_keys

from .models import Appraisal, MemberGrade, RankingValue, Rating, Result, ScoreEntry
from .models import RankingItem as RankingItemRow


@dataclass(frozen=True, slots=True)
class AppraisalRow:
    """What the facts builder and the close read of an appraisal: ids and a few values.

    Loaded with one `values_list` query, without instantiating models or copying each policy
    version's text for every row (a close of 100,000 appraisals would otherwise spend seconds
    building objects it never uses).
    """

    pk: int
    company_id: int
    employee_id: int | None
    subject_unit_id: int | None
    unit_id: int
    unit_path: str
    unit_parent_id: int | None
    policy_version_id: int
    consequences_version_id: int | None
    supervisor_id: int | None
    subject_code: str


def appraisal_rows(queryset: QuerySet[Appraisal]) -> list[AppraisalRow]:
    """The appraisals of `queryset` as rows, in id order (one query)."""
    return [
        AppraisalRow(
            pk=pk,
            company_id=company_id,
            employee_id=employee_id,
            subject_unit_id=subject_unit_id,
            unit_id=unit_id,
            unit_path=unit_path,
            unit_parent_id=unit_parent_id,
            policy_version_id=version_id,
            consequences_version_id=ledger_id,
            supervisor_id=supervisor_id,
            subject_code=number or code,
        )
        for (
            pk,
            company_id,
            employee_id,
            subject_unit_id,
            unit_id,
            unit_path,
            unit_parent_id,
            version_id,
            ledger_id,
            supervisor_id,
            number,
            code,
        ) in queryset.order_by("id").values_list(
            "id",
            "company_id",
            "employee_id",
            "subject_unit_id",
            "unit_id",
            "unit__path",
            "unit__parent_id",
            "policy_version_id",
            "consequences_version_id",
            "supervisor_id",
            "employee__number",
            "subject_unit__code",
        )
    ]


def scored_with(appraisal: Appraisal) -> QuerySet[Appraisal] | None:
    """The appraisals that must be scored together with `appraisal` (itself, or for a team the
    teams ranked alongside it under the unit that set the month's ranking items).

    None for a team whose period has no ranking items above it yet (its grade is undecided).
    """
    if appraisal.subject_unit_id is None or appraisal.unit.kind != "team":
        return Appraisal.objects.filter(pk=appraisal.pk)
    paths = set(
        RankingItemRow.objects.filter(period_id=appraisal.period_id).values_list(
            "unit__path", flat=True
        )
    )
    scope = max(
        (path for path in paths if appraisal.unit.path.startswith(path)), key=len, default=None
    )
    if scope is None:
        return None
    return Appraisal.objects.filter(
        period_id=appraisal.period_id,
        policy_version_id=appraisal.policy_version_id,
        subject_unit__path__startswith=scope,
    )


def ranked_alongside(appraisals: Sequence[Appraisal], period: Period) -> Q:
    """The appraisals to score together with the teams among `appraisals`: for each team, the
    teams of its policy version under the unit that set the month's ranking items above it
    (as `scored_with` does for one). One query, none without teams."""
    teams = [a for a in appraisals if a.subject_unit_id is not None and a.unit.kind == "team"]
    if not teams:
        return Q(pk__in=[])
    paths = set(
        RankingItemRow.objects.filter(period_id=period.pk).values_list("unit__path", flat=True)
    )
    condition = Q(pk__in=[])
    for team in teams:
        scope = max((p for p in paths if team.unit.path.startswith(p)), key=len, default=None)
        if scope is not None:  # without ranking items above it a team is scored alone
            condition |= Q(
                policy_version_id=team.policy_version_id, subject_unit__path__startswith=scope
            )
    return condition


def engine_policies(version_ids: Iterable[int | None]) -> dict[int, Policy]:
    """The engine form of each policy version named (one query)."""
    ids = {v for v in version_ids if v is not None}
    return {
        pk: engine_policy(version)
        for pk, version in PolicyVersion.objects.select_related("document").in_bulk(ids).items()
    }


@dataclass
class Facts:
    """Engine input for a batch of appraisals of one period."""

    subjects: dict[int, Subject] = field(default_factory=dict)  # by appraisal id
    hashes: dict[int, str] = field(default_factory=dict)  # by appraisal id
    history: dict[str, tuple[HistoryEntry, ...]] = field(default_factory=dict)
    ranking_items: dict[int, tuple[RankingItem, ...]] = field(default_factory=dict)  # by unit
    ranking_paths: dict[str, int] = field(default_factory=dict)  # path → unit owning items

    def ranking_unit(self, team_path: str) -> int | None:
        """The unit whose ranking items rank this team: the nearest one above it."""
        for prefix in reversed(path_prefixes(team_path)):
            unit_id = self.ranking_paths.get(prefix)
            if unit_id is not None:
                return unit_id
        return None


def period_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as an aware [start, end) interval in the company's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _by_subtree(rows: Iterable[object]) -> dict[str, list[object]]:
    buckets: dict[str, list[object]] = defaultdict(list)
    for row in rows:
        for prefix in path_prefixes(str(row.__dict__["_unit_path"])):
            buckets[prefix].append(row)
    return buckets


def _with_path(queryset):  # type: ignore[no-untyped-def]
    from django.db.models import F

    return queryset.annotate(_unit_path=F("unit__path"))


_NO_FINDINGS: array[int] = array("I")
_NARROW_UP_TO = 2000  # up to this many appraisals, read their own ratings, entries and history
_KEY_SQL = {
    # one text key per finding: section, severity, points, item and the two flags
    "postgresql": (
        "section || chr(31) || severity || chr(31) || points::text || chr(31) || item || chr(31) "
        "|| mandatory_penalty::int::text || supervisor_liable::int::text"
    ),
    "sqlite": (
        "section || char(31) || severity || char(31) || CAST(points AS TEXT) || char(31) || item "
        "|| char(31) || mandatory_penalty || supervisor_liable"
    ),
}
_FINDING_SQL = (
    "SELECT employee_id, subject_unit_id, {key} FROM inspections_finding "
    "WHERE company_id = %s AND status = %s AND occurred_at >= %s AND occurred_at < %s "
    # In the order they happened, which is also the order of the (company, occurred_at) index:
    # no sort, and findings recorded day by day are read in the table's own order.
    "AND ({whose}) ORDER BY occurred_at, id"
)
# PostgreSQL joins each subject's keys itself, in the order they happened: one row per subject
# instead of one per finding (the server's work is about the same, the client's far less). A
# range of employees is read from the covering index on (employee, occurred_at, id) alone, in
# its order; units' findings (no employee) are a second, small query.
_FINDING_SQL_GROUPED = (
    "SELECT {subject}, string_agg({key}, chr(30) ORDER BY occurred_at, id) "
    "FROM inspections_finding "
    "WHERE company_id = %s AND status = %s AND occurred_at >= %s AND occurred_at < %s "
    "AND {whose} GROUP BY {group}"
)
_WHOSE = {"employees": "employee_id BETWEEN %s AND %s", "units": "employee_id IS NULL"}
_GROUPED_BY = {
    "employees": {"subject": "employee_id, NULL::bigint", "group": "employee_id"},
    "units": {"subject": "NULL::bigint, subject_unit_id", "group": "subject_unit_id"},
}


def _shape(key: str) -> Finding:
    section, severity, points, item, flags = key.split("\x1f")
    return Finding(
        section=section,
        severity=severity or None,
        points=Decimal(points),
        item=item or None,
        mandatory_penalty=flags[0] == "1",
        supervisor_liable=flags[1] == "1",
    )


def _load_findings(
    company_id: int,
    start: dt.datetime,
    end: dt.datetime,
    appraisals: Sequence[AppraisalRow],
) -> tuple[dict[int, array[int]], dict[int, array[int]], list[Finding]]:
    """The period's active findings: per employee and per unit, the shape index of each.

    A month has millions of findings but few distinct shapes (section, severity, points, item,
    flags): each shape becomes one engine `Finding`, shared by every finding of that shape, and
    a subject's findings are a compact array of shape indexes. The database builds one text key
    per row, read with a plain cursor, without Django's per-value converters. Only the findings
    of the range of employees (and of the units) among `appraisals` are read, so that a worker
    scoring one part of a close reads one part of the findings.
    """
    by_employee: dict[int, array[int]] = {}
    by_unit: dict[int, array[int]] = {}
    shape_index: dict[str, int] = {}
    shapes: list[Finding] = []
    ops_ = connection.ops
    base: list[Any] = [
        company_id,
        FindingRow.Status.ACTIVE,
        ops_.adapt_datetimefield_value(start),
        ops_.adapt_datetimefield_value(end),
    ]
    wanted: list[tuple[str, list[Any]]] = []  # whose findings, with the condition's parameters
    employee_ids = [a.employee_id for a in appraisals if a.employee_id is not None]
    if employee_ids:
        wanted.append(("employees", [min(employee_ids), max(employee_ids)]))
    if len(employee_ids) < len(appraisals):
        wanted.append(("units", []))
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        sql = " UNION ALL ".join(
            _FINDING_SQL_GROUPED.format(
                key=_KEY_SQL["postgresql"], whose=_WHOSE[name], **_GROUPED_BY[name]
            )
            for name, _extra in wanted
        )
        params = [value for _name, extra in wanted for value in (*base, *extra)]
    else:
        sql = _FINDING_SQL.format(
            key=_KEY_SQL["sqlite"], whose=" OR ".join(_WHOSE[name] for name, _ in wanted)
        )
        params = [*base, *(value for _name, extra in wanted for value in extra)]

    def index_of(key: str) -> int:
        index = shape_index.get(key)
        if index is None:
            index = shape_index[key] = len(shapes)
            shapes.append(_shape(key))
        return index

    # A transaction only where SET LOCAL needs one (PostgreSQL): on SQLite a read needs none.
    in_transaction = transaction.atomic() if postgresql else contextlib.nullcontext()
    with in_transaction, connection.cursor() as cursor:
        if postgresql:
            # Each subject's findings sorted in memory, not in temporary files (this query only).
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(50_000)
            if not chunk:
                break
            if postgresql:  # (employee, unit, the subject's keys joined)
                for employee_id, unit_id, keys in chunk:
                    joined = array("I", [index_of(key) for key in keys.split("\x1e")])
                    if employee_id is not None:
                        by_employee[employee_id] = joined
                    else:
                        by_unit[unit_id] = joined
                continue
            for employee_id, unit_id, key in chunk:  # one finding per row
                index = shape_index.get(key)
                if index is None:
                    index = index_of(key)
                if employee_id is not None:
                    found = by_employee.get(employee_id)
                    if found is None:
                        found = by_employee[employee_id] = array("I")
                    found.append(index)
                else:
                    found = by_unit.get(unit_id)
                    if found is None:
                        found = by_unit[unit_id] = array("I")
                    found.append(index)
    return by_employee, by_unit, shapes


def build_facts(period: Period, appraisals: Sequence[AppraisalRow]) -> Facts:
    """Engine subjects for `appraisals` (all of `period`), from every record of the period."""
    facts = Facts()
    if not appraisals:
        return facts
    company_id = period.company_id
    start, end = period_bounds(period)
    policies = engine_policies(
        [a.policy_version_id for a in appraisals] + [a.consequences_version_id for a in appraisals]
    )
    findings, unit_findings, shapes = _load_findings(company_id, start, end, appraisals)
    # The hash names each finding by its content, not by its index in this batch's shapes (which
    # depends on what else the batch read): the same inputs hash the same in any batch.
    shape_texts = [repr(shape) for shape in shapes]
    accepted_by: dict[tuple[int, bool], frozenset[str]] = {}

    # --- operations records (one query each), bucketed by every unit above them ---------------
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
    # Complaints, incidents, surveys, work points and inspections count for units only.
    complaints: dict[str, list[object]] = {}
    incidents: dict[str, list[object]] = {}
    surveys: dict[str, list[object]] = {}
    work: dict[str, list[object]] = {}
    inspections: dict[str, int] = defaultdict(int)
    if any(a.employee_id is None for a in appraisals):
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
        surveys = _by_subtree(
            _with_path(
                SurveyResponse.objects.filter(
                    company_id=company_id,
                    answered_on__gte=period.start,
                    answered_on__lte=period.end,
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
        for path in Inspection.objects.filter(
            company_id=company_id, at__gte=start, at__lt=end
        ).values_list("unit__path", flat=True):
            for prefix in path_prefixes(path):
                inspections[prefix] += 1

    # --- ratings, entries, ranking, member grades (one query each) -------------------------
    # A few appraisals (a live score, a team's dashboard) read their own rows; a close reads the
    # whole period's.
    mine: dict[str, Any] = (
        {"appraisal_id__in": [a.pk for a in appraisals]}
        if len(appraisals) <= _NARROW_UP_TO
        else {"appraisal__period_id": period.pk}
    )
    ratings: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for appraisal_id, role, item, value in (
        Rating.objects.filter(**mine)
        .order_by("id")
        .values_list("appraisal_id", "rater_role", "item", "value")
    ):
        ratings[appraisal_id][role][item] = value  # the latest amendment stands
    entries: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for appraisal_id, kind, value in ScoreEntry.objects.filter(
        approved_at__isnull=False, **mine
    ).values_list("appraisal_id", "kind", "value"):
        entries[appraisal_id][kind] += value
    team_apps = [
        a
        for a in appraisals
        if a.subject_unit_id is not None and policies[a.policy_version_id].ranking
    ]
    values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if team_apps:
        for ranking_row in (
            RankingItemRow.objects.filter(period=period)
            .select_related("unit")
            .order_by("unit_id", "id")
        ):
            facts.ranking_paths[ranking_row.unit.path] = ranking_row.unit_id
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
    for appraisal_id, employee_id, grade in MemberGrade.objects.filter(**mine).values_list(
        "appraisal_id", "employee_id", "grade"
    ):
        grades[appraisal_id][employee_id] = grade
    numbers: dict[int, str] = {}
    if team_apps:
        numbers = dict(Employee.objects.filter(company_id=company_id).values_list("id", "number"))

    if any(p.repeat_fail is not None or p.members is not None for p in policies.values()):
        facts.history = _history(period, appraisals)

    for appraisal in appraisals:
        policy = policies[appraisal.policy_version_id]
        with_ledger = appraisal.consequences_version_id is not None
        accepted = accepted_by.get((appraisal.policy_version_id, with_ledger))
        if accepted is None:
            accepted = accepted_by[(appraisal.policy_version_id, with_ledger)] = accepted_keys(
                policy, with_ledger=with_ledger
            )
        given: set[str] = set()
        digest = hashlib.sha256()
        digest.update(
            f"{appraisal.policy_version_id}|{appraisal.consequences_version_id}|".encode()
        )
        kwargs: dict[str, object] = {}
        subject_path: str | None = None
        if appraisal.employee_id is not None:
            rows = findings.get(appraisal.employee_id, _NO_FINDINGS)
        else:
            rows = unit_findings.get(appraisal.subject_unit_id or 0, _NO_FINDINGS)
            subject_path = appraisal.unit_path
        if rows and "findings" in accepted:
            kwargs["findings"] = tuple(map(shapes.__getitem__, rows))
            given.add("findings")
            digest.update("\x1e".join(map(shape_texts.__getitem__, rows)).encode())
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
    period: Period, appraisals: Sequence[AppraisalRow]
) -> dict[str, tuple[HistoryEntry, ...]]:
    """Earlier results of the same calendar year (and the previous period), by subject id.

    For a few appraisals, only their employees' results and every unit's (a team's result
    carries its members' warnings).
    """
    from django.db.models import Q

    previous_start = period.start - dt.timedelta(days=1)
    results = Result.objects.filter(
        company_id=period.company_id,
        superseded_by__isnull=True,
        period__kind=period.kind,
        period__end__lt=period.start,
    )
    if len(appraisals) <= _NARROW_UP_TO:
        employees = [a.employee_id for a in appraisals if a.employee_id is not None]
        results = results.filter(Q(employee_id__in=employees) | Q(employee_id__isnull=True))
    rows = results.filter(
        Q(period__start__year=period.start.year) | Q(period__end__gte=previous_start)
    ).values_list(
        "appraisal__employee__number",
        "appraisal__subject_unit__code",
        "period__key",
        "total",
        "grade",
        "data",
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
