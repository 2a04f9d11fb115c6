"""Exports: the 考核表 in the seeds' layout, the violation summary, the team ranking, any list;
exact cells for a small world, formulas neutralised, nothing outside the viewer's scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.appraisals.models import Appraisal, RankingItem
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.appraisals.services.ranking import ranking_items_set, ranking_value_set
from kaoping.appraisals.services.ratings import (
    appraisal_sign,
    interview_note_add,
    rating_submit,
    score_entry_add,
    score_entry_approve,
)
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.operations.models import Complaint
from kaoping.operations.selectors import complaint_list
from kaoping.operations.services import complaint_create
from kaoping.org.access import SYSTEM
from kaoping.org.tests.factories import World
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign
from kaoping.sheets.exports.forms import (
    appraisal_form_workbook,
    team_ranking_workbook,
    violation_summary_workbook,
)
from kaoping.sheets.exports.workbook import ExportColumn, list_workbook, model_columns
from kaoping.sheets.selectors import appraisal_forms, team_rankings, violation_summary

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
OCT_5 = dt.datetime(2026, 10, 5, 10, 0, tzinfo=SH)


def rows_of(sheet: Worksheet) -> list[list[object]]:
    """Every row of a sheet as values, trailing empty cells dropped."""
    out = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    return out


def book(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def finding(
    world: World, employee: str, section: str, severity: str, points: str, text: str
) -> None:
    inspection = inspection_create(
        actor=world.users["quality"], unit=world.units["root"], kind="monthly", at=OCT_5
    )
    finding_record(
        actor=world.users["quality"],
        inspection=inspection,
        employee=world.employees[employee],
        section=section,
        severity=severity,
        points=Decimal(points),
        description=text,
        occurred_at=OCT_5,
    )


@pytest.fixture
def october(policies: World) -> Period:
    world = policies
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    finding(world, "e1", "post_quality", "serious", "4", "接待台无人值守")
    finding(world, "e1", "service", "general", "1.5", '=HYPERLINK("x")')
    finding(world, "e2", "handover", "general", "1.5", "交接班记录不全")
    e1 = Appraisal.objects.get(period=period, employee=world.employees["e1"])
    entry = score_entry_add(
        actor=world.users["sup1"], appraisal=e1, kind="bonus", value=Decimal(2), reason="拾金不昧"
    )
    score_entry_approve(actor=world.users["head1"], entry=entry)
    interview_note_add(actor=world.users["sup1"], appraisal=e1, text="注意仪容仪表")
    appraisal_sign(actor=world.users["emp1"], appraisal=e1, as_subject=True)
    appraisal_sign(actor=world.users["sup1"], appraisal=e1, as_subject=False)
    return period


def signed(moment: dt.datetime | None) -> str:
    assert moment is not None
    return f"{moment.astimezone(SH):%Y-%m-%d %H:%M}"


def test_the_appraisal_form_of_a_closed_result_in_the_seed_layout(
    policies: World, october: Period
) -> None:
    period_close(actor=policies.users["quality"], period=october)
    e1 = Appraisal.objects.get(period=october, employee=policies.employees["e1"])

    forms = appraisal_forms(viewer=SYSTEM, period=october, employee=policies.employees["e1"])
    data = book(appraisal_form_workbook(forms))

    assert data.sheetnames == ["GZ001 张三"]
    severities = "一般违规 {} 分;严重违规 {} 分;引起不良后果 {} 分".format
    assert rows_of(data["GZ001 张三"]) == [
        ["广州物业 绩效考核表"],
        ["被考核人", "张三", "工号", "GZ001", "岗位", "接待员"],
        ["部门", "服务一组", "直接上级", "李四", "考核月度", "2026-10"],
        ["考评办法", "项目客户服务组检查与考评办法 第 1 版", "状态", "已关账(第 1 版结果)"],
        [],
        ["序号", "考核项目", "考核标准", "分值", "违规情况记录", "得分"],
        [
            1,
            "岗位工作质量",
            severities("1–2", "3–5", "6–20"),
            20,
            "10-05 严重违规 −4 接待台无人值守",
            16,
        ],
        [2, "交接班质量", severities("1–2", "2–4", "5–10"), 10, None, 10],
        [3, "培训质量", severities("0.5–1", "2–3", "4–10"), 10, None, 10],
        [4, "工作效率", severities("1–2", "3–5", "6–20"), 20, None, 20],
        [
            5,
            "服务质量",
            severities("1–2", "3–4", "5–20"),
            20,
            '10-05 一般违规 −1.5 =HYPERLINK("x")',
            18.5,
        ],
        [6, "执行其他相关作业规程质量", severities("0.5–1", "2–3", "4–10"), 10, None, 10],
        [7, "其他质量", severities("0.5–1", "2–3", "4–10"), 10, None, 10],
        [None, "合计", None, 100, None, 94.5],
        [],
        ["嘉奖加分", 2, "拾金不昧", "已批准"],
        ["总分", 96.5],
        ["违规扣分", 5.5],
        ["绩效扣减(元)", 47.5],
        ["直属上司分担(元)", 0],
        ["处理", "公布张贴"],
        ["考核面谈建议或意见", "注意仪容仪表"],
        [
            "本人签字",
            f"张三 {signed(e1.employee_signed_at)}",
            "上级签字",
            f"李四 {signed(e1.rater_signed_at)}",
        ],
        ["计分说明", "\n".join(forms[0].explain)],
    ]
    assert forms[0].explain[0] == "岗位工作质量 −4:严重违规(3–5分)"


def test_the_form_of_an_open_rated_appraisal_shows_each_rater(policies: World) -> None:
    # given 张三 (reception, team 1) appraised under the rating policy of seed 001's 管理员
    world = policies
    admin_form = PolicyDocument.objects.get(company=world.company, code="cs-admin-monthly")
    policy_assign(
        actor=None,
        document=admin_form,
        unit=world.units["t1"],
        position=world.positions["reception"],
        start=dt.date(2026, 1, 1),
    )
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    e1 = Appraisal.objects.get(period=period, employee=world.employees["e1"])
    items = {
        "dedication": 6, "communication": 10, "reception_complaints": 12, "fee_collection": 15,
        "repairs_followup": 10, "environment": 9, "facilities": 8, "public_order": 5,
        "meetings_training": 5, "compliance": 5, "assigned_tasks": 5,
    }  # fmt: skip
    rating_submit(
        actor=world.users["emp1"], appraisal=e1, rater_role="self",
        values={k: Decimal(v) for k, v in items.items()},
    )  # fmt: skip
    rating_submit(
        actor=world.users["sup1"], appraisal=e1, rater_role="supervisor",
        values={k: Decimal(v) - (1 if k == "dedication" else 0) for k, v in items.items()},
    )  # fmt: skip

    # when the form is exported while the month is open
    forms = appraisal_forms(viewer=world.users["sup1"], period=period)
    rows = rows_of(book(appraisal_form_workbook(forms))["GZ001 张三"])

    # then it is scored now, with both raters' columns and the weighting
    assert [form.number for form in forms] == ["GZ001", "GZ002"]  # the supervisor: his team
    assert rows[3] == [
        "考评办法",
        "客服中心管理员月度绩效考核表 第 1 版",
        "状态",
        "进行中(按当前记录计分)",
    ]
    assert rows[5] == [
        "序号",
        "考核项目",
        "考核标准",
        "分值",
        "违规情况记录",
        "自评",
        "直接上级评",
        "得分",
    ]
    assert rows[6][3:] == [6, None, 6, 5, 5.3]
    labels = {row[0]: row[1:] for row in rows[18:] if row}
    assert labels["实评"] == ["实评 = 自评 × 30% + 直接上级评 × 70% + 奖扣分"]
    assert labels["总分"] == [89.3]


def test_the_violation_summary_per_person_and_line_by_line(
    policies: World, october: Period
) -> None:
    period_close(actor=policies.users["quality"], period=october)

    data = book(violation_summary_workbook(violation_summary(viewer=SYSTEM, period=october)))

    assert data.sheetnames == ["违规处理情况汇总", "违规明细"]
    assert rows_of(data["违规处理情况汇总"]) == [
        ["广州物业 员工违规处理情况汇总(2026-10)"],
        ["依据已关账的考核结果"],
        ["序号", "工号", "姓名", "部门", "违规次数", "违规情况", "累计扣分", "绩效扣减(元)",
         "直属上司分担(元)", "处理意见", "过失通知单编号"],
        [1, "GZ001", "张三", "服务一组", 2,
         '10-05 岗位工作质量 −4 接待台无人值守\n10-05 服务质量 −1.5 =HYPERLINK("x")',
         5.5, 47.5, 0, "公布张贴", "GZ-202610-0001、GZ-202610-0002"],
        [2, "GZ003", "王五", "服务二组", 1, "10-05 交接班质量 −1.5 交接班记录不全", 1.5, 7.5, 0, None,
         "GZ-202610-0003"],
    ]  # fmt: skip
    at = dt.datetime(2026, 10, 5, 10, 0)
    assert rows_of(data["违规明细"]) == [
        ["序号", "日期", "工号", "姓名", "部门", "考评项目", "细则条目", "违规程度", "扣分", "违规描述",
         "检查人", "过失通知单编号", "签收情况"],
        [1, at, "GZ001", "张三", "服务一组", "岗位工作质量", None, "严重违规", 4, "接待台无人值守",
         "gz-quality", "GZ-202610-0001", "未签收"],
        # a description that would start a formula is neutralised
        [2, at, "GZ001", "张三", "服务一组", "服务质量", None, "一般违规", 1.5, "'=HYPERLINK(\"x\")",
         "gz-quality", "GZ-202610-0002", "未签收"],
        [3, at, "GZ003", "王五", "服务二组", "交接班质量", None, "一般违规", 1.5, "交接班记录不全",
         "gz-quality", "GZ-202610-0003", "未签收"],
    ]  # fmt: skip
    assert data["违规明细"]["B2"].number_format == "yyyy-mm-dd hh:mm"
    # the supervisor of team 1 sees team 1 only
    mine = violation_summary(viewer=policies.users["sup1"], period=october)
    assert [(p.number, p.count) for p in mine.people] == [("GZ001", 2)]


def test_the_team_ranking_of_the_month(world: World) -> None:
    # given the department's ranking items for December and both teams' values
    builtin_policies_install(actor=None, company=world.company)
    ranking = PolicyDocument.objects.get(company=world.company, code="service-group-ranking")
    policy_assign(
        actor=None,
        document=ranking,
        unit=world.units["root"],
        unit_kind="team",
        start=dt.date(2026, 1, 1),
    )
    december = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-12"
    )
    ranking_items_set(
        actor=world.users["head1"],
        period=december,
        unit=world.units["cs1"],
        items=[("visits", "业主走访户数", 1, "higher"), ("complaints", "有效投诉件数", 2, "lower")],
        today=dt.date(2026, 11, 20),
    )
    values = {"visits": (Decimal(30), Decimal(20)), "complaints": (Decimal(1), Decimal(3))}
    for item in RankingItem.objects.filter(period=december):
        for team, value in zip(("t1", "t2"), values[item.code], strict=True):
            ranking_value_set(
                actor=world.users["head1"], item=item, team=world.units[team], value=value
            )

    data = book(team_ranking_workbook(team_rankings(viewer=SYSTEM, period=december)))

    assert data.sheetnames == ["御景湾管理处 客户服务中心"]
    assert rows_of(data["御景湾管理处 客户服务中心"]) == [
        ["御景湾管理处 客户服务中心 服务小组评比(2026-12) 考评期间尚未关账,按当前记录计算"],
        ["名次", "小组编码", "小组", "业主走访户数(1 级)", "业主走访户数 得分", "有效投诉件数(2 级)",
         "有效投诉件数 得分", "总分", "等级", "成员等级"],
        [1, "GZ-P1-T1", "服务一组", 30, 2, 1, 4, 6, "A 级"],
        [2, "GZ-P1-T2", "服务二组", 20, 1, 3, 2, 3, "B 级"],
    ]  # fmt: skip
    assert team_rankings(viewer=world.users["emp1"], period=december) == []

    # once December is closed, the sheet says its figures are the frozen results
    period_close(actor=None, period=december, unit=world.units["cs1"])
    closed = book(team_ranking_workbook(team_rankings(viewer=SYSTEM, period=december)))
    assert rows_of(closed["御景湾管理处 客户服务中心"])[0] == [
        "御景湾管理处 客户服务中心 服务小组评比(2026-12) 依据已关账的考核结果"
    ]


def test_any_list_as_filtered_with_its_formulas_neutralised(world: World) -> None:
    for text in ("=1+2", "@SUM(A1)", "楼道垃圾"):
        complaint_create(
            actor=None,
            unit=world.units["t1"],
            received_at=dt.datetime(2026, 10, 3, 14, 30, tzinfo=SH),
            category="cleaning",
            description=text,
            complainant="-3栋",
            valid=True,
        )
    columns = [
        *model_columns(Complaint, ["received_at", "category", "unit", "description", "valid"]),
        ExportColumn("投诉人", "complainant"),
        ExportColumn("处理时长", lambda c: c.handling_minutes),
    ]

    data = book(
        list_workbook(
            title="投诉清单",
            columns=columns,
            rows=complaint_list(viewer=world.users["sup1"]).order_by("id"),
        )
    )

    sheet = data["投诉清单"]
    at = dt.datetime(2026, 10, 3, 14, 30)
    assert rows_of(sheet) == [
        ["投诉清单"],
        ["受理时间", "投诉类别", "单位", "投诉内容", "有效投诉", "投诉人", "处理时长"],
        [at, "清洁卫生", "服务一组", "'=1+2", "是", "'-3栋"],
        [at, "清洁卫生", "服务一组", "'@SUM(A1)", "是", "'-3栋"],
        [at, "清洁卫生", "服务一组", "楼道垃圾", "是", "'-3栋"],
    ]
    assert sheet["A3"].number_format == "yyyy-mm-dd hh:mm"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_ranking_of_an_open_month_scores_the_teams_only(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaoping.appraisals.services import close as close_services

    # given an open December with the teams under the ranking policy and 张三 (team 1's
    # reception) under the rating form of seed 001
    builtin_policies_install(actor=None, company=world.company)
    for code, kwargs in (
        ("service-group-ranking", {"unit": world.units["root"], "unit_kind": "team"}),
        ("cs-admin-monthly", {"unit": world.units["t1"], "position": world.positions["reception"]}),
    ):
        document = PolicyDocument.objects.get(company=world.company, code=code)
        policy_assign(actor=None, document=document, start=dt.date(2026, 1, 1), **kwargs)
    december = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-12"
    )
    teams = set(
        Appraisal.objects.filter(period=december, subject_unit__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert len(teams) == 3  # 服务三组 of the other project too, which set no ranking items
    ranking_items_set(
        actor=world.users["head1"],
        period=december,
        unit=world.units["cs1"],
        items=[("visits", "业主走访户数", 1, "higher")],
        today=dt.date(2026, 11, 20),
    )
    [item] = RankingItem.objects.filter(period=december)
    for team, value in (("t1", 30), ("t2", 20)):
        ranking_value_set(
            actor=world.users["head1"], item=item, team=world.units[team], value=Decimal(value)
        )
    assert Appraisal.objects.filter(period=december, employee=world.employees["e1"]).exists()
    batches: list[set[int]] = []
    original = close_services.score_period

    def spy(period, rows, **kwargs):  # type: ignore[no-untyped-def]
        batches.append({row.pk for row in rows})
        return original(period, rows, **kwargs)

    monkeypatch.setattr(close_services, "score_period", spy)

    # when the month's ranking is drawn while it is open
    tables = team_rankings(viewer=SYSTEM, period=december)

    # then the two teams are ranked, and only teams were scored for it
    assert [team.code for table in tables for team in table.teams] == ["GZ-P1-T1", "GZ-P1-T2"]
    assert batches == [teams]
