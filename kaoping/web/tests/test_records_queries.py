"""The record lists and their exports ask the database the same number of times whatever
the number of rows they show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaoping.inspections.services import inspection_create
from kaoping.operations.services import complaint_create
from kaoping.org.tests.factories import build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

# Today 6 to 9: session and user (2), scope (2), the unit filter's options (1), the count and
# the page (2); the findings list also reads the sections in use (2).
LIST_QUERY_BUDGET = 12


def _findings(scenario: Scenario, rows: int) -> None:
    for _ in range(rows):
        scenario.finding("e1")


def _inspections(scenario: Scenario, rows: int) -> None:
    world = scenario.world
    for _ in range(rows):
        inspection_create(
            actor=world.users["sup1"], unit=world.units["t1"], kind="patrol", at=scenario.now()
        )
    _findings(scenario, rows)


def _complaints(scenario: Scenario, rows: int) -> None:
    world = scenario.world
    for number in range(rows):
        complaint_create(
            actor=None,
            unit=world.units["t1"],
            employee=world.employees["e1"],
            received_at=timezone.now() - dt.timedelta(hours=1, minutes=number),
            category="attitude",
            description=f"投诉 {number}",
        )


def _queries(code: str, rows: int, make: Callable[[Scenario, int], None], path: str) -> int:
    scenario = Scenario(build_world(code))
    scenario.policies()
    make(scenario, rows)
    client = signed_in(scenario.world, "quality")
    client.get("/")  # the session is warm, as on any page after the first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (_findings, "/findings/"),
        (_findings, "/findings/?q=张三&section=service&month=2026-11"),
        (_inspections, "/inspections/"),
        (_inspections, "/inspections/?q=张三"),
        (_complaints, "/records/complaints/"),
        (_complaints, "/records/complaints/?q=张三&date_from=2026-01-01"),
    ],
    ids=[
        "findings",
        "findings-filtered",
        "inspections",
        "inspections-filtered",
        "complaints",
        "complaints-filtered",
    ],
)
def test_a_record_list_makes_the_same_queries_for_1_and_20_rows(
    make: Callable[[Scenario, int], None], path: str
) -> None:
    one = _queries("GZ", 1, make, path)
    twenty = _queries("SZ", 20, make, path)

    assert twenty == one
    assert one <= LIST_QUERY_BUDGET


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (_findings, "/findings/export.xlsx"),
        (_inspections, "/inspections/export.xlsx"),
        (_complaints, "/records/complaints/export.xlsx"),
        (_findings, "/corrective-actions/export.xlsx"),
    ],
    ids=["findings", "inspections", "complaints", "corrective-actions"],
)
def test_an_export_makes_the_same_queries_for_1_and_20_rows(
    make: Callable[[Scenario, int], None], path: str
) -> None:
    one = _queries("GZ", 1, make, path)
    twenty = _queries("SZ", 20, make, path)

    assert twenty == one
