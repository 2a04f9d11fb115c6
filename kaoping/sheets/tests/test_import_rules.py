"""All or nothing, exact error reports, updates by external id, scopes and the closed period."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.audit.models import AuditEvent
from kaoping.operations.models import CallStatistic, Complaint
from kaoping.org.services import employee_create, placement_create
from kaoping.org.tests.factories import START, World
from kaoping.sheets.report import RowError
from kaoping.sheets.services import UnknownKind, sheet_import

from .helpers import write, xlsx

pytestmark = pytest.mark.django_db
HEADER = [
    "外部编号",
    "受理时间",
    "投诉类别",
    "投诉内容",
    "单位",
    "工号",
    "姓名",
    "有效投诉",
    "重大投诉",
]


def second_zhang_san(world: World) -> None:
    """Another 张三 (GZ009), in team 3: the name alone no longer says who."""
    other = employee_create(actor=None, company=world.company, number="GZ009", name="张三")
    placement_create(
        actor=None,
        employee=other,
        unit=world.units["t3"],
        position=world.positions["reception"],
        start=START,
    )


def test_a_sheet_with_bad_rows_imports_nothing_and_says_where_and_why(
    world: World, tmp_path: Path
) -> None:
    second_zhang_san(world)
    rows = [
        HEADER,
        ["A1", "2026-10-03", "收费", "好的一行", "GZ-P1-T1", None, None, "是", "否"],
        ["A2", "3/10/2026", "维修工", "两处错", "GZ-P1-T1", None, None, "否", "否"],
        ["A3", "2026-10-04", "收费", "同名", None, None, "张三", "否", "否"],
        ["A4", "2026-10-04", "收费", "重大而无效", "GZ-P1-T1", None, None, "否", "是"],
        ["A5", "2026-10-04", "收费", "重名单位", "客户服务中心", None, None, "否", "否"],
        ["A6", "2026-10-04", "收费", "工号与姓名不符", None, "GZ001", "王五", "否", "否"],
        ["A7", "2026-10-04", None, "", "GZ-P1-T1", None, None, "否", "否"],
        ["A1", "2026-10-05", "收费", "外部编号重复", "GZ-P1-T1", None, None, "否", "否"],
    ]
    path = write(tmp_path, "complaints.xlsx", xlsx(rows))

    report = sheet_import(actor=None, kind="complaints", file=path, company=world.company)

    assert report.errors == [
        RowError(
            3, "B 列「受理时间」", "3/10/2026", "无法识别的日期,请写成 2026-10-03 或 2026年10月3日"
        ),
        RowError(
            3,
            "C 列「投诉类别」",
            "维修工",
            "不是可选的值(可选:清洁卫生、秩序/车辆、服务过程、收费、服务态度、维修、其他)",
        ),
        RowError(4, "G 列「姓名」", "张三", "姓名“张三”对应 2 名员工(GZ001、GZ009),请改填工号"),
        RowError(5, "I 列「重大投诉」", "是", "重大投诉必须同时认定为有效投诉。"),
        RowError(
            6,
            "E 列「单位」",
            "客户服务中心",
            "“客户服务中心”对应多个单位(GZ-P1-CS、GZ-P2-CS),请填写单位编码或“上级/名称”",
        ),
        RowError(7, "G 列「姓名」", "王五", "工号 GZ001 是“张三”,与姓名“王五”不符"),
        RowError(8, "C 列「投诉类别」", "", "必填,不能为空"),
        RowError(8, "D 列「投诉内容」", "", "必填,不能为空"),
        RowError(9, "A 列「外部编号」", "A1", "外部编号与第 2 行重复"),
    ]
    assert report.refused and not report.written
    assert report.rows_read == 8 and report.created == 1
    assert report.summary() == (
        "导入被拒绝:共读取 8 行,发现 9 处错误,整张表未导入任何记录(全部或全不)。请改正后重新导入。"
    )
    assert str(report.errors[2]) == (
        "第 4 行,G 列「姓名」,值“张三”:姓名“张三”对应 2 名员工(GZ001、GZ009),请改填工号"
    )
    assert not Complaint.objects.exists()
    assert not AuditEvent.objects.filter(action="complaint.create").exists()


def test_a_missing_header_or_required_column_is_reported_before_any_row(
    world: World, tmp_path: Path
) -> None:
    no_header = write(tmp_path, "a.xlsx", xlsx([["一些", "无关"], ["文字", "内容"]]))
    missing = write(
        tmp_path, "b.xlsx", xlsx([["受理时间", "单位", "Employee No", "工号"], ["2026-10-03"]])
    )

    first = sheet_import(actor=None, kind="complaints", file=no_header, company=world.company)
    second = sheet_import(actor=None, kind="complaints", file=missing, company=world.company)

    assert [str(e) for e in first.errors] == [
        "文件:找不到表头:前 30 行中没有一行包含本类型的列名(如 受理时间、投诉类别、投诉内容)。请使用导入模板。"
    ]
    assert [str(e) for e in second.errors] == [
        "第 1 行,D 列「工号」,值“工号”:与 C 列「Employee No」 都表示“责任人工号”,请只保留一列。",
        "第 1 行:缺少必填列“投诉类别”",
        "第 1 行:缺少必填列“投诉内容”",
    ]


def test_an_external_id_seen_before_updates_its_record_through_the_service(
    world: World, tmp_path: Path
) -> None:
    first = [
        HEADER,
        ["X1", "2026-10-03", "收费", "收费有误", "GZ-P1-T1", "GZ001", "张三", "是", "否"],
    ]
    sheet_import(
        actor=None,
        kind="complaints",
        file=write(tmp_path, "1.xlsx", xlsx(first)),
        company=world.company,
    )
    changed = [
        HEADER,
        ["X1", "2026-10-03", "收费", "收费有误,已退款", "GZ-P1-T1", "GZ001", "张三", "是", "是"],
    ]

    report = sheet_import(
        actor=None,
        kind="complaints",
        file=write(tmp_path, "2.xlsx", xlsx(changed)),
        company=world.company,
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    complaint = Complaint.objects.get()
    assert (complaint.description, complaint.major) == ("收费有误,已退款", True)
    event = AuditEvent.objects.get(action="complaint.update")
    assert event.before == {"description": "收费有误", "major": False}
    assert event.reason == "表格导入“2.xlsx” 第 2 行"


def test_a_call_statistic_of_the_same_unit_and_day_is_corrected(
    world: World, tmp_path: Path
) -> None:
    header = ["日期", "单位", "呼入量", "接听量"]
    sheet_import(
        actor=None,
        kind="calls",
        file=write(tmp_path, "1.xlsx", xlsx([header, ["2026-10-01", "GZ-P1-T1", 120, 110]])),
        company=world.company,
    )

    report = sheet_import(
        actor=None,
        kind="电话统计",
        file=write(tmp_path, "2.xlsx", xlsx([header, ["2026-10-01", "GZ-P1-T1", 120, 118]])),
        company=world.company,
    )

    assert (report.created, report.updated) == (0, 1)
    assert list(CallStatistic.objects.values_list("answered", flat=True)) == [118]


def test_a_dry_run_checks_everything_and_writes_nothing(world: World, tmp_path: Path) -> None:
    rows = [HEADER, ["D1", "2026-10-03", "收费", "x", "GZ-P1-T1", None, None, "否", "否"]]

    report = sheet_import(
        actor=None,
        kind="complaints",
        file=write(tmp_path, "d.xlsx", xlsx(rows)),
        company=world.company,
        dry_run=True,
    )

    assert report.errors == [] and report.created == 1 and not report.written
    assert report.summary() == (
        "试运行:共读取 1 行,可以导入(新增 1 行,更新 0 行,已存在未变 0 行);未写入任何数据。"
    )
    assert not Complaint.objects.exists()


def test_rows_are_written_with_the_importers_permissions_and_scope(
    world: World, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["S1", "2026-10-03", "收费", "本组", "GZ-P1-T1", None, None, "否", "否"],
        ["S2", "2026-10-03", "收费", "别组", "GZ-P2-T3", None, None, "否", "否"],
        ["S3", "2026-10-03", "收费", "别组的人", None, "GZ004", None, "否", "否"],
    ]
    path = write(tmp_path, "s.xlsx", xlsx(rows))

    supervisor = sheet_import(
        actor=world.users["sup1"], kind="complaints", file=path, company=world.company
    )
    employee = sheet_import(
        actor=world.users["emp1"], kind="complaints", file=path, company=world.company
    )

    # out of scope is as if it did not exist
    assert [str(e) for e in supervisor.errors] == [
        "第 3 行,E 列「单位」,值“GZ-P2-T3”:没有编码或名称为“GZ-P2-T3”的单位",
        "第 4 行,F 列「工号」,值“GZ004”:没有工号为“GZ004”的员工",
    ]
    assert str(employee.errors[0]) == "第 2 行,E 列「单位」,值“GZ-P1-T1”:您没有权限执行此操作。"
    assert not Complaint.objects.exists()


def test_rows_dated_in_a_closed_period_are_refused(world: World, tmp_path: Path) -> None:
    september = period_open(actor=None, company=world.company, kind="month", key="2026-09")
    period_close(actor=None, period=september)
    rows = [HEADER, ["P1", "2026-09-10", "收费", "x", "GZ-P1-T1", None, None, "否", "否"]]

    report = sheet_import(
        actor=None,
        kind="complaints",
        file=write(tmp_path, "p.xlsx", xlsx(rows)),
        company=world.company,
    )

    assert [str(e) for e in report.errors] == [
        "第 2 行,B 列「受理时间」,值“2026-09-10”:2026-09 月度考评期间已关账,不能新增、修改或删除该期间内的记录;"
        "如需更正,请通过申诉更正。"
    ]


def test_an_unknown_kind_is_a_usage_error(world: World, tmp_path: Path) -> None:
    with pytest.raises(UnknownKind) as raised:
        sheet_import(actor=None, kind="nope", file=tmp_path / "x.xlsx", company=world.company)
    assert str(raised.value).startswith("未知的导入类型“nope”,可选:people、findings、complaints")


def test_progress_is_reported_row_by_row(world: World, tmp_path: Path) -> None:
    rows = [HEADER] + [
        [f"R{n}", "2026-10-03", "收费", "x", "GZ-P1-T1", None, None, "否", "否"] for n in range(3)
    ]
    seen: list[tuple[int, int]] = []

    sheet_import(
        actor=None,
        kind="complaints",
        file=write(tmp_path, "r.xlsx", xlsx(rows)),
        company=world.company,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_merged_cells_name_one_column_and_fill_the_rows_they_span(
    world: World, tmp_path: Path
) -> None:
    # the header 受理时间 spans B:C, and one date cell is merged over two complaints
    rows = [
        ["单位", "受理时间", None, "投诉类别", "投诉内容"],
        ["GZ-P1-T1", "2026年10月3日", None, "收费", "第一件"],
        ["GZ-P1-T1", None, None, "清洁", "第二件"],
    ]
    path = write(tmp_path, "m.xlsx", xlsx(rows, merges=["B1:C1", "B2:C3"]))

    report = sheet_import(actor=None, kind="complaints", file=path, company=world.company)

    assert report.errors == [] and report.created == 2
    days = Complaint.objects.order_by("id").values_list("received_at__date", "description")
    assert [(str(day), text) for day, text in days] == [
        ("2026-10-03", "第一件"),
        ("2026-10-03", "第二件"),
    ]
