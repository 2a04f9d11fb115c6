"""Periods over the API: who sees them, who opens and who closes them, and the lock after."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ROLES, ApiWorld, listed
from kaoping.appraisals.models import Appraisal
from kaoping.periods.models import Period

Client = Callable[[str | None], APIClient]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_of_the_company_sees_its_periods(
    api_world: ApiWorld, api_client: Client, role: str
) -> None:
    periods = {p.pk for p in api_world.periods.values()}

    assert listed(api_client(role), "/api/periods/") == periods
    september = api_client(role).get(f"/api/periods/{api_world.periods['2026-09'].pk}/").json()
    assert {k: september[k] for k in ("company", "kind", "key", "start", "end", "status")} == {
        "company": "GZ",
        "kind": "month",
        "key": "2026-09",
        "start": "2026-09-01",
        "end": "2026-09-30",
        "status": "closed",
    }


@pytest.mark.parametrize(
    ("role", "code"),
    [("quality", 201), ("manager1", 403), ("sup1", 403), ("hr", 403), ("emp1", 403)],
)
def test_quality_opens_a_period_for_the_company(
    api_world: ApiWorld, api_client: Client, role: str, code: int
) -> None:
    response = api_client(role).post(
        "/api/periods/",
        {"kind": "month", "key": "2026-11", "self_deadline": "2026-11-25"},
        format="json",
    )

    assert response.status_code == code, response.json()
    opened = Period.objects.filter(key="2026-11").first()
    assert (opened is not None) == (code == 201)
    if opened is not None:
        assert response.json()["self_deadline"] == "2026-11-25"
        assert Appraisal.objects.filter(period=opened).count() == 6


def test_a_period_opens_once_and_only_with_a_valid_key(
    api_world: ApiWorld, api_client: Client
) -> None:
    quality = api_client("quality")

    again = quality.post("/api/periods/", {"kind": "month", "key": "2026-10"}, format="json")
    wrong = quality.post("/api/periods/", {"kind": "quarter", "key": "2026-10"}, format="json")
    other = quality.post(
        "/api/periods/", {"kind": "month", "key": "2026-12", "company": "SH"}, format="json"
    )

    assert again.json() == {"key": ["考评期间 2026-10 已存在。"]}
    assert wrong.json() == {"key": ["'2026-10' 是月度,本办法按季度考评(如 2026-Q4)"]}
    assert other.json() == {"company": ["没有编码为“SH”的公司(或您不属于该公司)。"]}


def test_a_project_manager_closes_their_project_and_its_records_lock(
    api_world: ApiWorld, api_client: Client
) -> None:
    october = api_world.periods["2026-10"].pk
    url = f"/api/periods/{october}/close/"

    by_supervisor = api_client("sup1").post(url, {"unit": "GZ-P1-T1"}, format="json")
    by_other_manager = api_client("manager2").post(url, {"unit": "GZ-P1"}, format="json")
    closed = api_client("manager1").post(url, {"unit": "GZ-P1"}, format="json")
    again = api_client("manager1").post(url, {"unit": "GZ-P1"}, format="json")

    assert by_supervisor.status_code == 403
    assert by_other_manager.json() == {"unit": ["没有编码为“GZ-P1”的单元(或您无权查看)。"]}
    body = closed.json()
    assert (body["unit"], body["results"], body["already_closed"]) == ("GZ-P1", 4, False)
    assert body["period"]["status"] == "open"  # project P2 is still open
    assert again.json()["already_closed"] is True
    locked = api_client("sup1").patch(
        f"/api/complaints/{api_world.records['complaint']['t1']}/", {"valid": True}, format="json"
    )
    assert locked.json() == {
        "received_at": [
            "2026-10 月度考评期间已关账,不能新增、修改或删除该期间内的记录;如需更正,请通过申诉更正。"
        ]
    }
    assert (
        api_client("manager2")
        .patch(
            f"/api/complaints/{api_world.records['complaint']['t3']}/",
            {"valid": True},
            format="json",
        )
        .status_code
        == 200
    )
