"""Inspections, findings, fault notices and corrective actions over the API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaoping.api.fields import (
    BooleanField,
    CharField,
    DecimalField,
    IntegerField,
    ModelSerializer,
    ScopedIdField,
    employee_field,
    unit_field,
)
from kaoping.inspections.models import (
    CorrectiveAction,
    FaultNotice,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionPlan,
    Severity,
)
from kaoping.inspections.selectors import inspection_list, inspection_plan_list


class InspectionPlanSerializer(ModelSerializer):
    unit = unit_field(help_text=_("单元编码"))

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "unit",
            "kind",
            "times",
            "period",
            "responsible_role",
            "active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class PlanActiveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    active = BooleanField(help_text=_("启用或停用"))


class InspectionSerializer(ModelSerializer):
    unit = unit_field(help_text=_("受检单元编码"))
    plan = ScopedIdField(
        selector=inspection_plan_list,
        unknown=_("没有编号为 {value} 的检查计划(或您无权查看)。"),
        required=False,
        allow_null=True,
    )
    inspector = CharField(
        source="inspector.username", read_only=True, help_text=_("检查人(即提交者)")
    )

    class Meta:
        model = Inspection
        fields = ["id", "unit", "kind", "plan", "inspector", "at", "place", "created_at"]
        read_only_fields = ["id", "created_at"]


class FindingSerializer(ModelSerializer):
    inspection = ScopedIdField(
        selector=inspection_list, unknown=_("没有编号为 {value} 的检查(或您无权查看)。")
    )
    unit = unit_field(read_only=True, help_text=_("违规记录所属单元(当日被考评人所在单元)"))
    employee = employee_field(
        required=False, allow_null=True, help_text=_("被考评员工的工号(与 subject_unit 二选一)")
    )
    employee_name = CharField(source="employee.name", read_only=True, allow_null=True)
    subject_unit = unit_field(
        required=False, allow_null=True, help_text=_("被考评单元的编码(与 employee 二选一)")
    )
    severity = serializers.ChoiceField(
        choices=[("", "—"), *Severity.choices], required=False, allow_blank=True
    )
    points = DecimalField(
        max_digits=6, decimal_places=1, required=False, allow_null=True, min_value=0
    )
    policy = CharField(
        source="policy_version.document.code", read_only=True, help_text=_("考评办法编码")
    )
    policy_version = IntegerField(
        source="policy_version.number", read_only=True, help_text=_("办法版本号")
    )
    fault_notice = serializers.SerializerMethodField(help_text=_("过失通知单编号"))
    external_id = CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=100,
        help_text=_("来源系统中的编号,同一公司内唯一;批量提交时必填"),
    )
    created_by = CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "unit",
            "employee",
            "employee_name",
            "subject_unit",
            "policy",
            "policy_version",
            "section",
            "item",
            "severity",
            "points",
            "description",
            "occurred_at",
            "mandatory_penalty",
            "supervisor_liable",
            "status",
            "fault_notice",
            "external_id",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "status", "created_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_fault_notice(self, finding: Finding) -> str | None:
        notice = getattr(finding, "fault_notice", None) if finding.employee_id else None
        return notice.number if notice is not None else None

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        # Only findings sent with an external id carry one (annotated by the list).
        data["external_id"] = getattr(instance, "external_id", None)
        return data


class FindingPhotoSerializer(ModelSerializer):
    class Meta:
        model = FindingPhoto
        fields = ["id", "finding", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class FindingPhotoUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    photo = serializers.FileField(help_text=_("JPEG、PNG 或 WebP 图片"))


class FaultNoticeSerializer(ModelSerializer):
    employee = CharField(source="finding.employee.number", read_only=True)
    employee_name = CharField(source="finding.employee.name", read_only=True)
    unit = CharField(source="finding.unit.code", read_only=True)

    class Meta:
        model = FaultNotice
        fields = [
            "id",
            "number",
            "finding",
            "employee",
            "employee_name",
            "unit",
            "issued_at",
            "acknowledged_at",
            "disputed_at",
            "dispute_reason",
        ]
        read_only_fields = fields


class DisputeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = CharField(help_text=_("异议理由"))


class CorrectiveActionSerializer(ModelSerializer):
    unit = unit_field(read_only=True)
    owner = employee_field(read_only=True, allow_null=True, help_text=_("责任人工号"))
    verified_by = CharField(source="verified_by.username", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(help_text=_("已逾期(过了完成期限仍未完成)"))

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "finding",
            "unit",
            "owner",
            "due",
            "status",
            "overdue",
            "description",
            "started_at",
            "completed_at",
            "verification_note",
            "verified_by",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, action: CorrectiveAction) -> bool:
        return action.is_overdue(timezone.localdate())


class AssignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    owner = employee_field(help_text=_("责任人工号"))


class ActionNoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    description = CharField(required=False, allow_blank=True, help_text=_("所采取的纠正措施"))


class VerifySerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = CharField(help_text=_("验证意见"))
