"""Appraisal periods (考评期间) over the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kaoping.api.fields import (
    BooleanField,
    CharField,
    DateField,
    IntegerField,
    ModelSerializer,
    unit_field,
)
from kaoping.periods.models import Period


class PeriodSerializer(ModelSerializer):
    company = CharField(source="company.code", read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "company",
            "kind",
            "key",
            "start",
            "end",
            "status",
            "self_deadline",
            "rating_deadline",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields


class PeriodOpenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    company = CharField(
        required=False, max_length=20, help_text=_("公司编码;只属于一家公司时可省略")
    )
    kind = serializers.ChoiceField(choices=Period.Kind.choices, help_text=_("期间类型"))
    key = CharField(max_length=10, help_text=_("期间,如 2026-10、2026-Q4、2026-H2、2026"))
    self_deadline = DateField(required=False, allow_null=True, help_text=_("自评截止日期"))
    rating_deadline = DateField(required=False, allow_null=True, help_text=_("上级评截止日期"))


class PeriodCloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    unit = unit_field(
        required=False, allow_null=True, help_text=_("只关该单元及其下级(单元编码);默认整个公司")
    )


class CloseReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = PeriodSerializer()
    unit = CharField(source="unit.code", help_text=_("关账范围(单元编码)"))
    results = IntegerField(help_text=_("冻结的结果数"))
    outcome_items = IntegerField(help_text=_("生成的处理事项数"))
    already_closed = BooleanField(help_text=_("此前已关账,本次未作更改"))
