"""Team ranking over the API (服务小组评比, seed 003): the month's ranking items of a department's
teams, the teams' values on them, and the grades supervisors give team members.

Reads follow the results family (kaoping/org/access.py): an item shows to whoever reads results
in its department or in any of its teams; a value to whoever reads results of its team; a member
grade to whoever reads the appraisal's unit, and to the member graded. Setting a team's value
goes through `ranking_value_set` (department head, project manager or quality over the
department); a member's grade is set with `POST /api/appraisals/{id}/member-grades/`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.fields import (
    CharField,
    DecimalField,
    IntegerField,
    ModelSerializer,
    ScopedIdField,
    unit_field,
)
from kaoping.api.filters import IdFilter
from kaoping.api.views import ScopedViewSet
from kaoping.appraisals.models import MemberGrade, RankingItem, RankingValue
from kaoping.appraisals.selectors import (
    member_grade_list,
    period_list,
    ranking_item_list,
    ranking_value_list,
)
from kaoping.appraisals.services.ranking import ranking_items_set, ranking_value_set

from .filters import PeriodKeyFilterSet

UNKNOWN_ITEM = _("没有编号为 {value} 的评比项目(或您无权查看)。")
UNKNOWN_PERIOD = _("该单元所在的公司没有考评期间“{value}”。")


# --- reads, scoped to the viewer ---------------------------------------------------------------


# --- serializers -------------------------------------------------------------------------------


class RankingItemSerializer(ModelSerializer):
    period = CharField(source="period.key", read_only=True, help_text=_("考评期间"))
    unit = unit_field(read_only=True, help_text=_("评比所在的部门"))
    code = CharField(read_only=True, help_text=_("评比项目编号"))

    class Meta:
        model = RankingItem
        fields = ["id", "period", "unit", "code", "title", "level", "better"]
        read_only_fields = fields


class RankingValueSerializer(ModelSerializer):
    item = ScopedIdField(selector=ranking_item_list, unknown=UNKNOWN_ITEM, help_text=_("评比项目"))
    period = CharField(source="item.period.key", read_only=True, help_text=_("考评期间"))
    code = CharField(source="item.code", read_only=True, help_text=_("评比项目编号"))
    team = unit_field(help_text=_("服务小组(班组)编码"))
    value = DecimalField(max_digits=14, decimal_places=2, help_text=_("数值"))

    class Meta:
        model = RankingValue
        fields = ["id", "item", "period", "code", "team", "value"]
        read_only_fields = ["id"]


class RankingItemInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = CharField(max_length=60, help_text=_("评比项目编号"))
    title = CharField(max_length=100, help_text=_("评比项目"))
    level = IntegerField(min_value=1, max_value=32767, help_text=_("评分级别"))
    better = serializers.ChoiceField(
        choices=RankingItem.Better.choices, default=RankingItem.Better.HIGHER
    )


class RankingItemsSetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = CharField(max_length=20, help_text=_("考评期间,如 2026-12"))
    unit = unit_field(help_text=_("评比所在的部门"))
    items = RankingItemInputSerializer(many=True, allow_empty=False, max_length=50)  # type: ignore[call-arg]


class RankingItemsAnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    items = RankingItemSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField(), help_text=_("提示"))


class MemberGradeReadSerializer(ModelSerializer):
    period = CharField(source="appraisal.period.key", read_only=True, help_text=_("考评期间"))
    employee = CharField(source="employee.number", read_only=True, help_text=_("组员工号"))
    employee_name = CharField(source="employee.name", read_only=True)
    set_by = CharField(source="set_by.username", read_only=True)
    appraisal = IntegerField(source="appraisal_id", read_only=True, help_text=_("小组的考核"))

    class Meta:
        model = MemberGrade
        fields = [
            "id",
            "appraisal",
            "period",
            "employee",
            "employee_name",
            "grade",
            "set_by",
            "set_at",
        ]
        read_only_fields = fields


# --- filters -----------------------------------------------------------------------------------


class RankingItemFilter(PeriodKeyFilterSet):
    employee_lookup = None

    class Meta:
        model = RankingItem
        fields = ["code"]


class RankingValueFilter(PeriodKeyFilterSet):
    period_lookup = "item__period__key"
    unit_path = "team__path"
    employee_lookup = None
    item = IdFilter(field_name="item_id", label=_("评比项目编号"))

    class Meta:
        model = RankingValue
        fields: list[str] = []


class MemberGradeFilter(PeriodKeyFilterSet):
    period_lookup = "appraisal__period__key"
    unit_path = "appraisal__unit__path"
    employee_lookup = "employee"
    appraisal = IdFilter(field_name="appraisal_id", label=_("考核编号"))

    class Meta:
        model = MemberGrade
        fields = ["grade"]


# --- views -------------------------------------------------------------------------------------

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class RankingItemViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """The month's ranking items (评比项目) of a department's teams: code, title, scoring level
    and whether higher or lower is better; set before the month starts (`set`)."""

    serializer_class = RankingItemSerializer
    filterset_class = RankingItemFilter
    ordering_fields = ["period__start", "code", "id"]

    def get_queryset(self) -> QuerySet[RankingItem]:
        return ranking_item_list(viewer=self.viewer)

    @extend_schema(request=RankingItemsSetSerializer, responses=RankingItemsAnswerSerializer)
    @action(detail=False, methods=["post"], url_path="set")
    def set_items(self, request: Request) -> Response:
        """Set the month's items of a department's teams, replacing those set before (department
        head, project manager or quality; only before the month starts). The answer lists the
        items and the warnings of the policy's lint (e.g. fewer teams than its thresholds
        assume)."""
        data = self.validated(RankingItemsSetSerializer)
        unit = data["unit"]
        period = (
            period_list(viewer=self.viewer)
            .filter(company_id=unit.company_id, key=data["period"].strip())
            .first()
        )
        if period is None:
            raise ValidationError(
                {"period": [str(UNKNOWN_PERIOD).format(value=data["period"].strip())]}
            )
        items = [(i["code"], i["title"], i["level"], i["better"]) for i in data["items"]]
        warnings = ranking_items_set(actor=self.actor, period=period, unit=unit, items=items)
        stored = self.get_queryset().filter(period=period, unit=unit).order_by("id")
        answer = {"items": stored, "warnings": [str(w) for w in warnings]}
        context = self.get_serializer_context()
        return Response(RankingItemsAnswerSerializer(answer, context=context).data)


class RankingValueViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """The teams' values (评比数值) on the month's ranking items. Setting one replaces the team's
    value on that item (department head, project manager or quality; the period must be
    open)."""

    serializer_class = RankingValueSerializer
    filterset_class = RankingValueFilter
    ordering_fields = ["value", "id"]

    def get_queryset(self) -> QuerySet[RankingValue]:
        return ranking_value_list(viewer=self.viewer)

    @extend_schema(responses={201: RankingValueSerializer})
    def create(self, request: Request) -> Response:
        data: dict[str, Any] = self.validated(RankingValueSerializer)
        row = ranking_value_set(
            actor=self.actor, item=data["item"], team=data["team"], value=data["value"]
        )
        return self.answer(row, code=status.HTTP_201_CREATED)


class MemberGradeViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Team members' grades (成员等级) picked by the supervisor within what the team's grade
    allows; set them with `POST /api/appraisals/{id}/member-grades/`."""

    serializer_class = MemberGradeReadSerializer
    filterset_class = MemberGradeFilter
    ordering_fields = ["set_at", "id"]

    def get_queryset(self) -> QuerySet[MemberGrade]:
        return member_grade_list(viewer=self.viewer)
