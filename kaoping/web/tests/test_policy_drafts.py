"""The company's policies for quality: a draft from the published version, its lint as one types,
saving (lint errors refused), publishing, and the simulation against a closed month."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.appraisals.models import Result
from kaoping.policies.models import PolicyVersion
from kaoping.policies.services import policy_draft_save

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

CODE = "cs-group-inspection"
# The draft grades the group's staff: 90 and above 合格, below 不合格 (the built-in has no grades).
GRADES = """grades:
  - {id: pass, title: 合格, min: 90}
  - {id: fail, title: 不合格}
"""


def _graded(source: str) -> str:
    return source.replace("bonus:\n", GRADES + "bonus:\n", 1)


@pytest.fixture
def closed(scenario: Scenario) -> Scenario:
    scenario.history("e1", 1)
    return scenario


def _published(scenario: Scenario) -> PolicyVersion:
    return scenario.documents[CODE].versions.get(number=1)


def test_quality_starts_a_draft_from_the_published_version(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")
    assert CODE in client.get("/policy-documents/").content.decode()

    response = client.post(f"/policy-documents/{CODE}/draft/new/")

    assert response.status_code == 302
    assert response["Location"] == f"/policy-documents/{CODE}/draft/"
    draft = scenario.documents[CODE].versions.get(status="draft")
    assert draft.number == 2
    assert draft.source == _published(scenario).source
    page = client.get(response["Location"]).content.decode()
    assert "已从第 1 版新建草稿。" in page
    assert '<p class="text-success mb-1 kp-lint-ok">没有错误,可以保存。</p>' in page
    assert 'hx-post="/policy-documents/cs-group-inspection/draft/lint/"' in page


def test_only_quality_edits(scenario: Scenario) -> None:
    for name in ("emp1", "sup1", "hr"):
        client = signed_in(scenario.world, name)
        assert client.get(f"/policy-documents/{CODE}/").status_code == 200
        assert client.get(f"/policy-documents/{CODE}/draft/").status_code == 403
        assert client.post(f"/policy-documents/{CODE}/draft/new/").status_code == 403
        assert (
            client.post(f"/policy-documents/{CODE}/draft/lint/", {"source": ""}).status_code == 403
        )
    assert not PolicyVersion.objects.filter(status="draft").exists()


def test_another_companys_policy_is_404(scenario: Scenario) -> None:
    from kaoping.org.tests.factories import build_world
    from kaoping.policies.services import builtin_policies_install

    other = build_world("SZ")
    builtin_policies_install(actor=None, company=other.company)
    client = signed_in(other, "quality")

    # the code is the same in both companies: the other's quality sees only their own
    assert client.get(f"/policy-documents/{CODE}/").status_code == 200
    assert client.post(f"/policy-documents/{CODE}/draft/new/").status_code == 302
    assert not scenario.documents[CODE].versions.filter(status="draft").exists()
    assert client.get("/policy-documents/nope/").status_code == 404


def test_lint_is_shown_as_one_types_and_nothing_is_saved(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")
    source = _published(scenario).source

    broken = client.post(
        f"/policy-documents/{CODE}/draft/lint/",
        {"source": source.replace("max: 20", "max: 15", 1)},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="policy-lint",
    )
    syntax = client.post(f"/policy-documents/{CODE}/draft/lint/", {"source": "id: [x"})
    fine = client.post(f"/policy-documents/{CODE}/draft/lint/", {"source": source})

    content = broken.content.decode()
    assert broken.status_code == 200
    assert content.startswith('\n<div id="policy-lint"') or '<div id="policy-lint"' in content
    assert "<html" not in content
    assert "1 个错误:修正后才能保存。" in content
    assert (
        '<li class="kp-lint-error text-danger">错误 error: sections[0].severities.consequence'
        in content
    )
    assert "YAML 语法错误" in syntax.content.decode()
    assert "没有错误,可以保存。" in fine.content.decode()
    assert not PolicyVersion.objects.filter(status="draft").exists()


def test_saving_a_draft_with_errors_is_refused_next_to_the_field(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")

    response = client.post(f"/policy-documents/{CODE}/draft/", {"source": "id: other\n"})

    assert response.status_code == 400
    assert '<div class="invalid-feedback d-block">' in response.content.decode()
    assert not PolicyVersion.objects.filter(status="draft").exists()


def test_saving_and_publishing_the_draft(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")
    source = _graded(_published(scenario).source)

    saved = client.post(f"/policy-documents/{CODE}/draft/", {"source": source})
    assert saved.status_code == 302
    draft = scenario.documents[CODE].versions.get(status="draft")
    assert draft.source == source

    wrong = client.post(f"/policy-documents/{CODE}/draft/publish/", {"effective_period": "明年"})
    assert wrong.status_code == 400
    assert 'id="id_effective_period"' in wrong.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"

    published = client.post(
        f"/policy-documents/{CODE}/draft/publish/", {"effective_period": "2030-01"}
    )
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert str(draft.effective_from) == "2030-01-01"
    page = client.get(published["Location"]).content.decode()
    assert "第 2 版已发布,2030-01-01 起生效。" in page


def test_the_draft_is_simulated_against_a_closed_month(closed: Scenario) -> None:
    client = signed_in(closed.world, "quality")
    draft = policy_draft_save(
        actor=closed.world.users["quality"],
        document=closed.documents[CODE],
        source=_graded(_published(closed).source),
    )
    result = Result.objects.get(employee=closed.world.employees["e1"])
    period_pk = result.period_id

    response = client.get(
        f"/policy-documents/{CODE}/draft/?period={period_pk}",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="policy-simulation",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    # everyone of the group (张三, 王五, 赵六, 李四) had no grade and gets one
    assert content.count('<tr class="kp-simulated table-warning">') == 4
    assert "张三" in content
    assert f"{result.period.key}:共 4 人,4 人结果变化,4 人等级变化。" in content
    assert "— → 合格" in content
    assert draft.status == "draft"

    out = io.StringIO()
    call_command("simulate", CODE, result.period.key, company=closed.world.company.code, stdout=out)
    assert "张三" in out.getvalue()
    assert "共 4 人,4 人结果变化,4 人等级变化" in out.getvalue()


def test_kaoping_policy_simulate_is_the_simulate_command(
    closed: Scenario, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connections

    from kaoping import cli

    # Django closes every connection after a command run from the command line; here that
    # would close the test's own transaction (PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)

    policy_draft_save(
        actor=closed.world.users["quality"],
        document=closed.documents[CODE],
        source=_graded(_published(closed).source),
    )
    key = Result.objects.get(employee=closed.world.employees["e1"]).period.key
    company = closed.world.company.code

    # when the quality department simulates from the engine's `policy` command
    code = cli.main(["policy", "simulate", CODE, key, "--company", company])

    # then it is `kaoping simulate`: the same lines, and its errors name the argument
    out = capsys.readouterr().out
    assert code == 0
    assert "张三" in out
    assert f"{key} v2: 共 4 人,4 人结果变化,4 人等级变化" in out
    assert cli.main(["policy", "simulate", CODE, "2031-01", "--company", company]) == 1
    assert (
        capsys.readouterr().err.strip()
        == "CommandError: period: 没有考评期间 2031-01 / no such period"
    )


def test_the_policy_list_makes_the_same_queries_for_few_and_many_versions(
    scenario: Scenario,
) -> None:
    client = signed_in(scenario.world, "quality")
    with CaptureQueriesContext(connection) as few:
        client.get("/policy-documents/")
    for document in scenario.documents.values():
        policy_draft_save(
            actor=None, document=document, source=document.versions.get(number=1).source
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/policy-documents/")
    assert response.content.decode().count("草稿</span>") == len(scenario.documents)
    assert len(few) == len(many) <= 10


def test_simulate_refusals_name_the_argument_in_both_languages(closed: Scenario) -> None:
    from django.core.management.base import CommandError

    from kaoping.appraisals.services.periods import period_open

    company = closed.world.company.code
    closed_key = Result.objects.get(employee=closed.world.employees["e1"]).period.key
    open_key = "2026-12"
    period_open(actor=None, company=closed.world.company, kind="month", key=open_key)

    def refusal(*args: object, **options: object) -> str:
        with pytest.raises(CommandError) as raised:
            call_command("simulate", CODE, *args, company=company, stdout=io.StringIO(), **options)
        return str(raised.value)

    # an unknown period is the period's fault, whatever the version
    assert refusal("2030-13") == "period: 没有考评期间 2030-13 / no such period"
    # no draft, or no such version
    assert refusal(closed_key) == (
        f"--number: {CODE} 没有草稿,请用 --number 指定要模拟的版本"
        f" / {CODE} has no draft: choose a version with --number"
    )
    assert refusal(closed_key, number=99) == (
        f"--number: {CODE} 没有第 99 版 / {CODE} has no version 99"
    )
    # an open period cannot be replayed
    assert refusal(open_key, number=1) == (
        "period: 只能对已关账的期间模拟测算。 / Only a closed period can be simulated."
    )
