"""The employee's home page asks the database the same number of times whatever it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.org.tests.factories import build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

# Today 25: session and user (2), scope (2), this month's appraisal (1), its live score (14: the
# appraisal, its row, policy versions, one query per record type, ratings, entries, grades),
# notices and their count (2), closed months (1), appeals and their count (2), the top bar's
# name (1). The live score belongs to the appraisals app, which may add a record type: the
# budget leaves room for that; what must never happen is a count that grows with the rows.
HOME_QUERY_BUDGET = 30


def _home_queries(code: str, rows: int) -> int:
    """Queries of 钱七's home page with `rows` notices, appeals and closed months each."""
    scenario = Scenario(build_world(code))
    scenario.policies()
    scenario.veteran()
    scenario.history("e9", rows)
    scenario.current_month()
    for _ in range(rows):
        scenario.appeal("emp9", scenario.notice("e9"))
    client = signed_in(scenario.world, "emp9")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="card kp-notice mb-2"') == min(rows, 10)
    assert content.count('class="list-group-item kp-appeal"') == min(rows, 10)
    return len(queries)


def test_the_home_page_makes_the_same_queries_for_1_and_20_of_everything() -> None:
    one = _home_queries("GZ", 1)
    twenty = _home_queries("SZ", 20)

    assert twenty == one
    assert one <= HOME_QUERY_BUDGET
