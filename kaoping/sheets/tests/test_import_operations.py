"""Every operations record type imports from a messy sheet, exactly, and imports once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import models

from kaoping.audit.models import AuditEvent
from kaoping.operations.models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    OwnerVisit,
    SurveyResponse,
    WorkOrder,
    WorkPointEntry,
)
from kaoping.org.tests.factories import World
from kaoping.sheets.services import sheet_import

from .helpers import messy, write

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=SH)


@dataclass(frozen=True)
class Case:
    kind: str
    model: type[models.Model]
    header: list[str]
    rows: list[list[object]]
    fields: list[str]
    expected: list[tuple[Any, ...]]  # unit and employee by their codes/numbers


CASES = [
    Case(
        "complaints",
        Complaint,
        [
            "投诉编号",
            "received at",
            "投诉类别",
            "投诉渠道",
            "投诉人/房号",
            "投诉内容",
            "部门",
            "工号",
            "员工姓名",
            "是否有效",
            "重大投诉",
            "处理完成时间",
            "回访时间",
            "回访满意度",
        ],
        [
            [
                "ＣＰ－００１",
                "2026年10月3日 14:30",
                "清洁",
                "电话",
                " 3栋1201 ",
                "楼道垃圾未清运",
                "",
                "ＧＺ００１",
                "张\u3000三",
                "是",
                "否",
                "2026/10/3 17:00",
                "2026.10.4 10:00",
                "基本满意",
            ],
            [
                "CP-002",
                dt.datetime(2026, 10, 5, 9, 0),
                "Fee",
                "来访",
                None,
                "收费有误",
                "GZ-P1-T2",
                "GZ003",
                None,
                "Y",
                "Y",
                46300.5,
                None,
                None,
            ],
            [
                None,
                "20261006",
                "秩序/车辆",
                None,
                None,
                "车辆乱停",
                "服务三组",
                None,
                None,
                "否",
                None,
                None,
                None,
                None,
            ],
        ],
        [
            "external_id",
            "received_at",
            "category",
            "source",
            "complainant",
            "description",
            "unit__code",
            "employee__number",
            "valid",
            "major",
            "resolved_at",
            "callback_at",
            "callback_satisfaction",
        ],
        [
            (
                "CP-001",
                at(3, 14, 30),
                "cleaning",
                "phone",
                "3栋1201",
                "楼道垃圾未清运",
                "GZ-P1-T1",
                "GZ001",
                True,
                False,
                at(3, 17),
                at(4, 10),
                "satisfied",
            ),
            (
                "CP-002",
                at(5, 9),
                "fee",
                "visit",
                "",
                "收费有误",
                "GZ-P1-T2",
                "GZ003",
                True,
                True,
                at(5, 12),
                None,
                "",
            ),
            (
                "",
                at(6),
                "order",
                "",
                "",
                "车辆乱停",
                "GZ-P2-T3",
                None,
                False,
                False,
                None,
                None,
                "",
            ),
        ],
    ),
    Case(
        "incidents",
        Incident,
        ["事故类型", "发生时间", "地点", "经过", "unit"],
        [
            ["盗窃", "2026-10-07 02:10", "地下车库", "车内财物被盗", "GZ-P1-CS"],
            ["水浸", "2026年10月8日", None, "水管爆裂", "翠苑管理处/客户服务中心"],
        ],
        ["kind", "occurred_at", "place", "description", "unit__code"],
        [
            ("theft", at(7, 2, 10), "地下车库", "车内财物被盗", "GZ-P1-CS"),
            ("flooding", at(8), "", "水管爆裂", "GZ-P2-CS"),
        ],
    ),
    Case(
        "calls",
        CallStatistic,
        ["日期", "单位", "呼入量", "接听量"],
        [["2026.10.1", "服务一组", "１２０", "118"], ["2026/10/2", "服务一组", 100.0, 100]],
        ["date", "unit__code", "offered", "answered"],
        [
            (dt.date(2026, 10, 1), "GZ-P1-T1", 120, 118),
            (dt.date(2026, 10, 2), "GZ-P1-T1", 100, 100),
        ],
    ),
    Case(
        "work-orders",
        WorkOrder,
        ["工单号", "工单类型", "派单时间", "完成时间", "处理人", "内容"],
        [
            ["WO-1", "报修", "2026-10-03 09:00", "2026-10-03 11:30", "张三", "厨房水管漏水"],
            ["WO-2", "咨询", 46299, None, "GZ003", None],
        ],
        [
            "external_id",
            "kind",
            "opened_at",
            "completed_at",
            "employee__number",
            "unit__code",
            "description",
        ],
        [
            ("WO-1", "repair", at(3, 9), at(3, 11, 30), "GZ001", "GZ-P1-T1", "厨房水管漏水"),
            ("WO-2", "inquiry", at(4), None, "GZ003", "GZ-P1-T2", ""),
        ],
    ),
    Case(
        "fees",
        FeeCollection,
        [
            "单位",
            "楼栋",
            "月份",
            "应缴户数",
            "已缴户数",
            "应收金额",
            "实收金额",
            "收费任务",
            "管家",
        ],
        [
            [
                "GZ-P1-T1",
                "3栋",
                "2026年10月",
                "300",
                "287",
                "150,000.00",
                "143500",
                "145000",
                "张三",
            ],
            ["GZ-P1-T1", "5栋", "2026-10", 200, 200, 100000, 100000.5, 100000, None],
        ],
        [
            "unit__code",
            "building",
            "month",
            "households_due",
            "households_paid",
            "amount_due",
            "amount_paid",
            "task_amount",
            "employee__number",
        ],
        [
            (
                "GZ-P1-T1",
                "3栋",
                dt.date(2026, 10, 1),
                300,
                287,
                Decimal("150000.00"),
                Decimal("143500.00"),
                Decimal("145000.00"),
                "GZ001",
            ),
            (
                "GZ-P1-T1",
                "5栋",
                dt.date(2026, 10, 1),
                200,
                200,
                Decimal("100000.00"),
                Decimal("100000.50"),
                Decimal("100000.00"),
                None,
            ),
        ],
    ),
    Case(
        "visits",
        OwnerVisit,
        ["走访人", "房号", "走访日期", "走访记录", "是否回访"],
        [
            ["赵六", "7栋101", "2026年10月9日", "反映电梯噪音", "否"],
            ["ＧＺ００３", "2栋202", "2026/10/10", "回访满意", "是"],
        ],
        ["employee__number", "unit__code", "household", "visited_on", "record", "callback"],
        [
            ("GZ004", "GZ-P2-T3", "7栋101", dt.date(2026, 10, 9), "反映电梯噪音", False),
            ("GZ003", "GZ-P1-T2", "2栋202", dt.date(2026, 10, 10), "回访满意", True),
        ],
    ),
    Case(
        "surveys",
        SurveyResponse,
        ["满意度", "调查日期", "单位", "被评价员工", "受访人/房号", "意见"],
        [
            ["很满意", "2026-10-11", "GZ-P1-T1", None, "5栋302", "服务热情"],
            ["一般", "2026.10.12", None, "王五", None, None],
            ["一般", "2026.10.12", None, "王五", None, None],  # two identical answers are two
        ],
        ["level", "answered_on", "unit__code", "employee__number", "respondent", "comment"],
        [
            ("very_satisfied", dt.date(2026, 10, 11), "GZ-P1-T1", None, "5栋302", "服务热情"),
            ("neutral", dt.date(2026, 10, 12), "GZ-P1-T2", "GZ003", "", ""),
            ("neutral", dt.date(2026, 10, 12), "GZ-P1-T2", "GZ003", "", ""),
        ],
    ),
    Case(
        "work-points",
        WorkPointEntry,
        ["Employee No", "姓名", "日期", "类型", "积分", "说明"],
        [
            ["GZ001", "张三", "2026-10-13", "工作积分", "20", "协助入伙"],
            ["GZ003", None, "2026年10月14日", "与客户发生争吵", None, None],
        ],
        ["employee__number", "unit__code", "date", "kind", "points", "note"],
        [
            ("GZ001", "GZ-P1-T1", dt.date(2026, 10, 13), "work", Decimal("20.00"), "协助入伙"),
            ("GZ003", "GZ-P1-T2", dt.date(2026, 10, 14), "customer_quarrel", Decimal("-50.00"), ""),
        ],
    ),
]


def stored(case: Case) -> list[tuple[Any, ...]]:
    return list(case.model._default_manager.order_by("id").values_list(*case.fields))


@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_a_messy_sheet_of_each_kind_imports_exactly_and_only_once(
    world: World, tmp_path: Path, case: Case
) -> None:
    # given a sheet with a merged title, a two-row merged header and blank rows
    path = write(tmp_path, f"{case.kind}.xlsx", messy("2026年10月登记表", case.header, case.rows))

    # when the quality department imports it
    report = sheet_import(
        actor=world.users["quality"], kind=case.kind, file=path, company=world.company
    )

    # then every row is stored as typed, through the service (one audit event per record)
    assert report.errors == []
    assert (report.header_row, report.rows_read, report.created) == (
        3,
        len(case.rows),
        len(case.rows),
    )
    assert report.written and report.sheet == "Sheet1"
    assert stored(case) == case.expected
    assert AuditEvent.objects.filter(
        action__endswith=".create", reason__contains=".xlsx"
    ).count() == len(case.rows)

    # and importing the same sheet again writes nothing
    again = sheet_import(
        actor=world.users["quality"], kind=case.kind, file=path, company=world.company
    )
    assert again.errors == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(case.rows))
    assert stored(case) == case.expected
