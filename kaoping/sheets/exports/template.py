"""The downloadable import template of a kind (导入模板): Chinese headers on the first sheet,
and a second sheet 说明 explaining every column, its allowed values and an example."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..columns import Column
from ..files import max_bytes, max_rows, size_text
from ..importers.base import Importer
from .workbook import BOLD, HEADER_FILL, TITLE, WRAP, put, sheet_title, workbook_bytes

REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
REQUIRED_FONT = Font(bold=True, color="C00000")
# Drop-down lists cover this many rows below the header.
VALIDATION_ROWS = 2000
EXPLANATION_SHEET = "说明"


def _rules() -> list[str]:
    return [
        _("填写规则:"),
        _(
            "1. 第一张工作表填写数据,每行一条记录;表头可以不在第一行,列的顺序不限,不用的列可以删除。"
        ),
        _(
            "2. 日期可写成 2026-10-03、2026/10/3、2026.10.3、2026年10月3日,或用 Excel 的日期格式;"
            "时间写在日期后,如 2026-10-03 14:30。不接受日在前或两位年份的写法。"
        ),
        _("3. 全角数字和字母(如 ＧＺ００１)、多余的空格和空行都会自动处理。"),
        _("4. 员工可填工号或姓名;同名的员工须填工号。单位可填编码或名称,重名时写“上级/名称”。"),
        _(
            "5. 全部或全不:只要有一行有错,整张表都不导入,并逐行列出错误(行、列、值、原因);"
            "改正后重新导入即可。"
        ),
        _(
            "6. 重复导入同一张表不会产生重复记录:外部编号相同的记录会被更新,与已导入的记录完全相同的行"
            "视为已导入;同一张表中完全相同的两行则不导入,请删去其一。"
        ),
        _(
            "7. 文件不超过 {size},数据不超过 {rows} 行;请使用 .xlsx 或 .csv(UTF-8 或 GB18030)。"
        ).format(size=size_text(max_bytes()), rows=max_rows()),
    ]


def _validation(column: Column) -> DataValidation | None:
    if column.type == "boolean":
        options = ["是", "否"]
    elif column.type == "choice":
        options = [label for _value, label, _aliases in column.choices]
    else:
        return None
    listed = ",".join(option.replace(",", "\uff0c") for option in options)
    if len(listed) > 250:  # Excel's limit on a list validation
        return None
    return DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)


def template_workbook(importer: Importer) -> bytes:
    """The import template of a kind as .xlsx bytes (a filled template imports as it is)."""
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = sheet_title(importer.shown_title)
    for index, column in enumerate(importer.columns, start=1):
        put(
            data,
            1,
            index,
            column.shown_title,
            font=REQUIRED_FONT if column.required else BOLD,
            fill=REQUIRED_FILL if column.required else HEADER_FILL,
        )
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(12, len(column.shown_title) * 2 + 4)
        validation = _validation(column)
        if validation is not None:
            data.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
    data.freeze_panes = "A2"

    notes = book.create_sheet(EXPLANATION_SHEET)
    put(notes, 1, 1, _("{title}导入模板说明").format(title=importer.shown_title), font=TITLE)
    put(notes, 2, 1, importer.shown_summary)
    row = 3
    for line in _rules():
        put(notes, row, 1, line)
        row += 1
    row += 1
    headers = [_("列名"), _("必填"), _("说明"), _("可选值"), _("示例"), _("也可写作")]
    for index, header in enumerate(headers, start=1):
        put(notes, row, index, header, font=BOLD, fill=HEADER_FILL)
    for column in importer.columns:
        row += 1
        put(notes, row, 1, column.shown_title, font=REQUIRED_FONT if column.required else BOLD)
        put(notes, row, 2, _("是") if column.required else "")
        put(notes, row, 3, column.shown_help, alignment=WRAP)
        put(notes, row, 4, column.allowed(), alignment=WRAP)
        put(notes, row, 5, column.example)
        put(notes, row, 6, "、".join(column.synonyms), alignment=WRAP)
    for letter, width in zip("ABCDEF", (16, 6, 50, 30, 20, 40), strict=True):
        notes.column_dimensions[letter].width = width
    return workbook_bytes(book)
