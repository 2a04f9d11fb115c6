"""The Excel upload page: preview (dry run) with the report, then import; templates."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kaoping.operations.models import CallStatistic
from kaoping.sheets.tests.helpers import xlsx

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

HEADER = ["日期", "单位", "呼入量", "接听量"]


def _calls(*rows: list[object]) -> SimpleUploadedFile:
    return SimpleUploadedFile("呼叫统计.xlsx", xlsx([HEADER, *rows]))


def test_a_clean_sheet_is_previewed_then_imported(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")
    assert client.get("/sheets/upload/").status_code == 200

    preview = client.post(
        "/sheets/upload/",
        {"kind": "calls", "file": _calls(["2026-10-01", "服务一组", 120, 118])},
    )

    content = preview.content.decode()
    assert preview.status_code == 200
    assert "试运行:共读取 1 行,可以导入" in content
    assert '<button type="submit" class="btn btn-success">确认导入</button>' in content
    assert not CallStatistic.objects.exists()
    token = client.session["kaoping-sheet-upload"]["token"]

    imported = client.post("/sheets/import/", {"token": token})

    assert imported.status_code == 302
    assert CallStatistic.objects.get().offered == 120
    page = client.get(imported["Location"]).content.decode()
    assert "已导入“呼叫统计.xlsx”" in page
    again = client.post("/sheets/import/", {"token": token})
    assert "预览已过期,请重新上传表格。" in client.get(again["Location"]).content.decode()
    assert CallStatistic.objects.count() == 1


def test_errors_are_listed_by_row_and_column_and_nothing_is_imported(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")

    response = client.post(
        "/sheets/upload/",
        {
            "kind": "calls",
            "file": _calls(["2026-10-01", "服务一组", 120, 118], ["昨天", "服务一组", 1, 1]),
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "导入被拒绝:共读取 2 行,发现 1 处错误" in content
    assert (
        content.count('<tr class="kp-sheet-error"><td>3</td><td>A 列「日期」</td><td>昨天</td>')
        == 1
    )
    assert 'name="token"' not in content
    assert "kaoping-sheet-upload" not in client.session
    assert client.post("/sheets/import/", {"token": "guess"}).status_code == 302
    assert not CallStatistic.objects.exists()


def test_the_form_needs_a_kind_and_a_file(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "hr")

    response = client.post("/sheets/upload/", {"kind": ""})

    content = response.content.decode()
    assert response.status_code == 400
    assert '<div class="invalid-feedback d-block">请选择导入类型。</div>' in content
    assert '<div class="invalid-feedback d-block">请选择要上传的表格文件。</div>' in content


def test_templates_download_and_other_roles_are_refused(scenario: Scenario) -> None:
    client = signed_in(scenario.world, "quality")

    template = client.get("/sheets/templates/calls.xlsx")

    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    first = book.worksheets[0]
    assert {"日期", "单位", "呼入量", "接听量"} <= {cell.value for cell in first[1]}
    assert client.get("/sheets/templates/nope.xlsx").status_code == 404
    for name in ("emp1", "sup1", "finance"):
        other = signed_in(scenario.world, name)
        assert other.get("/sheets/upload/").status_code == 403
        assert other.get("/sheets/templates/calls.xlsx").status_code == 403
        assert other.post("/sheets/import/", {"token": "x"}).status_code == 403
