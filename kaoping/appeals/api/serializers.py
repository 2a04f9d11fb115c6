"""Appeals (申诉) and their decisions over the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kaoping.api.fields import (
    BooleanField,
    CharField,
    DecimalField,
    ModelSerializer,
    ScopedIdField,
    employee_field,
    unit_field,
)
from kaoping.appeals.models import Appeal, AppealStep, FindingCorrection
from kaoping.appraisals.selectors import result_list
from kaoping.inspections.models import Finding
from kaoping.inspections.selectors import fault_notice_list, finding_list

# The outcomes of a decision: upheld, partly upheld, rejected.
DECISIONS = [(status, Appeal.Status(status).label) for status in Appeal.DECIDED]


def _any_finding(*, viewer: Any) -> QuerySet[Finding]:
    return finding_list(viewer=viewer, status=None)


def _any_result(*, viewer: Any) -> QuerySet[Any]:
    return result_list(viewer=viewer, current=False)


def _finding_field(**kwargs: Any) -> ScopedIdField:
    return ScopedIdField(
        selector=_any_finding,
        unknown=_("没有编号为 {value} 的违规记录(或您无权查看)。"),
        **kwargs,
    )


class AppealStepSerializer(ModelSerializer):
    outcome = serializers.ChoiceField(
        choices=Appeal.Status.choices, allow_blank=True, read_only=True, help_text=_("决定的结果")
    )
    actor = CharField(source="actor.username", read_only=True, allow_null=True)

    class Meta:
        model = AppealStep
        fields = ["level", "kind", "outcome", "reason", "actor", "at"]
        read_only_fields = fields


class FindingCorrectionSerializer(ModelSerializer):
    class Meta:
        model = FindingCorrection
        fields = ["finding", "action", "old_points", "new_points", "at"]
        read_only_fields = fields


class AppealSerializer(ModelSerializer):
    employee = employee_field(read_only=True, help_text=_("申诉人工号"))
    employee_name = CharField(source="employee.name", read_only=True)
    unit = unit_field(read_only=True)
    supervisor = employee_field(read_only=True, allow_null=True, help_text=_("直接上级工号"))
    overdue = serializers.SerializerMethodField(help_text=_("本级已逾期未答复"))
    steps = AppealStepSerializer(
        many=True, read_only=True, help_text=_("处理记录:决定、升级、撤回")
    )
    corrections = FindingCorrectionSerializer(
        many=True, read_only=True, help_text=_("申诉成立时对违规记录的更正")
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "employee",
            "employee_name",
            "unit",
            "supervisor",
            "finding",
            "fault_notice",
            "result",
            "reason",
            "filed_at",
            "route",
            "level",
            "level_due",
            "status",
            "overdue",
            "closed_at",
            "steps",
            "corrections",
        ]
        read_only_fields = fields

    def get_overdue(self, appeal: Appeal) -> bool:
        return appeal.is_overdue(timezone.localdate())


class AppealFileSerializer(serializers.Serializer):  # type: ignore[type-arg]
    finding = _finding_field(required=False, allow_null=True, help_text=_("违规记录编号"))
    fault_notice = ScopedIdField(
        selector=fault_notice_list,
        unknown=_("没有编号为 {value} 的过失通知单(或您无权查看)。"),
        required=False,
        allow_null=True,
        help_text=_("过失通知单编号"),
    )
    result = ScopedIdField(
        selector=_any_result,
        unknown=_("没有编号为 {value} 的考核结果(或您无权查看)。"),
        required=False,
        allow_null=True,
        help_text=_("考核结果编号"),
    )
    reason = CharField(help_text=_("申诉理由"))
    to_hr = BooleanField(
        required=False, default=False, help_text=_("直接向人力资源部申诉(针对检查人员的行为)")
    )


class CorrectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    finding = _finding_field(help_text=_("要更正的违规记录编号"))
    action = serializers.ChoiceField(choices=FindingCorrection.Action.choices)
    points = DecimalField(
        max_digits=6,
        decimal_places=1,
        required=False,
        allow_null=True,
        help_text=_("改变扣分时的新扣分"),
    )


class AppealDecideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=DECISIONS)
    reason = CharField(help_text=_("处理意见(决定理由)"))
    corrections = CorrectionSerializer(
        many=True, required=False, help_text=_("申诉成立(含部分成立)时须至少更正一条违规记录")
    )


class AppealReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = CharField(required=False, allow_blank=True, help_text=_("理由"))
