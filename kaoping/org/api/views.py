"""Org units, positions, employees and placements over the API (reads scoped, writes by services)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.views import ScopedViewSet, company_for
from kaoping.org.models import Employee, OrgUnit, Placement, Position
from kaoping.org.selectors import employee_roster, placement_list, position_list, unit_list
from kaoping.org.services import (
    employee_create,
    placement_create,
    placement_transfer,
    position_create,
    unit_create,
)

from .filters import EmployeeFilter, PlacementFilter, PositionFilter, UnitFilter
from .serializers import (
    EmployeeCreateSerializer,
    EmployeeSerializer,
    PlacementSerializer,
    PlacementTransferSerializer,
    PositionCreateSerializer,
    PositionSerializer,
    UnitCreateSerializer,
    UnitSerializer,
)

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class UnitViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Org units (组织单元) in the viewer's scope; admins add units under a parent."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["path", "code", "name"]

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return unit_list(viewer=self.viewer).select_related("parent")

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer})
    def create(self, request: Request) -> Response:
        unit = unit_create(actor=self.actor, **self.validated(UnitCreateSerializer))
        return self.answer(unit, code=status.HTTP_201_CREATED)


class PositionViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Positions (岗位) with their monthly base and floating pay; HR and admins add them."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["code", "name"]

    def get_queryset(self) -> QuerySet[Position]:
        return position_list(viewer=self.viewer)

    @extend_schema(request=PositionCreateSerializer, responses={201: PositionSerializer})
    def create(self, request: Request) -> Response:
        data = self.validated(PositionCreateSerializer)
        company = company_for(request, data.pop("company", None))
        position = position_create(actor=self.actor, company=company, **data)
        return self.answer(position, code=status.HTTP_201_CREATED)


class EmployeeViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Employees (员工) placed in the viewer's scope, and the viewer; HR and admins add them."""

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    ordering_fields = ["number", "name", "hire_date"]

    def get_queryset(self) -> QuerySet[Employee]:
        return employee_roster(viewer=self.viewer)

    @extend_schema(request=EmployeeCreateSerializer, responses={201: EmployeeSerializer})
    def create(self, request: Request) -> Response:
        data = self.validated(EmployeeCreateSerializer)
        company = company_for(request, data.pop("company", None))
        employee = employee_create(actor=self.actor, company=company, **data)
        return self.answer(employee, code=status.HTTP_201_CREATED)


class PlacementViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Placements (任职): unit, position and direct supervisor from a date; HR and admins place
    and transfer (调岗) employees."""

    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    ordering_fields = ["start", "end", "employee__number"]

    def get_queryset(self) -> QuerySet[Placement]:
        return placement_list(viewer=self.viewer).select_related("supervisor")

    @extend_schema(request=PlacementSerializer, responses={201: PlacementSerializer})
    def create(self, request: Request) -> Response:
        placement = placement_create(actor=self.actor, **self.validated(PlacementSerializer))
        return self.answer(placement, code=status.HTTP_201_CREATED)

    @extend_schema(request=PlacementTransferSerializer, responses={201: PlacementSerializer})
    @action(detail=False, methods=["post"])
    def transfer(self, request: Request) -> Response:
        """Transfer (调岗): the open placement ends the day before `start`, a new one begins."""
        data: dict[str, Any] = self.validated(PlacementTransferSerializer)
        placement = placement_transfer(actor=self.actor, **data)
        return self.answer(placement, code=status.HTTP_201_CREATED)
