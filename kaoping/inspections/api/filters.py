"""Filters of the inspection lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.api.filters import BooleanFilter, IdFilter, RecordFilterSet
from kaoping.inspections.models import (
    CorrectiveAction,
    FaultNotice,
    Finding,
    Inspection,
    InspectionPlan,
)


class InspectionPlanFilter(RecordFilterSet):
    employee_lookup = None

    class Meta:
        model = InspectionPlan
        fields = ["kind", "active"]


class InspectionFilter(RecordFilterSet):
    date_field = "at"
    employee_lookup = None

    class Meta:
        model = Inspection
        fields = ["kind"]


class FindingFilter(RecordFilterSet):
    date_field = "occurred_at"
    inspection = IdFilter(field_name="inspection_id", label=_("检查编号"))

    class Meta:
        model = Finding
        fields = ["status", "section", "severity"]


class FaultNoticeFilter(RecordFilterSet):
    date_field = "finding__occurred_at"
    unit_path = "finding__unit__path"
    employee_lookup = "finding__employee"
    unanswered = BooleanFilter(method="filter_unanswered", label=_("只看未签收且未提出异议的"))

    finding = IdFilter(field_name="finding_id", label=_("违规记录编号"))

    class Meta:
        model = FaultNotice
        fields: list[str] = []

    def filter_unanswered(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        if value:
            return queryset.filter(acknowledged_at__isnull=True, disputed_at__isnull=True)
        return queryset.exclude(acknowledged_at__isnull=True, disputed_at__isnull=True)


class CorrectiveActionFilter(RecordFilterSet):
    date_field = "finding__occurred_at"
    employee_lookup = "owner"
    overdue = BooleanFilter(method="filter_overdue", label=_("只看已逾期的(过了完成期限仍未完成)"))

    finding = IdFilter(field_name="finding_id", label=_("违规记录编号"))

    class Meta:
        model = CorrectiveAction
        fields = ["status"]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        today: dt.date = timezone.localdate()
        late = {"due__lt": today, "status__in": CorrectiveAction.PENDING}
        return queryset.filter(**late) if value else queryset.exclude(**late)
