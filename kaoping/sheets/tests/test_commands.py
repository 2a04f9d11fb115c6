"""`kaoping import` and the sheets' kinds of `kaoping export`: output, progress, exit statuses."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.operations.models import Complaint
from kaoping.org.tests.factories import World

from .helpers import write, xlsx

pytestmark = pytest.mark.django_db
HEADER = ["外部编号", "受理时间", "投诉类别", "投诉内容", "单位"]
GOOD = [HEADER] + [[f"K{n}", "2026-10-03", "收费", "x", "GZ-P1-T1"] for n in range(3)]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out, stderr=io.StringIO())
    return raised.value.returncode, str(raised.value)


def test_import_prints_the_report_and_progress(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, "c.xlsx", xlsx(GOOD))

    out, err = run("import", "complaints", str(path), "--company", "GZ", "--progress-every", "2")

    assert out.splitlines() == [
        "投诉导入:c.xlsx「Sheet1」",
        "表头在第 1 行。",
        "导入完成:共读取 3 行,已导入 3 行(新增 3 行,更新 0 行,已存在未变 0 行)。",
    ]
    assert err.splitlines() == ["… 已处理 2/3 行", "… 已处理 3/3 行"]
    assert Complaint.objects.count() == 3


def test_a_refused_import_exits_1_and_lists_the_errors(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, "c.xlsx", xlsx([*GOOD, ["K9", "明天", "收费", "x", "GZ-P1-T1"]]))
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "complaints", str(path), stdout=out, stderr=io.StringIO())

    assert raised.value.returncode == 1
    assert str(raised.value) == "导入被拒绝,未写入任何记录 / refused, nothing imported"
    assert (
        "第 5 行,B 列「受理时间」,值“明天”:无法识别的日期,请写成 2026-10-03 或 2026年10月3日"
        in out.getvalue()
    )
    assert not Complaint.objects.exists()


def test_dry_run_and_importing_as_a_user(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, "c.xlsx", xlsx(GOOD))

    out, _err = run("import", "complaints", str(path), "--dry-run")
    assert out.splitlines()[-1].startswith("试运行:共读取 3 行")
    assert not Complaint.objects.exists()

    code, _message = refused("import", "complaints", str(path), "--as", "gz-emp1")
    assert code == 1 and not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "{path}"], "未知的导入类型“nope”"),
        (["complaints", "{missing}"], "文件不存在"),
        (["complaints", "{folder}"], "是一个文件夹,请给出要导入的文件 / a folder, not a file"),
        (["complaints", "{path}", "--company", "XX"], "--company: 没有编码为 XX 的公司"),
        (["complaints", "{path}", "--as", "nobody"], "--as:没有用户名为 nobody 的有效用户"),
    ],
)
def test_bad_usage_exits_2(world: World, tmp_path: Path, args: list[str], message: str) -> None:
    path = write(tmp_path, "c.xlsx", xlsx(GOOD))
    filled = [a.format(path=path, missing=tmp_path / "missing.xlsx", folder=tmp_path) for a in args]

    code, text = refused("import", *filled)

    assert code == 2 and message in text


def test_export_template(tmp_path: Path) -> None:
    output = tmp_path / "people.xlsx"

    out, _err = run("export", "template", "员工", "-o", str(output))

    assert out.strip() == f"{output}:员工与任职导入模板"
    header = [cell.value for cell in load_workbook(output).worksheets[0][1]]
    assert header == [
        "工号",
        "姓名",
        "单位",
        "岗位",
        "任职开始日期",
        "直接上级",
        "电话",
        "入职日期",
    ]
    assert refused("export", "template", "nope", "-o", str(output))[0] == 2

    # an output that cannot be written is refused before any work, naming -o, and no file or
    # partial file is left behind
    missing = tmp_path / "nodir" / "p.xlsx"
    assert refused("export", "template", "员工", "-o", str(missing))[1] == (
        f"-o:文件夹不存在:{missing.parent} / folder not found: {missing.parent}"
    )
    assert refused("export", "payroll", "--period", "2026-10", "-o", str(tmp_path))[1] == (
        f"-o:{tmp_path} 是一个文件夹 / {tmp_path} is a folder, not a file"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.xlsx"]


def test_export_forms_and_reports(policies: World, tmp_path: Path) -> None:
    world = policies
    october = period_open(actor=None, company=world.company, kind="month", key="2026-10")
    at = dt.datetime(2026, 10, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    inspection = inspection_create(
        actor=world.users["quality"], unit=world.units["t1"], kind="daily", at=at
    )
    finding_record(
        actor=world.users["quality"],
        inspection=inspection,
        employee=world.employees["e1"],
        section="service",
        severity="general",
        points=Decimal(1),
        description="未使用礼貌用语",
        occurred_at=at,
    )
    period_close(actor=None, period=october)
    forms, violations, ranking = (
        tmp_path / f"{n}.xlsx" for n in ("forms", "violations", "ranking")
    )

    assert (
        run(
            "export",
            "appraisal-form",
            "--period",
            "2026-10",
            "--unit",
            "GZ-P1-T1",
            "-o",
            str(forms),
        )[0].strip()
        == f"{forms}:2 份考核表"
    )
    assert load_workbook(forms).sheetnames == ["GZ001 张三", "GZ002 李四"]
    out, _err = run(
        "export", "appraisal-form", "--period", "2026-10", "--employee", "GZ004", "-o", str(forms)
    )
    assert out.strip() == f"{forms}:1 份考核表"
    out, _err = run("export", "violations", "--period", "2026-10", "-o", str(violations))
    assert out.strip() == f"{violations}:1 人,1 条违规"
    assert load_workbook(violations)["违规明细"]["J2"].value == "未使用礼貌用语"
    out, _err = run("export", "ranking", "--period", "2026-10", "-o", str(ranking))
    assert out.strip() == f"{ranking}:0 个小组"
    assert refused("export", "violations", "--period", "2031-01", "-o", str(violations)) == (
        2,
        "--period:没有考评期间 2031-01 / no such period",
    )
    assert (
        refused("export", "ranking", "--period", "2026-10", "--unit", "X", "-o", str(ranking))[0]
        == 2
    )
