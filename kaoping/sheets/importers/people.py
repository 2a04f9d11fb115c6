"""Importer of people and placements (员工与任职): 工号, name, unit, position, start, supervisor.

A row creates the employee when the 工号 is new (employee_create), then places them
(placement_create), or moves them (placement_transfer, 调岗) when they hold an open placement
that started earlier. A row that matches the placement the employee already holds on that day
changes nothing. Employees are created for all rows first, so a row may name as supervisor a
person who appears further down the sheet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from kaoping.org.models import Employee, Placement
from kaoping.org.selectors import placement_on
from kaoping.org.services import employee_create, placement_create, placement_transfer

from ..cells import CellError, token
from ..columns import Column, Header
from .base import Importer, Job, Outcome, SheetRow, problem

NAME_MISMATCH = gettext_lazy("工号 {number} 已是“{actual}”,与姓名“{name}”不符")
START_REQUIRED = gettext_lazy("请填写任职开始日期(或入职日期)")


class PeopleImporter(Importer):
    """Employees and their placements (员工与任职)."""

    key = "people"
    title = N_("员工与任职")
    aliases = ("employees", "placements", "staff", "员工", "人员", "任职")
    summary = N_(
        "员工与任职:每行一名员工在某单位某岗位的任职,自开始日期起。工号不存在时新建员工;"
        "员工已有更早开始的任职时按调岗处理(原任职在前一天结束);与现有任职相同的行不作更改。"
    )
    columns = (
        Column(
            "number",
            N_("工号"),
            "token",
            required=True,
            synonyms=(
                "员工编号",
                "编号",
                "员工工号",
                "职工编号",
                "employee no",
                "employee number",
                "staff no",
                "number",
            ),
            help=N_("公司内唯一的员工编号。"),
            example="GZ101",
        ),
        Column(
            "name",
            N_("姓名"),
            "token",
            required=True,
            synonyms=("员工姓名", "名字", "name", "employee name"),
            example="陈一",
        ),
        Column(
            "unit",
            N_("单位"),
            "unit",
            required=True,
            synonyms=(
                "单位编码",
                "部门",
                "班组",
                "服务小组",
                "小组",
                "所属单位",
                "所属部门",
                "所在部门",
                "unit",
                "department",
                "team",
            ),
            help=N_("单位编码或名称;重名时写“上级/名称”,如“御景湾管理处/服务一组”。"),
            example="GZ-P1-T1",
        ),
        Column(
            "position",
            N_("岗位"),
            "position",
            required=True,
            synonyms=("岗位编码", "职位", "职务", "position", "job title"),
            help=N_("岗位编码或名称,如 接待员。"),
            example="接待员",
        ),
        Column(
            "start",
            N_("任职开始日期"),
            "date",
            synonyms=("开始日期", "上岗日期", "到岗日期", "任职日期", "start date", "start"),
            help=N_("留空时取入职日期。"),
            example="2026-10-01",
        ),
        Column(
            "supervisor",
            N_("直接上级"),
            "employee",
            synonyms=(
                "上级",
                "直属上级",
                "直接上级工号",
                "上级工号",
                "直接主管",
                "supervisor",
            ),
            help=N_("直接上级的工号或姓名;可以是本表中的员工。同名时须填工号。"),
            example="GZ002",
        ),
        Column(
            "phone", N_("电话"), "token", synonyms=("手机", "手机号", "联系电话", "phone", "mobile")
        ),
        Column(
            "hire_date",
            N_("入职日期"),
            "date",
            synonyms=("hire date", "入司日期"),
            help=N_("只在新建员工时使用。"),
            example="2026-10-01",
        ),
    )
    field_columns = {
        "number": ("number",),
        "name": ("name",),
        "__all__": ("number",),
        "unit": ("unit",),
        "position": ("position",),
        "supervisor": ("supervisor",),
        "start": ("start", "hire_date"),
        "end": ("start", "hire_date"),
        "hire_date": ("hire_date",),
        "phone": ("phone",),
    }

    def header_problems(self, header: Header) -> list[str]:
        problems = super().header_problems(header)
        if "start" not in header.index and "hire_date" not in header.index:
            problems.append(_("缺少必填列“任职开始日期”(或“入职日期”)"))
        return problems

    def problems_of(self, exc: Any, job: Job) -> list[tuple[str | None, str]]:
        found = super().problems_of(exc, job)
        # A unique-constraint error (工号 taken) comes without a field: it is the 工号's.
        return [
            (key if key is not None else job.present("number"), reason) for key, reason in found
        ]

    def run(self, job: Job, rows: list[SheetRow]) -> None:
        job.load_units()
        job.load_positions()
        job.load_employees(rows, keys=("number", "name", "supervisor"))
        self.new_numbers: set[str] = set()
        self.employees: dict[int, Employee] = {}
        # First every person, so that supervisors further down the sheet are known ...
        for row in rows:
            job.attempt(row, lambda r: self.employee_row(job, r), count=False)
        # ... then every placement.
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            if row.number in self.employees:
                job.attempt(row, lambda r: self.placement_row(job, r))
            job.tick(done, total)

    def employee_row(self, job: Job, row: SheetRow) -> Outcome:
        """The row's employee: found by 工号 (the name must agree), or created."""
        assert job.employees is not None
        number, name = row.values["number"], row.values["name"]
        employee = job.employees.by_number_or_none(number)
        if employee is not None:
            if token(employee.name) != name:
                raise problem(
                    "name", NAME_MISMATCH.format(number=number, actual=employee.name, name=name)
                )
        else:
            employee = employee_create(
                actor=job.actor,
                company=job.company,
                number=number,
                name=name,
                phone=row.get("phone", ""),
                hire_date=row.get("hire_date"),
            )
            job.employees.add(employee)
            self.new_numbers.add(number)
        self.employees[row.number] = employee
        return Outcome.UNCHANGED

    def placement_row(self, job: Job, row: SheetRow) -> Outcome:
        """Place the employee, move them (调岗), or find them already placed so."""
        assert job.employees is not None
        employee = self.employees[row.number]
        start = row.get("start") or row.get("hire_date")
        if start is None:
            raise problem(job.present("start", "hire_date"), str(START_REQUIRED))
        unit = job.unit_of(row)
        position = job.position_of(row)
        assert unit is not None and position is not None
        supervisor = None
        if row.get("supervisor"):
            try:
                supervisor = job.employees.either(row.values["supervisor"])
            except CellError as exc:
                raise problem("supervisor", exc.reason) from None
        created = employee.number in self.new_numbers
        current = placement_on(employee=employee, day=start)
        held: tuple[int | None, ...] | None = (
            (current.unit_id, current.position_id, current.supervisor_id) if current else None
        )
        wanted: tuple[int | None, ...] = (
            unit.pk,
            position.pk,
            supervisor.pk if supervisor else None,
        )
        if "supervisor" not in job.header.index and held is not None:
            held, wanted = held[:2], wanted[:2]  # a sheet without 直接上级 says nothing of it
        if held == wanted:
            return Outcome.CREATED if created else Outcome.UNCHANGED
        earlier_open = Placement.objects.filter(
            Q(end__isnull=True), employee=employee, start__lt=start
        ).exists()
        move = placement_transfer if earlier_open else placement_create
        move(
            actor=job.actor,
            employee=employee,
            unit=unit,
            position=position,
            start=start,
            supervisor=supervisor,
        )
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if earlier_open else Outcome.CREATED
