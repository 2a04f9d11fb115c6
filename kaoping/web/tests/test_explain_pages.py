"""Every page that shows the engine's explanation lines shows them in the reader's language:
the employee's live score, an appraisal (live or frozen at close), the close preview, a policy's
example. zh-Hans as written, zh-Hant converted with OpenCC, English in the engine's wording."""

from __future__ import annotations

from html import escape

import pytest

from kaoping.appraisals.models import Appraisal, Result
from kaoping.appraisals.selectors import appraisal_live_score
from kaoping.web.explain import explain_line

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "zh-hant", "en"]


def _lines(data: dict[str, object]) -> list[str]:
    explain = data.get("explain")
    assert isinstance(explain, list) and explain
    return [str(line) for line in explain]


def _assert_shown(html: str, lines: list[str], language: str) -> None:
    for line in lines:
        shown = explain_line(line, language)
        assert f"<li>{escape(shown, quote=True)}</li>" in html, (language, line)
    if language == "en":
        totals = [line for line in lines if line.startswith("总分 ")]
        assert totals
        assert all(f"<li>Total {line[3:]}" in html for line in totals)
    if language == "zh-hans":
        assert all(explain_line(line, language) == line for line in lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_live_score_on_the_employees_home(scenario: Scenario, language: str) -> None:
    scenario.current_month()
    scenario.notice("e1")
    appraisal = Appraisal.objects.get(employee=scenario.world.employees["e1"], status="open")
    user = scenario.world.users["emp1"]
    lines = _lines(appraisal_live_score(viewer=user, pk=appraisal.pk))

    response = signed_in(scenario.world, "emp1", HTTP_ACCEPT_LANGUAGE=language).get("/")

    assert response.status_code == 200
    _assert_shown(response.content.decode(), lines, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_frozen_result_shows_the_same(scenario: Scenario, language: str) -> None:
    scenario.history("e1", 1)
    result = Result.objects.get(employee=scenario.world.employees["e1"], superseded_by=None)
    lines = _lines(dict(result.data))

    response = signed_in(scenario.world, "emp1", HTTP_ACCEPT_LANGUAGE=language).get(
        f"/appraisals/{result.appraisal_id}/"
    )

    assert response.status_code == 200
    _assert_shown(response.content.decode(), lines, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_close_preview(scenario: Scenario, language: str) -> None:
    period = scenario.current_month()
    scenario.notice("e1")
    response = signed_in(scenario.world, "quality", HTTP_ACCEPT_LANGUAGE=language).get(
        f"/periods/{period.pk}/"
    )

    assert response.status_code == 200
    html = response.content.decode()
    appraisal = Appraisal.objects.get(employee=scenario.world.employees["e1"], status="open")
    lines = _lines(appraisal_live_score(viewer=scenario.world.users["quality"], pk=appraisal.pk))
    _assert_shown(html, lines, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_policys_example(scenario: Scenario, language: str) -> None:
    from kaoping.scoring.case import parse_case_json
    from kaoping.scoring.examples import example_texts
    from kaoping.scoring.scorecase import score_case

    out = score_case(parse_case_json(example_texts()["cs-group-inspection"]))
    lines = [line for result in out["results"] for line in result["explain"]]

    response = signed_in(scenario.world, "emp1", HTTP_ACCEPT_LANGUAGE=language).get(
        "/policies/cs-group-inspection/"
    )

    assert response.status_code == 200
    _assert_shown(response.content.decode(), lines, language)
