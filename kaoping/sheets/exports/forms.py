"""Workbooks of the appraisal cycle's paper forms and reports: the 考核表 per person, the
violation summary (违规处理情况汇总) and the team ranking (服务小组评比), in the seeds' layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.scoring.policy import RATER_TITLES

from ..selectors import AppraisalForm, RankingTable, ViolationSummary
from .workbook import BOLD, HEADER_FILL, TITLE, WRAP, put, sheet_title, workbook_bytes

PERCENT = "0%"
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _printable(sheet: Worksheet, *, landscape: bool = True) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        put(sheet, row, column, title, font=BOLD, fill=HEADER_FILL, alignment=CENTER)


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _unique_title(book: Workbook, text: str) -> str:
    title = sheet_title(text)
    taken = set(book.sheetnames)
    number = 2
    while title in taken:
        suffix = f" ({number})"
        title = sheet_title(text)[: 31 - len(suffix)] + suffix
        number += 1
    return title


# --- 考核表 ---------------------------------------------------------------------------------------


def _signed(name: str, when: dt.datetime | None) -> str:
    if when is None:
        return ""
    local = timezone.localtime(when)
    return f"{name} {local:%Y-%m-%d %H:%M}".strip()


def _form_sheet(sheet: Worksheet, form: AppraisalForm) -> None:
    raters = list(form.raters)
    titles = [_("序号"), _("考核项目"), _("考核标准"), _("分值"), _("违规情况记录")]
    titles += [RATER_TITLES[rater] for rater in raters]
    titles.append(_("得分"))
    last = len(titles)
    put(sheet, 1, 1, _("{company} 绩效考核表").format(company=form.company), font=TITLE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    status = (
        _("已关账(第 {revision} 版结果)").format(revision=form.revision or 1)
        if form.closed
        else _("进行中(按当前记录计分)")
    )
    info = [
        (_("被考核人"), form.name, _("工号"), form.number, _("岗位"), form.position),
        (_("部门"), form.unit, _("直接上级"), form.supervisor, _("考核月度"), form.period),
        (
            _("考评办法"),
            _("{policy} 第 {version} 版").format(policy=form.policy, version=form.policy_version),
            _("状态"),
            status,
            "",
            "",
        ),
    ]
    for offset, pairs in enumerate(info):
        for column, text in enumerate(pairs, start=1):
            style = {"font": BOLD} if column % 2 else {}
            put(sheet, 2 + offset, column, text, **style)
    _header(sheet, 6, titles)
    row = 6
    for line in form.lines:
        row += 1
        values: list[object] = [
            line.number,
            line.title,
            line.standard,
            line.max,
            "\n".join(line.records),
        ]
        values += [line.ratings.get(rater) for rater in raters]
        values.append(line.score)
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value, alignment=WRAP)
    row += 1
    scores = [line.score for line in form.lines]
    put(sheet, row, 2, _("合计"), font=BOLD)
    put(sheet, row, 4, sum((line.max for line in form.lines), Decimal(0)), font=BOLD)
    if scores and all(score is not None for score in scores):
        put(sheet, row, last, sum((s for s in scores if s is not None), Decimal(0)), font=BOLD)
    row += 1

    def field(label: str, *values: object, number_format: str | None = None) -> None:
        nonlocal row
        row += 1
        put(sheet, row, 1, label, font=BOLD)
        for column, value in enumerate(values, start=2):
            put(sheet, row, column, value, alignment=WRAP)
            if number_format and value is not None:
                sheet.cell(row=row, column=column).number_format = number_format

    for entry in form.entries:
        field(
            entry.kind,
            entry.value,
            entry.reason,
            _("已批准")
            if entry.approved
            else _("已驳回(不计分)")
            if entry.rejected
            else _("待批准(不计分)"),
        )
    if form.combination:
        field(_("实评"), form.combination)
    if form.problem:
        field(_("尚不能计分"), form.problem)
    elif not form.evaluated:
        field(_("考评意见"), _("本期不出具考评意见"))
    field(_("总分"), form.total)
    if form.grade:
        field(_("等级"), form.grade)
    if form.pay_ratio is not None:
        field(_("绩效浮动比例"), form.pay_ratio, number_format=PERCENT)
    if form.penalty_points is not None:
        field(_("违规扣分"), form.penalty_points)
        field(_("绩效扣减(元)"), form.fine)
        field(_("直属上司分担(元)"), form.supervisor_fine)
    field(_("处理"), "、".join(form.actions))
    field(_("考核面谈建议或意见"), "\n".join(form.interviews))
    field(
        _("本人签字"),
        _signed(form.name, form.employee_signed_at),
        _("上级签字"),
        _signed(form.rater_signed_by, form.rater_signed_at),
    )
    field(_("计分说明"), "\n".join(form.explain))
    _widths(sheet, [6, 18, 36, 8, 40, *([10] * len(raters)), 10])
    _printable(sheet)


def appraisal_form_workbook(forms: Sequence[AppraisalForm]) -> bytes:
    """The 考核表 of each person as one worksheet (named “工号 姓名”), ready to print."""
    book = Workbook()
    first = book.active
    assert first is not None
    if not forms:
        first.title = _("考核表")
        put(first, 1, 1, _("没有可导出的考核表。"))
    for index, form in enumerate(forms):
        sheet = first if index == 0 else book.create_sheet()
        name = f"{form.number} {form.name}"
        sheet.title = _unique_title(book, name) if index else sheet_title(name)
        _form_sheet(sheet, form)
    return workbook_bytes(book)


# --- 违规处理情况汇总 ----------------------------------------------------------------------------------


def _basis(closed: bool) -> str:
    """What a sheet's figures rest on: the frozen results, or the records as they are now."""
    return _("依据已关账的考核结果") if closed else _("考评期间尚未关账,按当前记录计算")


def violation_summary_workbook(summary: ViolationSummary) -> bytes:
    """The violation summary: one row per person with the month's points, the performance-pay
    deduction, the supervisor's share and the action (汇总), and every violation (明细)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("违规处理情况汇总")
    titles = [
        _("序号"),
        _("工号"),
        _("姓名"),
        _("部门"),
        _("违规次数"),
        _("违规情况"),
        _("累计扣分"),
        _("绩效扣减(元)"),
        _("直属上司分担(元)"),
        _("处理意见"),
        _("过失通知单编号"),
    ]
    put(
        sheet,
        1,
        1,
        _("{unit} 员工违规处理情况汇总({period})").format(unit=summary.unit, period=summary.period),
        font=TITLE,
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(titles))
    put(sheet, 2, 1, _basis(summary.closed))
    _header(sheet, 3, titles)
    for index, person in enumerate(summary.people, start=1):
        values: list[object] = [
            index,
            person.number,
            person.name,
            person.unit,
            person.count,
            "\n".join(person.violations),
            person.points,
            person.fine,
            person.supervisor_fine,
            "、".join(person.actions),
            "、".join(person.notices),
        ]
        for column, value in enumerate(values, start=1):
            put(sheet, 3 + index, column, value, alignment=WRAP)
    _widths(sheet, [6, 10, 10, 14, 8, 50, 10, 12, 14, 24, 24])
    sheet.freeze_panes = "A4"
    _printable(sheet)

    details = book.create_sheet(_("违规明细"))
    detail_titles = [
        _("序号"),
        _("日期"),
        _("工号"),
        _("姓名"),
        _("部门"),
        _("考评项目"),
        _("细则条目"),
        _("违规程度"),
        _("扣分"),
        _("违规描述"),
        _("检查人"),
        _("过失通知单编号"),
        _("签收情况"),
    ]
    _header(details, 1, detail_titles)
    for index, line in enumerate(summary.lines, start=1):
        values = [
            index,
            line.occurred_at,
            line.number,
            line.name,
            line.unit,
            line.section,
            line.item,
            line.severity,
            line.points,
            line.description,
            line.inspector,
            line.notice,
            line.notice_status,
        ]
        for column, value in enumerate(values, start=1):
            put(details, 1 + index, column, value)
    _widths(details, [6, 16, 10, 10, 14, 18, 14, 12, 6, 40, 10, 18, 10])
    details.freeze_panes = "A2"
    return workbook_bytes(book)


# --- 服务小组评比 ------------------------------------------------------------------------------------


def team_ranking_workbook(tables: Sequence[RankingTable]) -> bytes:
    """The month's team ranking for publication: per ranking unit, the teams by rank with each
    item's value and points, the total, the grade and the members' grades."""
    book = Workbook()
    first = book.active
    assert first is not None
    if not tables:
        first.title = _("小组评比")
        put(first, 1, 1, _("本期没有小组评比结果。"))
    for index, table in enumerate(tables):
        sheet = first if index == 0 else book.create_sheet()
        sheet.title = _unique_title(book, table.unit) if index else sheet_title(table.unit)
        titles = [_("名次"), _("小组编码"), _("小组")]
        for item in table.items:
            level = _("{level} 级").format(level=item.level)
            titles += [f"{item.title}({level})", _("{title} 得分").format(title=item.title)]
        titles += [_("总分"), _("等级"), _("成员等级")]
        put(
            sheet,
            1,
            1,
            _("{unit} 服务小组评比({period})").format(unit=table.unit, period=table.period)
            + " "
            + _basis(table.closed),
            font=TITLE,
        )
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(titles))
        _header(sheet, 2, titles)
        for offset, team in enumerate(table.teams, start=3):
            values: list[object] = [team.rank, team.code, team.name]
            for item in table.items:
                values += [team.values.get(item.code), team.points.get(item.code)]
            values += [
                team.total,
                team.grade,
                "、".join(
                    f"{name or number} {grade}".strip() for number, name, grade in team.members
                ),
            ]
            for column, value in enumerate(values, start=1):
                put(sheet, offset, column, value)
        _widths(sheet, [6, 12, 14, *([12] * (2 * len(table.items))), 8, 8, 40])
        sheet.freeze_panes = "D3"
        _printable(sheet)
    return workbook_bytes(book)
