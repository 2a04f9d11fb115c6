"""The organisation over the API: units by code, employees by 工号, positions by code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kaoping.api.fields import (
    CharField,
    ModelSerializer,
    ScopedSlugField,
    employee_field,
    unit_field,
)
from kaoping.org.models import Employee, OrgUnit, Placement, Position
from kaoping.org.selectors import position_list


def position_field(**kwargs: Any) -> ScopedSlugField:
    """A position (岗位) by its code, among the positions the viewer may see."""
    return ScopedSlugField(
        selector=position_list,
        slug_field="code",
        unknown=_("没有编码为“{value}”的岗位(或您无权查看)。"),
        **kwargs,
    )


class UnitSerializer(ModelSerializer):
    parent = unit_field(read_only=True, allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "parent", "active"]
        read_only_fields = fields


class UnitCreateSerializer(ModelSerializer):
    parent = unit_field(help_text=_("上级单元编码"))  # type: ignore[assignment]

    class Meta:
        model = OrgUnit
        fields = ["parent", "kind", "code", "name"]


class PositionSerializer(ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "name", "floating_pay", "base_pay"]
        read_only_fields = ["id"]


class PositionCreateSerializer(ModelSerializer):
    company = CharField(
        required=False, max_length=20, help_text=_("公司编码;只属于一家公司时可省略")
    )

    class Meta:
        model = Position
        fields = ["company", "code", "name", "floating_pay", "base_pay"]


class EmployeeSerializer(ModelSerializer):
    class Meta:
        model = Employee
        fields = ["id", "number", "name", "phone", "hire_date", "active"]
        read_only_fields = ["id", "active"]


class EmployeeCreateSerializer(ModelSerializer):
    company = CharField(
        required=False, max_length=20, help_text=_("公司编码;只属于一家公司时可省略")
    )

    class Meta:
        model = Employee
        fields = ["company", "number", "name", "phone", "hire_date"]


class PlacementSerializer(ModelSerializer):
    employee = employee_field(help_text=_("工号"))
    employee_name = CharField(source="employee.name", read_only=True)
    unit = unit_field(help_text=_("单元编码"))
    position = position_field(help_text=_("岗位编码"))
    supervisor = employee_field(required=False, allow_null=True, help_text=_("直接上级的工号"))

    class Meta:
        model = Placement
        fields = [
            "id",
            "employee",
            "employee_name",
            "unit",
            "position",
            "supervisor",
            "start",
            "end",
        ]
        read_only_fields = ["id"]


class PlacementTransferSerializer(ModelSerializer):
    employee = employee_field(help_text=_("工号"))
    unit = unit_field(help_text=_("新单元编码"))
    position = position_field(help_text=_("新岗位编码"))
    supervisor = employee_field(required=False, allow_null=True, help_text=_("新直接上级的工号"))

    class Meta:
        model = Placement
        fields = ["employee", "unit", "position", "supervisor", "start"]
