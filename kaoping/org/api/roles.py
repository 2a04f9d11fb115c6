"""Role assignments (角色授权) over the API, read-only: who holds which role over which unit's
subtree, from when to when.

Admins and HR read the assignments on the units of their own subtrees (an admin over the
company reads them all); nobody else reads any. Roles are given on the web by an admin.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins

from kaoping.api.fields import CharField, ModelSerializer, unit_field
from kaoping.api.filters import BooleanFilter, RecordFilterSet
from kaoping.api.views import ScopedViewSet
from kaoping.org.models import RoleAssignment
from kaoping.org.selectors import role_assignment_list


class RoleAssignmentSerializer(ModelSerializer):
    username = CharField(source="user.username", read_only=True, help_text=_("用户名"))
    unit = unit_field(read_only=True, help_text=_("所辖单元(含下属单元)"))

    class Meta:
        model = RoleAssignment
        fields = ["id", "username", "role", "unit", "start", "end"]
        read_only_fields = fields


class RoleAssignmentFilter(RecordFilterSet):
    """`unit` (its subtree), `role`, `username`, `active` (in force today)."""

    date_field = None
    employee_lookup = None
    username = django_filters.CharFilter(field_name="user__username", label=_("用户名"))
    active = BooleanFilter(method="filter_active", label=_("今天有效"))

    class Meta:
        model = RoleAssignment
        fields = ["role"]

    def filter_active(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        from django.utils import timezone

        today = timezone.localdate()
        in_force = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
        return queryset.filter(in_force) if value else queryset.exclude(in_force)


class RoleAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Role assignments (角色授权): a user holds a role over a unit's subtree, with dates.
    Admins and HR read those in their subtrees."""

    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilter
    ordering_fields = ["start", "id"]

    def get_queryset(self) -> QuerySet[RoleAssignment]:
        return role_assignment_list(viewer=self.viewer)
