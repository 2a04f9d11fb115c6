"""Importer of findings (违规记录) from inspection sheets.

Rows of one inspector, inspected unit, kind, time and place form one inspection
(inspection_create); each row is one finding (finding_record), checked against the policy in
force for its subject on its day, which issues the fault notice (过失通知单) and, when serious,
the corrective action. Sections, items and severities may be named by id or by their Chinese
title. Findings have no external id: a row that repeats an existing active finding field for
field is counted as already imported (as many times as such findings exist).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from kaoping.inspections.models import Finding, Inspection, InspectionKind
from kaoping.inspections.selectors import finding_list
from kaoping.inspections.services import NOT_PLACED, finding_record, inspection_create
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import placement_on
from kaoping.policies.selectors import engine_policy, policy_for_employee, policy_for_unit
from kaoping.scoring import InputError, Policy, resolve_finding
from kaoping.scoring.inputs import Finding as EngineFinding
from kaoping.scoring.policy import SEVERITY_TITLES, Section

from ..cells import label_key
from ..columns import Column, Header
from ..references import chunks
from .base import EMPLOYEE_KEYS, Importer, Job, Outcome, SheetRow, problem
from .operations import choices_of

ONE_SUBJECT = gettext_lazy("请填写被考评的员工(工号或姓名)或被考评单位,二者只填其一")
INSPECTOR_REQUIRED = gettext_lazy(
    "请填写检查人(用户名、工号或姓名);从命令行导入时也可用 --as 指定检查人"
)
NO_POLICY = gettext_lazy("{day} 没有适用于“{subject}”的考评办法,请质管部先指定办法")
UNKNOWN_SECTION = gettext_lazy("“{value}”不是考评办法“{policy}”的考评项目(可选:{known})")
SEVERITIES = tuple(
    (severity, title, alias)
    for (severity, title), alias in zip(
        SEVERITY_TITLES.items(),
        (("一般", "轻微"), ("严重",), ("不良后果", "后果严重")),
        strict=True,
    )
)
ONE_DECIMAL = Decimal("0.1")


class FindingsImporter(Importer):
    """Findings of inspections (检查违规记录)."""

    key = "findings"
    title = N_("违规记录")
    aliases = ("finding", "inspections", "违规", "检查记录")
    summary = N_(
        "违规记录:每行一条违规,记在员工(工号或姓名)或单位名下。同一检查人、受检单位、检查类型、"
        "时间和地点的各行归入同一次检查。考评项目、细则条目和违规程度按员工当日适用的考评办法核对;"
        "记在员工名下的违规自动生成过失通知单,严重违规自动开启纠正措施。"
    )
    columns = (
        Column(
            "occurred_at",
            N_("检查日期"),
            "datetime",
            required=True,
            synonyms=(
                "检查时间",
                "日期",
                "违规日期",
                "违规时间",
                "发生时间",
                "时间",
                "inspection date",
                "date",
            ),
            help=N_("日期或日期时间,如 2026-10-03 或 2026年10月3日 14:30;不能晚于现在。"),
            example="2026-10-03 10:00",
        ),
        Column(
            "inspection_kind",
            N_("检查类型"),
            "choice",
            synonyms=("检查方式", "检查类别", "inspection kind", "kind"),
            choices=choices_of(InspectionKind, {"daily": ("日常检查",), "spot": ("抽查",)}),
            help=N_("留空为日检。"),
            example="月检",
        ),
        Column(
            "inspector",
            N_("检查人"),
            "user",
            synonyms=("检查人员", "检查者", "考评人", "inspector"),
            help=N_("检查人的用户名、工号或姓名(须有登录账号);留空为导入人本人。"),
            example="GZ002",
        ),
        Column(
            "employee_number",
            N_("工号"),
            "employee",
            synonyms=("员工编号", "编号", "员工工号", "employee no", "employee number", "staff no"),
            help=N_("被考评员工的工号;与姓名同时填写时须一致。"),
            example="GZ001",
        ),
        Column(
            "employee_name",
            N_("姓名"),
            "employee",
            synonyms=("员工姓名", "被检查人", "name", "employee name"),
            help=N_("被考评员工的姓名;同名时须填写工号。"),
            example="张三",
        ),
        Column(
            "employee",
            N_("违规人"),
            "employee",
            synonyms=("违规员工", "被考评人", "责任人", "employee"),
            help=N_("被考评员工的工号或姓名(与前两列任填其一)。"),
        ),
        Column(
            "subject_unit",
            N_("被考评单位"),
            "unit",
            synonyms=("被考评单元", "被检查单位", "subject unit"),
            help=N_("违规记在单位名下时填写(不填员工)。"),
        ),
        Column(
            "inspection_unit",
            N_("受检单位"),
            "unit",
            synonyms=("受检单元", "检查单位", "inspected unit"),
            help=N_("本次检查的单位;留空时为被考评人当日的任职单位。"),
        ),
        Column(
            "section",
            N_("考评项目"),
            "token",
            required=True,
            synonyms=("考核项目", "项目", "违规项目", "扣分项目", "section"),
            help=N_("考评办法中的项目名称或编号,如 岗位工作质量 或 post_quality。"),
            example="岗位工作质量",
        ),
        Column(
            "item",
            N_("细则条目"),
            "token",
            synonyms=("条目", "细则", "违规条目", "item"),
            help=N_("按细则条目扣分的项目必填(名称或编号);其他项目可作标签,用于统计重复违规。"),
            example="uniform",
        ),
        Column(
            "severity",
            N_("违规程度"),
            "choice",
            synonyms=("程度", "严重程度", "severity"),
            choices=SEVERITIES,
            help=N_("一般违规、严重违规或引起不良后果;项目只有一种程度时可留空。"),
            example="严重违规",
        ),
        Column(
            "points",
            N_("扣分"),
            "decimal",
            synonyms=("扣分值", "扣分数", "分值", "points"),
            help=N_("须在该程度的扣分范围内,0.5 的倍数;细则条目有固定扣分时可留空。"),
            example="4",
        ),
        Column(
            "description",
            N_("违规描述"),
            "text",
            required=True,
            synonyms=(
                "违规情况",
                "违规内容",
                "违规情况记录",
                "情况记录",
                "描述",
                "description",
            ),
            example="接待台无人值守",
        ),
        Column("place", N_("检查地点"), "text", synonyms=("地点", "place"), example="前台"),
        Column(
            "mandatory_penalty",
            N_("须另行处罚"),
            "boolean",
            synonyms=("另行处罚", "mandatory penalty"),
            help=N_("是/否,留空为否;为是时该项目得分清零。"),
        ),
        Column(
            "supervisor_liable",
            N_("上级负连带责任"),
            "boolean",
            synonyms=("连带责任", "上级连带", "supervisor liable"),
            help=N_("是/否,留空为否;经查实直属上司负有管理责任时填是。"),
        ),
    )
    field_columns = {
        "employee": EMPLOYEE_KEYS,
        "subject_unit": ("subject_unit",),
        "occurred_at": ("occurred_at",),
        "at": ("occurred_at",),
        "inspector": ("inspector",),
        "unit": ("inspection_unit", "subject_unit", *EMPLOYEE_KEYS),
        "kind": ("inspection_kind",),
        "plan": ("inspection_kind",),
        "place": ("place",),
        "section": ("section",),
        "item": ("item",),
        "severity": ("severity",),
        "points": ("points",),
        "description": ("description",),
    }

    def header_problems(self, header: Header) -> list[str]:
        problems = super().header_problems(header)
        if "subject_unit" not in header.index and not any(k in header.index for k in EMPLOYEE_KEYS):
            problems.append(_("缺少员工列:请至少有“工号”或“姓名”一列(单位违规用“被考评单位”)"))
        return problems

    def prepare(self, job: Job, rows: list[SheetRow]) -> None:
        job.load_units()
        job.load_employees(rows)
        job.load_users(rows, "inspector")
        self.inspections: dict[tuple[Any, ...], Inspection] = {}
        self.repeats: Counter[tuple[Any, ...]] | None = None
        self.pending: tuple[tuple[Any, ...], Inspection] | None = None
        moments = [row.values["occurred_at"] for row in rows if row.values.get("occurred_at")]
        self.span = (min(moments), max(moments)) if moments else None

    def _repeats(self, job: Job) -> Counter[tuple[Any, ...]]:
        """Active findings already recorded in the sheet's time span on the people the sheet
        names (or on units), counted by signature: a month of a large company holds millions
        of findings, the sheet's people only a few of them."""
        if self.repeats is None:
            self.repeats = Counter()
            if self.span is not None:
                assert job.employees is not None
                recorded = finding_list(viewer=job.viewer).filter(
                    company=job.company,
                    occurred_at__gte=self.span[0],
                    occurred_at__lte=self.span[1],
                )
                people = sorted({e.pk for e in job.employees.by_number.values()})
                batches = [recorded.filter(subject_unit__isnull=False)]
                batches += [recorded.filter(employee_id__in=part) for part in chunks(people)]
                for batch in batches:
                    for finding in batch:
                        self.repeats[_signature(finding)] += 1
        return self.repeats

    def import_row(self, job: Job, row: SheetRow) -> Outcome:
        occurred_at: dt.datetime = row.values["occurred_at"]
        day = timezone.localdate(occurred_at)
        employee = job.employee_of(row, required=False)
        subject_unit = job.unit_of(row, "subject_unit")
        if (employee is None) == (subject_unit is None):
            raise problem(job.present(*EMPLOYEE_KEYS, "subject_unit"), str(ONE_SUBJECT))
        unit = self._subject_unit(job, employee, subject_unit, day)
        policy = self._policy(employee, unit, day)
        section = _section(policy, row.values["section"])
        item = _item(section, row.get("item", ""))
        points = row.get("points")
        severity = row.get("severity", "")
        description = row.get("description", "")
        try:
            resolved = resolve_finding(
                policy,
                EngineFinding(
                    section=section.id,
                    points=points,
                    severity=severity or None,
                    item=item or None,
                    mandatory_penalty=row.get("mandatory_penalty", False),
                    supervisor_liable=row.get("supervisor_liable", False),
                ),
            )
        except InputError as exc:
            keys = self.field_columns.get(exc.field, ())
            raise problem(job.present(*keys), exc.message) from None
        signature = (
            employee.pk if employee else None,
            subject_unit.pk if subject_unit else None,
            occurred_at,
            resolved.section,
            resolved.item or "",
            resolved.severity or "",
            resolved.points.quantize(ONE_DECIMAL),
            description.strip(),
        )
        repeats = self._repeats(job)
        if repeats[signature] > 0:
            repeats[signature] -= 1
            return Outcome.UNCHANGED
        inspection = self._inspection(job, row, unit, occurred_at)
        finding_record(
            actor=job.actor,
            inspection=inspection,
            employee=employee,
            subject_unit=subject_unit,
            section=section.id,
            severity=severity,
            points=points,
            item=item,
            description=description,
            occurred_at=occurred_at,
            mandatory_penalty=row.get("mandatory_penalty", False),
            supervisor_liable=row.get("supervisor_liable", False),
        )
        return Outcome.CREATED

    def _subject_unit(
        self, job: Job, employee: Employee | None, subject_unit: OrgUnit | None, day: dt.date
    ) -> OrgUnit:
        if employee is None:
            assert subject_unit is not None
            return subject_unit
        placement = placement_on(employee=employee, day=day)
        if placement is None:
            raise problem(
                job.present(*EMPLOYEE_KEYS), NOT_PLACED.format(name=employee.name, day=day)
            )
        return placement.unit

    def _policy(self, employee: Employee | None, unit: OrgUnit, day: dt.date) -> Policy:
        applicable = (
            policy_for_employee(employee=employee, on=day)
            if employee is not None
            else policy_for_unit(unit=unit, on=day)
        )
        if applicable is None:
            subject = employee.name if employee is not None else unit.name
            raise problem("section", NO_POLICY.format(day=day, subject=subject))
        return engine_policy(applicable.version)

    def _inspection(
        self, job: Job, row: SheetRow, unit: OrgUnit, occurred_at: dt.datetime
    ) -> Inspection:
        """The inspection this row belongs to: made once per inspector, unit, kind, time and
        place (remembered only once the row that made it has been written)."""
        inspector = job.user_of(row, "inspector") or job.actor
        if inspector is None:
            raise problem(job.present("inspector"), str(INSPECTOR_REQUIRED))
        inspected = job.unit_of(row, "inspection_unit") or unit
        kind = row.get("inspection_kind", InspectionKind.DAILY)
        place = row.get("place", "")
        key = (inspector.pk, inspected.pk, kind, occurred_at, place)
        found = self.inspections.get(key)
        if found is not None:
            return found
        inspection = inspection_create(
            actor=job.actor,
            unit=inspected,
            kind=kind,
            at=occurred_at,
            place=place,
            inspector=inspector,
        )
        # Written in this row's savepoint: if the row fails, the inspection goes with it, so it
        # is remembered only after the savepoint (see `run`).
        self.pending = (key, inspection)
        return inspection

    def run(self, job: Job, rows: list[SheetRow]) -> None:
        self.prepare(job, rows)
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            self.pending = None
            if job.attempt(row, lambda r: self.import_row(job, r)) is not None and self.pending:
                key, inspection = self.pending
                self.inspections[key] = inspection
            job.tick(done, total)


def _signature(finding: Finding) -> tuple[Any, ...]:
    return (
        finding.employee_id,
        finding.subject_unit_id,
        finding.occurred_at,
        finding.section,
        finding.item,
        finding.severity,
        finding.points,
        finding.description,
    )


def _section(policy: Policy, value: str) -> Section:
    """The policy's section named by id or title (“岗位工作质量”, “post_quality”)."""
    key = label_key(value)
    for section in policy.sections:
        if key in (label_key(section.id), label_key(section.title)):
            return section
    known = "、".join(s.title for s in policy.sections if s.takes_findings)
    raise problem("section", UNKNOWN_SECTION.format(value=value, policy=policy.title, known=known))


def _item(section: Section, value: str) -> str:
    """A checklist item named by id or title becomes its id; elsewhere the label is kept."""
    if not value:
        return ""
    key = label_key(value)
    for item in section.checklist.values():
        if key in (label_key(item.id), label_key(item.title)):
            return item.id
    return value
