"""Files refused before any row is read: too large, not what their name says, zip and XML bombs,
too many rows; and CSV in the encodings Excel writes."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.test import override_settings

from kaoping.operations.models import Complaint
from kaoping.org.models import Company
from kaoping.org.tests.factories import World
from kaoping.sheets.report import RowError
from kaoping.sheets.services import sheet_import

from .helpers import csv_bytes, write, xlsx

# Refusals happen before the database is touched: an unsaved company will do.
NOWHERE = Company(code="X", name="X")
BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""


def refusal(path: Path, company: Company = NOWHERE) -> list[RowError]:
    report = sheet_import(actor=None, kind="complaints", file=path, company=company)
    assert report.refused and not report.written
    return report.errors


def one_reason(path: Path) -> str:
    errors = refusal(path)
    assert len(errors) == 1 and errors[0].row == 0
    return errors[0].reason


def rezipped(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook `data` with some members replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(
                member.filename, replace.pop(member.filename, None) or source.read(member)
            )
        for name, content in replace.items():
            target.writestr(name, content)
    return buffer.getvalue()


HEADER = ["受理时间", "投诉类别", "投诉内容", "单位"]


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.xlsx", b"PK\x03\x04" + b"\0" * 3000)

    with override_settings(KAOPING_MAX_IMPORT_BYTES=2048):
        reason = one_reason(path)

    assert reason == "文件太大(2.9 KB),导入文件不能超过 2 KB。请拆分后分批导入。"


def test_an_old_binary_xls_is_asked_to_be_saved_as_xlsx(tmp_path: Path) -> None:
    path = write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)

    assert one_reason(path) == (
        "这是旧版 Excel 文件(.xls),无法安全读取。请在 Excel 中“另存为” Excel 工作簿(.xlsx)后再导入。"
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("sheet.xlsx", "受理时间,投诉类别\n2026-10-03,收费\n".encode(), "文本或其他格式"),
        ("report.xls", b"<html><table><tr><td>1</td></tr></table></html>", "网页(HTML)"),
        ("data.csv", xlsx([HEADER]), "压缩包(zip)"),
        ("scan.xlsx", b"%PDF-1.7 ...", "PDF"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    assert one_reason(write(tmp_path, name, content)) == (
        f"文件“{name}”的内容与扩展名不符(内容是{kind}),请上传真正的 .xlsx 或 .csv 文件。"
    )


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    reason = one_reason(write(tmp_path, "fake.xlsx", buffer.getvalue()))

    assert reason.startswith("文件“fake.xlsx”的内容与扩展名不符(内容是压缩包(zip))")


def test_other_types_are_refused(tmp_path: Path) -> None:
    assert one_reason(write(tmp_path, "notes.docx", b"PK\x03\x04")) == (
        "不支持的文件类型“.docx”:请上传 Excel 工作簿(.xlsx)或 CSV 文件(.csv)。"
    )


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    # 4 MiB of one byte inflates from a few KB: far beyond any real sheet's ratio.
    bomb = rezipped(xlsx([HEADER]), {"xl/worksheets/sheet1.xml": b"\0" * (4 * 1024 * 1024)})

    reason = one_reason(write(tmp_path, "bomb.xlsx", bomb))

    assert reason == (
        "文件解压后异常膨胀(“xl/worksheets/sheet1.xml”压缩比超过 100:1),疑似压缩炸弹,已拒绝。"
    )


def test_a_workbook_inflating_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    data = rezipped(xlsx([HEADER]), {"xl/media/noise.bin": os.urandom(300 * 1024)})

    with override_settings(KAOPING_MAX_IMPORT_UNCOMPRESSED_BYTES=200 * 1024):
        reason = one_reason(write(tmp_path, "noisy.xlsx", data))

    total = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert reason == (
        f"文件解压后为 {total / 1024:.1f} KB,超过上限 200 KB,已拒绝。请拆分后分批导入。"
    )


def test_openpyxl_parses_with_defusedxml(tmp_path: Path) -> None:
    # The guarantee the importer relies on: openpyxl picked defusedxml up, which refuses
    # entity declarations instead of expanding them.
    assert openpyxl.DEFUSEDXML is True
    bomb = rezipped(xlsx([HEADER]), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    with pytest.raises(ValueError) as raised:
        openpyxl.load_workbook(io.BytesIO(bomb), read_only=True)
    assert isinstance(raised.value.__cause__, DefusedXmlException)


def test_a_billion_laughs_sheet_is_refused(tmp_path: Path) -> None:
    bomb = rezipped(xlsx([HEADER]), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})

    assert one_reason(write(tmp_path, "laughs.xlsx", bomb)) == (
        "文件包含不安全的 XML 内容(实体定义或 DTD,可能是 XML 炸弹),已拒绝。"
    )


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    damaged = rezipped(xlsx([HEADER]), {"xl/workbook.xml": b"<workbook><sheets>"})

    assert one_reason(write(tmp_path, "damaged.xlsx", damaged)) == (
        "文件已损坏,无法作为 Excel 工作簿(.xlsx)打开。"
    )


@pytest.mark.django_db
def test_too_many_rows_are_refused_and_nothing_is_written(world: World, tmp_path: Path) -> None:
    rows = [HEADER] + [["2026-10-03", "收费", f"第{n}件", "GZ-P1-T1"] for n in range(4)]
    path = write(tmp_path, "many.xlsx", xlsx(rows))

    with override_settings(KAOPING_MAX_IMPORT_ROWS=3):
        errors = refusal(path, world.company)

    assert [e.reason for e in errors] == [
        "表格行数超过上限:最多 3 行数据,本表有 4 行。请拆分后分批导入。"
    ]
    assert not Complaint.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_or_gb18030(
    world: World, tmp_path: Path, encoding: str
) -> None:
    rows = [HEADER, ["2026/10/3", "清洁卫生", "楼道垃圾", "服务一组"]]
    path = write(tmp_path, "complaints.csv", csv_bytes(rows, encoding))

    report = sheet_import(actor=None, kind="complaints", file=path, company=world.company)

    assert report.errors == [] and report.created == 1
    complaint = Complaint.objects.get()
    assert (complaint.category, complaint.description, complaint.unit) == (
        "cleaning",
        "楼道垃圾",
        world.units["t1"],
    )


def test_text_in_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "受理时间,投诉类别".encode("utf-16-be"))

    assert one_reason(path).startswith("文件“x.csv”的内容与扩展名不符")
