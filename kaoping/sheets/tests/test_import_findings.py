"""Findings from an inspection sheet: checked against the policy, fault notices issued, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kaoping.inspections.models import CorrectiveAction, FaultNotice, Finding, Inspection
from kaoping.org.tests.factories import World
from kaoping.sheets.services import sheet_import

from .helpers import messy, write, xlsx

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
HEADER = [
    "检查日期",
    "检查类型",
    "检查人",
    "工号",
    "姓名",
    "考核项目",
    "细则条目",
    "违规程度",
    "扣分",
    "违规描述",
    "检查地点",
]


def test_an_inspection_sheet_records_findings_notices_and_actions_once(
    policies: World, tmp_path: Path
) -> None:
    world = policies
    rows = [
        [
            "2026年10月5日 10:00",
            "月检",
            "gz-quality",
            "ＧＺ００１",
            "张三",
            "岗位工作质量",
            "uniform",
            "严重",
            "4",
            "接待台无人值守",
            "前台",
        ],
        [
            "2026/10/5 10:00",
            "月检",
            "gz-quality",
            None,
            "王五",
            "service",
            None,
            "一般违规",
            "1.5",
            "未使用礼貌用语",
            "前台",
        ],
        [
            "2026-10-06",
            "日检",
            "李四",
            "GZ001",
            None,
            "交接班质量",
            None,
            "一般",
            1,
            "交接班记录不全",
            None,
        ],
    ]
    path = write(tmp_path, "inspection.xlsx", messy("10月检查记录", HEADER, rows))

    report = sheet_import(
        actor=world.users["quality"], kind="findings", file=path, company=world.company
    )

    assert report.errors == [] and report.created == 3
    found = list(
        Finding.objects.order_by("id").values_list(
            "employee__number",
            "unit__code",
            "section",
            "item",
            "severity",
            "points",
            "description",
            "occurred_at",
        )
    )
    assert found == [
        (
            "GZ001",
            "GZ-P1-T1",
            "post_quality",
            "uniform",
            "serious",
            Decimal("4.0"),
            "接待台无人值守",
            dt.datetime(2026, 10, 5, 10, tzinfo=SH),
        ),
        (
            "GZ003",
            "GZ-P1-T2",
            "service",
            "",
            "general",
            Decimal("1.5"),
            "未使用礼貌用语",
            dt.datetime(2026, 10, 5, 10, tzinfo=SH),
        ),
        (
            "GZ001",
            "GZ-P1-T1",
            "handover",
            "",
            "general",
            Decimal("1.0"),
            "交接班记录不全",
            dt.datetime(2026, 10, 6, tzinfo=SH),
        ),
    ]
    inspections = list(
        Inspection.objects.order_by("id").values_list(
            "unit__code", "kind", "inspector__username", "place"
        )
    )
    assert inspections == [
        ("GZ-P1-T1", "monthly", "gz-quality", "前台"),
        ("GZ-P1-T2", "monthly", "gz-quality", "前台"),
        ("GZ-P1-T1", "daily", "gz-sup1", ""),
    ]
    assert list(FaultNotice.objects.order_by("number").values_list("number", flat=True)) == [
        "GZ-202610-0001",
        "GZ-202610-0002",
        "GZ-202610-0003",
    ]
    assert CorrectiveAction.objects.get().finding.severity == "serious"

    again = sheet_import(
        actor=world.users["quality"], kind="findings", file=path, company=world.company
    )
    assert (again.created, again.unchanged) == (0, 3)
    assert (Finding.objects.count(), Inspection.objects.count()) == (3, 3)


def test_findings_that_break_the_policy_are_reported_by_column(
    policies: World, tmp_path: Path
) -> None:
    world = policies
    rows = [
        HEADER[:10],
        ["2026-10-05", "月检", None, "GZ001", None, "岗位工作质量", None, "严重", "6", "超出范围"],
        ["2026-10-05", "月检", None, "GZ001", None, "仪容仪表", None, "一般", "1", "未知项目"],
        ["2025-12-01", "月检", None, "GZ001", None, "服务质量", None, "一般", "1", "尚未任职"],
        ["2026-10-05", "月检", None, None, None, "服务质量", None, "一般", "1", "无人"],
        [
            "2026-10-05",
            "月检",
            "无此人",
            "GZ001",
            None,
            "服务质量",
            None,
            "一般",
            "1",
            "检查人不明",
        ],
    ]
    path = write(tmp_path, "bad.xlsx", xlsx(rows))

    as_system = sheet_import(actor=None, kind="findings", file=path, company=world.company)

    assert [str(e) for e in as_system.errors] == [
        "第 2 行,I 列「扣分」,值“6”:6 分超出岗位工作质量严重违规的扣分范围 3–5 分",
        "第 3 行,F 列「考核项目」,值“仪容仪表”:“仪容仪表”不是考评办法“项目客户服务组检查与考评办法”的考评项目"
        "(可选:岗位工作质量、交接班质量、培训质量、工作效率、服务质量、执行其他相关作业规程质量、其他质量)",
        "第 4 行,D 列「工号」,值“GZ001”:张三 在 2025-12-01 没有任职记录。",
        "第 5 行,D 列「工号」:请填写被考评的员工(工号或姓名)或被考评单位,二者只填其一",
        "第 6 行,C 列「检查人」,值“无此人”:没有用户名、工号或姓名为“无此人”的检查人(须有登录账号)",
    ]
    # without an inspector column the importer is the inspector; the system is nobody
    no_inspector = [
        HEADER[:1] + HEADER[3:4] + HEADER[5:10],
        ["2026-10-05", "GZ001", "服务质量", None, "一般", "1", "x"],
    ]
    report = sheet_import(
        actor=None,
        kind="findings",
        file=write(tmp_path, "n.xlsx", xlsx(no_inspector)),
        company=world.company,
    )
    assert [str(e) for e in report.errors] == [
        "第 2 行:请填写检查人(用户名、工号或姓名);从命令行导入时也可用 --as 指定检查人"
    ]
    assert not Finding.objects.exists() and not Inspection.objects.exists()


def test_a_finding_pasted_twice_in_one_sheet_is_refused_and_nothing_written(
    policies: World, tmp_path: Path
) -> None:
    # given a sheet whose second data row repeats the first exactly
    world = policies
    row = ["2026-10-05 10:00", "月检", "gz-quality", "GZ001", "张三", "岗位工作质量", "uniform",
           "严重", "4", "接待台无人值守", "前台"]  # fmt: skip
    path = write(tmp_path, "twice.xlsx", xlsx([HEADER, row, row]))

    # when it is imported
    report = sheet_import(
        actor=world.users["quality"], kind="findings", file=path, company=world.company
    )

    # then the repeat is named with the row it repeats, and nothing at all is written
    assert [(e.row, e.reason) for e in report.errors] == [
        (
            3,
            "与第 2 行完全相同:同一张表中的重复行不导入,请删去其一(若确是两条记录,请写明其区别,"
            "如时间或说明)",
        )
    ]
    assert (Finding.objects.count(), FaultNotice.objects.count()) == (0, 0)


def test_a_sheet_with_a_header_and_no_rows_is_refused(policies: World, tmp_path: Path) -> None:
    path = write(tmp_path, "empty.xlsx", xlsx([HEADER]))

    report = sheet_import(
        actor=policies.users["quality"], kind="findings", file=path, company=policies.company
    )

    assert [(e.row, e.reason) for e in report.errors] == [
        (1, "表头(第 1 行)以下没有数据行:没有可导入的内容")
    ]
