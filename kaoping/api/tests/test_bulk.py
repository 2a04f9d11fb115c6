"""Bulk create for integrations: all or nothing, per-row errors, retries that never duplicate.

Every operations record type and findings, through `POST /api/<type>/bulk/` as quality.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ApiWorld
from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import Finding
from kaoping.operations.tests.records import RECORD_TYPES
from kaoping.org.models import Employee, OrgUnit

Client = Callable[[str | None], APIClient]
CLOSED = "2026-09 月度考评期间已关账,不能新增、修改或删除该期间内的记录;如需更正,请通过申诉更正。"
URLS = {
    "complaint": "complaints",
    "incident": "incidents",
    "call_statistic": "call-statistics",
    "work_order": "work-orders",
    "fee_collection": "fee-collections",
    "owner_visit": "owner-visits",
    "survey_response": "surveys",
    "work_point_entry": "work-points",
    "finding": "findings",
}
KINDS = list(URLS)
# A valid change of each type's content.
OTHER_CONTENT: dict[str, dict[str, Any]] = {
    "complaint": {"description": "另一件事"},
    "incident": {"description": "另一件事"},
    "call_statistic": {"answered": 1},
    "work_order": {"description": "另一件事"},
    "fee_collection": {"households_paid": 100},
    "owner_visit": {"record": "另一件事"},
    "survey_response": {"level": "neutral"},
    "work_point_entry": {"note": "另一件事"},
    "finding": {"description": "另一件事"},
}


def as_json(value: Any) -> Any:
    if isinstance(value, OrgUnit):
        return value.code
    if isinstance(value, Employee):
        return value.number
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row(api: ApiWorld, kind: str, n: int, **changes: Any) -> dict[str, Any]:
    """A valid row of `kind` about 张三 in team t1, day 12 October + n; external id `X-<n>`."""
    if kind == "finding":
        fields: dict[str, Any] = {
            "inspection": api.findings["t1"].inspection_id,
            "employee": "GZ001",
            "section": "service",
            "severity": "general",
            "points": "1.5",
            "description": "接待台无人值守",
            "occurred_at": dt.datetime(2026, 10, 12, 10, tzinfo=dt.UTC) + dt.timedelta(days=n),
        }
    else:
        fields = RECORD_TYPES[kind].fields(api.world, "t1", n)
    return {
        **{name: as_json(value) for name, value in fields.items()},
        "external_id": f"X-{n}",
        **changes,
    }


def model_of(kind: str) -> type[Model]:
    return Finding if kind == "finding" else RECORD_TYPES[kind].model


def stored(kind: str) -> int:
    return model_of(kind)._default_manager.count()


def events() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize("kind", KINDS)
def test_a_batch_is_created_and_its_retry_changes_nothing(
    api_world: ApiWorld, api_client: Client, kind: str
) -> None:
    quality = api_client("quality")
    url = f"/api/{URLS[kind]}/bulk/"
    rows = [row(api_world, kind, n) for n in (1, 2, 3)]
    before = stored(kind)

    created = quality.post(url, rows, format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["created"], body["unchanged"]) == (3, 0)
    assert [(r["index"], r["external_id"], r["status"]) for r in body["rows"]] == [
        (0, "X-1", "created"),
        (1, "X-2", "created"),
        (2, "X-3", "created"),
    ]
    assert stored(kind) == before + 3
    listed = quality.get(f"/api/{URLS[kind]}/{body['rows'][1]['id']}/").json()
    assert listed["external_id"] == "X-2"

    # when the integration sends the same batch again (a retry after a timeout)
    marks = (stored(kind), events())
    retried = quality.post(url, rows, format="json")

    # then every row is reported unchanged, with the same ids, and nothing is written
    assert retried.status_code == 200
    assert retried.json() == {
        "created": 0,
        "unchanged": 3,
        "rows": [{**r, "status": "unchanged"} for r in body["rows"]],
    }
    assert (stored(kind), events()) == marks


@pytest.mark.parametrize("kind", KINDS)
def test_a_batch_with_any_bad_row_writes_nothing_and_names_every_error(
    api_world: ApiWorld, api_client: Client, kind: str
) -> None:
    quality = api_client("quality")
    september = {"month": "2026-09-01"} if kind == "fee_collection" else {}
    rows = [
        row(api_world, kind, 1),  # fine on its own
        row(api_world, kind, 2, unit="NO-SUCH")
        if kind != "finding"
        else row(api_world, kind, 2, employee="NO-SUCH"),
        row(api_world, kind, -30, **september),  # September is closed
        row(api_world, kind, 4, external_id=""),
        row(api_world, kind, 5, external_id="X-1"),  # the same as row 0
    ]
    marks = (stored(kind), events())

    refused = quality.post(f"/api/{URLS[kind]}/bulk/", rows, format="json")

    assert refused.status_code == 400
    field = "employee" if kind == "finding" else "unit"
    unknown = (
        "没有工号为“NO-SUCH”的员工(或您无权查看)。"
        if kind == "finding"
        else "没有编码为“NO-SUCH”的单元(或您无权查看)。"
    )
    assert refused.json() == {
        "detail": "有 3 行存在错误,本批未写入任何记录。",
        "errors": [
            {"index": 1, "field": field, "message": unknown},
            {
                "index": 3,
                "field": "external_id",
                "message": "批量提交时每行都须填写外部编号(external_id)。",
            },
            {"index": 4, "field": "external_id", "message": "外部编号“X-1”与本批第 0 行重复。"},
        ],
    }
    assert (stored(kind), events()) == marks

    # once the rows that fail their checks are fixed, the service refuses the closed month
    fixed = [rows[0], rows[2]]
    refused_by_service = quality.post(f"/api/{URLS[kind]}/bulk/", fixed, format="json")

    date_field = "occurred_at" if kind == "finding" else RECORD_TYPES[kind].model.date_field
    assert refused_by_service.json() == {
        "detail": "有 1 行存在错误,本批未写入任何记录。",
        "errors": [{"index": 1, "field": date_field, "message": CLOSED}],
    }
    assert (stored(kind), events()) == marks  # row 0 was created, then rolled back


@pytest.mark.parametrize("kind", KINDS)
def test_a_known_external_id_with_other_content_is_a_conflict(
    api_world: ApiWorld, api_client: Client, kind: str
) -> None:
    quality = api_client("quality")
    url = f"/api/{URLS[kind]}/bulk/"
    first = quality.post(url, [row(api_world, kind, 1)], format="json").json()
    marks = (stored(kind), events())

    changed = row(api_world, kind, 1, **OTHER_CONTENT[kind])
    conflict = quality.post(url, [row(api_world, kind, 7), changed], format="json")

    pk = first["rows"][0]["id"]
    assert conflict.status_code == 400
    assert conflict.json()["errors"] == [
        {
            "index": 1,
            "field": "external_id",
            "message": f"外部编号“X-1”已有记录(#{pk}),但内容与本行不同;如需修改请更新该记录。",
        }
    ]
    assert (stored(kind), events()) == marks


def test_a_batch_over_the_limit_or_not_a_list_is_refused(
    api_world: ApiWorld, api_client: Client, settings: Any
) -> None:
    settings.KAOPING_API_BULK_MAX_ROWS = 2
    quality = api_client("quality")
    rows = [row(api_world, "complaint", n) for n in (1, 2, 3)]

    def refusal(body: Any) -> Any:
        response = quality.post("/api/complaints/bulk/", body, format="json")
        assert response.status_code == 400
        assert response.json()["detail"] == "请求有误,本批未写入任何记录。"
        return response.json()["errors"]

    assert refusal(rows) == [
        {
            "index": None,
            "field": "non_field_errors",
            "message": "一次最多提交 2 行,本次为 3 行;请分批提交。",
        }
    ]
    assert refusal({"rows": rows})[0]["message"] == "请提交一个 JSON 数组,每个元素是一行记录。"
    assert refusal([])[0]["message"] == "没有要提交的记录:数组为空。"
    assert stored("complaint") == 3


def test_rows_the_sender_may_not_write_are_errors_of_those_rows(
    api_world: ApiWorld, api_client: Client
) -> None:
    # 李四 supervises team t1 only: the row for t2 names a unit he cannot see; HR writes none
    rows = [row(api_world, "incident", 1), row(api_world, "incident", 2, unit="GZ-P1-T2")]

    by_supervisor = api_client("sup1").post("/api/incidents/bulk/", rows, format="json")
    by_hr = api_client("hr").post("/api/incidents/bulk/", rows[:1], format="json")

    assert by_supervisor.json()["errors"] == [
        {"index": 1, "field": "unit", "message": "没有编码为“GZ-P1-T2”的单元(或您无权查看)。"}
    ]
    assert by_hr.json()["errors"] == [
        {"index": 0, "field": "non_field_errors", "message": "您没有权限执行此操作。"}
    ]
    assert (
        api_client("sup1").post("/api/incidents/bulk/", rows[:1], format="json").status_code == 201
    )
