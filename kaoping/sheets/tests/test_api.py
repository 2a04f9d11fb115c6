"""Sheet imports over the API: POST /api/imports/ (the same service as the web upload and
`kaoping import`) and GET /api/import-templates/{kind}/."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ApiWorld
from kaoping.audit.models import AuditEvent
from kaoping.operations.models import CallStatistic

from .helpers import csv_bytes, xlsx

Client = Callable[[str | None], APIClient]
HEADER = ["日期", "单位", "呼入量", "接听量"]
GOOD = [HEADER, ["2026年10月25日", "服务一组", "120", "118"], ["2026/10/26", "GZ-P1-T2", 100, 100]]
BAD = [HEADER, ["2026-10-25", "服务一组", "120", "118"], ["2026-10-26", "没有这个组", 100, 100]]


def upload(content: bytes, name: str = "calls.xlsx") -> io.BytesIO:
    data = io.BytesIO(content)
    data.name = name
    return data


def post(client: APIClient, content: bytes, name: str = "calls.xlsx", **fields: Any) -> Any:
    body = {"kind": "calls", "file": upload(content, name), **fields}
    return client.post("/api/imports/", body, format="multipart")


def october_calls() -> set[tuple[dt.date, str]]:
    return set(
        CallStatistic.objects.filter(date__gte=dt.date(2026, 10, 25)).values_list(
            "date", "unit__code"
        )
    )


def test_a_dry_run_reports_what_would_be_imported_and_writes_nothing(
    api_world: ApiWorld, api_client: Client
) -> None:
    response = post(api_client("quality"), xlsx(GOOD), dry_run="true")

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "kind": "calls",
        "kind_title": "电话统计",
        "file_name": "calls.xlsx",
        "sheet": "Sheet1",
        "header_row": 1,
        "dry_run": True,
        "written": False,
        "rows_read": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "imported": 2,
        "ignored_columns": [],
        "summary": "试运行:共读取 2 行,可以导入(新增 2 行,更新 0 行,已存在未变 0 行);未写入任何数据。",
        "errors": [],
    }
    assert october_calls() == set()


def test_an_import_writes_every_row_through_the_services_and_answers_201(
    api_world: ApiWorld, api_client: Client
) -> None:
    before = AuditEvent.objects.count()

    response = post(api_client("quality"), xlsx(GOOD))
    again = post(api_client("quality"), xlsx(GOOD))

    assert response.status_code == 201, response.json()
    assert (response.json()["written"], response.json()["created"]) == (True, 2)
    assert response.json()["summary"] == (
        "导入完成:共读取 2 行,已导入 2 行(新增 2 行,更新 0 行,已存在未变 0 行)。"
    )
    assert october_calls() == {
        (dt.date(2026, 10, 25), "GZ-P1-T1"),
        (dt.date(2026, 10, 26), "GZ-P1-T2"),
    }
    assert AuditEvent.objects.count() == before + 2
    assert again.status_code == 201
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)


def test_a_sheet_with_a_bad_row_imports_nothing_and_lists_every_error(
    api_world: ApiWorld, api_client: Client
) -> None:
    response = post(api_client("quality"), csv_bytes(BAD), name="calls.csv")

    assert response.status_code == 400
    body = response.json()
    assert (body["written"], body["rows_read"], "file" in body) == (False, 2, False)
    assert body["errors"] == [
        {
            "row": 3,
            "column": "B 列「单位」",
            "value": "没有这个组",
            "reason": "没有编码或名称为“没有这个组”的单位",
        }
    ]
    assert body["summary"].startswith("导入被拒绝:共读取 2 行,发现 1 处错误")
    assert october_calls() == set()


def test_the_report_is_in_the_users_language(api_world: ApiWorld, api_client: Client) -> None:
    client = api_client("quality")

    response = client.post(
        "/api/imports/",
        {"kind": "calls", "file": upload(xlsx(GOOD)), "dry_run": "true"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.json()["summary"].startswith("Dry run: 2 rows read and ready to import")


def test_a_file_too_large_is_refused_naming_the_field(
    api_world: ApiWorld, api_client: Client, settings: Any
) -> None:
    settings.KAOPING_MAX_IMPORT_BYTES = 1000

    response = post(api_client("quality"), b"x" * 1500, name="calls.csv")

    assert response.status_code == 400
    assert response.json() == {
        "file": ["文件太大(1.5 KB),导入文件不能超过 1000 字节。请拆分后分批导入。"]
    }


def test_a_file_that_is_not_what_its_name_says_is_refused_naming_the_field(
    api_world: ApiWorld, api_client: Client
) -> None:
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600

    response = post(api_client("quality"), old_excel, name="calls.xlsx")

    assert response.status_code == 400
    body = response.json()
    assert body["file"] == [body["errors"][0]["reason"]]
    assert body["errors"][0]["row"] == 0
    assert ".xlsx" in body["file"][0]
    assert october_calls() == set()


def test_the_fields_are_checked_before_the_file(api_world: ApiWorld, api_client: Client) -> None:
    client = api_client("quality")

    nothing = client.post("/api/imports/", {}, format="multipart")
    unknown = client.post(
        "/api/imports/", {"kind": "parcels", "file": upload(xlsx(GOOD))}, format="multipart"
    )
    json_body = client.post("/api/imports/", {"kind": "calls"}, format="json")
    elsewhere = post(client, xlsx(GOOD), company="SH")

    assert nothing.status_code == 400
    assert nothing.json() == {
        "kind": ["请选择导入类型。"],
        "file": ["请选择要上传的表格文件。"],
    }
    assert unknown.json()["kind"][0].startswith("未知的导入类型“parcels”,可选:people、findings")
    assert json_body.status_code == 415
    assert elsewhere.json() == {"company": ["没有编码为“SH”的公司(或您不属于该公司)。"]}


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("emp1", 403),
        ("sup1", 403),
        ("head1", 403),
        ("manager1", 403),
        ("finance", 403),
        ("quality", 200),
        ("hr", 400),  # may import, but not calls: every row is refused by the service
        ("admin", 400),
        (None, 401),
    ],
)
def test_quality_hr_and_admins_import(
    api_world: ApiWorld, api_client: Client, role: str | None, code: int
) -> None:
    response = post(api_client(role), xlsx(GOOD), dry_run="true")

    assert response.status_code == code
    if code == 403:
        assert response.json() == {"detail": "只有质管部、人力资源部和系统管理员可以导入表格。"}
    if code == 400:
        assert {error["reason"] for error in response.json()["errors"]} == {
            "您没有权限执行此操作。"
        }


def test_the_template_of_a_kind_downloads_as_xlsx(api_world: ApiWorld, api_client: Client) -> None:
    response = api_client("hr").get("/api/import-templates/calls/")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="calls-template.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "说明"
    first = book.worksheets[0]
    assert [cell.value for cell in first[1]][:4] == ["外部编号", "单位", "日期", "呼入量"]


def test_templates_are_for_importers_only(api_world: ApiWorld, api_client: Client) -> None:
    assert api_client("emp1").get("/api/import-templates/calls/").status_code == 403
    assert api_client("quality").get("/api/import-templates/parcels/").status_code == 404
    assert api_client(None).get("/api/import-templates/calls/").status_code == 401
