"""Appraisals (考核), ratings (评分), entries (奖扣分) and results (考核结果) over the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
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
from kaoping.appraisals.models import (
    Appraisal,
    InterviewNote,
    MemberGrade,
    OutcomeItem,
    Rating,
    Result,
    ScoreEntry,
)
from kaoping.appraisals.selectors import appraisal_list

_UNKNOWN_APPRAISAL = _("没有编号为 {value} 的考核(或您无权查看)。")


def _username(source: str, **kwargs: Any) -> serializers.CharField:
    return CharField(source=f"{source}.username", read_only=True, **kwargs)


class AppraisalSerializer(ModelSerializer):
    period = CharField(source="period.key", read_only=True, help_text=_("考评期间"))
    employee = employee_field(read_only=True, allow_null=True, help_text=_("被考核员工工号"))
    employee_name = CharField(source="employee.name", read_only=True, allow_null=True)
    subject_unit = unit_field(read_only=True, allow_null=True, help_text=_("被考核单元或班组"))
    unit = unit_field(read_only=True, help_text=_("所属单元"))
    supervisor = employee_field(read_only=True, allow_null=True, help_text=_("直接上级工号"))
    policy = CharField(source="policy_version.document.code", read_only=True)
    policy_version = IntegerField(source="policy_version.number", read_only=True)
    rater_signed_by = _username("rater_signed_by", allow_null=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "period",
            "employee",
            "employee_name",
            "subject_unit",
            "unit",
            "supervisor",
            "policy",
            "policy_version",
            "status",
            "employee_signed_at",
            "rater_signed_at",
            "rater_signed_by",
        ]
        read_only_fields = fields


class SignSerializer(serializers.Serializer):  # type: ignore[type-arg]
    as_subject = BooleanField(help_text=_("true:被考核人本人签字;false:考核人(上级)签字"))


class InterviewNoteSerializer(ModelSerializer):
    author = _username("author")

    class Meta:
        model = InterviewNote
        fields = ["id", "appraisal", "author", "text", "at"]
        read_only_fields = ["id", "appraisal", "author", "at"]


class MemberGradeSerializer(ModelSerializer):
    employee = employee_field(help_text=_("组员工号"))
    set_by = _username("set_by")

    class Meta:
        model = MemberGrade
        fields = ["id", "appraisal", "employee", "grade", "set_by", "set_at"]
        read_only_fields = ["id", "appraisal", "set_by", "set_at"]


class RatingSerializer(ModelSerializer):
    appraisal = ScopedIdField(selector=appraisal_list, unknown=_UNKNOWN_APPRAISAL)
    rater = _username("rater")

    class Meta:
        model = Rating
        fields = ["id", "appraisal", "rater_role", "rater", "item", "value", "created_at"]
        read_only_fields = fields


class RatingSubmitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    appraisal = ScopedIdField(selector=appraisal_list, unknown=_UNKNOWN_APPRAISAL)
    rater_role = serializers.ChoiceField(choices=Rating.Rater.choices, help_text=_("评分人"))
    values = serializers.DictField(
        child=DecimalField(max_digits=6, decimal_places=1),
        allow_empty=False,
        help_text=_('考核项目 → 评分,如 {"attitude": "9.5"}'),
    )


class ScoreEntrySerializer(ModelSerializer):
    appraisal = ScopedIdField(selector=appraisal_list, unknown=_UNKNOWN_APPRAISAL, read_only=True)
    created_by = _username("created_by")
    approved_by = _username("approved_by", allow_null=True)

    class Meta:
        model = ScoreEntry
        fields = [
            "id",
            "appraisal",
            "kind",
            "value",
            "reason",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "rejected_at",
            "rejection_reason",
        ]
        read_only_fields = [
            "id",
            "appraisal",
            "created_at",
            "approved_at",
            "rejected_at",
            "rejection_reason",
        ]


class ResultSerializer(ModelSerializer):
    period = CharField(source="period.key", read_only=True)
    unit = unit_field(read_only=True)
    employee = employee_field(read_only=True, allow_null=True)
    employee_name = CharField(source="employee.name", read_only=True, allow_null=True)
    policy = CharField(source="policy_version.document.code", read_only=True)
    policy_version = IntegerField(source="policy_version.number", read_only=True)
    current = BooleanField(read_only=True, help_text=_("最新版本(未被更正取代)"))

    class Meta:
        model = Result
        fields = [
            "id",
            "appraisal",
            "revision",
            "period",
            "unit",
            "employee",
            "employee_name",
            "policy",
            "policy_version",
            "evaluated",
            "total",
            "grade",
            "pay_ratio",
            "penalty_points",
            "fine",
            "supervisor_fine",
            "inputs_hash",
            "current",
            "superseded_by",
            "correction_reason",
            "created_at",
        ]
        read_only_fields = fields


class ResultDetailSerializer(ResultSerializer):
    data = serializers.JSONField(  # type: ignore[assignment]  # a field, not .data
        read_only=True, help_text=_("评分引擎的结果:各项得分、处理、逐行解释")
    )

    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "data"]
        read_only_fields = fields


class OutcomeItemSerializer(ModelSerializer):
    period = CharField(source="result.period.key", read_only=True)
    unit = unit_field(read_only=True)
    employee = employee_field(read_only=True, allow_null=True)
    handled_by = _username("handled_by", allow_null=True)

    class Meta:
        model = OutcomeItem
        fields = [
            "id",
            "result",
            "period",
            "unit",
            "employee",
            "action",
            "status",
            "note",
            "handled_by",
            "handled_at",
        ]
        read_only_fields = fields


class OutcomeHandleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(
        choices=[
            (OutcomeItem.Status.DONE, OutcomeItem.Status.DONE.label),
            (OutcomeItem.Status.CANCELLED, OutcomeItem.Status.CANCELLED.label),
        ]
    )
    note = CharField(required=False, allow_blank=True, help_text=_("备注;撤销时须写明原因"))
