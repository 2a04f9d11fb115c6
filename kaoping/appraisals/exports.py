"""Excel exports of the appraisal cycle: the payroll sheet (工资表附表)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kaoping.periods.models import Period

from .selectors import PayrollRow

HEADERS = [
    "工号",
    "姓名",
    "部门",
    "岗位",
    "总分",
    "等级",
    "绩效比例",
    "月固定工资",
    "绩效浮动工资",
    "应发绩效工资",
    "本人违规扣减",
    "承担下属连带扣减",
    "实际绩效扣减",
    "最低工资保护",
    "更正",
    "申诉中",
]
_FORMULA_STARTS = ("=", "+", "-", "@")
_WARN = PatternFill("solid", fgColor="FFF2CC")


def safe_cell(value: object) -> object:
    """Text that would start a formula is neutralised (a leading apostrophe-like quote)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def payroll_workbook(period: Period, rows: Sequence[PayrollRow]) -> bytes:
    """The payroll sheet as .xlsx bytes: one row per employee, flagged rows highlighted."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{period.key} 绩效扣减"
    sheet.append([f"{period.company.name} {period.key} 绩效考核结果与绩效工资扣减(报送财务部)"])
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                safe_cell(row.number),
                safe_cell(row.name),
                safe_cell(row.unit),
                safe_cell(row.position),
                row.total,
                row.grade,
                row.pay_ratio,
                row.base_pay,
                row.floating_pay,
                row.performance_pay,
                row.own_deduction,
                row.supervisor_share,
                row.deduction,
                "已按最低工资封顶" if row.floor_applied else "",
                f"第 {row.revision} 版" if row.revision > 1 else "",
                "是" if row.open_appeal else "",
            ]
        )
        if row.floor_applied or row.open_appeal:
            for cell in sheet[sheet.max_row]:
                cell.fill = _WARN
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
