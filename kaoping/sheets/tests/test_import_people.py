"""People and placements from a messy sheet: new staff, supervisors named further down, moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaoping.org.models import Employee, Placement
from kaoping.org.tests.factories import World
from kaoping.sheets.services import sheet_import

from .helpers import messy, write, xlsx

pytestmark = pytest.mark.django_db
HEADER = ["Employee No.", "姓名", "部门", "岗位", "start date", "直接上级", "手机", "入职日期"]


def placements(number: str) -> list[tuple[str, str, str | None, dt.date, dt.date | None]]:
    return [
        (
            p.unit.code,
            p.position.code,
            p.supervisor.number if p.supervisor else None,
            p.start,
            p.end,
        )
        for p in Placement.objects.filter(employee__number=number)
        .select_related("unit", "position", "supervisor")
        .order_by("start")
    ]


def test_a_messy_people_sheet_creates_places_and_moves_staff(world: World, tmp_path: Path) -> None:
    rows = [
        [
            "ＧＺ１０１",
            "陈\u3000一",
            "服务一组",
            "接待员",
            "2026年10月1日",
            "李四",
            13800138000,
            "2026/9/28",
        ],
        ["GZ102", "林二", "御景湾管理处/服务二组", "reception", 46296, "GZ103", None, None],
        ["GZ103", "周三", "GZ-P1-T2", "主管", "2026.10.1", None, None, None],
        ["GZ003", "王五", "GZ-P1-T1", "接待员", "2026-11-01", "李四", None, None],
        ["GZ004", "赵六", "GZ-P2-T3", "接待员", "2026-01-01", None, None, None],
    ]
    path = write(tmp_path, "people.xlsx", messy("员工花名册", HEADER, rows))

    report = sheet_import(actor=world.users["hr"], kind="people", file=path, company=world.company)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (3, 1, 1)
    new = Employee.objects.get(number="GZ101")
    assert (new.name, new.phone, new.hire_date) == ("陈一", "13800138000", dt.date(2026, 9, 28))
    assert placements("GZ101") == [("GZ-P1-T1", "reception", "GZ002", dt.date(2026, 10, 1), None)]
    # the supervisor came two rows further down
    assert placements("GZ102") == [("GZ-P1-T2", "reception", "GZ103", dt.date(2026, 10, 1), None)]
    assert placements("GZ103") == [("GZ-P1-T2", "lead", None, dt.date(2026, 10, 1), None)]
    # 王五 moved (调岗): the old placement ends the day before
    assert placements("GZ003") == [
        ("GZ-P1-T2", "reception", None, dt.date(2026, 1, 1), dt.date(2026, 10, 31)),
        ("GZ-P1-T1", "reception", "GZ002", dt.date(2026, 11, 1), None),
    ]
    assert placements("GZ004") == [("GZ-P2-T3", "reception", None, dt.date(2026, 1, 1), None)]

    again = sheet_import(actor=world.users["hr"], kind="people", file=path, company=world.company)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Placement.objects.count() == 8


def test_people_errors_name_the_row_column_and_reason(world: World, tmp_path: Path) -> None:
    rows = [
        HEADER[:6],
        ["GZ001", "李雷", "GZ-P1-T1", "接待员", "2026-10-01", None],
        ["GZ201", "韩梅", "GZ-P1-T1", "保安", "2026-10-01", None],
        ["GZ202", "吴四", "GZ-P1-T1", "接待员", None, "GZ999"],
        ["GZ203", "郑五", "GZ-P1-T1", "接待员", "2026-10-01", "GZ999"],
    ]
    path = write(tmp_path, "bad.xlsx", messy("花名册", rows[0], rows[1:]))

    report = sheet_import(actor=world.users["hr"], kind="people", file=path, company=world.company)

    assert [str(e) for e in report.errors] == [
        "第 4 行,B 列「姓名」,值“李雷”:工号 GZ001 已是“张三”,与姓名“李雷”不符",
        "第 6 行,D 列「岗位」,值“保安”:没有编码或名称为“保安”的岗位",
        "第 8 行,E 列「start date」:请填写任职开始日期(或入职日期)",
        "第 10 行,F 列「直接上级」,值“GZ999”:没有工号或姓名为“GZ999”的员工",
    ]
    assert not Employee.objects.filter(number__startswith="GZ2").exists()


def test_only_hr_or_admins_add_people(world: World, tmp_path: Path) -> None:
    rows = [HEADER[:5], ["GZ301", "冯六", "GZ-P1-T1", "接待员", "2026-10-01"]]
    path = write(tmp_path, "p.xlsx", messy("花名册", rows[0], rows[1:]))

    report = sheet_import(
        actor=world.users["sup1"], kind="people", file=path, company=world.company
    )

    assert [str(e) for e in report.errors] == [
        "第 4 行,C 列「部门」,值“GZ-P1-T1”:您没有权限执行此操作。"
    ]
    assert not Employee.objects.filter(number="GZ301").exists()


def test_a_sheet_without_supervisors_restating_a_placement_leaves_it_and_blames_the_conflict(
    world: World, tmp_path: Path
) -> None:
    # given 张三 placed in 服务一组 under 李四 (GZ002) from the factory's start
    held = placements("GZ001")
    assert held[-1][2] is not None
    # and a sheet without 直接上级 that restates it, then places him elsewhere the same day
    header = ["工号", "姓名", "单位", "岗位", "任职开始日期"]
    rows = [
        [header, ["GZ001", "张三", held[-1][0], held[-1][1], "2026-01-01"]],
        [header, ["GZ001", "张三", held[-1][0], held[-1][1], "2026-01-01"],
         ["GZ001", "张三", "GZ-P2-T3", "接待员", "2026-01-01"]],
    ]  # fmt: skip

    # when the first is imported, the placement is unchanged (its supervisor kept)
    first = sheet_import(
        actor=world.users["hr"],
        kind="people",
        file=write(tmp_path, "same.xlsx", xlsx(rows[0])),
        company=world.company,
    )
    assert (first.errors, first.unchanged) == ([], 1)
    assert placements("GZ001") == held

    # and in the second only the conflicting row is blamed
    second = sheet_import(
        actor=world.users["hr"],
        kind="people",
        file=write(tmp_path, "conflict.xlsx", xlsx(rows[1])),
        company=world.company,
    )
    assert [error.row for error in second.errors] == [3]
    assert placements("GZ001") == held
