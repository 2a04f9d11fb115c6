"""What each record list shows and exports, and how each operations record type is entered.

A column is an ExportColumn (header, how to read a row) with what the page needs besides: a
link, a style (long text, number, percent, month) and whether the page shows it (the export has
every column). Columns are built when asked for, so that their headers are in the user's
language. Each operations record type (运营记录) is one RecordKind: its URL slug (the import
kind's name), selector, columns, the fields of its entry form and the service that writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.inspections.models import Finding
from kaoping.operations import selectors, services
from kaoping.operations.models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    OperationsRecord,
    OwnerVisit,
    SurveyResponse,
    WorkOrder,
    WorkPointEntry,
)
from kaoping.policies.selectors import engine_policy
from kaoping.sheets.exports.workbook import ExportColumn

from ..templatetags.kaoping import display_name

# Fields whose text can be long: the page cuts them short (the export keeps them whole).
LONG_TEXT = {"description", "record", "comment", "note", "place"}


@dataclass(frozen=True)
class ListColumn(ExportColumn):
    """A column of a record list and of its export."""

    link: Callable[[Any], str | None] | None = None
    style: str = ""  # "", "long", "number", "percent", "month"
    screen: bool = True


def model_column(model: type[models.Model], name: str) -> list[ListColumn]:
    """The columns of a model field: its verbose name over its value (a choice's label, a
    unit's name; a person's name and 工号)."""
    field = model._meta.get_field(name)
    title = str(getattr(field, "verbose_name", name))
    if name == "unit":
        return [ListColumn(title, "unit.name", width=16)]
    if name == "employee":
        return [
            ListColumn(title, "employee.name", width=12),
            ListColumn(_("工号"), "employee.number", width=12),
        ]
    if name == "external_id":
        return [ListColumn(title, name, screen=False, width=16)]
    if getattr(field, "choices", None):
        return [ListColumn(title, f"get_{name}_display")]
    if name == "month":
        return [ListColumn(title, name, style="month")]
    if isinstance(field, models.DecimalField | models.IntegerField):
        return [ListColumn(title, name, style="number")]
    if name in LONG_TEXT:
        return [ListColumn(title, name, style="long", width=40)]
    if isinstance(field, models.DateTimeField):
        return [ListColumn(title, name, width=17)]
    return [ListColumn(title, name)]


def model_columns(
    model: type[models.Model], names: tuple[str | Callable[[], ListColumn], ...]
) -> list[ListColumn]:
    columns: list[ListColumn] = []
    for name in names:
        if callable(name):
            columns.append(name())
        else:
            columns.extend(model_column(model, name))
    return columns


@dataclass(frozen=True)
class RecordKind:
    """One type of operations record (运营记录) as the pages list and enter it."""

    slug: str
    title: Promise
    model: type[OperationsRecord]
    rows: Callable[..., models.QuerySet[Any]]  # the scoped selector
    column_names: tuple[str | Callable[[], ListColumn], ...]
    fields: tuple[str, ...]  # the entry form's fields, named as the service's arguments
    create: Callable[..., OperationsRecord]  # the service
    optional: tuple[str, ...] = ()  # fields the model requires but the service may fill in
    help: Promise | None = None

    @property
    def has_employee(self) -> bool:
        return any(field.name == "employee" for field in self.model._meta.fields)

    def columns(self) -> list[ListColumn]:
        return model_columns(self.model, self.column_names)


def _answer_rate() -> ListColumn:
    return ListColumn(_("接通率"), "answer_rate", style="percent")


def _collection_rate() -> ListColumn:
    return ListColumn(_("收缴率"), "fee_collection_rate", style="percent")


def _task_completion() -> ListColumn:
    return ListColumn(_("任务完成率"), "fee_task_completion", style="percent")


KINDS = (
    RecordKind(
        slug="complaints",
        title=gettext_lazy("投诉"),
        model=Complaint,
        rows=selectors.complaint_list,
        column_names=(
            "received_at",
            "unit",
            "employee",
            "category",
            "source",
            "complainant",
            "description",
            "valid",
            "major",
            "resolved_at",
            "callback_at",
            "callback_satisfaction",
            "external_id",
        ),
        fields=(
            "received_at",
            "category",
            "source",
            "complainant",
            "description",
            "employee",
            "valid",
            "major",
            "resolved_at",
            "callback_at",
            "callback_satisfaction",
            "external_id",
        ),
        create=services.complaint_create,
    ),
    RecordKind(
        slug="incidents",
        title=gettext_lazy("事故"),
        model=Incident,
        rows=selectors.incident_list,
        column_names=("occurred_at", "unit", "kind", "place", "description", "external_id"),
        fields=("occurred_at", "kind", "place", "description", "external_id"),
        create=services.incident_create,
    ),
    RecordKind(
        slug="calls",
        title=gettext_lazy("电话统计"),
        model=CallStatistic,
        rows=selectors.call_statistic_list,
        column_names=("date", "unit", "offered", "answered", _answer_rate, "external_id"),
        fields=("date", "offered", "answered", "external_id"),
        create=services.call_statistic_create,
    ),
    RecordKind(
        slug="work-orders",
        title=gettext_lazy("工单"),
        model=WorkOrder,
        rows=selectors.work_order_list,
        column_names=(
            "opened_at",
            "unit",
            "employee",
            "kind",
            "completed_at",
            "description",
            "external_id",
        ),
        fields=("opened_at", "kind", "employee", "completed_at", "description", "external_id"),
        create=services.work_order_create,
    ),
    RecordKind(
        slug="fees",
        title=gettext_lazy("物业费收缴"),
        model=FeeCollection,
        rows=selectors.fee_collection_list,
        column_names=(
            "month",
            "unit",
            "building",
            "employee",
            "households_due",
            "households_paid",
            _collection_rate,
            "amount_due",
            "amount_paid",
            "task_amount",
            _task_completion,
            "external_id",
        ),
        fields=(
            "month",
            "building",
            "employee",
            "households_due",
            "households_paid",
            "amount_due",
            "amount_paid",
            "task_amount",
            "external_id",
        ),
        create=services.fee_collection_create,
    ),
    RecordKind(
        slug="visits",
        title=gettext_lazy("业主走访"),
        model=OwnerVisit,
        rows=selectors.owner_visit_list,
        column_names=(
            "visited_on",
            "unit",
            "employee",
            "household",
            "record",
            "callback",
            "external_id",
        ),
        fields=("visited_on", "employee", "household", "record", "callback", "external_id"),
        create=services.owner_visit_create,
    ),
    RecordKind(
        slug="surveys",
        title=gettext_lazy("满意度调查"),
        model=SurveyResponse,
        rows=selectors.survey_response_list,
        column_names=(
            "answered_on",
            "unit",
            "employee",
            "level",
            "respondent",
            "comment",
            "external_id",
        ),
        fields=("answered_on", "level", "employee", "respondent", "comment", "external_id"),
        create=services.survey_response_create,
    ),
    RecordKind(
        slug="work-points",
        title=gettext_lazy("工作积分"),
        model=WorkPointEntry,
        rows=selectors.work_point_entry_list,
        column_names=("date", "unit", "employee", "kind", "points", "note", "external_id"),
        fields=("date", "employee", "kind", "points", "note", "external_id"),
        create=services.work_point_entry_create,
        optional=("points",),
        help=gettext_lazy("扣分处罚不填积分时按规定扣分(−50 或 −20)。"),
    ),
)
RECORD_KINDS: dict[str, RecordKind] = {kind.slug: kind for kind in KINDS}


# --- inspections, findings, corrective actions ------------------------------------------------


def section_title(finding: Finding) -> str:
    """The finding's policy section (考评项目) as the policy names it (policies are cached)."""
    section = engine_policy(finding.policy_version).section(finding.section)
    return section.title if section is not None else finding.section


def item_title(finding: Finding) -> str:
    """The finding's checklist item (细则条目) as the policy names it, else as recorded."""
    return engine_policy(finding.policy_version).item_title(finding.section, finding.item)


def _notice_link(finding: Finding) -> str | None:
    notice = getattr(finding, "fault_notice", None)
    return reverse("web:notice", args=[notice.pk]) if notice is not None else None


def _notice_number(finding: Finding) -> str | None:
    notice = getattr(finding, "fault_notice", None)
    return notice.number if notice is not None else None


def _subject(finding: Finding) -> str:
    if finding.employee is not None:
        return finding.employee.name
    return finding.subject_unit.name if finding.subject_unit is not None else ""


def finding_columns() -> list[ListColumn]:
    return [
        ListColumn(_("发生时间"), "occurred_at", width=17),
        ListColumn(_("被考评人/单元"), _subject, width=12),
        ListColumn(_("工号"), "employee.number", width=12),
        ListColumn(_("所属单元"), "unit.name", width=16),
        ListColumn(_("考评项目"), section_title, width=20),
        ListColumn(_("细则条目"), item_title, width=24),
        ListColumn(_("违规程度"), "get_severity_display"),
        ListColumn(_("扣分"), "points", style="number"),
        ListColumn(_("违规描述"), "description", style="long", width=40),
        ListColumn(_("状态"), "get_status_display"),
        ListColumn(_("检查人"), lambda f: display_name(f.inspection.inspector)),
        ListColumn(_("过失通知单"), _notice_number, link=_notice_link, width=16),
    ]


def inspection_columns() -> list[ListColumn]:
    return [
        ListColumn(_("检查时间"), "at", width=17),
        ListColumn(_("检查类型"), "get_kind_display"),
        ListColumn(_("受检单元"), "unit.name", width=16),
        ListColumn(_("检查地点"), "place", style="long"),
        ListColumn(_("检查人"), lambda i: display_name(i.inspector)),
        ListColumn(
            _("违规条数"),
            "visible_findings",
            style="number",
            link=lambda i: f"{reverse('web:findings')}?inspection={i.pk}",
        ),
    ]


def corrective_columns() -> list[ListColumn]:
    return [
        ListColumn(_("完成期限"), "due"),
        ListColumn(_("状态"), "get_status_display"),
        ListColumn(_("单元"), "unit.name", width=16),
        ListColumn(_("责任人"), "owner.name"),
        ListColumn(_("被考评人/单元"), lambda a: _subject(a.finding), width=12),
        ListColumn(_("考评项目"), lambda a: section_title(a.finding), width=20),
        ListColumn(_("违规描述"), "finding.description", width=40),
        ListColumn(_("纠正措施"), "description", width=40),
        ListColumn(_("验证意见"), "verification_note", width=30),
        ListColumn(_("验证时间"), "verified_at", width=17),
    ]
