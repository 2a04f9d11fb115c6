"""Every list makes the same number of queries for one row as for twenty (no query per row)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ApiWorld
from kaoping.appeals.models import Appeal, Holiday
from kaoping.appraisals.models import (
    Appraisal,
    MemberGrade,
    OutcomeItem,
    RankingItem,
    RankingValue,
    Rating,
    Result,
    ScoreEntry,
)
from kaoping.inspections.models import (
    CorrectiveAction,
    FaultNotice,
    FindingPhoto,
    InspectionPlan,
)
from kaoping.operations.models import CallStatistic, FeeCollection
from kaoping.org.models import Employee, OrgUnit, Placement, Position, RoleAssignment
from kaoping.policies.models import PolicyDocument, PolicyVersion

Client = Callable[[str | None], APIClient]
ROWS = 20
# list → the user who reads it
LISTS = {
    "units": "admin",
    "positions": "admin",
    "employees": "admin",
    "placements": "admin",
    "inspection-plans": "quality",
    "inspections": "quality",
    "findings": "quality",
    "fault-notices": "quality",
    "corrective-actions": "quality",
    "complaints": "quality",
    "incidents": "quality",
    "call-statistics": "quality",
    "work-orders": "quality",
    "fee-collections": "quality",
    "owner-visits": "quality",
    "surveys": "quality",
    "work-points": "quality",
    "periods": "quality",
    "appraisals": "hr",
    "ratings": "hr",
    "score-entries": "hr",
    "results": "hr",
    "outcome-items": "hr",
    "appeals": "hr",
    "appeals/inbox": "sup1",
    "ranking-items": "quality",
    "ranking-values": "quality",
    "member-grades": "hr",
    "holidays": "hr",
    "policies": "emp1",
    "policy-versions": "emp1",
    "role-assignments": "admin",
    "finding-photos": "quality",
}


def clones(original: Model, **vary: Callable[[int], Any]) -> list[Any]:
    """ROWS copies of a row, unsaved, each field in `vary` set from the copy's number."""
    made = []
    for i in range(ROWS):
        row = copy.copy(original)
        row.pk = None
        for field, value in vary.items():
            setattr(row, field, value(i))
        made.append(row)
    return made


def save(model: type[Model], rows: list[Any]) -> list[Any]:
    # Test data only: rows copied straight into the tables, so that every list has twenty.
    return model._default_manager.bulk_create(rows)


@pytest.fixture(scope="module")
def many(api_world: ApiWorld, django_db_blocker: DjangoDbBlocker) -> ApiWorld:
    """Twenty rows in every list (inside the module's transaction, rolled back with it)."""
    w = api_world.world
    with django_db_blocker.unblock():
        t1 = w.units["t1"]
        save(OrgUnit, clones(t1, code=lambda i: f"Q-{i}", path=lambda i: f"{t1.path}{90000 + i}/"))
        save(Position, clones(w.positions["lead"], code=lambda i: f"pos-{i}"))
        people = save(
            Employee, clones(w.employees["e2"], number=lambda i: f"Q{i:03d}", user=lambda i: None)
        )
        placement = Placement.objects.get(employee=w.employees["e1"])
        save(Placement, clones(placement, employee=lambda i: people[i]))
        save(
            InspectionPlan,
            [
                InspectionPlan(
                    company=w.company,
                    unit=t1,
                    kind="patrol",
                    times=2,
                    period="day",
                    responsible_role="supervisor",
                )
                for _ in range(ROWS)
            ],
        )
        finding = api_world.findings["t1"]
        save(type(finding.inspection), clones(finding.inspection))
        findings = save(type(finding), clones(finding))
        notice = FaultNotice.objects.get(finding=finding)
        save(FaultNotice, clones(notice, finding=lambda i: findings[i], number=lambda i: f"N-{i}"))
        save(
            CorrectiveAction,
            [
                CorrectiveAction(
                    company=w.company,
                    finding=f,
                    unit=t1,
                    owner=w.employees["sup1"],
                    due=dt.date(2026, 10, 20),
                )
                for f in findings
            ],
        )
        for kind, ids in api_world.records.items():
            record = type_of(kind).objects.get(pk=ids["t1"])
            vary: dict[str, Callable[[int], Any]] = {"created_by": lambda i: w.users["quality"]}
            if isinstance(record, CallStatistic):
                vary["date"] = lambda i: dt.date(2026, 10, 13) + dt.timedelta(days=i)
            if isinstance(record, FeeCollection):
                vary["building"] = lambda i: f"Q{i}"
            save(type(record), clones(record, **vary))
        october = api_world.periods["2026-10"]
        periods = save(type(october), clones(october, key=lambda i: f"{2000 + i}-01"))
        appraisal = Appraisal.objects.get(period=october, employee=w.employees["e1"])
        appraisals = save(
            Appraisal,
            clones(
                appraisal, period=lambda i: periods[i], rater_signed_by=lambda i: w.users["sup1"]
            ),
        )
        sup1 = w.users["sup1"]
        save(
            Rating,
            [
                Rating(
                    appraisal=appraisal,
                    rater_role="supervisor",
                    rater=sup1,
                    item="service",
                    value=18,
                )
                for _ in range(ROWS)
            ],
        )
        save(
            ScoreEntry,
            [
                ScoreEntry(
                    appraisal=appraisal, kind="bonus", value=1, reason="表扬", created_by=sup1
                )
                for _ in range(ROWS)
            ],
        )
        result = Result.objects.get(appraisal__employee=w.employees["e1"])
        save(Result, clones(result, appraisal=lambda i: appraisals[i]))
        item = OutcomeItem.objects.filter(result=result).first() or OutcomeItem(
            result=result, company=w.company, unit=t1, employee=w.employees["e1"], action="publish"
        )
        save(OutcomeItem, clones(item, handled_by=lambda i: w.users["hr"]))
        assert api_world.appeal is not None
        save(Appeal, clones(api_world.appeal, finding=lambda i: findings[i]))
        cs1 = w.units["cs1"]
        items = save(
            RankingItem,
            [
                RankingItem(period=october, unit=cs1, code=f"item-{i}", title="接通率", level=1)
                for i in range(ROWS)
            ],
        )
        save(RankingValue, [RankingValue(item=item, team=t1, value=90) for item in items])
        save(
            MemberGrade,
            [
                MemberGrade(appraisal=a, employee=w.employees["e1"], grade="A", set_by=sup1)
                for a in appraisals
            ],
        )
        save(
            Holiday,
            [
                Holiday(
                    company=w.company, date=dt.date(2027, 1, 1) + dt.timedelta(days=i), name="假"
                )
                for i in range(ROWS)
            ],
        )
        document = PolicyDocument.objects.filter(company=w.company).first()
        assert document is not None
        documents = save(PolicyDocument, clones(document, code=lambda i: f"copy-{i}"))
        version = PolicyVersion.objects.filter(document=document).first()
        save(PolicyVersion, clones(version, document=lambda i: documents[i]))
        admin = RoleAssignment.objects.get(user=w.users["admin"])
        save(RoleAssignment, clones(admin, user=lambda i: w.users["hr"]))
        save(
            FindingPhoto,
            [
                FindingPhoto(
                    finding=f,
                    company=w.company,
                    image=f"findings/GZ/{i}.png",
                    content_type="image/png",
                    size=10,
                    uploaded_by=sup1,
                )
                for i, f in enumerate(findings)
            ],
        )
    return api_world


def type_of(kind: str) -> type[Model]:
    from kaoping.operations.tests.records import RECORD_TYPES

    return RECORD_TYPES[kind].model


def queries(user: APIClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = user.get(url)
    assert response.status_code == 200, response.content
    return len(response.json()["results"]), len(captured.captured_queries)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_makes_as_many_queries_for_twenty_rows_as_for_one(
    many: ApiWorld, api_client: Client, name: str
) -> None:
    user = api_client(LISTS[name])
    user.get(f"/api/{name}/")  # the token's first use of the minute writes its last_used_at

    one = queries(user, f"/api/{name}/?page_size=1")
    twenty = queries(user, f"/api/{name}/?page_size={ROWS}")

    assert (one[0], twenty[0]) == (1, ROWS)
    assert one[1] == twenty[1], f"{one[1]} queries for one row, {twenty[1]} for {ROWS}"
