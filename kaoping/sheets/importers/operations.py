"""Importers of the operations records (运营数据): complaints, incidents, call statistics, work
orders, fee collection, owner visits, surveys and work points.

Each row is written by the record type's `<noun>_create` service, or `<noun>_update` when a
record with the row's external_id (外部编号) exists, or for call statistics and fee collection
one with the same natural key (unit and day; unit, building and month). Such a row that changes
nothing is left alone. Rows without an external_id that repeat an existing record field for field
are counted as already imported (as many times as the record exists), so importing the same
paper-era sheet twice writes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from kaoping.operations import selectors, services
from kaoping.operations.models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    OperationsRecord,
    OwnerVisit,
    SurveyLevel,
    SurveyResponse,
    WorkOrder,
    WorkPointEntry,
)

from ..columns import Column
from .base import EMPLOYEE_KEYS, Importer, Job, Outcome, SheetRow, local_day, problem

DUPLICATE_EXTERNAL_ID = gettext_lazy("外部编号与第 {row} 行重复")
WORK_POINTS_MISSING = gettext_lazy("工作积分须填写积分")

Choices = tuple[tuple[str, str, tuple[str, ...]], ...]


def choices_of(
    options: type[models.TextChoices], aliases: Mapping[str, tuple[str, ...]] | None = None
) -> Choices:
    """(value, label, aliases) of a model's choices, for reading a choice cell."""
    extra = aliases or {}
    return tuple(
        (str(value), str(label), extra.get(str(value), ())) for value, label in options.choices
    )


SURVEY_LEVELS = choices_of(
    SurveyLevel,
    {
        "very_satisfied": ("非常满意", "5", "五星"),
        "satisfied": ("满意", "4"),
        "neutral": ("3", "一般满意"),
        "dissatisfied": ("不满意", "2"),
        "very_dissatisfied": ("非常不满意", "1"),
    },
)


def _external_id(*synonyms: str) -> Column:
    return Column(
        "external_id",
        N_("外部编号"),
        "token",
        synonyms=("来源编号", "系统编号", "external id", "external_id", *synonyms),
        help=N_("来源系统中的编号,同一公司内唯一;再次导入同一编号时更新原记录而不重复新增。"),
        example="WO-20261003-001",
    )


UNIT_HELP = N_("单位编码或名称;重名时写“上级/名称”,如“御景湾管理处/客户服务中心”。")
UNIT_OR_EMPLOYEE_HELP = N_(
    "单位编码或名称;重名时写“上级/名称”,如“御景湾管理处/客户服务中心”。留空时取员工在记录当日的任职单位。"
)
EMPLOYEE_NUMBER_HELP = N_("员工的工号;与姓名同时填写时须一致。")
EMPLOYEE_NAME_HELP = N_("员工的姓名;同名时须填写工号。")
EMPLOYEE_EITHER_HELP = N_("员工的工号或姓名(与前两列任填其一)。")


def _unit(required: bool = False) -> Column:
    return Column(
        "unit",
        N_("单位"),
        "unit",
        required=required,
        synonyms=(
            "单位编码",
            "部门",
            "班组",
            "服务小组",
            "小组",
            "管理处",
            "项目",
            "所属单位",
            "所属部门",
            "unit",
            "department",
            "team",
        ),
        help=UNIT_HELP if required else UNIT_OR_EMPLOYEE_HELP,
        example="GZ-P1-T1",
    )


def _employee(number: str, name: str, either: str) -> tuple[Column, Column, Column]:
    """The three ways a sheet names a record's employee: 工号, name, or one cell with either."""
    return (
        Column(
            "employee_number",
            number,
            "employee",
            synonyms=("工号", "员工编号", "员工工号", "employee no", "employee number", "staff no"),
            help=EMPLOYEE_NUMBER_HELP,
            example="GZ001",
        ),
        Column(
            "employee_name",
            name,
            "employee",
            synonyms=("姓名", "员工姓名", "name", "employee name"),
            help=EMPLOYEE_NAME_HELP,
            example="张三",
        ),
        Column(
            "employee",
            either,
            "employee",
            synonyms=("员工", "employee", "staff"),
            help=EMPLOYEE_EITHER_HELP,
            example="张三",
        ),
    )


@dataclass(frozen=True)
class RecordKind:
    """How one operations record type is imported."""

    key: str
    title: str
    noun: str
    model: type[OperationsRecord]
    columns: tuple[Column, ...]
    summary: str
    employee_required: bool = False
    natural_key: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    complete: Callable[[dict[str, Any]], None] | None = None  # fills derived fields

    @property
    def has_employee(self) -> bool:
        return any(column.key in EMPLOYEE_KEYS for column in self.columns)

    @property
    def fields(self) -> list[str]:
        """The model fields the columns fill (references excluded)."""
        return [
            column.key
            for column in self.columns
            if column.key not in EMPLOYEE_KEYS and column.key != "unit"
        ]


def _work_points_complete(values: dict[str, Any]) -> None:
    kind = values.get("kind") or WorkPointEntry.Kind.WORK
    values["kind"] = kind
    if values.get("points") is None and kind in WorkPointEntry.PENALTY_POINTS:
        values["points"] = WorkPointEntry.PENALTY_POINTS[kind]


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        key="complaints",
        title=N_("投诉"),
        noun="complaint",
        model=Complaint,
        aliases=("complaint", "投诉记录"),
        summary=N_("投诉记录:每行一件投诉。有效/重大由质管部认定;重大投诉必须同时是有效投诉。"),
        columns=(
            _external_id("投诉编号", "投诉单号", "单号"),
            _unit(),
            Column(
                "received_at",
                N_("受理时间"),
                "datetime",
                required=True,
                synonyms=("投诉时间", "受理日期", "投诉日期", "日期", "received at", "date"),
                help=N_("日期或日期时间,如 2026-10-03 14:30、2026年10月3日。"),
                example="2026-10-03 14:30",
            ),
            Column(
                "category",
                N_("投诉类别"),
                "choice",
                required=True,
                synonyms=("类别", "投诉类型", "category"),
                choices=choices_of(
                    Complaint.Category,
                    {"cleaning": ("清洁", "卫生", "环境"), "order": ("秩序", "车辆", "治安")},
                ),
                example="清洁卫生",
            ),
            Column(
                "source",
                N_("投诉渠道"),
                "choice",
                synonyms=("渠道", "来源", "投诉来源", "source"),
                choices=choices_of(Complaint.Source, {"phone": ("来电", "热线")}),
                example="电话",
            ),
            Column(
                "complainant",
                N_("投诉人/房号"),
                "text",
                synonyms=("投诉人", "房号", "业主", "complainant"),
                example="3栋1201 李先生",
            ),
            Column(
                "description",
                N_("投诉内容"),
                "text",
                required=True,
                synonyms=("内容", "投诉事项", "事由", "description"),
                example="楼道垃圾未及时清运",
            ),
            *_employee(N_("责任人工号"), N_("责任人姓名"), N_("责任人")),
            Column(
                "valid",
                N_("有效投诉"),
                "boolean",
                synonyms=("是否有效", "有效", "valid"),
                help=N_("是/否,留空为否。"),
                example="是",
            ),
            Column(
                "major",
                N_("重大投诉"),
                "boolean",
                synonyms=("是否重大", "重大", "major"),
                help=N_("是/否,留空为否;重大投诉须同时为有效投诉。"),
                example="否",
            ),
            Column(
                "resolved_at",
                N_("处理完成时间"),
                "datetime",
                synonyms=("完成时间", "处理时间", "resolved at"),
                example="2026-10-03 17:00",
            ),
            Column(
                "callback_at",
                N_("回访时间"),
                "datetime",
                synonyms=("回访日期", "callback at"),
                example="2026-10-04 10:00",
            ),
            Column(
                "callback_satisfaction",
                N_("回访满意度"),
                "choice",
                synonyms=("callback satisfaction",),
                choices=SURVEY_LEVELS,
                help=N_("填写时须同时填写回访时间。"),
                example="基本满意",
            ),
        ),
    ),
    RecordKind(
        key="incidents",
        title=N_("事故"),
        noun="incident",
        model=Incident,
        aliases=("incident", "事故记录"),
        summary=N_("事故记录:每行一起事故(如盗窃)。"),
        columns=(
            _external_id(),
            _unit(required=True),
            Column(
                "kind",
                N_("事故类型"),
                "choice",
                required=True,
                synonyms=("类型", "kind"),
                choices=choices_of(Incident.Kind, {"theft": ("被盗", "失窃")}),
                example="盗窃",
            ),
            Column(
                "occurred_at",
                N_("发生时间"),
                "datetime",
                required=True,
                synonyms=("发生日期", "日期", "时间", "occurred at", "date"),
                example="2026-10-03 02:10",
            ),
            Column(
                "place", N_("地点"), "text", synonyms=("发生地点", "place"), example="地下车库B区"
            ),
            Column(
                "description",
                N_("经过"),
                "text",
                required=True,
                synonyms=("事故经过", "描述", "内容", "description"),
                example="车内财物被盗",
            ),
        ),
    ),
    RecordKind(
        key="calls",
        title=N_("电话统计"),
        noun="call_statistic",
        model=CallStatistic,
        natural_key=("unit", "date"),
        aliases=("call-statistics", "call_statistics", "电话"),
        summary=N_(
            "电话统计:每行一个单位一天的呼入量与接听量;同一单位同一天再次导入时更新原记录。"
        ),
        columns=(
            _external_id(),
            _unit(required=True),
            Column(
                "date",
                N_("日期"),
                "date",
                required=True,
                synonyms=("统计日期", "date"),
                example="2026-10-03",
            ),
            Column(
                "offered",
                N_("呼入量"),
                "integer",
                required=True,
                synonyms=("来电量", "呼入", "来电", "offered"),
                example="120",
            ),
            Column(
                "answered",
                N_("接听量"),
                "integer",
                required=True,
                synonyms=("接听", "接通量", "answered"),
                help=N_("不能大于呼入量。"),
                example="118",
            ),
        ),
    ),
    RecordKind(
        key="work-orders",
        title=N_("工单"),
        noun="work_order",
        model=WorkOrder,
        aliases=("work_orders", "workorders", "work-order"),
        summary=N_("工单:每行一张工单(报修、投诉处理、服务请求…)。"),
        columns=(
            _external_id("工单号", "工单编号", "单号"),
            _unit(),
            *_employee(N_("处理人工号"), N_("处理人姓名"), N_("处理人")),
            Column(
                "kind",
                N_("工单类型"),
                "choice",
                required=True,
                synonyms=("类型", "kind"),
                choices=choices_of(WorkOrder.Kind, {"repair": ("维修",)}),
                example="报修",
            ),
            Column(
                "opened_at",
                N_("派单时间"),
                "datetime",
                required=True,
                synonyms=("开单时间", "创建时间", "报修时间", "日期", "opened at", "date"),
                example="2026-10-03 09:00",
            ),
            Column(
                "completed_at",
                N_("完成时间"),
                "datetime",
                synonyms=("完工时间", "completed at"),
                example="2026-10-03 11:30",
            ),
            Column(
                "description",
                N_("内容"),
                "text",
                synonyms=("工单内容", "描述", "description"),
                example="厨房水管漏水",
            ),
        ),
    ),
    RecordKind(
        key="fees",
        title=N_("物业费收缴"),
        noun="fee_collection",
        model=FeeCollection,
        natural_key=("unit", "building", "month"),
        aliases=("fee-collection", "fee_collection", "收费", "收缴"),
        summary=N_(
            "物业费收缴:每行一个单位(或其一个楼栋)一个月的收缴情况;同一单位、楼栋、月份再次导入时"
            "更新原记录。同一单位同一月份只能按整个单位或按楼栋之一录入。"
        ),
        columns=(
            _external_id(),
            _unit(required=True),
            Column(
                "building",
                N_("楼栋"),
                "text",
                synonyms=("栋号", "楼号", "楼宇", "building"),
                help=N_("留空表示整个单位。"),
                example="3栋",
            ),
            Column(
                "month",
                N_("月份"),
                "month",
                required=True,
                synonyms=("收费月份", "年月", "month"),
                help=N_("如 2026-10 或 2026年10月。"),
                example="2026-10",
            ),
            Column(
                "households_due",
                N_("应缴户数"),
                "integer",
                required=True,
                synonyms=("households due",),
                example="300",
            ),
            Column(
                "households_paid",
                N_("已缴户数"),
                "integer",
                required=True,
                synonyms=("实缴户数", "households paid"),
                example="287",
            ),
            Column(
                "amount_due",
                N_("应收金额"),
                "decimal",
                required=True,
                synonyms=("应收", "amount due"),
                example="150000.00",
            ),
            Column(
                "amount_paid",
                N_("实收金额"),
                "decimal",
                required=True,
                synonyms=("实收", "已收金额", "amount paid"),
                example="143500.00",
            ),
            Column(
                "task_amount",
                N_("当月收费任务"),
                "decimal",
                required=True,
                synonyms=("收费任务", "任务金额", "task amount"),
                example="145000.00",
            ),
            *_employee(N_("管家工号"), N_("管家姓名"), N_("管家")),
        ),
    ),
    RecordKind(
        key="visits",
        title=N_("业主走访"),
        noun="owner_visit",
        model=OwnerVisit,
        employee_required=True,
        aliases=("owner-visits", "owner_visits", "走访"),
        summary=N_("业主走访:每行一次走访或回访。"),
        columns=(
            _external_id(),
            _unit(),
            *_employee(N_("走访人工号"), N_("走访人姓名"), N_("走访人")),
            Column(
                "household",
                N_("住户/房号"),
                "text",
                required=True,
                synonyms=("房号", "住户", "业主", "household"),
                example="3栋1201",
            ),
            Column(
                "visited_on",
                N_("走访日期"),
                "date",
                required=True,
                synonyms=("日期", "visited on", "date"),
                example="2026-10-03",
            ),
            Column(
                "record",
                N_("走访记录"),
                "text",
                required=True,
                synonyms=("记录", "内容", "record"),
                example="业主反映电梯噪音",
            ),
            Column(
                "callback",
                N_("回访"),
                "boolean",
                synonyms=("是否回访", "callback"),
                help=N_("是/否,留空为否。"),
                example="否",
            ),
        ),
    ),
    RecordKind(
        key="surveys",
        title=N_("满意度调查"),
        noun="survey_response",
        model=SurveyResponse,
        aliases=("survey-responses", "survey_responses", "满意度", "问卷"),
        summary=N_("满意度调查:每行一份答卷。"),
        columns=(
            _external_id(),
            _unit(),
            *_employee(N_("被评价员工工号"), N_("被评价员工姓名"), N_("被评价员工")),
            Column(
                "level",
                N_("满意度"),
                "choice",
                required=True,
                synonyms=("满意程度", "评价", "level"),
                choices=SURVEY_LEVELS,
                example="很满意",
            ),
            Column(
                "answered_on",
                N_("调查日期"),
                "date",
                required=True,
                synonyms=("日期", "answered on", "date"),
                example="2026-10-03",
            ),
            Column(
                "respondent",
                N_("受访人/房号"),
                "text",
                synonyms=("受访人", "房号", "respondent"),
                example="5栋302",
            ),
            Column(
                "comment",
                N_("意见"),
                "text",
                synonyms=("意见建议", "备注", "comment"),
                example="服务热情",
            ),
        ),
    ),
    RecordKind(
        key="work-points",
        title=N_("工作积分"),
        noun="work_point_entry",
        model=WorkPointEntry,
        employee_required=True,
        aliases=("work_points", "workpoints", "积分"),
        complete=_work_points_complete,
        summary=N_(
            "工作积分:每行一条积分或扣分处罚(seed 003)。扣分处罚未填积分时按办法扣分(−50 或 −20)。"
        ),
        columns=(
            _external_id(),
            _unit(),
            *_employee(N_("工号"), N_("姓名"), N_("员工")),
            Column(
                "date",
                N_("日期"),
                "date",
                required=True,
                synonyms=("积分日期", "date"),
                example="2026-10-03",
            ),
            Column(
                "kind",
                N_("类型"),
                "choice",
                synonyms=("积分类型", "kind"),
                choices=choices_of(WorkPointEntry.Kind, {"work": ("积分", "加分")}),
                help=N_("留空为工作积分。"),
                example="工作积分",
            ),
            Column(
                "points",
                N_("积分"),
                "decimal",
                synonyms=("分值", "points"),
                help=N_("工作积分必填;扣分处罚为负数,留空时按办法扣分。"),
                example="20",
            ),
            Column("note", N_("说明"), "text", synonyms=("备注", "note"), example="协助入伙"),
        ),
    ),
)


def _same(current: object, wanted: object) -> bool:
    if isinstance(current, Decimal) and isinstance(wanted, Decimal):
        return current == wanted
    return current == wanted


def _stored(record: OperationsRecord, name: str) -> object:
    field = record._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(record, field.attname)
    return getattr(record, name)


def _wanted(value: object) -> object:
    return value.pk if isinstance(value, models.Model) else value


class RecordImporter(Importer):
    """An importer of one operations record type (see RecordKind)."""

    repeats_are_records = True  # two surveys answered alike, two calls about the same thing
    field_columns = {
        "employee": EMPLOYEE_KEYS,
        "unit": ("unit", *EMPLOYEE_KEYS),
        "__all__": (),
    }

    def __init__(self, kind: RecordKind) -> None:
        self.kind = kind
        self.key = kind.key
        self.title = kind.title
        self.summary = kind.summary
        self.columns = kind.columns
        self.aliases = kind.aliases
        self.span: tuple[dt.date, dt.date] | None = None
        self.seen_external: dict[str, int] = {}
        self.repeats: Counter[tuple[object, ...]] | None = None

    # --- preparing -------------------------------------------------------------------------------

    def header_problems(self, header: Any) -> list[str]:
        problems = super().header_problems(header)
        if self.kind.employee_required and not any(k in header.index for k in EMPLOYEE_KEYS):
            problems.append(
                _("缺少员工列:请至少有“{number}”或“{name}”一列").format(
                    number=self.column("employee_number").shown_title,
                    name=self.column("employee_name").shown_title,
                )
            )
        return problems

    def prepare(self, job: Job, rows: list[SheetRow]) -> None:
        job.load_units()
        if self.kind.has_employee:
            job.load_employees(rows)
        days = [local_day(row.values.get(self.kind.model.date_field)) for row in rows]
        known = [day for day in days if day is not None]
        self.span = (min(known), max(known)) if known else None

    def _list(self, job: Job, **filters: Any) -> QuerySet[Any]:
        list_records: Callable[..., QuerySet[Any]] = getattr(selectors, f"{self.kind.noun}_list")
        return list_records(viewer=job.viewer, **filters).filter(company=job.company)

    def _signature_fields(self, job: Job) -> list[str]:
        names = [
            name for name in self.kind.fields if name in job.header.index and name != "external_id"
        ]
        names.append("unit")
        if self._employee_given(job):
            names.append("employee")
        return names

    def _employee_given(self, job: Job) -> bool:
        """The sheet has a column naming the record's employee."""
        return self.kind.has_employee and any(key in job.header.index for key in EMPLOYEE_KEYS)

    def _repeats(self, job: Job) -> Counter[tuple[object, ...]]:
        """How many times each field-for-field record without an external id already exists
        in the sheet's date range (the sheet's own rows are matched against these)."""
        if self.repeats is None:
            self.repeats = Counter()
            if self.span is not None:
                names = self._signature_fields(job)
                existing = self._list(job, date_from=self.span[0], date_to=self.span[1]).filter(
                    external_id=""
                )
                for record in existing:
                    self.repeats[tuple(_stored(record, name) for name in names)] += 1
        return self.repeats

    # --- one row ---------------------------------------------------------------------------------

    def import_row(self, job: Job, row: SheetRow) -> Outcome:
        kind = self.kind
        values: dict[str, Any] = {}
        for name in kind.fields:
            if name in job.header.index:
                values[name] = row.values.get(name)
        if kind.complete is not None:
            kind.complete(values)
        if kind.model is WorkPointEntry and values.get("points") is None:
            raise problem(job.present("points", "kind"), str(WORK_POINTS_MISSING))
        external_id = values.pop("external_id", None) or ""
        if external_id:
            first = self.seen_external.setdefault(external_id, row.number)
            if first != row.number:
                raise problem("external_id", DUPLICATE_EXTERNAL_ID.format(row=first))
        for name, value in list(values.items()):
            if value is None:
                values[name] = self._blank(name)
        employee = (
            job.employee_of(row, required=kind.employee_required) if kind.has_employee else None
        )
        day = local_day(values.get(kind.model.date_field))
        unit = job.unit_for(row, employee, day)
        values["unit"] = unit
        if self._employee_given(job):
            values["employee"] = employee

        existing = self._existing(job, external_id, values)
        if existing is not None:
            changes = {
                name: value
                for name, value in values.items()
                if not _same(_stored(existing, name), _wanted(value))
            }
            if not changes:
                return Outcome.UNCHANGED
            update = getattr(services, f"{kind.noun}_update")
            update(actor=job.actor, reason=job.reason_for(row), **{kind.noun: existing}, **changes)
            return Outcome.UPDATED
        if not external_id and not kind.natural_key:
            signature = tuple(_wanted(values.get(name)) for name in self._signature_fields(job))
            repeats = self._repeats(job)
            if repeats[signature] > 0:
                repeats[signature] -= 1
                return Outcome.UNCHANGED
        create = getattr(services, f"{kind.noun}_create")
        create(actor=job.actor, reason=job.reason_for(row), external_id=external_id, **values)
        return Outcome.CREATED

    def _blank(self, name: str) -> object:
        """What an empty cell stores for a field: False, "" or None."""
        field = self.kind.model._meta.get_field(name)
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.CharField | models.TextField):
            return ""
        return None

    def _existing(self, job: Job, external_id: str, values: dict[str, Any]) -> Any:
        """The stored record this row is: same external id, or same natural key."""
        if external_id:
            return self._list(job).filter(external_id=external_id).first()
        if self.kind.natural_key:
            key = {name: values.get(name) for name in self.kind.natural_key}
            if any(value is None for value in key.values()):
                return None
            return self._list(job).filter(**key).first()
        return None


def record_importers() -> list[RecordImporter]:
    return [RecordImporter(kind) for kind in RECORD_KINDS]
