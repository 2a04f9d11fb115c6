"""The team's live scores (web.selectors.team_live_scores): only the appraisals the viewer sees
are scored, not the whole open period, with the same results as the close preview; once per
request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import kaoping.appraisals.services.close as close_services
from kaoping.appraisals.models import Appraisal
from kaoping.appraisals.selectors import appraisal_list, period_preview
from kaoping.org.access import scope_of
from kaoping.periods.models import Period
from kaoping.web.selectors import team_live_scores

from .conftest import signed_in
from .scenario import Scenario
from .test_supervisor import rated_clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(scenario: Scenario) -> Scenario:
    rated_clerk(scenario)
    scenario.current_month()
    scenario.notice("e1")
    scenario.notice("e2")
    return scenario


def _period(scenario: Scenario) -> Period:
    return Period.objects.get(
        company=scenario.world.company, start__lte=scenario.today, end__gte=scenario.today
    )


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The appraisal ids of each scoring batch."""
    batches: list[set[int]] = []
    original: Callable[..., Any] = close_services.score_period

    def spy(period: Any, rows: Any, **kwargs: Any) -> Any:
        batches.append({row.pk for row in rows})
        return original(period, rows, **kwargs)

    monkeypatch.setattr(close_services, "score_period", spy)
    return batches


@pytest.mark.parametrize("name", ["sup1", "head1", "manager1", "manager2", "quality", "emp1"])
def test_the_same_results_as_the_close_preview_for_every_viewer(month: Scenario, name: str) -> None:
    user = month.world.users[name]
    period = _period(month)
    own = scope_of(user).employee_id

    ours = team_live_scores(viewer=user, period=period, exclude_employee_id=own)
    preview = [
        row
        for row in period_preview(viewer=user, period=period)
        if own is None or Appraisal.objects.get(pk=row.appraisal_id).employee_id != own
    ]

    assert {r.appraisal_id: r for r in ours} == {r.appraisal_id: r for r in preview}


def test_only_the_supervisors_team_is_scored(month: Scenario, scored: list[set[int]]) -> None:
    user = month.world.users["sup1"]
    period = _period(month)
    own = scope_of(user).employee_id
    assert own is not None
    team = set(
        appraisal_list(viewer=user, period=period)
        .exclude(employee_id=own)
        .values_list("pk", flat=True)
    )
    everyone = set(Appraisal.objects.filter(period=period).values_list("pk", flat=True))

    rows = team_live_scores(viewer=user, period=period, exclude_employee_id=own)

    assert {row.appraisal_id for row in rows} == team
    assert scored == [team]
    assert team < everyone  # 王五 (服务二组), 赵六 (服务三组) and 李四 himself are not scored


def test_scored_once_per_request(month: Scenario, scored: list[set[int]]) -> None:
    user = month.world.users["sup1"]
    period = _period(month)

    first = team_live_scores(viewer=user, period=period)
    again = team_live_scores(viewer=user, period=period)

    assert again is first
    assert len(scored) == 1


def test_the_dashboard_scores_the_team_only(month: Scenario, scored: list[set[int]]) -> None:
    response = signed_in(month.world, "sup1").get("/")

    assert response.status_code == 200
    assert len(scored) == 1
    names = set(Appraisal.objects.filter(pk__in=scored[0]).values_list("employee__name", flat=True))
    assert names == {"张三", "周九"}


def test_nothing_is_scored_for_a_viewer_without_appraisals_in_scope(
    month: Scenario, scored: list[set[int]]
) -> None:
    period = _period(month)
    user = month.world.users["emp1"]
    own = scope_of(user).employee_id

    assert team_live_scores(viewer=user, period=period, exclude_employee_id=own) == []
    assert scored == []
