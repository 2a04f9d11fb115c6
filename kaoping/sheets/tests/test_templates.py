"""Import templates: Chinese headers, an explanations sheet, and a filled template imports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kaoping.org.tests.factories import World
from kaoping.sheets.cells import header_key
from kaoping.sheets.exports.template import template_workbook
from kaoping.sheets.importers import importer_for, importers
from kaoping.sheets.services import sheet_import

from .helpers import write

KINDS = [importer.key for importer in importers()]


@pytest.mark.parametrize("kind", KINDS)
def test_every_name_of_a_column_belongs_to_that_column_only(kind: str) -> None:
    importer = importer_for(kind)
    assert importer is not None
    owners: dict[str, str] = {}
    for column in importer.columns:
        for key in column.header_keys():
            assert owners.setdefault(key, column.key) == column.key, (kind, key)


def test_the_complaints_template_has_chinese_headers_and_explains_each_column() -> None:
    importer = importer_for("complaints")
    assert importer is not None

    book = load_workbook(io.BytesIO(template_workbook(importer)))

    assert book.sheetnames == ["投诉", "说明"]
    data = book["投诉"]
    assert [cell.value for cell in data[1]] == [
        "外部编号", "单位", "受理时间", "投诉类别", "投诉渠道", "投诉人/房号", "投诉内容", "责任人工号",
        "责任人姓名", "责任人", "有效投诉", "重大投诉", "处理完成时间", "回访时间", "回访满意度",
    ]  # fmt: skip
    assert data.max_row == 1
    notes = book["说明"]
    assert notes["A1"].value == "投诉导入模板说明"
    table = {row[0]: row[1:] for row in notes.iter_rows(min_row=13, values_only=True)}
    assert table["投诉类别"] == (
        "是",
        None,
        "清洁卫生、秩序/车辆、服务过程、收费、服务态度、维修、其他",
        "清洁卫生",
        "类别、投诉类型、category",
    )
    assert table["受理时间"][:2] == ("是", "日期或日期时间,如 2026-10-03 14:30、2026年10月3日。")
    validations = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert validations["D2:D2001"] == '"清洁卫生,秩序/车辆,服务过程,收费,服务态度,维修,其他"'
    assert validations["K2:K2001"] == '"是,否"'


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_template_filled_with_its_examples_imports(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str
) -> None:
    # findings are checked against a policy; the other kinds need the staff and units only
    world: World = request.getfixturevalue("policies" if kind == "findings" else "world")
    importer = importer_for(kind)
    assert importer is not None
    book = load_workbook(io.BytesIO(template_workbook(importer)))
    sheet = book.worksheets[0]
    examples = {header_key(c.title): c.example or None for c in importer.columns}
    for index, cell in enumerate(sheet[1], start=1):
        sheet.cell(row=2, column=index, value=examples[header_key(str(cell.value))])
    buffer = io.BytesIO()
    book.save(buffer)

    report = sheet_import(
        actor=None,
        kind=kind,
        file=write(tmp_path, f"{kind}.xlsx", buffer.getvalue()),
        company=world.company,
    )

    assert report.errors == []
    assert (report.rows_read, report.created) == (1, 1)
