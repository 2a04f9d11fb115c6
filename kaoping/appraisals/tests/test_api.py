"""Appraisals, ratings, entries and results over the API, role by role.

The API test company (kaoping/api/tests/fixtures.py) has September closed (a result for each of
its six appraisals: four employees, two departments) and October open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ROLES, ApiWorld, listed
from kaoping.appraisals.models import Appraisal, OutcomeItem, Rating, Result
from kaoping.org.models import Position
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import policy_assign

Client = Callable[[str | None], APIClient]
# What each role reads of appraisals and results: a subtree (by unit key), its own employee's.
RESULTS_SEEN: dict[str, tuple[str | None, str | None]] = {
    "emp1": (None, "e1"),
    "emp2": (None, "e2"),
    "sup1": ("t1", "sup1"),
    "head1": ("cs1", None),
    "manager1": ("p1", None),
    "manager2": ("p2", None),
    "quality": ("root", None),
    "hr": ("root", None),
    "finance": ("root", None),
    "admin": (None, None),
}


def seen(api: ApiWorld, role: str, rows: list[Appraisal] | list[Result]) -> set[int]:
    subtree, own = RESULTS_SEEN[role]
    path = api.world.units[subtree].path if subtree else None
    own_id = api.world.employees[own].pk if own else None
    return {
        row.pk
        for row in rows
        if (path is not None and row.unit.path.startswith(path))
        or (own_id is not None and row.employee_id == own_id)
    }


def appraisal_of(api: ApiWorld, employee: str, key: str = "2026-10") -> Appraisal:
    return Appraisal.objects.get(period=api.periods[key], employee=api.world.employees[employee])


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_appraisals_and_results_of_its_scope(
    api_world: ApiWorld, api_client: Client, role: str
) -> None:
    user = api_client(role)
    appraisals = list(Appraisal.objects.select_related("unit"))
    results = list(Result.objects.select_related("unit"))

    assert listed(user, "/api/appraisals/") == seen(api_world, role, appraisals)
    assert listed(user, "/api/results/") == seen(api_world, role, results)
    mine = appraisal_of(api_world, "e1", "2026-09")
    result = Result.objects.get(appraisal=mine)
    visible = mine.pk in seen(api_world, role, appraisals)
    assert user.get(f"/api/appraisals/{mine.pk}/").status_code == (200 if visible else 404)
    assert user.get(f"/api/results/{result.pk}/").status_code == (200 if visible else 404)


def test_a_result_reads_with_its_explanation_and_filters_by_period_and_employee(
    api_world: ApiWorld, api_client: Client
) -> None:
    hr = api_client("hr")
    result = Result.objects.get(appraisal=appraisal_of(api_world, "e1", "2026-09"))

    full = hr.get(f"/api/results/{result.pk}/").json()

    assert (full["period"], full["employee"], full["total"], full["current"]) == (
        "2026-09",
        "GZ001",
        "98.50",
        True,
    )
    assert full["policy"] == "cs-group-inspection"
    assert "服务质量 −1.5:一般违规(1–2分)" in full["data"]["explain"]
    assert listed(hr, "/api/results/?employee=GZ001") == {result.pk}
    assert listed(hr, "/api/appraisals/?period=2026-09&unit=GZ-P1-T1") == {
        appraisal_of(api_world, "e1", "2026-09").pk,
        appraisal_of(api_world, "sup1", "2026-09").pk,
    }
    assert "data" not in hr.get("/api/results/").json()["results"][0]


def test_the_live_score_explains_itself_to_the_employee_only_among_colleagues(
    api_world: ApiWorld, api_client: Client
) -> None:
    october = appraisal_of(api_world, "e1")

    mine = api_client("emp1").get(f"/api/appraisals/{october.pk}/score/")
    colleague = api_client("emp2").get(f"/api/appraisals/{october.pk}/score/")

    assert mine.status_code == 200
    assert mine.json()["total"] == "98.5"
    assert colleague.status_code == 404


def test_the_employee_and_the_supervisor_sign_the_form_once_each(
    api_world: ApiWorld, api_client: Client
) -> None:
    url = f"/api/appraisals/{appraisal_of(api_world, 'e1').pk}/sign/"

    by_supervisor_as_subject = api_client("sup1").post(url, {"as_subject": True}, format="json")
    signed = api_client("emp1").post(url, {"as_subject": True}, format="json")
    twice = api_client("emp1").post(url, {"as_subject": True}, format="json")
    rater = api_client("sup1").post(url, {"as_subject": False}, format="json")
    closed = api_client("emp1").post(
        f"/api/appraisals/{appraisal_of(api_world, 'e1', '2026-09').pk}/sign/",
        {"as_subject": True},
        format="json",
    )

    assert by_supervisor_as_subject.json() == {"detail": "只有被考核人本人可以签字。"}
    assert signed.json()["employee_signed_at"] is not None
    assert twice.json() == {"signature": ["已签字,不能重复签字。"]}
    assert rater.json()["rater_signed_by"] == "gz-sup1"
    assert closed.status_code == 400 and list(closed.json()) == ["signature"]


def test_a_bonus_is_proposed_by_a_manager_and_approved_by_another(
    api_world: ApiWorld, api_client: Client
) -> None:
    url = f"/api/appraisals/{appraisal_of(api_world, 'e1').pk}/entries/"

    by_employee = api_client("emp1").post(
        url, {"kind": "bonus", "value": "2", "reason": "表扬信"}, format="json"
    )
    out_of_range = api_client("sup1").post(
        url, {"kind": "bonus", "value": "30", "reason": "x"}, format="json"
    )
    proposed = api_client("sup1").post(
        url, {"kind": "bonus", "value": "2", "reason": "业主表扬信"}, format="json"
    )

    assert by_employee.status_code == 403
    assert out_of_range.json() == {"value": ["30.0 超出嘉奖加分的范围 1–20。"]}
    assert proposed.status_code == 201
    entry = proposed.json()["id"]
    assert api_client("sup1").post(f"/api/score-entries/{entry}/approve/").status_code == 403
    approved = api_client("head1").post(f"/api/score-entries/{entry}/approve/")
    assert approved.json()["approved_by"] == "gz-head1"
    assert listed(api_client("emp1"), "/api/score-entries/?approved=true") == {entry}
    assert listed(api_client("emp2"), "/api/score-entries/") == set()


def test_ratings_are_submitted_by_the_raters_the_policy_names(
    api_world: ApiWorld, api_client: Client
) -> None:
    # given 李四's position is appraised by the administrator form (self and supervisor rate)
    document = PolicyDocument.objects.get(code="cs-admin-monthly")
    policy_assign(
        actor=None,
        document=document,
        position=Position.objects.get(code="lead"),
        start=dt.date(2026, 11, 1),
    )
    opened = api_client("quality").post(
        "/api/periods/", {"kind": "month", "key": "2026-11"}, format="json"
    )
    appraisal = Appraisal.objects.get(
        period_id=opened.json()["id"], employee=api_world.world.employees["sup1"]
    ).pk

    mine = api_client("sup1").post(
        "/api/ratings/",
        {
            "appraisal": appraisal,
            "rater_role": "self",
            "values": {"dedication": "5.5", "communication": "9"},
        },
        format="json",
    )
    outside_band = api_client("sup1").post(
        "/api/ratings/",
        {"appraisal": appraisal, "rater_role": "self", "values": {"dedication": "7"}},
        format="json",
    )
    not_theirs = api_client("emp1").post(
        "/api/ratings/",
        {"appraisal": appraisal, "rater_role": "self", "values": {"dedication": "5"}},
        format="json",
    )
    as_supervisor = api_client("head1").post(
        "/api/ratings/",
        {"appraisal": appraisal, "rater_role": "supervisor", "values": {"dedication": "5"}},
        format="json",
    )

    assert mine.status_code == 201
    assert [(r["item"], r["value"], r["rater"]) for r in mine.json()] == [
        ("dedication", "5.5", "gz-sup1"),
        ("communication", "9.0", "gz-sup1"),
    ]
    assert outside_band.json() == {"values.dedication": ["7 超出爱岗敬业的分值范围 0–6"]}
    assert not_theirs.json() == {"appraisal": [f"没有编号为 {appraisal} 的考核(或您无权查看)。"]}
    assert as_supervisor.status_code == 403
    assert Rating.objects.count() == 2
    assert listed(api_client("head1"), f"/api/ratings/?appraisal={appraisal}") == {
        r["id"] for r in mine.json()
    }


def test_hr_works_through_the_outcome_items_of_a_close(
    api_world: ApiWorld, api_client: Client
) -> None:
    item = OutcomeItem.objects.get(employee=api_world.world.employees["e3"])
    url = f"/api/outcome-items/{item.pk}/handle/"

    assert listed(api_client("hr"), "/api/outcome-items/?period=2026-09&status=open") >= {item.pk}
    assert listed(api_client("emp2"), "/api/outcome-items/") == set()
    assert listed(api_client("manager2"), "/api/outcome-items/") == {item.pk}
    by_manager = api_client("manager2").post(url, {"status": "done"}, format="json")
    without_reason = api_client("hr").post(url, {"status": "cancelled"}, format="json")
    done = api_client("hr").post(url, {"status": "done", "note": "已公示"}, format="json")
    again = api_client("hr").post(url, {"status": "done"}, format="json")

    assert by_manager.status_code == 403
    assert without_reason.json() == {"note": ["撤销处理事项须写明原因。"]}
    assert (done.json()["status"], done.json()["handled_by"], done.json()["action"]) == (
        "done",
        "gz-hr",
        item.action,
    )
    assert again.json() == {"status": ["该处理事项已是“已处理”,不能再次处理。"]}
