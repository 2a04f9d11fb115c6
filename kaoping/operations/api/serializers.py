"""Operations records over the API: units by code, employees by 工号, the sender's external id."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaoping.api.fields import (
    BooleanField,
    CharField,
    DecimalField,
    IntegerField,
    ModelSerializer,
    RatioField,
    employee_field,
    unit_field,
)
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

_COMMON_READ = ["id", "created_by", "created_at"]
_COMMON_WRITE = ["unit", "external_id", "reason"]


class OperationsRecordSerializer(ModelSerializer):
    unit = unit_field(help_text=_("单元编码"))
    external_id = CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("来源系统中的编号,同一公司内唯一;批量提交时必填"),
    )
    created_by = CharField(source="created_by.username", read_only=True, allow_null=True)
    reason = CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=500,
        help_text=_("修改原因,记入审计日志"),
    )


class ComplaintSerializer(OperationsRecordSerializer):
    employee = employee_field(required=False, allow_null=True, help_text=_("责任人工号"))
    handling_minutes = IntegerField(read_only=True, allow_null=True, help_text=_("处理时长(分钟)"))

    class Meta:
        model = Complaint
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "employee",
            "received_at",
            "category",
            "source",
            "complainant",
            "description",
            "valid",
            "major",
            "resolved_at",
            "callback_at",
            "callback_satisfaction",
            "handling_minutes",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class IncidentSerializer(OperationsRecordSerializer):
    class Meta:
        model = Incident
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "kind",
            "occurred_at",
            "place",
            "description",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class CallStatisticSerializer(OperationsRecordSerializer):
    answer_rate = RatioField(allow_null=True, help_text=_("接通率"))

    class Meta:
        model = CallStatistic
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "date",
            "offered",
            "answered",
            "answer_rate",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class WorkOrderSerializer(OperationsRecordSerializer):
    employee = employee_field(required=False, allow_null=True, help_text=_("处理人工号"))
    handling_minutes = IntegerField(read_only=True, allow_null=True, help_text=_("处理时长(分钟)"))

    class Meta:
        model = WorkOrder
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "employee",
            "kind",
            "opened_at",
            "completed_at",
            "description",
            "handling_minutes",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class FeeCollectionSerializer(OperationsRecordSerializer):
    employee = employee_field(
        required=False, allow_null=True, help_text=_("负责该楼栋收费的员工(管家)工号")
    )
    fee_collection_rate = RatioField(allow_null=True, help_text=_("收缴率(按户数)"))
    fee_task_completion = RatioField(allow_null=True, help_text=_("收费任务完成率"))

    class Meta:
        model = FeeCollection
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "employee",
            "building",
            "month",
            "households_due",
            "households_paid",
            "amount_due",
            "amount_paid",
            "task_amount",
            "fee_collection_rate",
            "fee_task_completion",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class OwnerVisitSerializer(OperationsRecordSerializer):
    employee = employee_field(help_text=_("走访人工号"))

    class Meta:
        model = OwnerVisit
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "employee",
            "household",
            "visited_on",
            "record",
            "callback",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class SurveyResponseSerializer(OperationsRecordSerializer):
    employee = employee_field(required=False, allow_null=True, help_text=_("被评价员工工号"))

    class Meta:
        model = SurveyResponse
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "employee",
            "level",
            "answered_on",
            "respondent",
            "comment",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ


class WorkPointEntrySerializer(OperationsRecordSerializer):
    employee = employee_field(help_text=_("员工工号"))
    points = DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("积分;扣分处罚不填时按 seed 003 的分值(−50 或 −20)"),
    )
    is_penalty = BooleanField(read_only=True, help_text=_("扣分处罚"))

    class Meta:
        model = WorkPointEntry
        fields = [
            *_COMMON_READ[:1],
            *_COMMON_WRITE,
            "employee",
            "date",
            "kind",
            "points",
            "note",
            "is_penalty",
            *_COMMON_READ[1:],
        ]
        read_only_fields = _COMMON_READ
