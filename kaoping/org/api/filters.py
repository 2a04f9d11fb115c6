"""Filters of the organisation lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kaoping.api.filters import BooleanFilter, RecordFilterSet
from kaoping.org.models import Employee, OrgUnit, Placement, Position


class UnitFilter(RecordFilterSet):
    """`unit=CODE`: that unit and everything below it."""

    unit_path = "path"
    employee_lookup = None

    class Meta:
        model = OrgUnit
        fields = ["kind", "code", "active"]


class PositionFilter(RecordFilterSet):
    unit_path = None
    employee_lookup = None

    class Meta:
        model = Position
        fields = ["code"]


class EmployeeFilter(RecordFilterSet):
    """`unit=CODE`: employees ever placed in that unit's subtree; `employee=工号`: that one."""

    employee_lookup = "pk"

    class Meta:
        model = Employee
        fields = ["active"]

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        placed = Placement.objects.filter(employee_id=OuterRef("pk"))
        units = super().filter_unit(placed, name, value)
        return queryset.filter(Exists(units))


class PlacementFilter(RecordFilterSet):
    """`period`/`date_from`/`date_to`: placements in force at some time in that range."""

    date_field = "start"
    current = BooleanFilter(method="filter_current", label=_("当前有效(无结束日期)"))

    class Meta:
        model = Placement
        fields: list[str] = []

    def _from(self, queryset: QuerySet[Any], day: Any) -> QuerySet[Any]:
        return queryset.filter(Q(end__isnull=True) | Q(end__gte=day))

    def _to(self, queryset: QuerySet[Any], day: Any) -> QuerySet[Any]:
        return queryset.filter(start__lte=day)

    def filter_current(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(end__isnull=value)
